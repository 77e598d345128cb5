// SPDX-License-Identifier: GPL-2.0
/*
 * The bench's side of its bpftrace scripts (tests/bench/counts-*.bt):
 * they count for the threads in their map @reg, which a marker system
 * call fills, prctl(TBPF_REGISTER, TID), an option no kernel knows (it
 * fails with EINVAL).
 *   tbpf add TID...: registers these threads;
 *   tbpf self CMD [ARG]...: registers itself, then runs CMD in its place;
 *   tbpf others N: N sleeping threads, each registered; "ready" on stdout
 *     once they are, then sleeps until killed (as tcheck others N);
 *   tbpf work N: the workload both tracer and bpftrace count: "ready",
 *     waits for a line on stdin, makes the bench's operations and
 *     kmalloc(0) N times each through /dev/tracer_test, "done", waits for
 *     the end of stdin.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../module/tracer_test.h"

#define TBPF_REGISTER	0x74726163	/* "trac" */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

#include "../progs/tothers.h"

static int reg(pid_t tid)
{
	/* Fails by design: the scripts see it at the system call's entry. */
	syscall(SYS_prctl, TBPF_REGISTER, (long)tid, 0L, 0L, 0L);
	return 0;
}

/* A line of stdin, read byte by byte: nothing read ahead, no buffer. */
static int wait_line(void)
{
	char c;

	while (read(0, &c, 1) == 1)
		if (c == '\n')
			return 1;
	return 0;
}

static void work(int n)
{
	static const struct tt_job jobs[] = {
		{ TT_KMALLOC, 0, 64 }, { TT_KMALLOC_CONST, 0, 64 },
		{ TT_KMALLOC, 0, 4096 }, { TT_KMALLOC, 0, 0 }, { TT_SCHEDULE, 0, 0 },
		{ TT_UP_DOWN, 0, 0 }, { TT_LOCK, 0, 0 },
	};
	struct tt_job job;
	unsigned int i;
	int fd = open("/dev/tracer_test", O_RDONLY);

	if (fd < 0)
		die("/dev/tracer_test");
	puts("ready");
	fflush(stdout);
	if (!wait_line())
		exit(1);
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		job = jobs[i];
		job.count = n;
		if (ioctl(fd, TT_RUN, &job))
			die("TT_RUN");
	}
	puts("done");
	fflush(stdout);
	wait_line();
}

int main(int argc, char **argv)
{
	int i;

	if (argc > 2 && !strcmp(argv[1], "add")) {
		for (i = 2; i < argc; i++)
			reg(atol(argv[i]));
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "self")) {
		reg(getpid());
		execvp(argv[2], argv + 2);
		die(argv[2]);
	}
	if (argc == 3 && !strcmp(argv[1], "others"))
		others_run(atoi(argv[2]), reg);
	if (argc == 3 && !strcmp(argv[1], "work")) {
		work(atoi(argv[2]));
		return 0;
	}
	fprintf(stderr, "usage: tbpf add TID...|self CMD [ARG]...|others N|work N\n");
	return 2;
}
