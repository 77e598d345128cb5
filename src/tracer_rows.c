// SPDX-License-Identifier: GPL-2.0
/*
 * The table of registered processes and threads.
 *
 * Probes look rows up under RCU with no lock; adding and removing take
 * rows_lock, a spinlock because rows also go away from the exit hook,
 * which cannot sleep. Rows come from their own slab cache, whose
 * kmem_cache_alloc/free are not the kmalloc/kfree being counted, so a
 * registered caller of the ioctl is not charged for the tracer's memory.
 */
#include <linux/hashtable.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "tracer.h"

#define TRACER_ROW_BITS 14

static DEFINE_HASHTABLE(rows, TRACER_ROW_BITS);
static DEFINE_SPINLOCK(rows_lock);
static unsigned int rows_nr;
static struct kmem_cache *row_cache;

static struct tracer_row *row_find(pid_t nr)
{
	struct tracer_row *row;

	hash_for_each_possible_rcu(rows, row, node, nr,
				   lockdep_is_held(&rows_lock))
		if (row->nr == nr)
			return row;
	return NULL;
}

/*
 * The row that the current task's calls count in: its process's, else
 * its own thread's. Calls from interrupt context belong to no task.
 * Caller holds rcu_read_lock() or runs with preemption disabled.
 */
struct tracer_row *tracer_row_current(void)
{
	struct tracer_row *row;

	if (!in_task())
		return NULL;
	row = row_find(current->tgid);
	if (!row && current->pid != current->tgid)
		row = row_find(current->pid);
	return row;
}

static void row_free_rcu(struct rcu_head *rcu)
{
	struct tracer_row *row = container_of(rcu, struct tracer_row, rcu);

	put_pid(row->pid);
	kmem_cache_free(row_cache, row);
}

static void row_release(struct tracer_row *row)
{
	call_rcu(&row->rcu, row_free_rcu);
	tracer_probes_put();
}

/*
 * Whether a row for @task would be refused. The exit hook runs after
 * PF_EXITING is set and signal->live decremented, and takes rows_lock: a
 * task that passes this check under the lock has its row removed later.
 * The caller must be allowed to inspect it (tracer_perm.c); whether it is
 * registered is only told to those who are. A thread is counted in its
 * process's row when that one exists.
 */
static int row_refused(struct task_struct *task)
{
	if (thread_group_leader(task) ? !atomic_read(&task->signal->live) :
					task->flags & PF_EXITING)
		return -ESRCH;
	if (!tracer_may_inspect(task, true))
		return -EPERM;
	if (row_find(task_pid_nr(task)) || row_find(task_tgid_nr(task)))
		return -EEXIST;
	return 0;
}

int tracer_rows_add(pid_t vnr, bool follow)
{
	struct task_struct *task;
	struct tracer_row *row;
	int err;

	if (vnr <= 0)
		return -EINVAL;
	row = kmem_cache_zalloc(row_cache, GFP_KERNEL);
	if (!row)
		return -ENOMEM;
	row->pid = find_get_pid(vnr);
	if (!row->pid) {
		err = -ESRCH;
		goto out_free;
	}

	/* Probes are armed before the row exists: no call is missed. */
	err = tracer_probes_get();
	if (err)
		goto out_free;

	/* The task of the PID now: it may have exited or exec'd meanwhile. */
	rcu_read_lock();
	spin_lock(&rows_lock);
	task = pid_task(row->pid, PIDTYPE_PID);
	err = task ? row_refused(task) : -ESRCH;
	if (!err) {
		row->nr = task_pid_nr(task);
		row->follow = follow;
		hash_add_rcu(rows, &row->node, row->nr);
		rows_nr++;
	}
	spin_unlock(&rows_lock);
	rcu_read_unlock();
	if (!err)
		return 0;
	tracer_probes_put();

out_free:
	put_pid(row->pid);
	kmem_cache_free(row_cache, row);
	return err;
}

static struct tracer_row *row_unlink(pid_t nr)
{
	struct tracer_row *row;

	spin_lock(&rows_lock);
	row = row_find(nr);
	if (row) {
		hash_del_rcu(&row->node);
		rows_nr--;
	}
	spin_unlock(&rows_lock);
	return row;
}

/*
 * Always under rows_lock, which orders a removal by the exit or exec hook
 * after any registration that saw the task alive.
 */
static bool row_drop(pid_t nr)
{
	struct tracer_row *row = row_unlink(nr);

	if (row)
		row_release(row);
	return row;
}

