// SPDX-License-Identifier: GPL-2.0
/*
 * The counting hooks.
 *
 * kmalloc and kfree are counted from the kernel's own kmem tracepoints,
 * which cover every kmalloc variant; kmalloc(0), which returns before its
 * tracepoint, from entry hooks on the out-of-line kmalloc functions.
 * schedule, up, down_interruptible, mutex_lock and mutex_unlock need no
 * return value, so entry hooks count them: no kretprobe instance can run
 * out. A call counts in the row of its task's process (or thread) and in
 * those of the registered cgroups that hold the task (tracer_cgroups.c).
 * They are placed only while something is registered (tracer_arm.c);
 * the rows' forks, execs and exits come from tracer_lifecycle.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

#include "compat.h"
#include "tracer_allocs.h"
#include "tracer_arm.h"
#include "tracer_cgroups.h"
#include "tracer_probes.h"
#include "tracer_rows.h"

/*
 * Every handler here runs with preemption disabled, which is an RCU
 * read-side critical section since the RCU flavours were consolidated in
 * 4.20: call_rcu() waits for it, so the row found stays valid without
 * rcu_read_lock(), which on PREEMPT_RCU kernels (Debian's) costs two calls
 * per hit. kprobe handlers are called so. Tracepoint probes were until
 * 7.x, which calls them under SRCU, preemptible: they disable preemption
 * themselves (a per-CPU count, nested where it is off already).
 */
/* One call of current's, in its row (if any) and its cgroups' (if any). */
static __always_inline void count_in(struct tracer_row *row,
				     unsigned long cgroups,
				     enum tracer_counter calls,
				     enum tracer_counter bytes, size_t size)
{
	if (row)
		tracer_counts_add(&row->counts, calls, bytes, size);
	if (unlikely(cgroups))
		tracer_cgroups_count(cgroups, calls, bytes, size);
}

static __always_inline void count_call(enum tracer_counter calls,
				       enum tracer_counter bytes, size_t size)
{
	count_in(tracer_row_current(), tracer_cgroups_current(), calls, bytes,
		 size);
}

static __always_inline void count_kmalloc(const void *ptr, size_t bytes_req)
{
	struct tracer_row *row = tracer_row_current();
	unsigned long cgroups = tracer_cgroups_current();

	if (!row && !cgroups) {
		/* The block is someone else's now, whatever we remembered. */
		tracer_allocs_take(ptr);
		return;
	}
	/*
	 * 6.12 and 7.2 (not 6.1) trace a large kmalloc() of a size not
	 * known at compile time twice, in __kmalloc_large_node_noprof() and
	 * again in its caller: the same block of the same size counts once.
	 */
	if (!tracer_allocs_store(ptr, bytes_req, row, cgroups) &&
	    bytes_req > KMALLOC_MAX_CACHE_SIZE)
		return;
	count_in(row, cgroups, TRACER_KMALLOC, TRACER_KMALLOC_MEM, bytes_req);
}

static void probe_kmalloc(void *data, TRACER_KMALLOC_TP_ARGS)
{
	preempt_disable_notrace();
	count_kmalloc(ptr, bytes_req);
	preempt_enable_notrace();
}

#ifdef TRACER_HAVE_KMALLOC_NODE_TP
static void probe_kmalloc_node(void *data, TRACER_KMALLOC_TP_ARGS, int node)
{
	preempt_disable_notrace();
	count_kmalloc(ptr, bytes_req);
	preempt_enable_notrace();
}
#endif

/* Frees from any context drop the record; only a task's free counts. */
static void probe_kfree(void *data, unsigned long call_site, const void *ptr)
{
	preempt_disable_notrace();
	count_call(TRACER_KFREE, TRACER_KFREE_MEM, tracer_allocs_take(ptr));
	preempt_enable_notrace();
}

