// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for tracer, never packaged: performs exact numbers of each
 * traced operation so that the tests compare exact figures.
 *
 * Workers are kthreads that do nothing traced between jobs except the
 * schedule() calls of their idle loop. They count every schedule() call
 * they make; a test reads that count (TT_WAIT) once the worker is
 * registered and asleep, and again after a job, and expects tracer's
 * sched column to equal the difference.
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/semaphore.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <trace/events/sched.h>

#include "tracer_test.h"

#define TT_MAX_WORKERS	64
#define TT_MAX_KEPT	4096
#define TT_MAX_SIZE	(1 << 20)

static void *kept[TT_MAX_KEPT];
static unsigned int nr_kept;
static DEFINE_SPINLOCK(kept_lock);

struct tt_worker {
	struct task_struct *task;
	struct tt_job job;
	bool pending;
	bool done;
	bool idle;		/* sched_calls covers the schedule() it is in */
	u32 sched_calls;
};

static struct tt_worker workers[TT_MAX_WORKERS];
static DEFINE_MUTEX(workers_lock);

static int run_kmalloc(const struct tt_job *job)
{
	u32 i;

	for (i = 0; i < job->count; i++) {
		void *p = kmalloc(job->size, GFP_KERNEL);

		if (ZERO_OR_NULL_PTR(p) && job->size)
			return -ENOMEM;
		kfree(p);
	}
	return 0;
}

static int run_alloc_variant(const struct tt_job *job)
{
	char *s = NULL, *p = NULL;
	u32 i;

	if (job->op == TT_KSTRDUP) {
		if (!job->size)
			return -EINVAL;
		s = kmalloc(job->size, GFP_KERNEL);
		if (!s)
			return -ENOMEM;
		memset(s, 'x', job->size - 1);
		s[job->size - 1] = '\0';
	}
	for (i = 0; i < job->count; i++) {
		switch (job->op) {
		case TT_KMALLOC_CONST:
			p = kmalloc(64, GFP_KERNEL);
			break;
		case TT_KZALLOC:
			p = kzalloc(job->size, GFP_KERNEL);
			break;
		case TT_KCALLOC:
			p = kcalloc(job->size, 1, GFP_KERNEL);
			break;
		case TT_KSTRDUP:
			p = kstrdup(s, GFP_KERNEL);
			break;
		case TT_KREALLOC: {
			char *q = kmalloc(job->size, GFP_KERNEL);

			p = krealloc(q, 2 * job->size, GFP_KERNEL);
			if (!p)
				kfree(q);
			break;
		}
		}
		if (!p)
			break;
		kfree(p);
	}
	if (s)		/* kfree(NULL) is a kfree call too: no extra one */
		kfree(s);
	return p ? 0 : -ENOMEM;
}

static int run_keep(const struct tt_job *job)
{
	u32 i;

	for (i = 0; i < job->count; i++) {
		void *p = kmalloc(job->size, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		spin_lock(&kept_lock);
		if (nr_kept == TT_MAX_KEPT) {
			spin_unlock(&kept_lock);
			kfree(p);
			return -ENOSPC;
		}
		kept[nr_kept++] = p;
		spin_unlock(&kept_lock);
	}
	return 0;
}

static void run_free_kept(void)
{
	void *p;

	for (;;) {
		spin_lock(&kept_lock);
		p = nr_kept ? kept[--nr_kept] : NULL;
		spin_unlock(&kept_lock);
		if (!p)
			return;
		kfree(p);
	}
}

static int run_sync_ops(const struct tt_job *job)
{
	struct semaphore sem;
	struct mutex lock;
	u32 i;
	int err = 0;

	sema_init(&sem, 0);
	mutex_init(&lock);
	for (i = 0; i < job->count; i++) {
		switch (job->op) {
		case TT_SCHEDULE:
			schedule();
			break;
		case TT_UP_DOWN:
			up(&sem);
			err = down_interruptible(&sem);
			break;
		case TT_LOCK:
			mutex_lock(&lock);
			mutex_unlock(&lock);
			break;
		}
		if (err)
			break;
	}
	mutex_destroy(&lock);
	return err;
}

static int run_job(const struct tt_job *job)
{
	struct tt_job one = *job;
	int err;

	if (job->size > TT_MAX_SIZE)
		return -EINVAL;
	switch (job->op) {
	case TT_KMALLOC:
		return run_kmalloc(job);
	case TT_KMALLOC_CONST:
	case TT_KZALLOC:
	case TT_KCALLOC:
	case TT_KSTRDUP:
	case TT_KREALLOC:
		return run_alloc_variant(job);
	case TT_KEEP:
		return run_keep(job);
	case TT_FREE_KEPT:
		run_free_kept();
		return 0;
	case TT_SCHEDULE:
	case TT_UP_DOWN:
	case TT_LOCK:
		return run_sync_ops(job);
	case TT_ALL:
		err = run_kmalloc(job);
		for (one.op = TT_SCHEDULE; !err && one.op <= TT_LOCK; one.op++)
			err = run_sync_ops(&one);
		return err;
	}
	return -EINVAL;
}

static int worker_fn(void *data)
{
	struct tt_worker *w = data;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		if (smp_load_acquire(&w->pending)) {
			__set_current_state(TASK_RUNNING);
			WRITE_ONCE(w->idle, false);
			if (w->job.op == TT_SCHEDULE || w->job.op == TT_ALL)
				w->sched_calls += w->job.count;
			run_job(&w->job);
			WRITE_ONCE(w->pending, false);
			smp_store_release(&w->done, true);
			continue;
		}
		/* Counted before the call: tracer counts at entry. */
		w->sched_calls++;
		smp_store_release(&w->idle, true);
		schedule();
	}
}

