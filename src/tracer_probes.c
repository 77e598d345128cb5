// SPDX-License-Identifier: GPL-2.0
/*
 * Where tracer hooks into the kernel, and when.
 *
 * kmalloc and kfree are counted from the kernel's own kmem tracepoints,
 * which cover every kmalloc variant; kmalloc(0), which returns before its
 * tracepoint, from entry kprobes on the out-of-line kmalloc functions.
 * schedule, up, down_interruptible, mutex_lock and mutex_unlock need no
 * return value, so entry kprobes count them: no kretprobe instance can run
 * out. Process creation (for rows that follow their children), exit and
 * exec come from the sched tracepoints.
 *
 * Nothing is armed while nothing is registered: the first registration
 * arms every hook, and a second after the last one went away a work item
 * disarms them (rows also go away in the exit hook, which cannot sleep).
 * The delay keeps a tool that registers and removes in a loop from making
 * the kernel rewrite its code each time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>
#include <trace/events/kmem.h>
#include <trace/events/sched.h>

#include "compat.h"
#include "tracer.h"

/*
 * Every handler here runs with preemption disabled, which is an RCU
 * read-side critical section since the RCU flavours were consolidated in
 * 4.20: call_rcu() waits for it, so the row found stays valid without
 * rcu_read_lock(), which on PREEMPT_RCU kernels (Debian's) costs two calls
 * per hit. kprobe handlers are called so. Tracepoint probes were until
 * 7.x, which calls them under SRCU, preemptible: they disable preemption
 * themselves (a per-CPU count, nested where it is off already).
 */
static void count_call(enum tracer_counter calls, enum tracer_counter bytes,
		       size_t size)
{
	struct tracer_row *row = tracer_row_current();

	if (row) {
		atomic64_inc(&row->count[calls]);
		if (size)
			atomic64_add(size, &row->count[bytes]);
	}
}

static void count_kmalloc(const void *ptr, size_t bytes_req)
{
	struct tracer_row *row = tracer_row_current();

	if (!row) {
		/* The block is someone else's now, whatever we remembered. */
		tracer_allocs_take(ptr);
		return;
	}
	/*
	 * 6.12 and 7.2 (not 6.1) trace a large kmalloc() of a size not
	 * known at compile time twice, in __kmalloc_large_node_noprof() and
	 * again in its caller: the same block of the same size counts once.
	 */
	if (!tracer_allocs_store(ptr, bytes_req) &&
	    bytes_req > KMALLOC_MAX_CACHE_SIZE)
		return;
	atomic64_inc(&row->count[TRACER_KMALLOC]);
	atomic64_add(bytes_req, &row->count[TRACER_KMALLOC_MEM]);
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

static void probe_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	preempt_disable_notrace();
	tracer_rows_task_fork(parent, child);
	preempt_enable_notrace();
}

/* The two below look rows up only under rows_lock. */
static void probe_exit(void *data, TRACER_EXIT_TP_ARGS)
{
	tracer_rows_task_exit(task);
}

static void probe_exec(void *data, struct task_struct *task, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	tracer_rows_task_exec(task, old_pid);
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

/* The sched tracepoints are not exported: found by name at load time. */
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
	{ .name = "sched_process_fork", .probe = probe_fork },
	{ .name = "sched_process_exit", .probe = probe_exit },
	{ .name = "sched_process_exec", .probe = probe_exec },
};

struct tp_search {
	const char *name;
	struct tracepoint *tp;
};

static void tp_lookup(struct tracepoint *tp, void *priv)
{
	struct tp_search *s = priv;

	if (!strcmp(tp->name, s->name))
		s->tp = tp;
}

/* A kernel tracepoint by name, exported or not; NULL if there is none. */
struct tracepoint *tracer_tracepoint(const char *name)
{
	struct tp_search s = { .name = name };

	for_each_kernel_tracepoint(tp_lookup, &s);
	if (!s.tp)
		pr_err("tracepoint %s not found\n", name);
	return s.tp;
}

static int tracer_arm(void)
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

static void tracer_disarm(void)
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

enum arm_state { DISARMED, CHANGING, ARMED };

static DEFINE_SPINLOCK(arm_lock);
static unsigned long arm_users;
static enum arm_state arm_state = DISARMED;
static int arm_error;
static bool arm_dying;

/* Brings the hooks in line with arm_users; reruns if they changed meanwhile. */
static void arm_work_fn(struct work_struct *work)
{
	bool want, armed;
	int err;

	for (;;) {
		spin_lock(&arm_lock);
		want = arm_users > 0;
		armed = arm_state == ARMED;
		if (arm_dying || want == armed) {
			spin_unlock(&arm_lock);
			return;
		}
		arm_state = CHANGING;
		spin_unlock(&arm_lock);

		err = 0;
		if (want)
			err = tracer_arm();
		else
			tracer_disarm();

		spin_lock(&arm_lock);
		arm_state = want && !err ? ARMED : DISARMED;
		arm_error = err;
		spin_unlock(&arm_lock);
		if (err)
			return;
	}
}

static DECLARE_DELAYED_WORK(arm_work, arm_work_fn);

/* A registration is about to be made: have every hook armed. May sleep. */
int tracer_probes_get(void)
{
	bool armed;
	int err = 0;

	spin_lock(&arm_lock);
	arm_users++;
	armed = arm_state == ARMED;
	spin_unlock(&arm_lock);
	if (armed)
		return 0;

	mod_delayed_work(system_dfl_wq, &arm_work, 0);
	flush_delayed_work(&arm_work);
	spin_lock(&arm_lock);
	if (arm_state != ARMED)
		err = arm_error ?: -ENODEV;
	spin_unlock(&arm_lock);
	if (err)
		tracer_probes_put();
	return err;
}

/* A row is added while another keeps the hooks armed. Any context. */
void tracer_probes_hold(void)
{
	spin_lock(&arm_lock);
	arm_users++;
	spin_unlock(&arm_lock);
}

/* A registration went away. Any context. */
void tracer_probes_put(void)
{
	bool idle;

	spin_lock(&arm_lock);
	idle = !--arm_users;
	spin_unlock(&arm_lock);
	if (idle)
		queue_delayed_work(system_dfl_wq, &arm_work, HZ);
}

void tracer_probes_show(struct seq_file *m)
{
	unsigned int i;

	seq_printf(m, "armed: %s\n",
		   READ_ONCE(arm_state) == ARMED ? "yes" : "no");
	for (i = 0; i < ARRAY_SIZE(tracepoints); i++)
		seq_printf(m, "probe: tracepoint %s\n", tracepoints[i].name);
	/* Hits dropped because another kprobe ran on the CPU (irq context). */
	for (i = 0; i < ARRAY_SIZE(kprobes); i++)
		seq_printf(m, "probe: kprobe %s missed %lu\n",
			   kprobes[i].kp.symbol_name, kprobes[i].kp.nmissed);
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
	check_trace_callback_type_sched_process_fork(probe_fork);
	check_trace_callback_type_sched_process_exit(probe_exit);
	check_trace_callback_type_sched_process_exec(probe_exec);

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

	spin_lock(&arm_lock);
	arm_dying = true;
	spin_unlock(&arm_lock);
	cancel_delayed_work_sync(&arm_work);
	if (arm_state == ARMED)
		tracer_disarm();
	/* An exit hook may have queued it again before it was disarmed. */
	cancel_delayed_work_sync(&arm_work);

	for (i = 0; i < ARRAY_SIZE(kprobes); i++)
		unregister_kprobe(&kprobes[i].kp);
}