/*
 * The counted functions are hooked at their entry through ftrace: a call
 * from the function's patched first instruction (through a trampoline of
 * the ops' own) straight into the handler. A kprobe, where ftrace cannot
 * take one (kprobes_only, a kernel without dynamic ftrace, a function
 * ftrace does not know), goes through the same ftrace call and the
 * kprobe core's look-up of the probe around the handler, and drops hits
 * that nest in another kprobe's. Two ops: the kmalloc functions' needs
 * their argument registers, which on some kernels means saving every
 * register (compat.h).
 */
static bool kprobes_only;
module_param(kprobes_only, bool, 0444);
MODULE_PARM_DESC(kprobes_only,
		 "hook the counted functions with kprobes, not ftrace");

struct tracer_hook {
	struct kprobe kp;
	unsigned long addr;
	/* Read through container_of(), which cppcheck cannot follow. */
	/* cppcheck-suppress unusedStructMember */
	enum tracer_counter counter;
	bool on_ftrace;
};

static int kp_count(struct kprobe *kp, struct pt_regs *regs)
{
	enum tracer_counter c = container_of(kp, struct tracer_hook, kp)->counter;

	count_call(c, c, 0);
	return 0;
}

static int kp_kmalloc_zero(struct kprobe *kp, struct pt_regs *regs)
{
	if (!regs_get_kernel_argument(regs, 0))
		count_call(TRACER_KMALLOC, TRACER_KMALLOC_MEM, 0);
	return 0;
}

#define TRACER_HOOK(fn, handler, c) \
	{ .kp = { .pre_handler = (handler) }, .addr = (unsigned long)&(fn), .counter = (c) }

static struct tracer_hook count_hooks[] = {
	TRACER_HOOK(schedule, kp_count, TRACER_SCHED),
	TRACER_HOOK(up, kp_count, TRACER_UP),
	TRACER_HOOK(down_interruptible, kp_count, TRACER_DOWN),
	TRACER_HOOK(TRACER_FN_MUTEX_LOCK, kp_count, TRACER_LOCK),
	TRACER_HOOK(mutex_unlock, kp_count, TRACER_UNLOCK),
};

static struct tracer_hook kmalloc_hooks[] = {
	TRACER_HOOK(TRACER_FN_KMALLOC, kp_kmalloc_zero, TRACER_KMALLOC),
	TRACER_HOOK(TRACER_FN_KMALLOC_NODE, kp_kmalloc_zero, TRACER_KMALLOC),
	TRACER_HOOK(TRACER_FN_KMALLOC_CALLER, kp_kmalloc_zero, TRACER_KMALLOC),
#ifdef TRACER_FN_KMALLOC_CALLER_OLD
	TRACER_HOOK(TRACER_FN_KMALLOC_CALLER_OLD, kp_kmalloc_zero, TRACER_KMALLOC),
#endif
};

/*
 * ftrace hands the handler the address of the call it patched in: the
 * function's first instruction, or the one after its landing pad (ENDBR,
 * with IBT). Each counted function is longer than this.
 */
#define TRACER_FENTRY_SPAN 16

/*
 * No recursion guard: these handlers call none of the functions they
 * hook, and one that nests in another (an interrupt's up()) is no task's
 * call and counts nothing. No FTRACE_OPS_FL_RCU either: the hooked
 * functions sleep or take locks, never where RCU does not watch, and
 * either flag would put the ops behind ftrace's slower assist function.
 * ftrace may call them preemptible.
 */
static void notrace ft_count(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op,
			     struct tracer_ftrace_regs *fregs)
{
	const struct tracer_hook *h;

	for (h = count_hooks; h < count_hooks + ARRAY_SIZE(count_hooks); h++) {
		if (ip - h->addr < TRACER_FENTRY_SPAN) {
			preempt_disable_notrace();
			count_call(h->counter, h->counter, 0);
			preempt_enable_notrace();
			return;
		}
	}
}

