/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_ROWS_H
#define _TRACER_ROWS_H

#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/types.h>

struct seq_file;
struct task_struct;

/* The columns of /proc/tracer after the PID, in order. */
enum tracer_counter {
	TRACER_KMALLOC,
	TRACER_KFREE,
	TRACER_KMALLOC_MEM,
	TRACER_KFREE_MEM,
	TRACER_SCHED,
	TRACER_UP,
	TRACER_DOWN,
	TRACER_LOCK,
	TRACER_UNLOCK,
	TRACER_NR_COUNTERS
};

/*
 * One registered process or thread: hashed by the global number of its
 * TGID or TID, matched by its struct pid, so that a reused number never
 * names it. Probes find rows under RCU and only touch the atomic
 * counters; the row lock guards the table itself.
 */
struct tracer_row {
	struct hlist_node node;
	struct rcu_head rcu;
	struct pid *pid;
	pid_t nr;
	bool follow;		/* its new processes (threads) get rows */
	atomic64_t count[TRACER_NR_COUNTERS];
};

int tracer_rows_init(void);
void tracer_rows_exit(void);
int tracer_rows_add(pid_t vnr, bool follow);
int tracer_rows_remove(pid_t vnr);
void tracer_rows_task_fork(struct task_struct *parent,
			   struct task_struct *child, bool thread);
void tracer_rows_task_exec(struct task_struct *task, pid_t old_pid);
void tracer_rows_task_exit(struct task_struct *task, bool ended);
bool tracer_rows_counts(struct pid *pid, u64 *counts);
void tracer_rows_show(struct seq_file *m);
struct tracer_row *tracer_row_current(void);
struct tracer_row *tracer_rows_seek(loff_t *cursor);
unsigned int tracer_rows_count(void);

#endif /* _TRACER_ROWS_H */
