// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest tests of tracer: each drives registered children or worker
 * kthreads through /dev/tracer_test and compares /proc/tracer with the
 * exact figures of what they did. The parent doing the checks is never
 * registered, so its own reads count nowhere.
 *
 * Calls made from user context may add schedule() calls of their own (a
 * reschedule on return to user space), so there the sched column is
 * checked as a lower bound; kthread workers count their own idle
 * schedule() calls and are checked exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/uapi/tracer.h"
#include "../module/tracer_test.h"
#include "tresult.h"

enum { KMALLOC, KFREE, KMALLOC_MEM, KFREE_MEM, SCHED, UP, DOWN, LOCK, UNLOCK, NCOL };
static const char *const col_names[NCOL] = {
	"kmalloc", "kfree", "kmalloc_mem", "kfree_mem", "sched", "up", "down",
	"lock", "unlock",
};

struct counts {
	uint64_t c[NCOL];
};

#define MAX_THREADS	256
#define MAX_JOBS	16

/* Shared with forked children; written before they are released. */
struct shared {
	int go, quit, loop;
	int ready, done;
	pid_t tid[MAX_THREADS];
	struct tt_job jobs[MAX_THREADS][MAX_JOBS];
	int err[MAX_THREADS];
};

static int tracer_fd = -1, tt_fd = -1;

static void nap(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

static void wait_flag(volatile int *flag, int value)
{
	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < value)
		nap();
}

static int reg(pid_t pid)
{
	return ioctl(tracer_fd, TRACER_ADD_PROCESS, pid) ? -errno : 0;
}

static int unreg(pid_t pid)
{
	return ioctl(tracer_fd, TRACER_REMOVE_PROCESS, pid) ? -errno : 0;
}

/* Whole /proc/tracer, read in @chunk-byte reads. Caller frees. */
static char *read_proc(size_t chunk)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1);
	int fd = open("/proc/tracer", O_RDONLY);
	ssize_t n;

	if (!buf || fd < 0)
		die("/proc/tracer");
	for (;;) {
		if (cap - len < chunk) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die("realloc");
		}
		n = read(fd, buf + len, chunk);
		if (n < 0)
			die("read /proc/tracer");
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/* The row of @pid: 1 if found, 0 if not, -1 if a line is malformed. */
static int parse_row(const char *text, pid_t pid, struct counts *out)
{
	const char *line = strchr(text, '\n');
	int found = 0;

	if (strncmp(text, "PID ", 4) || !line)
		return -1;
	for (line++; *line; line = strchr(line, '\n') + 1) {
		struct counts c;
		int p, n;

		n = sscanf(line, "%d %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
			   " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
			   &p, &c.c[0], &c.c[1], &c.c[2], &c.c[3], &c.c[4],
			   &c.c[5], &c.c[6], &c.c[7], &c.c[8]);
		if (n != 1 + NCOL || !strchr(line, '\n'))
			return -1;
		if (p == pid) {
			*out = c;
			found++;
		}
	}
	return found > 1 ? -1 : found;
}

static int read_row(pid_t pid, struct counts *out)
{
	char *text = read_proc(4096);
	int ret = parse_row(text, pid, out);

	free(text);
	return ret;
}

