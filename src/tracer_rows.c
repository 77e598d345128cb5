// SPDX-License-Identifier: GPL-2.0
/*
 * The table of registered processes and threads.
 *
 * Probes look rows up under RCU with no lock; adding and removing take
 * rows_lock, a spinlock because rows also go away from the exit hook,
 * which cannot sleep. Forks, execs and exits come from tracer_lifecycle.c;
 * the hooks that count are armed through tracer_arm.c while any row
 * exists. Rows come from their own slab cache, whose kmem_cache_alloc/free
 * are not the kmalloc/kfree being counted, so a registered caller of the
 * ioctl is not charged for the tracer's memory.
 */
#include <linux/hashtable.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "tracer_arm.h"
#include "tracer_perm.h"
#include "tracer_rows.h"

#define TRACER_ROW_BITS 14

static DEFINE_HASHTABLE(rows, TRACER_ROW_BITS);
static DEFINE_SPINLOCK(rows_lock);
static unsigned int rows_nr;
static struct kmem_cache *row_cache;

/* Caller holds rcu_read_lock() or rows_lock, or runs with preemption off. */
static struct tracer_row *row_find(pid_t nr, const struct pid *pid)
{
	struct tracer_row *row;

	hash_for_each_possible_rcu(rows, row, node, nr,
				   lockdep_is_held(&rows_lock))
		if (row->pid == pid)
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
	row = row_find(current->tgid, task_tgid(current));
	if (!row && current->pid != current->tgid)
		row = row_find(current->pid, task_pid(current));
	return row;
}

static void row_free_rcu(struct rcu_head *rcu)
{
	struct tracer_row *row = container_of(rcu, struct tracer_row, rcu);

	put_pid(row->pid);
	kmem_cache_free(row_cache, row);
}

/* Any context: the last reference may go in a kfree hook. */
void tracer_row_free(struct tracer_row *row)
{
	call_rcu(&row->rcu, row_free_rcu);
}

/* Unlinked: the table's reference goes, and the row's hold on the hooks. */
static void row_release(struct tracer_row *row)
{
	tracer_row_put(row);
	tracer_arm_put();
}

/*
 * Past the exit hook's look-up for its row: a process once its last
 * thread has decremented signal->live, a thread once it is exiting.
 */
static bool row_exiting(struct task_struct *task)
{
	return thread_group_leader(task) ? !atomic_read(&task->signal->live) :
					   task->flags & PF_EXITING;
}

/*
 * Whether a row for @task would be refused. The caller must be allowed to
 * inspect it (tracer_perm.c); whether it is registered is only told to
 * those who are. A thread is counted in its process's row when that one
 * exists.
 */
static int row_refused(struct task_struct *task)
{
	if (row_exiting(task))
		return -ESRCH;
	if (!tracer_may_inspect(task))
		return -EPERM;
	if (row_find(task_pid_nr(task), task_pid(task)) ||
	    row_find(task_tgid_nr(task), task_tgid(task)))
		return -EEXIST;
	return 0;
}

/* Both under rows_lock. */
static void row_link(struct tracer_row *row)
{
	hash_add_rcu(rows, &row->node, row->nr);
	rows_nr++;
}

static void row_unlink_locked(struct tracer_row *row)
{
	hash_del_rcu(&row->node);
	rows_nr--;
}

/*
 * Unlinks the row of @pid, if there is one, for its caller to release.
 * Looked up without the lock first: every exit in the system comes here
 * while anything is registered.
 */
static struct tracer_row *row_unlink(pid_t nr, struct pid *pid)
{
	struct tracer_row *row;

	if (!row_find(nr, pid))
		return NULL;
	spin_lock(&rows_lock);
	row = row_find(nr, pid);
	if (row)
		row_unlink_locked(row);
	spin_unlock(&rows_lock);
	return row;
}

/* Caller holds rcu_read_lock(), which keeps @pid if it is a task's. */
static bool row_drop(pid_t nr, struct pid *pid)
{
	struct tracer_row *row = row_unlink(nr, pid);

	if (row)
		row_release(row);
	return row;
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
	atomic_set(&row->refs, 1);
	row->pid = find_get_pid(vnr);
	if (!row->pid) {
		err = -ESRCH;
		goto out_free;
	}

	/* Probes are armed before the row exists: no call is missed. */
	err = tracer_arm_get();
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
		row_link(row);
	}
	spin_unlock(&rows_lock);
	if (err) {
		rcu_read_unlock();
		tracer_arm_put();
		goto out_free;
	}
	/*
	 * Pairs with the full barrier of the task's exit (the
	 * atomic_dec_and_test() of signal->live, after PF_EXITING) before
	 * its hook's lock-free look-up: the hook finds the row, or this sees
	 * the exit. Linked, the row is released by whoever unlinks it.
	 */
	smp_mb();
	if (row_exiting(task)) {
		row_drop(row->nr, row->pid);
		err = -ESRCH;
	}
	rcu_read_unlock();
	return err;

