// SPDX-License-Identifier: GPL-2.0
/*
 * Registered cgroups (v2): every task whose cgroup is a registered one or
 * below it counts in that cgroup's row, at each call, wherever it has
 * moved since, together with its own process row if it has one.
 *
 * Rows live in a fixed array of TRACER_CGROUPS_MAX slots, so that the set
 * of rows a call counts in is a word (an allocation record keeps it, see
 * tracer_allocs.c) and nothing is allocated. A slot is published through
 * live[] and hashed by its struct cgroup; the probes read both under RCU
 * with no lock. cg_mutex serialises registration, removal and the
 * readers, which may sleep. A slot is used again only after a grace
 * period and after every allocation record has forgotten it.
 *
 * The kernel tells no module that a cgroup is removed: a poll each second,
 * while any is registered, drops the rows of removed cgroups and the
 * references that keep them.
 */
#include <linux/capability.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/magic.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "tracer_allocs.h"
#include "tracer_arm.h"
#include "tracer_cgroups.h"
#include "tracer_perm.h"

struct tracer_cgroup {
	struct hlist_node node;
	struct cgroup *cgrp;	/* a reference, from registration to removal */
	kuid_t owner;		/* of its directory, at registration */
	unsigned int slot;	/* its index in slots[], its bit in a mask */
	bool used;
	struct tracer_counts counts;
};

static struct tracer_cgroup slots[TRACER_CGROUPS_MAX];
static struct tracer_cgroup __rcu *live[TRACER_CGROUPS_MAX];
static DEFINE_HASHTABLE(cg_hash, 6);
static DEFINE_MUTEX(cg_mutex);
unsigned long tracer_cg_levels;
static unsigned int cg_nr;

static void cg_poll_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(cg_poll, cg_poll_fn);

/*
 * The slots of the registered cgroups that hold the current task: one
 * hash look-up per distinct depth of them (one, when all are services of
 * the same slice). Caller runs with preemption disabled, a read-side
 * section of RCU, which also keeps the task's css_set.
 */
unsigned long __tracer_cgroups_current(unsigned long levels)
{
	struct tracer_cgroup *cg;
	unsigned long found = 0;
	struct cgroup *cgrp;
	int level;

	if (!in_task())
		return 0;
	cgrp = task_css_set_check(current, rcu_read_lock_sched_held())->dfl_cgrp;
	/* Bit by bit inline: for_each_set_bit() calls out twice a word. */
	for (; levels; levels &= levels - 1) {
		struct cgroup *anc;

		level = __ffs(levels);
		if (level > cgrp->level)
			break;
		anc = cgroup_ancestor(cgrp, level);
		hash_for_each_possible_rcu(cg_hash, cg, node, (unsigned long)anc,
					   lockdep_is_held(&cg_mutex))
			if (cg->cgrp == anc) {
				found |= BIT(cg->slot);
				break;
			}
	}
	return found;
}

void tracer_cgroups_count(unsigned long cgroups, enum tracer_counter calls,
			  enum tracer_counter bytes, size_t size)
{
	struct tracer_cgroup *cg;

	for (; cgroups; cgroups &= cgroups - 1) {
		cg = rcu_dereference_sched(live[__ffs(cgroups)]);
		if (cg)
			tracer_counts_add(&cg->counts, calls, bytes, size);
	}
}

/* Any context; a slot no longer published holds nothing any more. */
void tracer_cgroups_hold(unsigned long cgroups, int blocks, size_t bytes)
{
	struct tracer_cgroup *cg;

	for (; cgroups; cgroups &= cgroups - 1) {
		cg = rcu_dereference_sched(live[__ffs(cgroups)]);
		if (cg)
			tracer_counts_hold(&cg->counts, blocks, bytes);
	}
}

/* Under cg_mutex. */
static struct tracer_cgroup *cg_find(const struct cgroup *cgrp)
{
	struct tracer_cgroup *cg;