static void notrace ft_kmalloc_zero(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *op,
				    struct tracer_ftrace_regs *fregs)
{
	if (tracer_ftrace_arg0(fregs))
		return;
	preempt_disable_notrace();
	count_call(TRACER_KMALLOC, TRACER_KMALLOC_MEM, 0);
	preempt_enable_notrace();
}

struct tracer_hooks {
	struct tracer_hook *hook;
	unsigned int n;
	struct ftrace_ops ops;
	bool on_ftrace;		/* some of them: an empty filter hooks all */
};

static struct tracer_hooks hook_sets[] = {
	{ count_hooks, ARRAY_SIZE(count_hooks),
	  { .func = ft_count, .flags = TRACER_FTRACE_FLAGS } },
	{ kmalloc_hooks, ARRAY_SIZE(kmalloc_hooks),
	  { .func = ft_kmalloc_zero,
	    .flags = TRACER_FTRACE_FLAGS | TRACER_FTRACE_ARG_FLAGS } },
};

/* Found by name at load time, as tracer_lifecycle.c finds its own. */
struct tracer_tp {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct tracer_tp tracepoints[] = {
	{ .name = "kmalloc", .probe = probe_kmalloc },
#ifdef TRACER_HAVE_KMALLOC_NODE_TP
	{ .name = "kmalloc_node", .probe = probe_kmalloc_node },
#endif
	{ .name = "kfree", .probe = probe_kfree },
};

/* Places a set's hooks: its ftrace ops, and kprobes where it has them. */
static int hooks_arm(struct tracer_hooks *set)
{
	unsigned int i;
	int err;

	if (set->on_ftrace) {
		err = register_ftrace_function(&set->ops);
		if (err)
			return err;
	}
	for (i = 0; i < set->n; i++) {
		if (set->hook[i].on_ftrace)
			continue;
		err = enable_kprobe(&set->hook[i].kp);
		if (err)
			goto undo;
	}
	return 0;

undo:
	while (i--)
		if (!set->hook[i].on_ftrace)
			disable_kprobe(&set->hook[i].kp);
	if (set->on_ftrace)
		unregister_ftrace_function(&set->ops);
	return err;
}

/* Returns when no handler of the ops runs any more (RCU tasks). */
static void hooks_disarm(struct tracer_hooks *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++)
		if (!set->hook[i].on_ftrace)
			disable_kprobe(&set->hook[i].kp);
	if (set->on_ftrace)
		unregister_ftrace_function(&set->ops);
}

static int probes_arm(void)
{
	unsigned int t, h;
	int err;

	for (t = 0; t < ARRAY_SIZE(tracepoints); t++) {
		err = tracepoint_probe_register(tracepoints[t].tp,
						tracepoints[t].probe, NULL);
		if (err)
			goto undo_tp;
	}
	for (h = 0; h < ARRAY_SIZE(hook_sets); h++) {
		err = hooks_arm(&hook_sets[h]);
		if (err)
			goto undo_hooks;
	}
	return 0;

undo_hooks:
	while (h--)
		hooks_disarm(&hook_sets[h]);
undo_tp:
	while (t--)
		tracepoint_probe_unregister(tracepoints[t].tp,
					    tracepoints[t].probe, NULL);
	tracepoint_synchronize_unregister();
	return err;
}

static void probes_disarm(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hook_sets); i++)
		hooks_disarm(&hook_sets[i]);
	for (i = 0; i < ARRAY_SIZE(tracepoints); i++)
		tracepoint_probe_unregister(tracepoints[i].tp,
					    tracepoints[i].probe, NULL);
	/* Waits for kprobe handlers too: they run with preemption off. */
	tracepoint_synchronize_unregister();
	tracer_allocs_clear();
}

static const struct tracer_arm_ops probes_ops = {
	.arm = probes_arm,
	.disarm = probes_disarm,
};

