// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle monitor: an open /dev/tracer watches processes and threads
 * and is told of their forks, thread creations, execs and exits, by a
 * record queue it reads (and polls) and, if it asks, by a queued signal.
 *
 * Forks, execs and exits come from tracer_lifecycle.c, under RCU. While
 * nothing is watched they read one counter and return.
 *
 * Watches are hashed by the global PID of their target (TGID for a
 * process, TID for a thread) and hold its struct pid, which is what they
 * match: a watch whose target's PID was reused can never stand for the new
 * process. Hooks look for one under RCU without a lock; if there is one
 * they do everything else under watch_lock: deliver, add the watches of
 * followed children, drop the watches of exited targets. A watch is
 * linked before its target's liveness is checked again (watch_add()), so
 * a target's exit hook either sees the watch or the watch is refused.
 * A monitor is only ever reached through its watches under watch_lock, so
 * once its release has unlinked them it can be freed at once.
 *
 * A process's exit is told at the first exit hook of its threads that
 * finds the watch once the process has ended (tracer_lifecycle.c): the
 * moment its row goes, so the record carries the row's final counts.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "tracer_monitor.h"
#include "tracer_perm.h"
#include "tracer_rows.h"
#include "uapi/tracer.h"

#define WATCH_BITS	12
#define QUEUE_MAX	16384

static unsigned int monitor_queue = 1024;
module_param(monitor_queue, uint, 0444);
MODULE_PARM_DESC(monitor_queue,
		 "records queued per monitor before events are counted as lost (2..16384)");

static unsigned int monitor_watches = 65536;
module_param(monitor_watches, uint, 0444);
MODULE_PARM_DESC(monitor_watches,
		 "watches per monitor, followed descendants included");

struct tracer_monitor {
	spinlock_t lock;		/* the queue and @lost */
	wait_queue_head_t wait;
	struct mutex read_mutex;	/* one reader at a time */
	struct list_head watches;	/* under watch_lock */
	unsigned int nr_watches;	/* under watch_lock */
	struct pid *owner;		/* signals go to this thread */
	struct pid_namespace *ns;	/* of the opener: PIDs in records */
	const struct cred *cred;	/* of the opener: whose counts it sees */
	struct tracer_event **queue;	/* its pages; set with @owner */
	unsigned int head, len;
	u64 lost;
	u64 lost_ns;			/* when the last loss happened */
};

struct tracer_mwatch {
	struct hlist_node node;		/* in watches, by @nr */
	struct list_head link;		/* in its monitor's list */
	struct rcu_head rcu;
	struct tracer_monitor *mon;
	struct pid *pid;		/* the target's */
	pid_t nr;			/* global TGID, or TID if @thread */
	bool thread;
	u32 events;
	u32 flags;
	int sig;
};

static DEFINE_HASHTABLE(watches, WATCH_BITS);
static DEFINE_SPINLOCK(watch_lock);
static unsigned int watches_nr;		/* written under watch_lock */
static unsigned int monitors_nr;	/* under watch_lock */
static struct kmem_cache *monitor_cache, *watch_cache, *queue_cache;

/* What happened, before it is told in each monitor's PID namespace. */
struct mon_event {
	u32 kind;
	struct task_struct *task;
	struct task_struct *child;	/* FORK, THREAD */
	pid_t old_pid;			/* EXEC */
	int status;
	u64 time_ns;
	bool have_counts;
	u64 counts[TRACER_NR_COUNTS];
};

/* Caller holds rcu_read_lock() or watch_lock. */
static bool watched(pid_t nr)
{
	struct tracer_mwatch *w;

	hash_for_each_possible_rcu(watches, w, node, nr,
				   lockdep_is_held(&watch_lock))
		if (w->nr == nr)
			return true;
	return false;
}

static void watch_free_rcu(struct rcu_head *rcu)
{
	struct tracer_mwatch *w = container_of(rcu, struct tracer_mwatch, rcu);

	put_pid(w->pid);
	kmem_cache_free(watch_cache, w);
}

static void watch_link(struct tracer_mwatch *w)
{
	hash_add_rcu(watches, &w->node, w->nr);
	list_add(&w->link, &w->mon->watches);
	w->mon->nr_watches++;
	WRITE_ONCE(watches_nr, watches_nr + 1);
}