/*
 * Done, then asleep in its idle schedule(): its count is final and tracer
 * has seen that call. Only a schedule() that sleeps dequeues a task; a
 * task preempted on its way there stays on the run queue.
 */
static void worker_wait_idle(struct tt_worker *w)
{
	while (!smp_load_acquire(&w->done) || !smp_load_acquire(&w->idle) ||
	       READ_ONCE(w->task->on_rq))
		msleep(1);
}

static struct tt_worker *worker_get(pid_t pid)
{
	int i;

	for (i = 0; i < TT_MAX_WORKERS; i++)
		if (workers[i].task && workers[i].task->pid == pid)
			return &workers[i];
	return NULL;
}

static long tt_spawn(void)
{
	struct tt_worker *w = NULL;
	int i;

	for (i = 0; !w && i < TT_MAX_WORKERS; i++)
		if (!workers[i].task)
			w = &workers[i];
	if (!w)
		return -ENOSPC;
	memset(w, 0, sizeof(*w));
	w->done = true;
	w->task = kthread_run(worker_fn, w, "tracer_test/%td", w - workers);
	if (IS_ERR(w->task)) {
		long err = PTR_ERR(w->task);

		w->task = NULL;
		return err;
	}
	get_task_struct(w->task);
	/* Registered only once idle: kthread start-up calls schedule() too. */
	worker_wait_idle(w);
	return w->task->pid;
}

static long tt_worker_cmd(unsigned int cmd, struct tt_job *job)
{
	struct tt_worker *w = worker_get(job->worker);

	if (!w)
		return -ESRCH;
	switch (cmd) {
	case TT_JOB:
		if (READ_ONCE(w->pending))
			return -EBUSY;
		w->job = *job;
		w->done = false;
		smp_store_release(&w->pending, true);
		wake_up_process(w->task);
		return 0;
	case TT_WAIT:
		worker_wait_idle(w);
		job->sched_calls = w->sched_calls;
		return 0;
	case TT_REAP:
		kthread_stop(w->task);
		put_task_struct(w->task);
		w->task = NULL;
		return 0;
	}
	return -ENOTTY;
}

static pid_t delay_tgid;
static unsigned int delay_ms;
static bool delay_entered, delay_released;
static DEFINE_MUTEX(delay_lock);
static struct tracepoint *tp_fork, *tp_exec;

/* Until the test releases it, @delay_ms at most: nothing hangs for good. */
static void delay_if_target(void)
{
	unsigned int i;

	if (current->tgid != READ_ONCE(delay_tgid))
		return;
	WRITE_ONCE(delay_entered, true);
	for (i = 0; i < READ_ONCE(delay_ms) * 10 && !READ_ONCE(delay_released) &&
		    current->tgid == READ_ONCE(delay_tgid); i++)
		udelay(100);
}

static void delay_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
	delay_if_target();
}

static void delay_exec(void *data, struct task_struct *task, pid_t old_pid,
		       struct linux_binprm *bprm)
{
	delay_if_target();
}