	hash_for_each_possible(cg_hash, cg, node, (unsigned long)cgrp)
		if (cg->cgrp == cgrp)
			return cg;
	return NULL;
}

static void cg_levels_update(void)
{
	unsigned long levels = 0;
	unsigned int s;

	for (s = 0; s < TRACER_CGROUPS_MAX; s++)
		if (slots[s].used)
			levels |= BIT(slots[s].cgrp->level);
	WRITE_ONCE(tracer_cg_levels, levels);
}

/*
 * The cgroup of directory descriptor @fd, and its directory's owner, read
 * from the one file reference: a descriptor replaced in between (dup2()
 * by another thread) fails rather than lend its owner to another cgroup.
 */
static struct cgroup *cg_from_fd(int fd, kuid_t *owner)
{
	struct cgroup *cgrp;
	struct inode *inode;
	struct file *file;

	file = fget_raw(fd);
	if (!file)
		return ERR_PTR(-EBADF);
	cgrp = cgroup_get_from_fd(fd);
	inode = file_inode(file);
	if (!IS_ERR(cgrp) && (inode->i_sb->s_magic != CGROUP2_SUPER_MAGIC ||
			      inode->i_ino != cgroup_ino(cgrp))) {
		cgroup_put(cgrp);
		cgrp = ERR_PTR(-EBADF);
	}
	*owner = inode->i_uid;
	fput(file);
	return cgrp;
}

/*
 * Registration, under the rule of tracer_perm.c: whoever could register
 * all of its processes, its delegated owner or CAP_SYS_PTRACE. May sleep.
 */
int tracer_cgroups_add(int fd)
{
	struct tracer_cgroup *cg = NULL;
	struct cgroup *cgrp;
	unsigned int s;
	kuid_t owner;
	int err;

	cgrp = cg_from_fd(fd, &owner);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	err = -EPERM;
	if (!tracer_may_count_cgroup(NULL, owner))
		goto out_put;
	err = -EINVAL;
	if (cgrp->level >= BITS_PER_LONG)
		goto out_put;
	/* The hooks are armed before the row exists: no call is missed. */
	err = tracer_arm_get();
	if (err)
		goto out_put;

	mutex_lock(&cg_mutex);
	err = -EEXIST;
	if (cg_find(cgrp))
		goto out_unlock;
	err = -ENOSPC;
	for (s = 0; s < TRACER_CGROUPS_MAX && !cg; s++)
		if (!slots[s].used)
			cg = &slots[s];
	if (!cg)
		goto out_unlock;
	/* Unpublished for a grace period at least: no probe writes them. */
	memset(&cg->counts, 0, sizeof(cg->counts));
	cg->slot = cg - slots;
	cg->cgrp = cgrp;
	cg->owner = owner;
	cg->used = true;
	hash_add_rcu(cg_hash, &cg->node, (unsigned long)cgrp);
	rcu_assign_pointer(live[cg->slot], cg);
	cg_levels_update();
	if (!cg_nr++)
		queue_delayed_work(system_dfl_wq, &cg_poll, HZ);
	mutex_unlock(&cg_mutex);
	return 0;

out_unlock:
	mutex_unlock(&cg_mutex);
	tracer_arm_put();
out_put:
	cgroup_put(cgrp);
	return err;
}

/* Under cg_mutex: unpublished, then forgotten, before the slot is free. */
static void cg_remove(struct tracer_cgroup *cg)
{
	hash_del_rcu(&cg->node);
	RCU_INIT_POINTER(live[cg->slot], NULL);
	cg_levels_update();
	synchronize_rcu();
	tracer_allocs_forget_cgroup(cg->slot);
	cgroup_put(cg->cgrp);
	cg->cgrp = NULL;
	cg->used = false;
	cg_nr--;
	tracer_arm_put();
}