static void expect_job(struct counts *e, const struct tt_job *j)
{
	uint64_t n = j->count, size = j->size;

	switch (j->op) {
	case TT_KMALLOC_CONST:
		size = 64;
		/* fall through */
	case TT_KMALLOC:
	case TT_KZALLOC:
	case TT_KCALLOC:
		e->c[KMALLOC] += n;
		e->c[KFREE] += n;
		e->c[KMALLOC_MEM] += n * size;
		e->c[KFREE_MEM] += n * size;
		break;
	case TT_KSTRDUP:	/* and the source string, made once */
		e->c[KMALLOC] += n + 1;
		e->c[KFREE] += n + 1;
		e->c[KMALLOC_MEM] += (n + 1) * size;
		e->c[KFREE_MEM] += (n + 1) * size;
		break;
	case TT_KREALLOC:	/* size, then 2 * size: two blocks a round */
		e->c[KMALLOC] += 2 * n;
		e->c[KFREE] += 2 * n;
		e->c[KMALLOC_MEM] += 3 * n * size;
		e->c[KFREE_MEM] += 3 * n * size;
		break;
	case TT_KEEP:
		e->c[KMALLOC] += n;
		e->c[KMALLOC_MEM] += n * size;
		break;
	case TT_SCHEDULE:
		e->c[SCHED] += n;
		break;
	case TT_UP_DOWN:
		e->c[UP] += n;
		e->c[DOWN] += n;
		break;
	case TT_LOCK:
		e->c[LOCK] += n;
		e->c[UNLOCK] += n;
		break;
	case TT_ALL:
		e->c[KMALLOC] += n;
		e->c[KFREE] += n;
		e->c[KMALLOC_MEM] += n * size;
		e->c[KFREE_MEM] += n * size;
		e->c[SCHED] += n;
		e->c[UP] += n;
		e->c[DOWN] += n;
		e->c[LOCK] += n;
		e->c[UNLOCK] += n;
		break;
	}
}

/* Exact comparison; sched only as a lower bound when @sched_min. */
static void check_counts(const char *name, pid_t pid, const struct counts *want,
			 int sched_min)
{
	struct counts got;
	char diff[512] = "";
	int i, r = read_row(pid, &got);

	if (r != 1) {
		result(0, name, r ? "malformed /proc/tracer" : "no row for %d", pid);
		return;
	}
	for (i = 0; i < NCOL; i++) {
		int bad = i == SCHED && sched_min ? got.c[i] < want->c[i] :
						    got.c[i] != want->c[i];

		if (bad)
			snprintf(diff + strlen(diff), sizeof(diff) - strlen(diff),
				 " %s=%" PRIu64 "(want %s%" PRIu64 ")", col_names[i],
				 got.c[i], i == SCHED && sched_min ? ">=" : "",
				 want->c[i]);
	}
	result(!diff[0], name, "pid %d:%s", pid, diff);
}

static void expect_err(const char *name, int got, int want);

static void *child_thread(void *arg)
{
	struct shared *sh = (struct shared *)((void **)arg)[0];
	long idx = (long)((void **)arg)[1];
	int k;

	sh->tid[idx] = syscall(SYS_gettid);
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_RELEASE);
	wait_flag(&sh->go, 1);
	do {
		for (k = 0; k < MAX_JOBS && sh->jobs[idx][k].count; k++)
			if (ioctl(tt_fd, TT_RUN, &sh->jobs[idx][k]))
				sh->err[idx] = errno;
	} while (sh->loop && !__atomic_load_n(&sh->quit, __ATOMIC_ACQUIRE));
	__atomic_add_fetch(&sh->done, 1, __ATOMIC_RELEASE);
	wait_flag(&sh->quit, 1);
	return NULL;
}

/*
 * A child process of @nthreads threads, all created before anything is
 * registered (thread creation allocates), each running its jobs from
 * sh->jobs when released with sh->go.
 */
static pid_t spawn_child(struct shared *sh, int nthreads)
{
	pid_t pid;

	sh->go = sh->quit = sh->ready = sh->done = 0;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		static void *args[MAX_THREADS][2];
		pthread_t t;
		long i;

		close(tracer_fd);	/* would keep tracer from unloading */

		for (i = 0; i < nthreads; i++) {
			args[i][0] = sh;
			args[i][1] = (void *)i;
			if (i && pthread_create(&t, NULL, child_thread, args[i]))
				_exit(1);
		}
		child_thread(args[0]);
		_exit(0);
	}
	wait_flag(&sh->ready, nthreads);
	return pid;
}

