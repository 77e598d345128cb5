/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Test-only interface (/dev/tracer_test): perform exact numbers of the
 * operations tracer counts, in the calling task or in worker kthreads.
 */
#ifndef _TRACER_TEST_H
#define _TRACER_TEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

enum tt_op {
	TT_KMALLOC,		/* count x (kmalloc(size) + kfree) */
	TT_KMALLOC_CONST,	/* count x (kmalloc(64) + kfree), constant size */
	TT_KZALLOC,		/* count x (kzalloc(size) + kfree) */
	TT_KCALLOC,		/* count x (kcalloc(size, 1) + kfree) */
	TT_KSTRDUP,		/* count x (kstrdup of size - 1 chars + kfree) */
	TT_KREALLOC,		/* count x (kmalloc(size), krealloc to 2 * size, kfree) */
	TT_KEEP,		/* count x kmalloc(size), kept */
	TT_FREE_KEPT,		/* kfree of everything kept */
	TT_SCHEDULE,		/* count x schedule() */
	TT_UP_DOWN,		/* count x (up + down_interruptible) */
	TT_LOCK,		/* count x (mutex_lock + mutex_unlock) */
	TT_ALL,			/* TT_KMALLOC, TT_SCHEDULE, TT_UP_DOWN, TT_LOCK */
	TT_NR_OPS
};

struct tt_job {
	__u32 op;
	__u32 count;
	__u64 size;
	__s32 worker;		/* worker kthread PID for TT_JOB/TT_WAIT/TT_REAP */
	__u32 sched_calls;	/* out (TT_WAIT): the worker's schedule() calls */
};

#define TT_RUN		_IOW('T', 1, struct tt_job)	/* in the caller */
#define TT_SPAWN	_IO('T', 2)			/* returns worker PID */
#define TT_JOB		_IOW('T', 3, struct tt_job)	/* start on worker */
#define TT_WAIT		_IOWR('T', 4, struct tt_job)	/* until worker sleeps */
#define TT_REAP		_IOW('T', 5, struct tt_job)	/* stop worker */
/*
 * The forks and execs of process @worker wait in the sched tracepoints,
 * before tracer's hooks see them, and its requests to /dev/tracer as tracer
 * checks their permission: windows for the races of the lifecycle tests.
 * They wait until TT_DELAY_RELEASE, @count ms at most; TT_DELAY_ENTERED
 * returns 1 once one waits. @worker 0 ends it.
 */
#define TT_DELAY		_IOW('T', 6, struct tt_job)
#define TT_DELAY_ENTERED	_IOW('T', 7, struct tt_job)
#define TT_DELAY_RELEASE	_IOW('T', 8, struct tt_job)

#endif