out_free:
	put_pid(row->pid);
	kmem_cache_free(row_cache, row);
	return err;
}

int tracer_rows_remove(pid_t vnr)
{
	struct task_struct *task;
	int err = -ESRCH;

	if (vnr <= 0)
		return -EINVAL;
	/* The row of the task checked, by its struct pid, kept by RCU. */
	rcu_read_lock();
	task = pid_task(find_vpid(vnr), PIDTYPE_PID);
	if (task && !tracer_may_inspect(task))
		err = -EPERM;
	else if (task)
		err = row_drop(task_pid_nr(task), task_pid(task)) ? 0 : -ENOENT;
	rcu_read_unlock();
	return err;
}

static atomic_long_t follow_lost = ATOMIC_LONG_INIT(0);

/*
 * In the parent, before the child first runs: a followed process's new
 * process, or a followed thread's new process or thread, gets its own
 * followed row, unless it got one already (registered between
 * attach_pid() and this hook). A new thread of a registered process
 * counts in the process's row already.
 */
void tracer_rows_task_fork(struct task_struct *parent,
			   struct task_struct *child, bool thread)
{
	struct tracer_row *from, *row;

	if (!READ_ONCE(rows_nr))
		return;
	from = row_find(parent->tgid, task_tgid(parent));
	if (from && thread)
		return;
	if (!from && parent->pid != parent->tgid)
		from = row_find(parent->pid, task_pid(parent));
	if (!from || !from->follow)
		return;
	/* Its own cache, not the counted kmalloc; the fork cannot wait. */
	row = kmem_cache_zalloc(row_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (!row) {
		atomic_long_inc(&follow_lost);
		return;
	}
	atomic_set(&row->refs, 1);
	row->pid = get_pid(task_pid(child));
	row->nr = task_pid_nr(child);
	row->follow = true;
	spin_lock(&rows_lock);
	if (row_find(row->nr, row->pid)) {
		spin_unlock(&rows_lock);
		put_pid(row->pid);
		kmem_cache_free(row_cache, row);
		return;
	}
	tracer_arm_hold();
	row_link(row);
	spin_unlock(&rows_lock);
}

/* The counts of the row of @pid, if there is one. Caller holds RCU. */
bool tracer_rows_counts(struct pid *pid, u64 *counts)
{
	struct tracer_row *row = row_find(pid_nr(pid), pid);

	if (!row)
		return false;
	tracer_counts_read(&row->counts, counts);
	return true;
}

void tracer_rows_show(struct seq_file *m)
{
	seq_printf(m, "follow_lost: %ld\n", atomic_long_read(&follow_lost));
}

/* A thread's row goes at its exit, its process's when the process ended. */
void tracer_rows_task_exit(struct task_struct *task, bool ended)
{
	if (!READ_ONCE(rows_nr))
		return;
	if (!thread_group_leader(task))
		row_drop(task->pid, task_pid(task));
	if (ended)
		row_drop(task->tgid, task_tgid(task));
}

/*
 * The row of TID @nr that de_thread() gave away: its struct pid went to
 * the old leader, which is released, so it has no task now and its number
 * may be another's already.
 */
static struct tracer_row *row_find_orphan(pid_t nr)
{
	struct tracer_row *row;

	hash_for_each_possible_rcu(rows, row, node, nr,
				   lockdep_is_held(&rows_lock))
		if (row->nr == nr && !pid_task(row->pid, PIDTYPE_PID))
			return row;
	return NULL;
}

/* A thread that execs takes over its process's PID: its own TID's row goes. */
void tracer_rows_task_exec(struct task_struct *task, pid_t old_pid)
{
	struct tracer_row *row;

	if (old_pid == task->pid || !READ_ONCE(rows_nr) ||
	    !row_find_orphan(old_pid))
		return;
	spin_lock(&rows_lock);
	row = row_find_orphan(old_pid);
	if (row)
		row_unlink_locked(row);
	spin_unlock(&rows_lock);
	if (row)
		row_release(row);
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

/*
 * Probes are gone and the allocation records with them (disarming clears
 * the table): nothing else looks at the rows any more.
 */
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
