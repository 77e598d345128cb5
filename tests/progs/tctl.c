// SPDX-License-Identifier: GPL-2.0
/*
 * A workload with known counts for the tracerctl guest tests
 * (tests/guest/tracerctl.sh): "tctl NAME KMALLOCS SIZE LOCKS UPS [KEEPS]"
 * names itself NAME, prints its PID, waits for SIGUSR1 (the shell
 * registers it with tracerctl meanwhile), then makes in the kernel, through
 * /dev/tracer_test, exactly KMALLOCS kmalloc(SIZE)+kfree pairs, LOCKS
 * mutex_lock+unlock pairs, UPS up+down_interruptible pairs and KEEPS
 * kmalloc(SIZE) that tracer_test keeps (held memory), and waits for
 * SIGTERM, then frees what tracer_test keeps. Waiting for a signal
 * allocates nothing and takes no mutex: only schedule() counts beside the
 * workload.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../module/tracer_test.h"

int main(int argc, char **argv)
{
	struct tt_job job[4] = {
		{ .op = TT_KMALLOC }, { .op = TT_LOCK }, { .op = TT_UP_DOWN },
		{ .op = TT_KEEP },
	}, free_kept = { .op = TT_FREE_KEPT };
	sigset_t set;
	int fd, sig, i;

	if (argc != 6 && argc != 7) {
		fprintf(stderr, "usage: tctl NAME KMALLOCS SIZE LOCKS UPS [KEEPS]\n");
		return 2;
	}
	job[0].count = atoi(argv[2]);
	job[0].size = job[3].size = atoi(argv[3]);
	job[1].count = atoi(argv[4]);
	job[2].count = atoi(argv[5]);
	job[3].count = argc == 7 ? atoi(argv[6]) : 0;
	fd = open("/dev/tracer_test", O_RDONLY);
	if (fd < 0) {
		perror("/dev/tracer_test");
		return 1;
	}
	prctl(PR_SET_NAME, argv[1]);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("%d\n", getpid());
	fflush(stdout);
	if (sigwait(&set, &sig) || sig != SIGUSR1)
		return 0;
	for (i = 0; i < 4; i++)
		if (job[i].count && ioctl(fd, TT_RUN, &job[i]))
			return 1;
	while (!sigwait(&set, &sig) && sig != SIGTERM)
		;
	return job[3].count && ioctl(fd, TT_RUN, &free_kept) ? 1 : 0;
}