int tracer_cgroups_remove(int fd)
{
	struct tracer_cgroup *cg;
	struct cgroup *cgrp;
	kuid_t owner;
	int err = -ENOENT;

	cgrp = cg_from_fd(fd, &owner);
	if (IS_ERR(cgrp))
		return PTR_ERR(cgrp);
	mutex_lock(&cg_mutex);
	cg = cg_find(cgrp);
	if (cg && !tracer_may_count_cgroup(NULL, cg->owner))
		err = -EPERM;
	else if (cg)
		err = 0;
	if (!err)
		cg_remove(cg);
	mutex_unlock(&cg_mutex);
	cgroup_put(cgrp);
	return err;
}

static void cg_poll_fn(struct work_struct *work)
{
	unsigned int s;

	mutex_lock(&cg_mutex);
	/*
	 * Removal takes CSS_ONLINE off at once, on every kernel (how
	 * cgroup.c tells a dead cgroup); css_is_dying() reads another flag
	 * since 6.x, set for the controllers' states only.
	 */
	for (s = 0; s < TRACER_CGROUPS_MAX; s++)
		if (slots[s].used &&
		    !(READ_ONCE(slots[s].cgrp->self.flags) & CSS_ONLINE))
			cg_remove(&slots[s]);
	if (cg_nr)
		queue_delayed_work(system_dfl_wq, &cg_poll, HZ);
	mutex_unlock(&cg_mutex);
}

/*
 * /proc/tracer_cgroups: the rows the opener could register, by path in
 * the reader's cgroup namespace (rows outside it are not shown), escaped
 * as /proc/mounts escapes its paths.
 */
int tracer_cgroups_rows_show(struct seq_file *m, void *v)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	struct tracer_cgroup *cg;
	u64 c[TRACER_NR_COUNTERS];
	unsigned int s;
	char *path;
	int len;

	/* Not kmalloc: a registered reader is not charged for its read. */
	path = (char *)__get_free_page(GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	seq_puts(m, TRACER_CGROUPS_HEADER);
	mutex_lock(&cg_mutex);
	for (s = 0; s < TRACER_CGROUPS_MAX; s++) {
		cg = &slots[s];
		if (!cg->used ||
		    !tracer_may_count_cgroup(m->file->f_cred, cg->owner))
			continue;
		len = cgroup_path_ns(cg->cgrp, path, PAGE_SIZE, ns);
		if (len < 0 || len >= PAGE_SIZE || !strncmp(path, "/..", 3))
			continue;
		seq_escape(m, path, " \t\n\\");
		tracer_counts_read(&cg->counts, c);
		seq_printf(m, " %llu %llu %llu %llu %llu %llu %llu %llu %llu %lld %lld\n",
			   c[TRACER_KMALLOC], c[TRACER_KFREE],
			   c[TRACER_KMALLOC_MEM], c[TRACER_KFREE_MEM],
			   c[TRACER_SCHED], c[TRACER_UP], c[TRACER_DOWN],
			   c[TRACER_LOCK], c[TRACER_UNLOCK],
			   (s64)atomic64_read(&cg->counts.held),
			   (s64)atomic64_read(&cg->counts.held_mem));
	}
	mutex_unlock(&cg_mutex);
	free_page((unsigned long)path);
	return 0;
}

void tracer_cgroups_show(struct seq_file *m)
{
	seq_printf(m, "cgroups: %u\ncgroups_max: %u\n", READ_ONCE(cg_nr),
		   TRACER_CGROUPS_MAX);
}

/*
 * Unload, the device and proc files gone, the hooks still armed: the rows
 * go as a removal takes them, so that disarming finds no slot in use.
 */
void tracer_cgroups_exit(void)
{
	unsigned int s;

	cancel_delayed_work_sync(&cg_poll);
	mutex_lock(&cg_mutex);
	for (s = 0; s < TRACER_CGROUPS_MAX; s++)
		if (slots[s].used)
			cg_remove(&slots[s]);
	mutex_unlock(&cg_mutex);
}