static void finish_child(struct shared *sh, pid_t pid)
{
	__atomic_store_n(&sh->quit, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	waitpid(pid, NULL, 0);
}

static struct shared *new_shared(void)
{
	struct shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		die("mmap");
	memset(sh, 0, sizeof(*sh));
	return sh;
}


static void release(struct shared *sh, int nthreads)
{
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	wait_flag(&sh->done, nthreads);
}

static int job_errors(const struct shared *sh, int nthreads)
{
	int i;

	for (i = 0; i < nthreads; i++)
		if (sh->err[i])
			return sh->err[i];
	return 0;
}

static int count_jobs(const struct tt_job *jobs)
{
	int n = 0;

	while (n < MAX_JOBS && jobs[n].count)
		n++;
	return n;
}

/* One registered child thread runs @jobs (zero-terminated); check its row. */
static void case_jobs(const char *name, const struct tt_job *jobs)
{
	struct shared *sh = new_shared();
	struct counts want = { 0 };
	int k, n = count_jobs(jobs), err;
	pid_t pid;

	memcpy(sh->jobs[0], jobs, n * sizeof(*jobs));
	for (k = 0; k < n; k++)
		expect_job(&want, &jobs[k]);
	pid = spawn_child(sh, 1);
	err = reg(pid);
	if (err) {
		result(0, name, "register %d: %s", pid, strerror(-err));
	} else {
		release(sh, 1);
		if (job_errors(sh, 1))
			result(0, name, "job: %s", strerror(job_errors(sh, 1)));
		else
			check_counts(name, pid, &want, 1);
	}
	finish_child(sh, pid);
	munmap(sh, sizeof(*sh));
}

static void test_sizes(void)
{
	const struct tt_job zero[] = { { TT_KMALLOC, 9, 0 }, { 0 } };
	const struct tt_job small[] = { { TT_KMALLOC, 7, 24 }, { 0 } };
	const struct tt_job large[] = { { TT_KMALLOC, 3, 3 * 4096 + 5 }, { 0 } };
	const struct tt_job variants[] = {
		{ TT_KMALLOC_CONST, 5, 0 }, { TT_KZALLOC, 4, 100 },
		{ TT_KCALLOC, 3, 200 }, { TT_KSTRDUP, 6, 10 },
		{ TT_KREALLOC, 5, 64 }, { 0 } };
	const struct tt_job sync[] = {
		{ TT_SCHEDULE, 11 }, { TT_UP_DOWN, 13 }, { TT_LOCK, 17 }, { 0 } };

	case_jobs("kmalloc-size-0", zero);
	case_jobs("kmalloc-small", small);
	case_jobs("kmalloc-large", large);
	case_jobs("kmalloc-variants", variants);
	case_jobs("sched-up-down-lock", sync);
}

/*
 * @n threads of one process, different counts each, counted together;
 * while some run their jobs, the others sleep.
 */
static void test_threads(int n)
{
	struct shared *sh = new_shared();
	struct counts want = { 0 };
	char name[64];
	pid_t pid;
	int i;

	snprintf(name, sizeof(name), "threads-%d-process-row", n);
	for (i = 0; i < n; i++) {
		sh->jobs[i][0] = (struct tt_job){ TT_ALL, 10 + i % 32, 16 * (i % 32 + 1) };
		expect_job(&want, &sh->jobs[i][0]);
	}
	pid = spawn_child(sh, n);
	if (reg(pid)) {
		result(0, name, "register: %s", strerror(errno));
	} else {
		release(sh, n);
		if (job_errors(sh, n))
			result(0, name, "job failed");
		else
			check_counts(name, pid, &want, 1);
	}
	finish_child(sh, pid);
	munmap(sh, sizeof(*sh));
}

/* A thread registered by its TID: its own calls only, no process row. */
static void test_thread_tid(void)
{
	struct shared *sh = new_shared();
	struct counts want = { 0 }, other;
	pid_t pid;

	sh->jobs[0][0] = (struct tt_job){ TT_ALL, 5, 32 };
	sh->jobs[1][0] = (struct tt_job){ TT_ALL, 9, 48 };
	expect_job(&want, &sh->jobs[1][0]);
	pid = spawn_child(sh, 2);
	if (reg(sh->tid[1])) {
		result(0, "thread-tid-row", "register tid: %s", strerror(errno));
	} else {
		release(sh, 2);
		check_counts("thread-tid-row", sh->tid[1], &want, 1);
		result(read_row(pid, &other) == 0, "thread-tid-no-process-row",
		       "process %d has a row", pid);
		/* Its process registered, a thread is counted there already. */
		unreg(sh->tid[1]);
		reg(pid);
		expect_err("thread-of-registered-process", reg(sh->tid[1]), EEXIST);
		unreg(pid);
	}
	finish_child(sh, pid);
	result(read_row(sh->tid[1], &other) == 0, "thread-tid-exit-forgets",
	       "row of %d after exit", sh->tid[1]);
	munmap(sh, sizeof(*sh));
}

/* 32 kthreads at once, every column exact, sched included. */
static void test_kthreads(void)
{
	enum { N = 32 };
	struct tt_job jobs[N];
	struct counts want[N];
	__u32 base[N];
	int i, bad = 0;

	for (i = 0; i < N; i++) {
		jobs[i] = (struct tt_job){ TT_ALL, 5 + 3 * i, 8 * (i + 1) };
		jobs[i].worker = ioctl(tt_fd, TT_SPAWN);
		if (jobs[i].worker < 0)
			die("TT_SPAWN");
		if (reg(jobs[i].worker))
			bad++;
	}
	result(!bad, "kthread-register", "%d registrations failed", bad);
	for (i = 0; i < N; i++) {
		if (ioctl(tt_fd, TT_WAIT, &jobs[i]))
			die("TT_WAIT");
		base[i] = jobs[i].sched_calls;
	}
	for (i = 0; i < N; i++)
		if (ioctl(tt_fd, TT_JOB, &jobs[i]))
			die("TT_JOB");
	for (i = 0; i < N; i++) {
		char name[64];

		if (ioctl(tt_fd, TT_WAIT, &jobs[i]))
			die("TT_WAIT");
		memset(&want[i], 0, sizeof(want[i]));
		expect_job(&want[i], &jobs[i]);
		/* The worker's own count since registered: job and idle loop. */
		want[i].c[SCHED] = jobs[i].sched_calls - base[i];
		snprintf(name, sizeof(name), "kthread-%02d-exact", i);
		check_counts(name, jobs[i].worker, &want[i], 0);
	}
	for (i = 0; i < N; i++)
		if (ioctl(tt_fd, TT_REAP, &jobs[i]))
			die("TT_REAP");
	for (i = bad = 0; i < N; i++) {
		struct counts c;

		bad += read_row(jobs[i].worker, &c) != 0;
	}
	result(!bad, "kthread-exit-forgets", "%d rows left after exit", bad);
}

/* Frees of blocks allocated before registration, or by someone else. */
static void test_foreign_frees(void)
{
	struct shared *a = new_shared(), *b = new_shared();
	struct tt_job keep = { TT_KEEP, 10, 100 };
	struct counts want = { 0 };
	pid_t pa, pb;

	/* Kept by this unregistered process: freed by a registered one. */
	if (ioctl(tt_fd, TT_RUN, &keep))
		die("TT_KEEP");
	b->jobs[0][0] = (struct tt_job){ TT_FREE_KEPT, 1 };
	pb = spawn_child(b, 1);
	reg(pb);
	release(b, 1);
	want.c[KFREE] = 10;
	check_counts("free-unseen-allocation", pb, &want, 1);
	finish_child(b, pb);

	/* Kept by registered A, freed by registered B: B gets the bytes. */
	a->jobs[0][0] = keep;
	pa = spawn_child(a, 1);
	pb = spawn_child(b, 1);
	reg(pa);
	reg(pb);
	release(a, 1);
	release(b, 1);
	memset(&want, 0, sizeof(want));
	expect_job(&want, &keep);
	check_counts("free-keeper-row", pa, &want, 1);
	memset(&want, 0, sizeof(want));
	want.c[KFREE] = 10;
	want.c[KFREE_MEM] = 1000;
	check_counts("free-by-other-registered", pb, &want, 1);
	finish_child(a, pa);
	finish_child(b, pb);
	munmap(a, sizeof(*a));
	munmap(b, sizeof(*b));
}

static int set_last_pid(pid_t pid)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "w");
	int ok;

	if (!f)
		return -1;
	ok = fprintf(f, "%d", pid) > 0;
	return fclose(f) || !ok ? -1 : 0;
}

