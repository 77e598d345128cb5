// SPDX-License-Identifier: GPL-2.0
/*
 * The counting hooks.
 *
 * kmalloc and kfree are counted from the kernel's own kmem tracepoints,
 * which cover every kmalloc variant; kmalloc(0), which returns before its
 * tracepoint, from entry kprobes on the out-of-line kmalloc functions.
 * schedule, up, down_interruptible, mutex_lock and mutex_unlock need no
 * return value, so entry kprobes count them: no kretprobe instance can run
 * out. A call counts in the row of its task's process (or thread) and in
 * those of the registered cgroups that hold the task (tracer_cgroups.c).
 * They are placed only while something is registered (tracer_arm.c);
 * the rows' forks, execs and exits come from tracer_lifecycle.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
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

struct tracer_kprobe {
	struct kprobe kp;
	/* Read through container_of(), which cppcheck cannot follow. */
	/* cppcheck-suppress unusedStructMember */
	enum tracer_counter counter;
};

static int kp_count(struct kprobe *kp, struct pt_regs *regs)
{
	enum tracer_counter c = container_of(kp, struct tracer_kprobe, kp)->counter;

	count_call(c, c, 0);
	return 0;
}

static int kp_kmalloc_zero(struct kprobe *kp, struct pt_regs *regs)
{
	if (!regs_get_kernel_argument(regs, 0))
		count_call(TRACER_KMALLOC, TRACER_KMALLOC_MEM, 0);
	return 0;
}

#define TRACER_KPROBE(sym, handler, c) \
	{ .kp = { .symbol_name = (sym), .pre_handler = (handler) }, .counter = (c) }

static struct tracer_kprobe kprobes[] = {
	TRACER_KPROBE("schedule", kp_count, TRACER_SCHED),
	TRACER_KPROBE("up", kp_count, TRACER_UP),
	TRACER_KPROBE("down_interruptible", kp_count, TRACER_DOWN),
	TRACER_KPROBE(TRACER_SYM_MUTEX_LOCK, kp_count, TRACER_LOCK),
	TRACER_KPROBE("mutex_unlock", kp_count, TRACER_UNLOCK),
	TRACER_KPROBE(TRACER_SYM_KMALLOC, kp_kmalloc_zero, TRACER_KMALLOC),
	TRACER_KPROBE(TRACER_SYM_KMALLOC_NODE, kp_kmalloc_zero, TRACER_KMALLOC),
	TRACER_KPROBE(TRACER_SYM_KMALLOC_CALLER, kp_kmalloc_zero, TRACER_KMALLOC),
#ifdef TRACER_SYM_KMALLOC_CALLER_OLD
	TRACER_KPROBE(TRACER_SYM_KMALLOC_CALLER_OLD, kp_kmalloc_zero, TRACER_KMALLOC),
#endif
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

static int probes_arm(void)
{
	unsigned int t, k;
	int err;

	for (t = 0; t < ARRAY_SIZE(tracepoints); t++) {
		err = tracepoint_probe_register(tracepoints[t].tp,
						tracepoints[t].probe, NULL);
		if (err)
			goto undo_tp;
	}
	for (k = 0; k < ARRAY_SIZE(kprobes); k++) {
		err = enable_kprobe(&kprobes[k].kp);
		if (err)
			goto undo_kp;
	}
	return 0;

undo_kp:
	while (k--)
		disable_kprobe(&kprobes[k].kp);
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

	for (i = 0; i < ARRAY_SIZE(kprobes); i++)
		disable_kprobe(&kprobes[i].kp);
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
	unsigned int i;

	tracer_arm_show(m);
	for (i = 0; i < ARRAY_SIZE(tracepoints); i++)
		seq_printf(m, "probe: tracepoint %s\n", tracepoints[i].name);
	/*
	 * Hits dropped because another kprobe ran on the CPU (irq context).
	 * The kprobe core bumps nmissed with no lock as we read it: one
	 * whole word, as fork_missed() reads its own.
	 */
	for (i = 0; i < ARRAY_SIZE(kprobes); i++)
		seq_printf(m, "probe: kprobe %s missed %lu\n",
			   kprobes[i].kp.symbol_name,
			   READ_ONCE(kprobes[i].kp.nmissed));
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

	for (i = 0; i < ARRAY_SIZE(kprobes); i++) {
		kprobes[i].kp.flags = KPROBE_FLAG_DISABLED;
		err = register_kprobe(&kprobes[i].kp);
		if (err) {
			pr_err("cannot probe %s: %d\n",
			       kprobes[i].kp.symbol_name, err);
			goto undo;
		}
	}
	tracer_arm_init(&probes_ops);
	return 0;

undo:
	while (i--)
		unregister_kprobe(&kprobes[i].kp);
	return err;
}

/* Unload: the device and proc files are gone, no registration comes. */
void tracer_probes_exit(void)
{
	unsigned int i;

	tracer_arm_exit();
	for (i = 0; i < ARRAY_SIZE(kprobes); i++)
		unregister_kprobe(&kprobes[i].kp);
}
