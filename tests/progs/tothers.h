/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "others N" of tcheck (registered in tracer) and of tbpf (in the bench's
 * bpftrace map): N sleeping threads of this process, each handed to
 * @reg by this thread once it runs, "ready" on stdout once all are, then
 * sleep until killed. The includer provides die().
 */
#ifndef TRACER_TOTHERS_H
#define TRACER_TOTHERS_H

#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *others_thread(void *arg)
{
	pid_t tid = syscall(SYS_gettid);

	/* A blocking read in the creator, not a yield loop: that waits a tick. */
	if (write(*(int *)arg, &tid, sizeof(tid)) != sizeof(tid))
		die("others: write");
	for (;;)
		pause();
	return arg;
}

static void others_run(int n, int (*reg)(pid_t tid))
{
	pthread_attr_t attr;
	pthread_t thread;
	pid_t tid;
	int i, p[2];

	if (pipe(p))
		die("pipe");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 65536);
	for (i = 0; i < n; i++) {
		if (pthread_create(&thread, &attr, others_thread, &p[1]))
			die("pthread_create");
		if (read(p[0], &tid, sizeof(tid)) != sizeof(tid))
			die("others: read");
		if (reg(tid))
			die("register");
		if ((i + 1) % 10000 == 0)
			fprintf(stderr, "others: %d registered\n", i + 1);
	}
	puts("ready");
	fflush(stdout);
	for (;;)
		pause();
}

#endif /* TRACER_TOTHERS_H */