/* tracer's permission check, between finding a task and acting on it. */
static int delay_perm(struct kprobe *kp, struct pt_regs *regs)
{
	delay_if_target();
	return 0;
}

static struct kprobe perm_kp = {
	.symbol_name = "tracer_may_inspect",
	.pre_handler = delay_perm,
};

static void tp_find(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		tp_fork = tp;
	else if (!strcmp(tp->name, "sched_process_exec"))
		tp_exec = tp;
}

/*
 * Hooked at the first request, while tracer holds these tracepoints
 * already (no code is patched then); before tracer's hooks, by priority.
 */
static long tt_delay(const struct tt_job *job)
{
	int err = 0;

	check_trace_callback_type_sched_process_fork(delay_fork);
	check_trace_callback_type_sched_process_exec(delay_exec);
	if (job->count > 10000)
		return -EINVAL;
	mutex_lock(&delay_lock);
	if (!tp_fork) {
		for_each_kernel_tracepoint(tp_find, NULL);
		err = tp_fork && tp_exec ? 0 : -ENOENT;
		if (!err)
			err = tracepoint_probe_register_prio(tp_fork, delay_fork, NULL,
							     TRACEPOINT_DEFAULT_PRIO + 1);
		if (!err) {
			err = tracepoint_probe_register_prio(tp_exec, delay_exec, NULL,
							     TRACEPOINT_DEFAULT_PRIO + 1);
			if (err)
				tracepoint_probe_unregister(tp_fork, delay_fork, NULL);
		}
		if (!err) {
			err = register_kprobe(&perm_kp);
			if (err) {
				tracepoint_probe_unregister(tp_exec, delay_exec, NULL);
				tracepoint_probe_unregister(tp_fork, delay_fork, NULL);
			}
		}
		if (err)
			tp_fork = NULL;
	}
	if (!err) {
		WRITE_ONCE(delay_entered, false);
		WRITE_ONCE(delay_released, false);
		WRITE_ONCE(delay_ms, job->count);
		WRITE_ONCE(delay_tgid, job->worker);
	}
	mutex_unlock(&delay_lock);
	return err;
}

static long tt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct tt_job job;
	long ret;

	if (cmd == TT_SPAWN) {
		mutex_lock(&workers_lock);
		ret = tt_spawn();
		mutex_unlock(&workers_lock);
		return ret;
	}
	if (copy_from_user(&job, (void __user *)arg, sizeof(job)))
		return -EFAULT;
	if (job.op >= TT_NR_OPS)
		return -EINVAL;
	if (cmd == TT_RUN)
		return run_job(&job);
	if (cmd == TT_DELAY)
		return tt_delay(&job);
	if (cmd == TT_DELAY_ENTERED)
		return READ_ONCE(delay_entered);
	if (cmd == TT_DELAY_RELEASE) {
		WRITE_ONCE(delay_released, true);
		return 0;
	}

	/* Worker commands: lock and unlock are counted in the caller only. */
	mutex_lock(&workers_lock);
	ret = tt_worker_cmd(cmd, &job);
	mutex_unlock(&workers_lock);
	if (!ret && cmd == TT_WAIT &&
	    copy_to_user((void __user *)arg, &job, sizeof(job)))
		ret = -EFAULT;
	return ret;
}

static const struct file_operations tt_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = tt_ioctl,
	/* struct tt_job is laid out alike for 32-bit callers (tmonitor32). */
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice tt_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "tracer_test",
	.fops = &tt_fops,
};

static int __init tt_init(void)
{
	return misc_register(&tt_miscdev);
}

static void __exit tt_exit(void)
{
	int i;

	misc_deregister(&tt_miscdev);
	if (tp_fork) {
		unregister_kprobe(&perm_kp);
		tracepoint_probe_unregister(tp_exec, delay_exec, NULL);
		tracepoint_probe_unregister(tp_fork, delay_fork, NULL);
		tracepoint_synchronize_unregister();
	}
	for (i = 0; i < TT_MAX_WORKERS; i++) {
		if (workers[i].task) {
			kthread_stop(workers[i].task);
			put_task_struct(workers[i].task);
		}
	}
	run_free_kept();
}

module_init(tt_init);
module_exit(tt_exit);
MODULE_DESCRIPTION("tracer test helper (not for production)");
MODULE_LICENSE("GPL");
