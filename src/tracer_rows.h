/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_ROWS_H
#define _TRACER_ROWS_H

#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/types.h>

#include "tracer_counts.h"

struct seq_file;
struct task_struct;

/*
 * One registered process or thread: hashed by the global number of its
 * TGID or TID, matched by its struct pid, so that a reused number never
 * names it. Probes find rows under RCU and only touch the atomic
 * counters; the row lock guards the table itself. The table holds one
 * reference, each allocation record of the row's blocks one more
 * (tracer_allocs.c): a row unlinked stays until its last record goes.
 */
struct tracer_row {
	struct hlist_node node;
	struct rcu_head rcu;
	struct pid *pid;
	pid_t nr;
	bool follow;		/* its new processes (threads) get rows */
	/*
	 * Not refcount_t: its saturation checks cost 24 guest instructions
	 * per kmalloc+kfree of a registered task (make bench), and the count
	 * is bounded by the allocation table's slots (2^24 at most) + 1.
	 */
	atomic_t refs;
	struct tracer_counts counts;
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
void tracer_row_free(struct tracer_row *row);

/* A reference for an allocation record; none once the row is going. */
static inline struct tracer_row *tracer_row_get(struct tracer_row *row)
{
	return atomic_inc_not_zero(&row->refs) ? row : NULL;
}

static inline void tracer_row_put(struct tracer_row *row)
{
	if (atomic_dec_and_test(&row->refs))
		tracer_row_free(row);
}

struct tracer_row *tracer_rows_seek(loff_t *cursor);
unsigned int tracer_rows_count(void);

#endif /* _TRACER_ROWS_H */