static void watch_unlink(struct tracer_mwatch *w)
{
	hash_del_rcu(&w->node);
	list_del(&w->link);
	w->mon->nr_watches--;
	WRITE_ONCE(watches_nr, watches_nr - 1);
	call_rcu(&w->rcu, watch_free_rcu);
}

/*
 * A queue is order-0 pages of whole records, reached through an array of
 * their addresses from queue_cache (at most a page): nothing that needs a
 * high-order block, which a long-running machine may no longer have, and
 * nothing from kmalloc, which would count in a registered caller's row.
 */
#define RECORDS_PER_PAGE	(PAGE_SIZE / sizeof(struct tracer_event))

static unsigned int queue_pages(void)
{
	return DIV_ROUND_UP(monitor_queue, RECORDS_PER_PAGE);
}

static void queue_free(struct tracer_event **queue)
{
	unsigned int i;

	if (!queue)
		return;
	for (i = 0; i < queue_pages() && queue[i]; i++)
		free_page((unsigned long)queue[i]);
	kmem_cache_free(queue_cache, queue);
}

static struct tracer_event **queue_alloc(void)
{
	struct tracer_event **queue;
	unsigned int i;

	queue = kmem_cache_zalloc(queue_cache, GFP_KERNEL_ACCOUNT);
	for (i = 0; queue && i < queue_pages(); i++) {
		queue[i] = (void *)__get_free_page(GFP_KERNEL_ACCOUNT);
		if (!queue[i]) {
			queue_free(queue);
			return NULL;
		}
	}
	return queue;
}

static struct tracer_event *queue_slot(struct tracer_monitor *mon,
				       unsigned int i)
{
	i %= monitor_queue;
	return &mon->queue[i / RECORDS_PER_PAGE][i % RECORDS_PER_PAGE];
}

/* ---- delivery, under watch_lock ---- */

static void queue_put(struct tracer_monitor *mon, const struct tracer_event *e)
{
	*queue_slot(mon, mon->head + mon->len) = *e;
	mon->len++;
}

/* A full queue drops; the loss is told in-stream once two slots are free. */
static void queue_push(struct tracer_monitor *mon, const struct tracer_event *e)
{
	unsigned int room = monitor_queue - mon->len;
	struct tracer_event lost;

	if (mon->lost) {
		if (room < 2) {
			mon->lost++;
			mon->lost_ns = e->time_ns;
			return;
		}
		memset(&lost, 0, sizeof(lost));
		lost.kind = TRACER_EV_LOST;
		lost.lost = mon->lost;
		lost.time_ns = e->time_ns;
		queue_put(mon, &lost);
		mon->lost = 0;
	} else if (!room) {
		mon->lost = 1;
		mon->lost_ns = e->time_ns;
		return;
	}
	queue_put(mon, e);
}

static void mon_lose(struct tracer_monitor *mon)
{
	u64 now = ktime_get_ns();	/* under watch_lock, as records' times */

	spin_lock(&mon->lock);
	mon->lost++;
	mon->lost_ns = now;
	spin_unlock(&mon->lock);
	wake_up_interruptible_poll(&mon->wait, EPOLLIN | EPOLLRDNORM);
}

static void signal_monitor(const struct tracer_mwatch *w,
			   const struct tracer_event *e)
{
	struct kernel_siginfo info;
	struct task_struct *t = pid_task(w->mon->owner, PIDTYPE_PID);

	if (!t)
		return;
	clear_siginfo(&info);
	info.si_signo = w->sig;
	info.si_code = SI_QUEUE;
	info.si_pid = e->target;
	/* In the sender's (current's) user namespace: the kernel converts. */
	info.si_uid = from_kuid_munged(current_user_ns(), task_uid(current));
	info.si_int = e->kind;
	send_sig_info(w->sig, &info, t);
}

