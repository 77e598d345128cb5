// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle of processes: this file alone hooks the sched_process_fork,
 * _exec and _exit tracepoints, from load to unload, decides once per event
 * what happened, and tells its users in this order:
 *
 *   fork: tracer_rows_task_fork(), then tracer_monitor_task_fork()
 *   exec: tracer_monitor_task_exec(), then tracer_rows_task_exec()
 *   exit: tracer_monitor_task_exit(), then tracer_rows_task_exit()
 *
 * At exec and exit the monitor comes first: its records carry the final
 * counts of the rows these events drop. Users are called under
 * rcu_read_lock(), with no other lock held, and must not sleep.
 *
 * Which exit ends a process: signal->live reaches 0 at the last thread's
 * decrement, before its tracepoint, but a thread that decremented earlier
 * may reach the tracepoint later, and with exit_group() on several CPUs
 * threads pass in any order. Every exit that reads live at 0 after its own
 * decrement is told "the process has ended"; the last decrementer always
 * reads 0. Each user acts on the first of those that finds its row or
 * watch, under its own lock, and ignores the others: rows and monitor
 * agree on one moment, which the monitor reaches first.
 *
 * Idle, a hook costs a call, an RCU read section and a counter read per
 * user: the hooks stay in place, so nothing is patched as rows and
 * monitors come and go.
 */

#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include "compat.h"
#include "tracer_arm.h"
#include "tracer_lifecycle.h"
#include "tracer_monitor.h"
#include "tracer_rows.h"

/* In the parent, after copy_process(), before the child first runs. */
static void lc_fork(void *data, struct task_struct *parent,
		    struct task_struct *child)
{
	bool thread = child->tgid == parent->tgid;

	rcu_read_lock();
	tracer_rows_task_fork(parent, child, thread);
	tracer_monitor_task_fork(parent, child, thread);
	rcu_read_unlock();
}

/* After de_thread(): the caller is its process's only thread and leader. */
static void lc_exec(void *data, struct task_struct *task, pid_t old_pid,
		    struct linux_binprm *bprm)
{
	rcu_read_lock();
	tracer_monitor_task_exec(task, old_pid);
	tracer_rows_task_exec(task, old_pid);
	rcu_read_unlock();
}

/*
 * In do_exit(), after PF_EXITING, the exit code and the decrement of
 * signal->live, whose atomic_dec_and_test() is a full barrier: a row or
 * watch linked before its registration saw the task alive is found here.
 */
static void lc_exit(void *data, TRACER_EXIT_TP_ARGS)
{
	bool ended = !atomic_read(&task->signal->live);

	rcu_read_lock();
	tracer_monitor_task_exit(task, ended);
	tracer_rows_task_exit(task, ended);
	rcu_read_unlock();
}

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
} hooks[] = {
	{ .name = "sched_process_fork", .probe = lc_fork },
	{ .name = "sched_process_exit", .probe = lc_exit },
	{ .name = "sched_process_exec", .probe = lc_exec },
};

void tracer_lifecycle_show(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		seq_printf(m, "probe: tracepoint %s\n", hooks[i].name);
}

/* After the rows and the monitor are ready. */
int tracer_lifecycle_init(void)
{
	unsigned int i;
	int err;

	check_trace_callback_type_sched_process_fork(lc_fork);
	check_trace_callback_type_sched_process_exit(lc_exit);
	check_trace_callback_type_sched_process_exec(lc_exec);

	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		hooks[i].tp = tracer_tracepoint(hooks[i].name);
		if (!hooks[i].tp)
			return -ENOENT;
	}
	for (i = 0; i < ARRAY_SIZE(hooks); i++) {
		err = tracepoint_probe_register(hooks[i].tp, hooks[i].probe,
						NULL);
		if (err)
			goto undo;
	}
	return 0;

undo:
	while (i--)
		tracepoint_probe_unregister(hooks[i].tp, hooks[i].probe, NULL);
	tracepoint_synchronize_unregister();
	return err;
}

/* Before the rows and the monitor go: no hook runs after this returns. */
void tracer_lifecycle_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hooks); i++)
		tracepoint_probe_unregister(hooks[i].tp, hooks[i].probe, NULL);
	tracepoint_synchronize_unregister();
}