int tracer_rows_remove(pid_t vnr)
{
	struct task_struct *task;
	pid_t nr = 0;
	int err = -ESRCH;

	if (vnr <= 0)
		return -EINVAL;
	rcu_read_lock();
	task = pid_task(find_vpid(vnr), PIDTYPE_PID);
	if (task) {
		nr = task_pid_nr(task);
		err = tracer_may_inspect(task, true) ? 0 : -EPERM;
	}
	rcu_read_unlock();
	if (err)
		return err;
	return row_drop(nr) ? 0 : -ENOENT;
}

static atomic_long_t follow_lost = ATOMIC_LONG_INIT(0);

/*
 * From the fork tracepoint, in the parent, before the child first runs:
 * a followed process's new process, or a followed thread's new process or
 * thread, gets its own followed row. A new thread of a registered process
 * counts in the process's row already.
 */
void tracer_rows_task_fork(struct task_struct *parent,
			   struct task_struct *child)
{
	struct tracer_row *from, *row;

	from = row_find(parent->tgid);
	if (from && child->tgid == parent->tgid)
		return;
	if (!from && parent->pid != parent->tgid)
		from = row_find(parent->pid);
	if (!from || !from->follow)
		return;
	/* Its own cache, not the counted kmalloc; the fork cannot wait. */
	row = kmem_cache_zalloc(row_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (!row) {
		atomic_long_inc(&follow_lost);
		return;
	}
	row->pid = get_pid(task_pid(child));
	row->nr = task_pid_nr(child);
	row->follow = true;
	tracer_probes_hold();
	spin_lock(&rows_lock);
	hash_add_rcu(rows, &row->node, row->nr);
	rows_nr++;
	spin_unlock(&rows_lock);
}

/*
 * The counts of row @nr into @counts, if there is one. Caller holds
 * rcu_read_lock() or runs with preemption disabled.
 */
bool tracer_rows_counts(pid_t nr, u64 *counts)
{
	struct tracer_row *row = row_find(nr);
	int i;

	if (!row)
		return false;
	for (i = 0; i < TRACER_NR_COUNTERS; i++)
		counts[i] = atomic64_read(&row->count[i]);
	return true;
}

void tracer_rows_show(struct seq_file *m)
{
	seq_printf(m, "follow_lost: %ld\n", atomic_long_read(&follow_lost));
}

/* Called from do_exit(), after signal->live was decremented. */
void tracer_rows_task_exit(struct task_struct *task)
{
	if (!thread_group_leader(task))
		row_drop(task_pid_nr(task));
	if (!atomic_read(&task->signal->live))
		row_drop(task_tgid_nr(task));
}

/*
 * A thread that execs takes over its process's PID and leaves its own
 * TID to be reused: its thread row would outlive it.
 */
void tracer_rows_task_exec(struct task_struct *task, pid_t old_pid)
{
	if (old_pid != task_pid_nr(task))
		row_drop(old_pid);
}

/*
 * Resumable walk for /proc/tracer: @cursor is (bucket << 32 | index in
 * bucket). Returns the row at or after it and moves the cursor there, so
 * that each read of a large table costs what it shows. Caller holds
 * rcu_read_lock().
 */
struct tracer_row *tracer_rows_seek(loff_t *cursor)
{
	u32 bucket = *cursor >> 32, index = (u32)*cursor;
	struct tracer_row *row;

	for (; bucket < HASH_SIZE(rows); bucket++, index = 0) {
		u32 i = 0;

		hlist_for_each_entry_rcu(row, &rows[bucket], node)
			if (i++ == index) {
				*cursor = (loff_t)bucket << 32 | index;
				return row;
			}
	}
	*cursor = (loff_t)bucket << 32;
	return NULL;
}

unsigned int tracer_rows_count(void)
{
	return READ_ONCE(rows_nr);
}

int tracer_rows_init(void)
{
	row_cache = KMEM_CACHE(tracer_row, 0);
	return row_cache ? 0 : -ENOMEM;
}

/* Probes are gone: nothing else looks at the table any more. */
void tracer_rows_exit(void)
{
	struct hlist_node *tmp;
	struct tracer_row *row;
	unsigned int bucket;

	hash_for_each_safe(rows, bucket, tmp, row, node) {
		hash_del(&row->node);
		put_pid(row->pid);
		kmem_cache_free(row_cache, row);
	}
	rows_nr = 0;
	rcu_barrier();
	kmem_cache_destroy(row_cache);
}