static void notify(const struct tracer_mwatch *w, const struct mon_event *ev)
{
	struct tracer_monitor *mon = w->mon;
	struct pid_namespace *ns = mon->ns;
	struct task_struct *task = ev->task;
	struct tracer_event e = {
		.kind = ev->kind,
		.pid = task_pid_nr_ns(task, ns),
		.tgid = task_tgid_nr_ns(task, ns),
		.ppid = task_tgid_nr_ns(rcu_dereference(task->real_parent), ns),
		.status = ev->status,
		.time_ns = ev->time_ns,
	};

	if (!(w->events & ev->kind))
		return;
	e.target = pid_nr_ns(w->pid, ns);
	/*
	 * A thread other than the leader that execs has lost its TID to
	 * the leader by now, and the leader is gone: its old TID has no
	 * struct pid to translate. The initial namespace needs none.
	 */
	if (ev->child)
		e.child = task_pid_nr_ns(ev->child, ns);
	else if (ev->old_pid && ns == &init_pid_ns)
		e.child = ev->old_pid;
	else if (ev->old_pid)
		e.child = pid_nr_ns(find_pid_ns(ev->old_pid, &init_pid_ns), ns);
	/* As /proc/tracer would show them to the monitor's opener. */
	if (ev->have_counts && tracer_may_read_counts(mon->cred, task)) {
		e.flags = TRACER_EVF_COUNTS;
		memcpy(e.counts, ev->counts, sizeof(e.counts));
	}
	spin_lock(&mon->lock);
	queue_push(mon, &e);
	spin_unlock(&mon->lock);
	wake_up_interruptible_poll(&mon->wait, EPOLLIN | EPOLLRDNORM);
	if (w->sig)
		signal_monitor(w, &e);
}

/* Caller holds watch_lock. */
static struct tracer_mwatch *watch_of(const struct tracer_monitor *mon,
				      struct task_struct *task)
{
	struct tracer_mwatch *w;

	hash_for_each_possible(watches, w, node, task_pid_nr(task))
		if (w->pid == task_pid(task) && w->mon == mon)
			return w;
	return NULL;
}

/*
 * A new process (or thread of a watched thread) inherits the watch, unless
 * the monitor follows it already: it watches both a process and one of
 * its threads, and both watches see the thread's fork.
 */