/* Exit forgets the row; a new process with the same PID starts at zero. */
static void test_exit_reuse(void)
{
	struct shared *sh = new_shared();
	struct counts c, zero = { 0 };
	pid_t pid, again;

	sh->jobs[0][0] = (struct tt_job){ TT_KMALLOC, 3, 40 };
	pid = spawn_child(sh, 1);
	reg(pid);
	release(sh, 1);
	result(read_row(pid, &c) == 1 && c.c[KMALLOC] == 3, "exit-before", "no row");
	finish_child(sh, pid);
	result(read_row(pid, &c) == 0, "exit-forgets", "row of %d after exit", pid);

	memset(sh->jobs, 0, sizeof(sh->jobs));
	if (set_last_pid(pid - 1))
		die("ns_last_pid");
	again = spawn_child(sh, 1);
	if (again != pid) {
		result(0, "pid-reuse", "got pid %d, wanted %d", again, pid);
	} else {
		result(read_row(again, &c) == 0, "pid-reuse-not-registered",
		       "reused pid %d has a row", again);
		reg(again);
		check_counts("pid-reuse-starts-at-zero", again, &zero, 1);
	}
	finish_child(sh, again);
	munmap(sh, sizeof(*sh));
}

/* TRACER_REMOVE_PROCESS while the process keeps calling. */
static void test_remove_running(void)
{
	struct shared *sh = new_shared();
	struct counts c;
	pid_t pid;
	int i;

	sh->jobs[0][0] = (struct tt_job){ TT_ALL, 5, 16 };
	sh->loop = 1;
	pid = spawn_child(sh, 1);
	reg(pid);
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 5000 && !(read_row(pid, &c) == 1 && c.c[KMALLOC]); i++)
		nap();
	result(c.c[KMALLOC] > 0, "remove-running-counted", "no calls counted");
	result(unreg(pid) == 0, "remove-running", "remove failed");
	nap();
	result(read_row(pid, &c) == 0, "remove-running-gone", "row still there");
	result(reg(pid) == 0 && read_row(pid, &c) == 1 && unreg(pid) == 0,
	       "remove-running-readd", "register again failed");
	finish_child(sh, pid);
	munmap(sh, sizeof(*sh));
}