void tracer_probes_show(struct seq_file *m)
{
	const struct tracer_hook *h;
	unsigned int i;

	tracer_arm_show(m);
	for (i = 0; i < ARRAY_SIZE(tracepoints); i++)
		seq_printf(m, "probe: tracepoint %s\n", tracepoints[i].name);
	for (i = 0; i < ARRAY_SIZE(hook_sets); i++) {
		for (h = hook_sets[i].hook; h < hook_sets[i].hook + hook_sets[i].n; h++) {
			if (h->on_ftrace) {
				seq_printf(m, "probe: ftrace %ps\n", (void *)h->addr);
				continue;
			}
			/*
			 * Hits dropped because another kprobe ran on the CPU
			 * (irq context). The kprobe core bumps nmissed with
			 * no lock as we read it: one whole word, as
			 * fork_missed() reads its own.
			 */
			seq_printf(m, "probe: kprobe %ps missed %lu\n",
				   (void *)h->addr, READ_ONCE(h->kp.nmissed));
		}
	}
}

/*
 * Unhooks @set's hooks before @end: kprobes unregistered, ftrace's entries
 * taken out of the filter one by one; the last one out frees it (5.10
 * does not export ftrace_free_filter()).
 */
static void hooks_exit(struct tracer_hooks *set, const struct tracer_hook *end)
{
	struct tracer_hook *h;

	for (h = set->hook; h < end; h++) {
		if (h->on_ftrace)
			ftrace_set_filter_ip(&set->ops, h->addr, 1, 0);
		else
			unregister_kprobe(&h->kp);
	}
}

/*
 * Each hook in its ops' filter, or a kprobe of its own, disabled: where
 * ftrace cannot take the function, not where memory ran out.
 */
static int hooks_init(struct tracer_hooks *set)
{
	struct tracer_hook *h;
	int err;

	for (h = set->hook; h < set->hook + set->n; h++) {
		err = kprobes_only || !tracer_ftrace_can(set->ops.flags) ? -ENODEV :
		      ftrace_set_filter_ip(&set->ops, h->addr, 0, 0);
		h->on_ftrace = !err;
		if (h->on_ftrace) {
			set->on_ftrace = true;
			continue;
		}
		if (err != -ENOMEM) {
			h->kp.addr = (kprobe_opcode_t *)h->addr;
			h->kp.flags = KPROBE_FLAG_DISABLED;
			err = register_kprobe(&h->kp);
		}
		if (err) {
			pr_err("cannot hook %ps: %d\n", (void *)h->addr, err);
			hooks_exit(set, h);
			return err;
		}
	}
	return 0;
}

int tracer_probes_init(void)
{
	unsigned int i;
	int err;

	/* Each hook against the kernel's own prototype of its event. */
	check_trace_callback_type_kmalloc(probe_kmalloc);
#ifdef TRACER_HAVE_KMALLOC_NODE_TP
	check_trace_callback_type_kmalloc_node(probe_kmalloc_node);
#endif
	check_trace_callback_type_kfree(probe_kfree);

	for (i = 0; i < ARRAY_SIZE(tracepoints); i++) {
		tracepoints[i].tp = tracer_tracepoint(tracepoints[i].name);
		if (!tracepoints[i].tp)
			return -ENOENT;
	}

	for (i = 0; i < ARRAY_SIZE(hook_sets); i++) {
		err = hooks_init(&hook_sets[i]);
		if (err)
			goto undo;
	}
	tracer_arm_init(&probes_ops);
	return 0;

undo:
	while (i--)
		hooks_exit(&hook_sets[i], hook_sets[i].hook + hook_sets[i].n);
	return err;
}

/* Unload: the device and proc files are gone, no registration comes. */
void tracer_probes_exit(void)
{
	unsigned int i;

	tracer_arm_exit();
	for (i = 0; i < ARRAY_SIZE(hook_sets); i++)
		hooks_exit(&hook_sets[i], hook_sets[i].hook + hook_sets[i].n);
}
