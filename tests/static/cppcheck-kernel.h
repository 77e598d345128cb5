/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced into every file cppcheck reads (tests/static/run.sh), which runs
 * without the kernel headers: unexpanded, an iterator macro parses as a call
 * followed by a stray block, and the loop's data flow is lost, so cppcheck
 * reports variables set in the loop as unused and values as constant.
 * cppcheck_next() is left undefined so that the cursor's value is unknown.
 * ARRAY_SIZE lets it check the bounds of loops over static arrays.
 */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The configuration of every kernel we ship for: the cgroup code, not its stubs. */
#define CONFIG_CGROUPS 1

#define list_for_each_entry(pos, head, member) \
	for (pos = cppcheck_next(head); pos; pos = cppcheck_next(pos))
#define list_for_each_entry_rcu(pos, head, member, ...) \
	list_for_each_entry(pos, head, member)
#define list_for_each_entry_reverse(pos, head, member) \
	list_for_each_entry(pos, head, member)
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = cppcheck_next(head), n = cppcheck_next(pos); pos; \
	     pos = n, n = cppcheck_next(n))
#define hlist_for_each_entry(pos, head, member) \
	list_for_each_entry(pos, head, member)
#define hlist_for_each_entry_rcu(pos, head, member, ...) \
	list_for_each_entry(pos, head, member)
#define hlist_for_each_entry_safe(pos, n, head, member) \
	list_for_each_entry_safe(pos, n, head, member)
#define hash_for_each(name, bkt, obj, member) \
	for (bkt = cppcheck_next(name), obj = cppcheck_next(name); obj; \
	     obj = cppcheck_next(obj))
#define hash_for_each_rcu(name, bkt, obj, member) \
	hash_for_each(name, bkt, obj, member)
#define hash_for_each_safe(name, bkt, tmp, obj, member) \
	for (bkt = cppcheck_next(name), obj = cppcheck_next(name); \
	     obj && ((tmp = cppcheck_next(obj)), 1); obj = tmp)
#define hash_for_each_possible(name, obj, member, key) \
	for (obj = cppcheck_next(name[key]); obj; obj = cppcheck_next(obj))
#define hash_for_each_possible_rcu(name, obj, member, key, ...) \
	hash_for_each_possible(name, obj, member, key)
#define hash_for_each_possible_safe(name, obj, tmp, member, key) \
	for (obj = cppcheck_next(name[key]); \
	     obj && ((tmp = cppcheck_next(obj)), 1); obj = tmp)
#define for_each_possible_cpu(cpu) \
	for (cpu = cppcheck_next(0); cpu >= 0; cpu = cppcheck_next(cpu))
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)