static pid_t unused_pid(void)
{
	pid_t pid = 4000000;

	while (kill(pid, 0) == 0 || errno != ESRCH)
		pid--;
	return pid;
}

static void expect_err(const char *name, int got, int want)
{
	result(got == -want, name, "got %s, want %s", strerror(-got), strerror(want));
}

/* The ABI and every error; also run as a 32-bit program. */
static void test_abi(const char *abi)
{
	struct shared *sh = new_shared();
	struct counts c;
	char name[64];
	pid_t pid, zombie;

#define NAME(s) (snprintf(name, sizeof(name), "%s-%s", abi, s), name)
	result(TRACER_ADD_PROCESS == 0x4004012a && TRACER_REMOVE_PROCESS == 0x4004012b,
	       NAME("ioctl-numbers"), "0x%lx 0x%lx", (unsigned long)TRACER_ADD_PROCESS,
	       (unsigned long)TRACER_REMOVE_PROCESS);
	expect_err(NAME("unknown-command"),
		   ioctl(tracer_fd, _IOW(_IOC_WRITE, 44, pid_t), 1) ? -errno : 0, ENOTTY);
	expect_err(NAME("pid-zero"), reg(0), EINVAL);
	expect_err(NAME("pid-negative"), reg(-5), EINVAL);
	expect_err(NAME("no-such-process"), reg(unused_pid()), ESRCH);
	expect_err(NAME("remove-no-such-process"), unreg(unused_pid()), ESRCH);

	pid = spawn_child(sh, 1);
	expect_err(NAME("add"), reg(pid), 0);
	result(read_row(pid, &c) == 1, NAME("add-shows-row"), "no row");
	expect_err(NAME("already-registered"), reg(pid), EEXIST);
	expect_err(NAME("remove"), unreg(pid), 0);
	expect_err(NAME("not-registered"), unreg(pid), ENOENT);
	finish_child(sh, pid);

	zombie = fork();
	if (!zombie)
		_exit(0);
	while (kill(zombie, 0) == 0) {
		char path[64], state = 0;
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/stat", zombie);
		f = fopen(path, "r");
		if (f && fscanf(f, "%*d %*s %c", &state) == 1 && state == 'Z') {
			fclose(f);
			break;
		}
		if (f)
			fclose(f);
		nap();
	}
	expect_err(NAME("zombie"), reg(zombie), ESRCH);
	waitpid(zombie, NULL, 0);

	/* kthreadd is PID 2 in the guest. */
	expect_err(NAME("kernel-thread"), reg(2), 0);
	result(read_row(2, &c) == 1, NAME("kernel-thread-row"), "no row");
	expect_err(NAME("kernel-thread-remove"), unreg(2), 0);
	munmap(sh, sizeof(*sh));
#undef NAME
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

static int count_rows(const char *text)
{
	int lines = 0;

	for (; *text; text++)
		lines += *text == '\n';
	return lines - 1;
}

/* Whether each of @pids has exactly one row in @text. */
static int each_pid_once(const char *text, pid_t *pids, int n)
{
	int rows = count_rows(text), i = 0, j = 0, same = 1;
	pid_t *shown = calloc(rows + 1, sizeof(*shown));
	const char *line = strchr(text, '\n');

	while (line && line[1] && i < rows) {
		shown[i++] = atoi(line + 1);
		line = strchr(line + 1, '\n');
	}
	qsort(shown, i, sizeof(*shown), cmp_pid);
	qsort(pids, n, sizeof(*pids), cmp_pid);
	for (; same && j < n; j++) {
		int seen = 0, k;

		for (k = 0; k < i && shown[k] <= pids[j]; k++)
			seen += shown[k] == pids[j];
		same = seen == 1;
	}
	free(shown);
	return same;
}

/* @n registered processes, and /proc/tracer read meanwhile. */
static void test_many(int n)
{
	pid_t *pids = calloc(n, sizeof(*pids)), reader;
	struct shared *sh = new_shared();
	char *whole = read_proc(4096), *bytewise;
	int i, bad = 0, before = count_rows(whole);
	struct counts c;

	free(whole);

	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			close(tracer_fd);
			pause();
			_exit(0);
		}
		if (pids[i] < 0)
			die("fork");
	}
	reader = fork();
	if (!reader) {
		int reads = 0, malformed = 0;

		while (!__atomic_load_n(&sh->quit, __ATOMIC_ACQUIRE)) {
			char *text = read_proc(reads % 2 ? 100 : 4096);

			malformed += parse_row(text, 0, &c) < 0;
			free(text);
			reads++;
		}
		sh->ready = reads;
		sh->done = malformed;
		_exit(0);
	}
	for (i = 0; i < n; i++)
		bad += reg(pids[i]) != 0;
	result(!bad, "many-register", "%d of %d failed", bad, n);

	whole = read_proc(1 << 16);
	result(count_rows(whole) == n + before, "many-rows", "%d rows for %d + %d",
	       count_rows(whole), n, before);
	result(each_pid_once(whole, pids, n), "many-every-pid-once",
	       "a registered PID is missing or repeated");
	bytewise = read_proc(7);
	result(!strcmp(whole, bytewise), "many-small-reads-same", "7-byte reads differ");
	free(whole);
	free(bytewise);

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	__atomic_store_n(&sh->quit, 1, __ATOMIC_RELEASE);
	waitpid(reader, NULL, 0);
	result(sh->ready > 0 && !sh->done, "many-concurrent-reads",
	       "%d of %d reads malformed", sh->done, sh->ready);
	whole = read_proc(4096);
	result(count_rows(whole) == before, "many-exit-forgets",
	       "%d rows left after every process exited", count_rows(whole) - before);
	free(whole);
	free(pids);
	munmap(sh, sizeof(*sh));
}

