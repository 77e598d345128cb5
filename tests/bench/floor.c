// SPDX-License-Identifier: GPL-2.0
/*
 * Bench-only: the floor. The hooks tracer arms (the kmem and sched
 * tracepoints, entry kprobes on the same functions), with empty handlers,
 * armed from load to unload. What any tracer of these events must pay.
 */
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

static int kp_empty(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe kps[] = {
	{ .symbol_name = "schedule" },
	{ .symbol_name = "up" },
	{ .symbol_name = "down_interruptible" },
	{ .symbol_name = TRACER_SYM_MUTEX_LOCK },
	{ .symbol_name = "mutex_unlock" },
	{ .symbol_name = TRACER_SYM_KMALLOC },
	{ .symbol_name = TRACER_SYM_KMALLOC_NODE },
	{ .symbol_name = TRACER_SYM_KMALLOC_CALLER },
};

static void tp_lookup(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tps); i++)
		if (!strcmp(tp->name, tps[i].name))
			tps[i].tp = tp;
}

static void floor_undo(unsigned int t, unsigned int k)
{
	while (k--)
		unregister_kprobe(&kps[k]);
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
	for (k = 0; k < ARRAY_SIZE(kps); k++) {
		kps[k].pre_handler = kp_empty;
		err = register_kprobe(&kps[k]);
		if (err)
			goto undo;
	}
	return 0;
undo:
	floor_undo(t, k);
	return err;
}

static void __exit floor_exit(void)
{
	floor_undo(ARRAY_SIZE(tps), ARRAY_SIZE(kps));
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_DESCRIPTION("tracer bench: the same hooks with empty handlers");
MODULE_LICENSE("GPL");
