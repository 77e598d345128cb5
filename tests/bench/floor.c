// SPDX-License-Identifier: GPL-2.0
/*
 * Bench-only: the floor. The hooks tracer arms (the kmem and sched
 * tracepoints, ftrace entry hooks on the same functions as its own two
 * ops), with empty handlers, armed from load to unload: what any tracer
 * of these events must pay. kprobes=1: entry kprobes instead of the ftrace
 * ops, the floor of tracer's fallback (and of its hooks before).
 */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/tracepoint.h>

#include "../../src/compat.h"

static void tp_kmalloc(void *data, TRACER_KMALLOC_TP_ARGS)
{
}

#ifdef TRACER_HAVE_KMALLOC_NODE_TP
static void tp_kmalloc_node(void *data, TRACER_KMALLOC_TP_ARGS, int node)
{
}
#endif

static void tp_kfree(void *data, unsigned long call_site, const void *ptr)
{
}

static void tp_task(void *data, struct task_struct *task)
{
}

static void tp_exec(void *data, struct task_struct *task, pid_t old_pid,
		    struct linux_binprm *bprm)
{
}

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} tps[] = {
	{ "kmalloc", tp_kmalloc },
#ifdef TRACER_HAVE_KMALLOC_NODE_TP
	{ "kmalloc_node", tp_kmalloc_node },
#endif
	{ "kfree", tp_kfree },
	{ "sched_process_exit", tp_task },
	{ "sched_process_exec", tp_exec },
};

static bool kprobes;
module_param(kprobes, bool, 0444);

static int kp_empty(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

static void notrace ft_empty(unsigned long ip, unsigned long parent_ip,
			     struct ftrace_ops *op,
			     struct tracer_ftrace_regs *fregs)
{
}

/* The second ops reads the argument registers, as tracer's kmalloc one. */
static struct ftrace_ops ops[] = {
	{ .func = ft_empty, .flags = TRACER_FTRACE_FLAGS },
	{ .func = ft_empty, .flags = TRACER_FTRACE_FLAGS | TRACER_FTRACE_ARG_FLAGS },
};

#define FLOOR_HOOK(fn, o) \
	{ .kp = { .symbol_name = TRACER_SYM(fn) }, .addr = (unsigned long)&(fn), .ops = (o) }

static struct {
	struct kprobe kp;
	unsigned long addr;
	unsigned int ops;
} hooks[] = {
	FLOOR_HOOK(schedule, 0),
	FLOOR_HOOK(up, 0),
	FLOOR_HOOK(down_interruptible, 0),
	FLOOR_HOOK(TRACER_FN_MUTEX_LOCK, 0),
	FLOOR_HOOK(mutex_unlock, 0),
	FLOOR_HOOK(TRACER_FN_KMALLOC, 1),
	FLOOR_HOOK(TRACER_FN_KMALLOC_NODE, 1),
	FLOOR_HOOK(TRACER_FN_KMALLOC_CALLER, 1),
#ifdef TRACER_FN_KMALLOC_CALLER_OLD
	FLOOR_HOOK(TRACER_FN_KMALLOC_CALLER_OLD, 1),
#endif
};

/* The hooks, all of them (k of them when they are kprobes). */
static int hooks_place(unsigned int *k)
{
	unsigned int i;
	int err;

	for (*k = 0; *k < ARRAY_SIZE(hooks); (*k)++) {
		if (kprobes) {
			hooks[*k].kp.pre_handler = kp_empty;
			err = register_kprobe(&hooks[*k].kp);
		} else {
			err = ftrace_set_filter_ip(&ops[hooks[*k].ops],
						   hooks[*k].addr, 0, 0);
		}
		if (err)
			return err;
	}
	if (kprobes)
		return 0;
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		err = register_ftrace_function(&ops[i]);
		if (err) {
			while (i--)
				unregister_ftrace_function(&ops[i]);
			return err;
		}
	}
	return 0;
}

/* Takes out the first k, and the ops if they were placed. */
static void hooks_remove(unsigned int k, bool placed)
{
	unsigned int i;

	for (i = 0; placed && !kprobes && i < ARRAY_SIZE(ops); i++)
		unregister_ftrace_function(&ops[i]);
	while (k--) {
		if (kprobes)
			unregister_kprobe(&hooks[k].kp);
		else
			ftrace_set_filter_ip(&ops[hooks[k].ops], hooks[k].addr, 1, 0);
	}
}

static void tp_lookup(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tps); i++)
		if (!strcmp(tp->name, tps[i].name))
			tps[i].tp = tp;
}

static void tps_remove(unsigned int t)
{
	while (t--)
		tracepoint_probe_unregister(tps[t].tp, tps[t].probe, NULL);
	tracepoint_synchronize_unregister();
}

static int __init floor_init(void)
{
	unsigned int t, k;
	int err = 0;

	for_each_kernel_tracepoint(tp_lookup, NULL);
	for (t = 0; t < ARRAY_SIZE(tps); t++) {
		err = tps[t].tp ? tracepoint_probe_register(tps[t].tp,
							    tps[t].probe, NULL)
				: -ENOENT;
		if (err)
			goto undo;
	}
	err = hooks_place(&k);
	if (err) {
		hooks_remove(k, false);
		goto undo;
	}
	return 0;
undo:
	tps_remove(t);
	return err;
}

static void __exit floor_exit(void)
{
	hooks_remove(ARRAY_SIZE(hooks), true);
	tps_remove(ARRAY_SIZE(tps));
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_DESCRIPTION("tracer bench: the same hooks with empty handlers");
MODULE_LICENSE("GPL");