/* Leaves a registered process with @n threads calling until killed. */
static void spin(int n)
{
	struct shared *sh = new_shared();
	pid_t pid;
	int i;

	for (i = 0; i < n; i++)
		sh->jobs[i][0] = (struct tt_job){ TT_ALL, 10, 32 };
	sh->loop = 1;
	pid = spawn_child(sh, n);
	if (reg(pid))
		die("register");
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
	printf("%d\n", pid);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Guest nanoseconds per (kmalloc(size) + kfree) in the calling task, the
 * median of 9 runs of @n: under QEMU -icount shift=0, instructions. Size
 * 0 stands for the constant-size kmalloc(64), which skips __kmalloc.
 */
static void cost(int n, int size)
{
	struct tt_job job = { size ? TT_KMALLOC : TT_KMALLOC_CONST, n, size };
	uint64_t t[9];
	int i;

	for (i = 0; i < 9; i++) {
		t[i] = now_ns();
		if (ioctl(tt_fd, TT_RUN, &job))
			die("TT_RUN");
		t[i] = now_ns() - t[i];
	}
	print_median9(t, n);
}

static void open_devices(int helper)
{
	tracer_fd = open("/dev/tracer", O_RDONLY);
	if (tracer_fd < 0)
		die("/dev/tracer");
	tt_fd = helper ? open("/dev/tracer_test", O_RDONLY) : -1;
	if (helper && tt_fd < 0)
		die("/dev/tracer_test");
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "cost") && argc > 3) {
		/* "self": registered; otherwise the tracer may be absent. */
		if (argc > 4 && !strcmp(argv[4], "self")) {
			open_devices(1);
			if (reg(getpid()))
				die("register");
		} else {
			tt_fd = open("/dev/tracer_test", O_RDONLY);
			if (tt_fd < 0)
				die("/dev/tracer_test");
		}
		cost(atoi(argv[2]), atoi(argv[3]));
		return 0;
	}
	if ((!strcmp(cmd, "add") || !strcmp(cmd, "remove")) && argc > 2) {
		open_devices(0);
		if (ioctl(tracer_fd, cmd[0] == 'a' ? TRACER_ADD_PROCESS :
			  TRACER_REMOVE_PROCESS, atoi(argv[2]))) {
			perror(cmd);
			return 1;
		}
		return 0;
	}
	open_devices(1);
	if (!strcmp(cmd, "abi")) {
		test_abi(sizeof(long) == 4 ? "abi32" : "abi64");
	} else if (!strcmp(cmd, "counts")) {
		test_sizes();
		test_threads(32);
		test_threads(256);
		test_thread_tid();
		test_kthreads();
		test_foreign_frees();
	} else if (!strcmp(cmd, "lifecycle")) {
		test_exit_reuse();
		test_remove_running();
	} else if (!strcmp(cmd, "many") && argc > 2) {
		test_many(atoi(argv[2]));
	} else if (!strcmp(cmd, "spin") && argc > 2) {
		spin(atoi(argv[2]));
	} else {
		fprintf(stderr, "usage: tcheck abi|counts|lifecycle|many N|spin N|add PID|remove PID|cost N SIZE [self]\n");
		return 2;
	}
	return failures ? 1 : 0;
}
