/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tracer: per-process counts of kernel operations.
 *
 * User-space interface of /dev/tracer (misc character device 10:42).
 * The PID is the ioctl argument itself, passed by value:
 *
 *	ioctl(fd, TRACER_ADD_PROCESS, pid);
 *
 * Errors (errno): EINVAL for a PID <= 0, ESRCH for a PID that names no
 * live process or thread, EPERM when the caller may not inspect that
 * process (below), EEXIST when it is registered already, ENOENT when
 * TRACER_REMOVE_PROCESS names a PID that is not registered, ENOMEM,
 * ENODEV when the hooks cannot be armed (the module is being unloaded),
 * and ENOTTY for an unknown request.
 *
 * Permissions: who may open the device is its mode's business (root only,
 * or the group the packages give it). A caller may then add or remove
 * only processes it could read with ptrace (PTRACE_MODE_READ_REALCREDS):
 * its own, those whose user and group IDs all equal its real ones and
 * that are not set-user-ID, or any with CAP_SYS_PTRACE. /proc/tracer
 * shows a reader only the rows of the processes it may inspect.
 *
 * TRACER_ADD_PROCESS_TREE (PID by value, same errors as TRACER_ADD_PROCESS)
 * registers a process that is followed: each process it creates from then
 * on is registered too, as its own row (also followed), before it runs its
 * first instruction. A thread registered by its TID has the threads it
 * creates registered the same way; threads of a registered process count
 * in the process's row.
 *
 * Cgroups (v2). TRACER_ADD_CGROUP takes a file descriptor, by value, of an
 * open cgroup v2 directory (O_RDONLY | O_DIRECTORY, or O_PATH), as perf's
 * cgroup mode does: from then on every task whose cgroup is that one or
 * below it counts in the cgroup's row, at each call, wherever it moves, in
 * /proc/tracer_cgroups; a task counts in its own process row too if it has
 * one, and in every registered cgroup above it. TRACER_REMOVE_CGROUP takes
 * a descriptor of the same directory. A row goes within about a second
 * when its cgroup is removed. At most 64 cgroups are registered at once
 * (BITS_PER_LONG on 32-bit kernels).
 * Permissions: the caller must own the directory (a delegated subtree,
 * whose processes are its own) or have CAP_SYS_PTRACE in the initial user
 * namespace. A process moved into the subtree by root, or a set-user-ID
 * program run in it, counts there too: delegate only what you would show.
 * /proc/tracer_cgroups shows a reader the rows its opener could register.
 * Errors: EBADF (not an open descriptor of a cgroup v2 directory), ENOENT
 * (the cgroup was removed; REMOVE: not registered), EPERM, EEXIST, ENOSPC
 * (64 registered), EINVAL (a cgroup 64 or more levels deep), ENOMEM,
 * ENODEV.
 *
 * Memory held. /proc/tracer_held gives, for each row of /proc/tracer, the
 * blocks its tasks allocated through kmalloc while it was registered that
 * nobody has freed yet, and their bytes requested (held, held_mem);
 * /proc/tracer_cgroups has the same two columns. They are exact while
 * alloc_records_lost in /proc/tracer_status is 0. A block given back
 * without kfree (kfree_bulk(), and kfree_rcu()'s batches freed through it,
 * kmem_cache_free() of a kmalloc block) stays held until its address is
 * allocated again.
 *
 * Lifecycle monitor. The descriptor that asks is the monitor: with
 * TRACER_WATCH it watches a process (its PID) or a single thread (a TID
 * that is not a process's PID) for the events of @events; TRACER_UNWATCH
 * takes events out of its mask, and the watch goes when none is left.
 * Watching again adds events, replaces the signal and adds flags. Every
 * watch of a monitor goes when the descriptor is closed (last close: also
 * at the monitor's exit), and a watch goes when its target exits.
 * Errors: EINVAL (PID <= 0, no or unknown events or flags, invalid
 * signal), ESRCH, EPERM (as TRACER_ADD_PROCESS: the caller must be able to
 * inspect the target; or a signal asked by a process other than the one
 * signals go to, see below), ENOSPC (the monitor has monitor_watches watches),
 * ENOMEM, EFAULT; TRACER_UNWATCH: EINVAL, ENOENT (not watched), EFAULT.
 *
 * Events of a process watch are those of every thread of the process; a
 * thread watch sees its thread's own events, its exit always as
 * TRACER_EV_THREAD_EXIT. With TRACER_WATCH_DESCENDANTS, each process the
 * target creates is watched too, by the same monitor, with the same events,
 * signal and flags, before it runs (and each thread a watched thread
 * creates). A descendant that cannot be watched (monitor_watches reached,
 * no memory) counts as one lost record.
 *
 * Delivery, both at once:
 * - read() returns whole struct tracer_event records (a buffer smaller
 *   than one is EINVAL), as many as fit; it blocks until one is there
 *   unless O_NONBLOCK (EAGAIN). poll/select/epoll report EPOLLIN when a
 *   record is waiting. Records are queued per monitor, at most
 *   monitor_queue (module parameter, 1024); events that find the queue
 *   full are dropped and counted, and a TRACER_EV_LOST record with their
 *   number takes their place in the stream once there is room.
 * - with a signal number in the watch, each event is also sent to the
 *   thread whose watch succeeded first (only its process may ask for
 *   signals, as a descriptor may be inherited), as sigqueue() would:
 *   si_code SI_QUEUE, si_pid the watched PID (TID for a thread watch),
 *   si_uid the target's real UID, si_int (si_value) the TRACER_EV_* bit.
 *   Real-time signals queue one per event (up to RLIMIT_SIGPENDING);
 *   classic ones merge while pending. Signals are not the lossless path:
 *   the records are.
 * A watch is not revoked when its target later executes a set-user-ID
 * program, as for TRACER_ADD_PROCESS.
 */
#ifndef _UAPI_LINUX_TRACER_H
#define _UAPI_LINUX_TRACER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TRACER_DEV_MINOR	42
#define TRACER_DEV_NAME		"tracer"

/* The original tracer.h spelled these with pid_t: the numbers are equal. */
#define TRACER_ADD_PROCESS	_IOW(_IOC_WRITE, 42, __kernel_pid_t)
#define TRACER_REMOVE_PROCESS	_IOW(_IOC_WRITE, 43, __kernel_pid_t)
#define TRACER_ADD_PROCESS_TREE	_IOW(_IOC_WRITE, 44, __kernel_pid_t)
#define TRACER_ADD_CGROUP	_IOW(_IOC_WRITE, 47, __s32)
#define TRACER_REMOVE_CGROUP	_IOW(_IOC_WRITE, 48, __s32)

/* Event bits: the mask of a watch, the kind of a record, si_int. */
#define TRACER_EV_FORK		0x01	/* created a process (fork, vfork, clone) */
#define TRACER_EV_THREAD	0x02	/* created a thread (CLONE_THREAD) */
#define TRACER_EV_EXEC		0x04	/* a successful execve */
#define TRACER_EV_THREAD_EXIT	0x08	/* a thread ended, not the last one */
#define TRACER_EV_EXIT		0x10	/* the process ended: exit() */
#define TRACER_EV_SIGNALED	0x20	/* the process was killed by a signal */
#define TRACER_EV_ALL		0x3f
#define TRACER_EV_LOST		0x80000000	/* record only: @lost dropped */

/* Watch flags */
#define TRACER_WATCH_DESCENDANTS 0x1	/* follow the processes it creates */

/* Argument of TRACER_WATCH and TRACER_UNWATCH (which reads @pid, @events). */
struct tracer_watch {
	__s32 pid;	/* process or thread, in the caller's PID namespace */
	__u32 events;	/* TRACER_EV_* bits */
	__s32 signal;	/* 0: none; else the signal sent per event */
	__u32 flags;	/* TRACER_WATCH_* */
};

#define TRACER_WATCH		_IOW(_IOC_WRITE, 45, struct tracer_watch)
#define TRACER_UNWATCH		_IOW(_IOC_WRITE, 46, struct tracer_watch)

/* The columns of /proc/tracer after the PID, in order. */
#define TRACER_NR_COUNTS	9

/*
 * One record of read(). The same layout for 32- and 64-bit callers. PIDs
 * are in the PID namespace of the task that opened the descriptor (0: not
 * visible there).
 */
struct tracer_event {
	__u32 kind;	/* one TRACER_EV_* bit */
	__u32 flags;	/* TRACER_EVF_* */
	__s32 target;	/* the watched PID (TID) this record is for */
	__s32 pid;	/* the thread it happened in */
	__s32 tgid;	/* its process */
	__s32 ppid;	/* the parent of that process */
	/*
	 * FORK, THREAD: the new PID (TID); EXEC: the caller's TID before
	 * exec (a non-leader thread's differs from @pid; it is 0 when the
	 * monitor is in a PID namespace other than the initial one, as
	 * that TID is gone by then).
	 */
	__s32 child;
	/*
	 * Exits: the wait status (WIFEXITED, WEXITSTATUS, WIFSIGNALED,
	 * WTERMSIG, WCOREDUMP apply): the thread's for THREAD_EXIT, the
	 * process's otherwise.
	 */
	__s32 status;
	__u64 lost;	/* LOST: the number of records dropped before it */
	__u64 time_ns;	/* CLOCK_MONOTONIC, never decreasing in a stream */
	/*
	 * Exits with TRACER_EVF_COUNTS: the final /proc/tracer counts of the
	 * exiting process (thread, for THREAD_EXIT) registered for counting,
	 * in column order, taken just before its row goes; only if the
	 * monitor's opener may see that row in /proc/tracer.
	 */
	__u64 counts[TRACER_NR_COUNTS];
};

#define TRACER_EVF_COUNTS	0x1

#endif /* _UAPI_LINUX_TRACER_H */