static void follow(const struct tracer_mwatch *w, struct task_struct *child,
		   bool thread)
{
	struct tracer_mwatch *n = NULL;

	if (watch_of(w->mon, child))
		return;
	if (w->mon->nr_watches < monitor_watches)
		n = kmem_cache_alloc(watch_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (!n) {
		mon_lose(w->mon);
		return;
	}
	*n = (struct tracer_mwatch) {
		.mon = w->mon,
		.pid = get_pid(task_pid(child)),
		.nr = task_pid_nr(child),
		.thread = thread,
		.events = w->events,
		.flags = w->flags,
		.sig = w->sig,
	};
	watch_link(n);
}

/* ---- hooks (tracer_lifecycle.c), under RCU ---- */

/* The new watches go to the head of their bucket: the walk does not meet them. */
void tracer_monitor_task_fork(struct task_struct *parent,
			      struct task_struct *child, bool thread)
{
	bool leader = parent->pid == parent->tgid;
	struct mon_event ev = {
		.kind = thread ? TRACER_EV_THREAD : TRACER_EV_FORK,
		.task = parent,
		.child = child,
	};
	struct tracer_mwatch *w;

	if (!READ_ONCE(watches_nr))
		return;
	if (!watched(parent->tgid) && (leader || !watched(parent->pid)))
		return;
	spin_lock(&watch_lock);
	/* Under the lock: times never go back in a monitor's stream. */
	ev.time_ns = ktime_get_ns();
	hash_for_each_possible(watches, w, node, parent->tgid) {
		if (w->pid != task_tgid(parent) || w->thread)
			continue;
		notify(w, &ev);
		if (!thread && w->flags & TRACER_WATCH_DESCENDANTS)
			follow(w, child, false);
	}
	if (!leader) {
		hash_for_each_possible(watches, w, node, parent->pid) {
			if (w->pid != task_pid(parent))
				continue;
			notify(w, &ev);
			if (w->flags & TRACER_WATCH_DESCENDANTS)
				follow(w, child, thread);
		}
	}
	spin_unlock(&watch_lock);
}

/* The caller is its process's only thread and leader now. */
void tracer_monitor_task_exec(struct task_struct *task, pid_t old_pid)
{
	struct mon_event ev = {
		.kind = TRACER_EV_EXEC,
		.task = task,
		.old_pid = old_pid,
	};
	struct tracer_mwatch *w;
	struct hlist_node *tmp;

	if (!READ_ONCE(watches_nr))
		return;
	if (!watched(task->tgid) && (old_pid == task->pid || !watched(old_pid)))
		return;
	spin_lock(&watch_lock);
	ev.time_ns = ktime_get_ns();
	hash_for_each_possible(watches, w, node, task->tgid) {
		if (w->pid == task_tgid(task))
			notify(w, &ev);
	}
	/*
	 * The thread's TID went to the old leader, which is gone: its watch
	 * holds a struct pid no task has now, and is matched by number.
	 */
	if (old_pid != task->pid) {
		hash_for_each_possible_safe(watches, w, tmp, node, old_pid) {
			if (w->nr != old_pid || pid_task(w->pid, PIDTYPE_PID))
				continue;
			notify(w, &ev);
			watch_unlink(w);
		}
	}
	spin_unlock(&watch_lock);
}

static void exit_event(struct mon_event *ev, bool process)
{
	struct task_struct *task = ev->task;
	struct signal_struct *sig = task->signal;

	/* As wait() reports it: the group's code once the group exits. */
	ev->status = process && sig->flags & SIGNAL_GROUP_EXIT ?
		     sig->group_exit_code : task->exit_code;
	if (!process)
		ev->kind = TRACER_EV_THREAD_EXIT;
	else if (ev->status & 0x7f)
		ev->kind = TRACER_EV_SIGNALED;
	else
		ev->kind = TRACER_EV_EXIT;
	/* A leader's TID is its process's: that row is not the thread's. */
	if (process)
		ev->have_counts = tracer_rows_counts(task_tgid(task), ev->counts);
	else if (!thread_group_leader(task))
		ev->have_counts = tracer_rows_counts(task_pid(task), ev->counts);
}

/*
 * Before the rows (tracer_lifecycle.c), which drop the rows whose final
 * counts go into the records. The counts are read under watch_lock, so
 * an exit that finds no watch left comes after they were read.
 */
void tracer_monitor_task_exit(struct task_struct *task, bool ended)
{
	bool leader = task->pid == task->tgid;
	struct mon_event process = { .task = task }, thread = { .task = task };
	struct tracer_mwatch *w;
	struct hlist_node *tmp;

	if (!READ_ONCE(watches_nr))
		return;
	if (!watched(task->tgid) && (leader || !watched(task->pid)))
		return;
	spin_lock(&watch_lock);
	exit_event(&thread, false);
	if (ended)
		exit_event(&process, true);
	thread.time_ns = ktime_get_ns();
	process.time_ns = thread.time_ns;
	hash_for_each_possible_safe(watches, w, tmp, node, task->tgid) {
		if (w->pid != task_tgid(task) || w->thread)
			continue;
		if (ended) {
			notify(w, &process);
			watch_unlink(w);
		} else {
			notify(w, &thread);
		}
	}
	if (!leader) {
		hash_for_each_possible_safe(watches, w, tmp, node, task->pid) {
			if (w->pid != task_pid(task))
				continue;
			notify(w, &thread);
			watch_unlink(w);
		}
	}
	spin_unlock(&watch_lock);
}

/* ---- the descriptor ---- */

int tracer_monitor_open(struct file *file)
{
	struct tracer_monitor *mon;

	mon = kmem_cache_zalloc(monitor_cache, GFP_KERNEL_ACCOUNT);
	if (!mon)
		return -ENOMEM;
	spin_lock_init(&mon->lock);
	init_waitqueue_head(&mon->wait);
	mutex_init(&mon->read_mutex);
	INIT_LIST_HEAD(&mon->watches);
	mon->ns = get_pid_ns(task_active_pid_ns(current));
	mon->cred = get_cred(file->f_cred);
	file->private_data = mon;
	spin_lock(&watch_lock);
	monitors_nr++;
	spin_unlock(&watch_lock);
	return 0;
}

void tracer_monitor_release(struct file *file)
{
	struct tracer_monitor *mon = file->private_data;
	struct tracer_mwatch *w, *tmp;

	spin_lock(&watch_lock);
	list_for_each_entry_safe(w, tmp, &mon->watches, link)
		watch_unlink(w);
	monitors_nr--;
	spin_unlock(&watch_lock);
	/* No hook can reach the monitor any more. */
	queue_free(mon->queue);
	put_pid(mon->owner);
	put_pid_ns(mon->ns);
	put_cred(mon->cred);
	mutex_destroy(&mon->read_mutex);
	kmem_cache_free(monitor_cache, mon);
}

/*
 * Past the point where its exit hook looks for watches, as the rows'
 * row_exiting() sees it: a process once its last thread has decremented
 * signal->live, a thread once it is exiting.
 */
static bool exiting(struct task_struct *task)
{
	return thread_group_leader(task) ? !atomic_read(&task->signal->live) :
					   task->flags & PF_EXITING;
}

/*
 * Signals go to one thread, the one whose watch succeeded first: another
 * process may not pick them (EPERM). Caller holds watch_lock.
 */
static bool may_signal(struct tracer_monitor *mon, int sig)
{
	struct task_struct *owner = pid_task(mon->owner, PIDTYPE_PID);

	return !sig || !mon->owner || (owner && same_thread_group(owner, current));
}

static int watch_add(struct tracer_monitor *mon, const struct tracer_watch *req)
{
	struct tracer_event **queue = NULL;
	struct tracer_mwatch *n, *w;
	struct task_struct *task;
	int err = -ENOMEM;

	if (req->pid <= 0 || !req->events || req->events & ~TRACER_EV_ALL ||
	    req->signal < 0 || !valid_signal(req->signal) ||
	    req->flags & ~TRACER_WATCH_DESCENDANTS)
		return -EINVAL;
	/* The queue, kept by the first watch that succeeds. */
	if (!READ_ONCE(mon->queue)) {
		queue = queue_alloc();
		if (!queue)
			return -ENOMEM;
	}
	n = kmem_cache_zalloc(watch_cache, GFP_KERNEL_ACCOUNT);
	if (!n)
		goto out_queue;
	err = 0;

	rcu_read_lock();
	spin_lock(&watch_lock);
	task = pid_task(find_vpid(req->pid), PIDTYPE_PID);
	if (!task || exiting(task))
		err = -ESRCH;
	else if (!tracer_may_inspect(task) || !may_signal(mon, req->signal))
		err = -EPERM;
	if (err)
		goto out;
	n->thread = !thread_group_leader(task);
	n->nr = task_pid_nr(task);
	w = watch_of(mon, task);
	if (w) {
		w->events |= req->events;
		w->flags |= req->flags;
		w->sig = req->signal;
	} else if (mon->nr_watches >= monitor_watches) {
		err = -ENOSPC;
	} else {
		n->mon = mon;
		n->events = req->events;
		n->flags = req->flags;
		n->sig = req->signal;
		n->pid = get_pid(task_pid(task));
		watch_link(n);
		/*
		 * Pairs with the full barrier of a thread's exit (the
		 * atomic_dec_and_test() of signal->live, after PF_EXITING)
		 * before its hook's lock-free lookup: the hook sees the
		 * watch, or this sees the exit.
		 */
		smp_mb();
		if (exiting(task)) {
			watch_unlink(n);
			err = -ESRCH;
		}
		n = NULL;
	}
out:
	/* Its first watch that succeeds gives the monitor its owner. */
	if (!err && !mon->owner) {
		mon->owner = get_pid(task_pid(current));
		WRITE_ONCE(mon->queue, queue);
		queue = NULL;
	}
	spin_unlock(&watch_lock);
	rcu_read_unlock();
	if (n)
		kmem_cache_free(watch_cache, n);
out_queue:
	queue_free(queue);
	return err;
}

static int watch_remove(struct tracer_monitor *mon,
			const struct tracer_watch *req)
{
	struct tracer_mwatch *w = NULL;
	struct task_struct *task;

	if (req->pid <= 0 || !req->events || req->events & ~TRACER_EV_ALL)
		return -EINVAL;
	rcu_read_lock();
	spin_lock(&watch_lock);
	task = pid_task(find_vpid(req->pid), PIDTYPE_PID);
	if (task)
		w = watch_of(mon, task);
	if (w) {
		w->events &= ~req->events;
		if (!w->events)
			watch_unlink(w);
	}
	spin_unlock(&watch_lock);
	rcu_read_unlock();
	return w ? 0 : -ENOENT;
}

long tracer_monitor_ioctl(struct file *file, unsigned int cmd,
			  void __user *arg)
{
	struct tracer_watch req;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (cmd == TRACER_WATCH)
		return watch_add(file->private_data, &req);
	return watch_remove(file->private_data, &req);
}

/* The next record, not taken yet. */
static bool queue_peek(struct tracer_monitor *mon, struct tracer_event *e)
{
	bool ok = true;

	spin_lock(&mon->lock);
	if (mon->len) {
		*e = *queue_slot(mon, mon->head);
	} else if (mon->lost) {
		/* Everything since the loss was dropped: it comes last. */
		memset(e, 0, sizeof(*e));
		e->kind = TRACER_EV_LOST;
		e->lost = mon->lost;
		/* Not now: a record timed before now may still be on its way. */
		e->time_ns = mon->lost_ns;
	} else {
		ok = false;
	}
	spin_unlock(&mon->lock);
	return ok;
}

static void queue_take(struct tracer_monitor *mon, const struct tracer_event *e)
{
	spin_lock(&mon->lock);
	if (mon->len) {
		mon->head = (mon->head + 1) % monitor_queue;
		mon->len--;
	} else {
		mon->lost -= e->lost;
	}
	spin_unlock(&mon->lock);
}

static bool monitor_ready(struct tracer_monitor *mon)
{
	return READ_ONCE(mon->len) || READ_ONCE(mon->lost);
}

ssize_t tracer_monitor_read(struct file *file, char __user *buf, size_t count)
{
	struct tracer_monitor *mon = file->private_data;
	struct tracer_event e;
	size_t done = 0;
	int err;

	if (count < sizeof(e))
		return -EINVAL;
	if (file->f_flags & O_NONBLOCK)
		err = mutex_trylock(&mon->read_mutex) ? 0 : -EAGAIN;
	else
		err = mutex_lock_interruptible(&mon->read_mutex);
	if (err)
		return err;
	if (!(file->f_flags & O_NONBLOCK))
		err = wait_event_interruptible(mon->wait, monitor_ready(mon));
	while (!err && count - done >= sizeof(e) && queue_peek(mon, &e)) {
		if (copy_to_user(buf + done, &e, sizeof(e)))
			break;
		queue_take(mon, &e);
		done += sizeof(e);
	}
	mutex_unlock(&mon->read_mutex);
	if (done)
		return done;
	if (err)
		return err;
	return monitor_ready(mon) ? -EFAULT : -EAGAIN;
}

__poll_t tracer_monitor_poll(struct file *file, poll_table *pt)
{
	struct tracer_monitor *mon = file->private_data;

	poll_wait(file, &mon->wait, pt);
	return monitor_ready(mon) ? EPOLLIN | EPOLLRDNORM : 0;
}

void tracer_monitor_show(struct seq_file *m)
{
	spin_lock(&watch_lock);
	seq_printf(m, "monitor: open %u watches %u queue %u\n", monitors_nr,
		   watches_nr, monitor_queue);
	spin_unlock(&watch_lock);
}

int tracer_monitor_init(void)
{
	int err;

	BUILD_BUG_ON(TRACER_NR_COUNTS != TRACER_NR_COUNTERS);
	BUILD_BUG_ON(sizeof(struct tracer_event) != 120);
	BUILD_BUG_ON(DIV_ROUND_UP(QUEUE_MAX, RECORDS_PER_PAGE) * sizeof(void *) >
		     PAGE_SIZE);
	if (monitor_queue < 2 || monitor_queue > QUEUE_MAX) {
		pr_err("monitor_queue must be 2..%u\n", QUEUE_MAX);
		return -EINVAL;
	}
	monitor_cache = KMEM_CACHE(tracer_monitor, 0);
	watch_cache = KMEM_CACHE(tracer_mwatch, 0);
	queue_cache = kmem_cache_create("tracer_monitor_pages",
					queue_pages() * sizeof(void *), 0, 0,
					NULL);
	err = -ENOMEM;
	if (!monitor_cache || !watch_cache || !queue_cache)
		goto out_caches;
	return 0;

out_caches:
	kmem_cache_destroy(queue_cache);
	kmem_cache_destroy(watch_cache);
	kmem_cache_destroy(monitor_cache);
	return err;
}

/*
 * The device is gone (an open monitor pins the module) and so are the
 * hooks (tracer_lifecycle.c).
 */
void tracer_monitor_exit(void)
{
	rcu_barrier();
	kmem_cache_destroy(queue_cache);
	kmem_cache_destroy(watch_cache);
	kmem_cache_destroy(monitor_cache);
}

#ifdef TRACER_KUNIT
#include "tests/tracer_monitor_kunit.c"
#endif
