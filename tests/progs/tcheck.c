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
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <grp.h>
#include <sys/mman.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/uapi/tracer.h"
#include "../module/tracer_test.h"
#include "tresult.h"
#include "tothers.h"

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
	unsigned long rounds[MAX_THREADS];	/* job lists run, when looping */
};

static int tracer_fd = -1, tt_fd = -1;
static int proc_may_vanish;	/* the module may be unloaded, or a read fail */
/*
 * Allocations may fail (stress faults). A page the kernel's copy to the
 * caller must allocate is then EFAULT, the kernel's and not the tracer's:
 * a page not yet faulted in, or one another thread's fork() made
 * copy-on-write while the child lives. So reads go to a page of the
 * thread's own, faulted in once and shared (never copied on write), and
 * are copied on from there (a fault of the process's own code waits).
 */
static int faults_scratch;
#define SCRATCH_SIZE	(1 << 16)

static char *scratch(void)
{
	static __thread char *page;

	if (!page) {
		page = mmap(NULL, SCRATCH_SIZE, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (page == MAP_FAILED)
			die("mmap");
		memset(page, 0, SCRATCH_SIZE);
	}
	return page;
}

static void nap(void)
{
	struct timespec ts = { 0, 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * Flags shared with forked children: waiters sleep on a futex rather than
 * poll, as hundreds of polling threads would starve a slow (debug) guest.
 * The timeout only guards against a lost wake-up.
 */
static void wait_flag(int *flag, int value)
{
	struct timespec ts = { 0, 100000000 };
	int now;

	while ((now = __atomic_load_n(flag, __ATOMIC_ACQUIRE)) < value)
		syscall(SYS_futex, flag, FUTEX_WAIT, now, &ts, NULL, 0);
}

static void wake_flag(int *flag)
{
	syscall(SYS_futex, flag, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

static void set_flag(int *flag, int value)
{
	__atomic_store_n(flag, value, __ATOMIC_RELEASE);
	wake_flag(flag);
}

static void add_flag(int *flag)
{
	__atomic_add_fetch(flag, 1, __ATOMIC_RELEASE);
	wake_flag(flag);
}

static int reg(pid_t pid)
{
	return ioctl(tracer_fd, TRACER_ADD_PROCESS, pid) ? -errno : 0;
}

static int unreg(pid_t pid)
{
	return ioctl(tracer_fd, TRACER_REMOVE_PROCESS, pid) ? -errno : 0;
}

/*
 * Under faults, this thread's own brk() and mmap() fail as the kernel's
 * allocations do, and so may its malloc(): it is tried again.
 */
static void *xrealloc(void *p, size_t size)
{
	int tries = 0;
	void *q;

	while (!(q = realloc(p, size)) && faults_scratch && ++tries < 1000)
		;
	if (!q)
		die("realloc");
	return q;
}

/*
 * Whole file @path, read in @chunk-byte reads. Caller frees. NULL if
 * it went away and proc_may_vanish.
 */
static char *read_file(const char *path, size_t chunk)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = xrealloc(NULL, cap + 1);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 && proc_may_vanish) {
		free(buf);
		return NULL;
	}
	if (fd < 0)
		die(path);
	for (;;) {
		if (cap - len < chunk) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
		if (faults_scratch) {
			n = read(fd, scratch(), chunk);
			if (n > 0)
				memcpy(buf + len, scratch(), n);
		} else {
			n = read(fd, buf + len, chunk);
		}
		if (n < 0 && proc_may_vanish) {
			close(fd);
			free(buf);
			return NULL;
		}
		if (n < 0)
			die(path);
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

static char *read_proc(size_t chunk)
{
	return read_file("/proc/tracer", chunk);
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
	int ret = text ? parse_row(text, pid, out) : 0;

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
static void compare_counts(const char *name, const char *row,
			   const struct counts *got, const struct counts *want,
			   int sched_min)
{
	char diff[512] = "";
	int i;

	for (i = 0; i < NCOL; i++) {
		int bad = i == SCHED && sched_min ? got->c[i] < want->c[i] :
						    got->c[i] != want->c[i];

		if (bad)
			snprintf(diff + strlen(diff), sizeof(diff) - strlen(diff),
				 " %s=%" PRIu64 "(want %s%" PRIu64 ")", col_names[i],
				 got->c[i], i == SCHED && sched_min ? ">=" : "",
				 want->c[i]);
	}
	result(!diff[0], name, "%s:%s", row, diff);
}

static void check_counts(const char *name, pid_t pid, const struct counts *want,
			 int sched_min)
{
	struct counts got;
	char row[32];
	int r = read_row(pid, &got);

	if (r != 1) {
		result(0, name, r ? "malformed /proc/tracer" : "no row for %d", pid);
		return;
	}
	snprintf(row, sizeof(row), "pid %d", pid);
	compare_counts(name, row, &got, want, sched_min);
}

static void expect_err(const char *name, int got, int want);
static uint64_t now_ns(void);
static void open_devices(int helper);
static int count_rows(const char *text);
static pid_t sleeper(void);

static void *child_thread(void *arg)
{
	struct shared *sh = (struct shared *)((void **)arg)[0];
	long idx = (long)((void **)arg)[1];
	int k;

	sh->tid[idx] = syscall(SYS_gettid);
	add_flag(&sh->ready);
	wait_flag(&sh->go, 1);
	do {
		for (k = 0; k < MAX_JOBS && sh->jobs[idx][k].count; k++)
			if (ioctl(tt_fd, TT_RUN, &sh->jobs[idx][k]))
				sh->err[idx] = errno;
		sh->rounds[idx]++;
	} while (sh->loop && !__atomic_load_n(&sh->quit, __ATOMIC_ACQUIRE));
	add_flag(&sh->done);
	wait_flag(&sh->quit, 1);
	return NULL;
}

/*
 * In a child, at once: it dies with the thread that forked it. A test that
 * dies then leaves no child looping, registered, with the test module's
 * device open (which would keep both modules from unloading).
 */
static void die_with_parent(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
}

/*
 * A child process of @nthreads threads, all created before anything is
 * registered (thread creation allocates), each running its jobs from
 * sh->jobs when released with sh->go. It dies with us unless @outlive.
 */
static pid_t spawn(struct shared *sh, int nthreads, int outlive)
{
	pid_t parent = getpid(), pid;

	sh->go = sh->quit = sh->ready = sh->done = 0;
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		static void *args[MAX_THREADS][2];
		pthread_t t;
		long i;

		if (!outlive)
			die_with_parent(parent);
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

static pid_t spawn_child(struct shared *sh, int nthreads)
{
	return spawn(sh, nthreads, 0);
}

static void finish_child(struct shared *sh, pid_t pid)
{
	set_flag(&sh->quit, 1);
	set_flag(&sh->go, 1);
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
	set_flag(&sh->go, 1);
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

/*
 * Cgroup rows (tcheck cgroups ROOT, ROOT the cgroup2 mount). Children are
 * created in this process's cgroup, then moved by writing their PIDs to
 * cgroup.procs: the move runs in this unregistered process.
 */
static const char *cg_root;

static void cg_dir(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", cg_root, name);
}

static void cg_make(const char *name)
{
	char dir[PATH_MAX];

	cg_dir(dir, sizeof(dir), name);
	if (mkdir(dir, 0755) && errno != EEXIST)
		die(dir);
}

/* @name "" is the root. */
static void cg_move(pid_t pid, const char *name)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%scgroup.procs", cg_root, name,
		 *name ? "/" : "");
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", pid) < 0 || fclose(f))
		die(path);
}

/* TRACER_ADD_CGROUP (@add) or TRACER_REMOVE_CGROUP of @path: 0 or -errno. */
static int cg_ioctl(const char *path, int add)
{
	int fd = open(path, O_RDONLY), err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(tracer_fd, add ? TRACER_ADD_CGROUP : TRACER_REMOVE_CGROUP, fd))
		err = -errno;
	close(fd);
	return err;
}

static int cg_reg(const char *name, int add)
{
	char dir[PATH_MAX];

	cg_dir(dir, sizeof(dir), name);
	return cg_ioctl(dir, add);
}

/*
 * The row of cgroup "/@name" in /proc/tracer_cgroups, and what it holds:
 * 1 if found, 0 if not, -1 if a line is malformed.
 */
static int read_cg_row(const char *name, struct counts *out, int64_t *held)
{
	char *text = read_file("/proc/tracer_cgroups", 4096), *line, *next;
	int found = 0;

	if (strncmp(text, "CGROUP ", 7) || !strchr(text, '\n')) {
		free(text);
		return -1;
	}
	for (line = strchr(text, '\n') + 1; *line; line = next) {
		char path[PATH_MAX];
		struct counts c;
		int64_t h[2];

		next = strchr(line, '\n');
		if (!next)
			found = -1;
		if (!next || sscanf(line, "%4095s %" SCNu64 " %" SCNu64 " %" SCNu64
				    " %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
				    " %" SCNu64 " %" SCNu64 " %" SCNd64 " %" SCNd64,
				    path, &c.c[0], &c.c[1], &c.c[2], &c.c[3],
				    &c.c[4], &c.c[5], &c.c[6], &c.c[7], &c.c[8],
				    &h[0], &h[1]) != 12)
			break;
		next++;
		if (path[0] == '/' && !strcmp(path + 1, name)) {
			*out = c;
			held[0] = h[0];
			held[1] = h[1];
			found++;
		}
	}
	free(text);
	return found > 1 ? -1 : found;
}

static void check_cg_counts(const char *name, const char *cg,
			    const struct counts *want, int sched_min)
{
	struct counts got;
	int64_t held[2];
	char row[PATH_MAX];
	int r = read_cg_row(cg, &got, held);

	if (r != 1) {
		result(0, name, r ? "malformed /proc/tracer_cgroups" :
				    "no row for /%s", cg);
		return;
	}
	snprintf(row, sizeof(row), "cgroup /%s", cg);
	compare_counts(name, row, &got, want, sched_min);
}

/* What the row of /@cg (@cg NULL: of process @pid) holds. */
static void check_held(const char *name, const char *cg, pid_t pid,
		       int64_t blocks, int64_t bytes)
{
	int64_t held[2] = { -1, -1 };
	struct counts c;

	if (cg) {
		read_cg_row(cg, &c, held);
	} else {
		char *text = read_file("/proc/tracer_held", 4096), *line;

		for (line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
			int p;
			int64_t h[2];

			if (sscanf(line + 1, "%d %" SCNd64 " %" SCNd64, &p, &h[0], &h[1]) == 3 &&
			    p == pid) {
				held[0] = h[0];
				held[1] = h[1];
			}
		}
		free(text);
	}
	result(held[0] == blocks && held[1] == bytes, name,
	       "held %" PRId64 " blocks of %" PRId64 " bytes, want %" PRId64 " of %" PRId64,
	       held[0], held[1], blocks, bytes);
}

/* Two processes of two threads each, moved into a registered cgroup. */
static void test_cg_counts(void)
{
	const struct tt_job jobs[2][2][3] = {
		{ { { TT_KMALLOC, 7, 24 }, { TT_UP_DOWN, 13 } },
		  { { TT_LOCK, 17 }, { TT_SCHEDULE, 11 } } },
		{ { { TT_KMALLOC, 3, 3 * 4096 + 5 }, { TT_KZALLOC, 4, 100 } },
		  { { TT_KREALLOC, 5, 64 }, { TT_UP_DOWN, 2 } } },
	};
	struct shared *sh[2] = { new_shared(), new_shared() };
	struct counts want = { 0 };
	pid_t pid[2];
	int i, t, k, err;

	cg_make("tt-counts");
	for (i = 0; i < 2; i++) {
		for (t = 0; t < 2; t++)
			for (k = 0; jobs[i][t][k].count; k++) {
				sh[i]->jobs[t][k] = jobs[i][t][k];
				expect_job(&want, &jobs[i][t][k]);
			}
		pid[i] = spawn_child(sh[i], 2);
		cg_move(pid[i], "tt-counts");
	}
	err = cg_reg("tt-counts", 1);
	result(!err, "cgroup-add", "%s", strerror(-err));
	for (i = 0; i < 2; i++)
		release(sh[i], 2);
	check_cg_counts("cgroup-counts-exact", "tt-counts", &want, 1);
	/* Their exits count too: moved out first, they leave it as it is. */
	for (i = 0; i < 2; i++) {
		cg_move(pid[i], "");
		finish_child(sh[i], pid[i]);
		munmap(sh[i], sizeof(*sh[i]));
	}
	check_cg_counts("cgroup-counts-kept-after-exit", "tt-counts", &want, 1);
}

/*
 * A process that runs one job per step when told, so that it can be moved
 * between steps; a step with @fork set runs its job in a child that
 * exits, and waits for it.
 */
struct stepper {
	int step, done;
	struct tt_job jobs[MAX_JOBS];
	int fork[MAX_JOBS];
	int err;
};

static pid_t spawn_stepper(struct stepper *st)
{
	pid_t pid = fork(), child;
	int k;

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	close(tracer_fd);
	for (k = 0; k < MAX_JOBS && st->jobs[k].count; k++) {
		wait_flag(&st->step, k + 1);
		child = st->fork[k] ? fork() : 0;
		if (child < 0)
			st->err = errno;
		if (child > 0)
			waitpid(child, NULL, 0);
		else if (ioctl(tt_fd, TT_RUN, &st->jobs[k]))
			st->err = errno;
		if (st->fork[k] && !child)
			_exit(0);
		add_flag(&st->done);
	}
	_exit(0);
}

static void step(struct stepper *st)
{
	int k = st->step + 1;

	set_flag(&st->step, k);
	wait_flag(&st->done, k);
}

/*
 * Processes that move in and out, fork and exit while counted. Moving and
 * forking allocate and lock in ways of their own, so only up and down,
 * which they never call, are exact here.
 */
static void test_cg_churn(void)
{
	struct stepper *p = mmap(NULL, 2 * sizeof(*p), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0), *r = p + 1;
	struct counts got;
	int64_t held[2];
	pid_t pp, pr;
	int i;

	if (p == MAP_FAILED)
		die("mmap");
	memset(p, 0, 2 * sizeof(*p));
	for (i = 0; i < 4; i++)
		p->jobs[i] = (struct tt_job){ TT_UP_DOWN, (unsigned int[]){ 5, 7, 11, 13 }[i] };
	p->fork[2] = 1;
	r->jobs[0] = (struct tt_job){ TT_UP_DOWN, 3 };
	r->jobs[1] = (struct tt_job){ TT_UP_DOWN, 17 };
	cg_make("tt-churn");
	pp = spawn_stepper(p);
	pr = spawn_stepper(r);
	cg_move(pp, "tt-churn");
	cg_reg("tt-churn", 1);
	step(p);			/* 5, counted */
	step(r);			/* 3, outside */
	cg_move(pp, "");
	step(p);			/* 7, outside */
	cg_move(pp, "tt-churn");
	cg_move(pr, "tt-churn");
	step(p);			/* 11, in a child that exits */
	step(r);			/* 17 */
	step(p);			/* 13 */
	waitpid(pp, NULL, 0);
	waitpid(pr, NULL, 0);
	if (p->err || r->err)
		result(0, "cgroup-churn", "job: %s", strerror(p->err ?: r->err));
	else if (read_cg_row("tt-churn", &got, held) != 1)
		result(0, "cgroup-churn", "no row for /tt-churn");
	else
		result(got.c[UP] == 46 && got.c[DOWN] == 46, "cgroup-churn",
		       "up %" PRIu64 " down %" PRIu64 ", want 46 (5 + 11 + 17 + 13)",
		       got.c[UP], got.c[DOWN]);
	munmap(p, 2 * sizeof(*p));
}

/* A task counts in every registered cgroup above it, and only there. */
static void test_cg_nested(void)
{
	const struct tt_job ja[] = { { TT_UP_DOWN, 3 }, { TT_LOCK, 2 }, { 0 } };
	const struct tt_job jb[] = { { TT_UP_DOWN, 4 }, { TT_KMALLOC, 2, 50 }, { 0 } };
	struct shared *a = new_shared(), *b = new_shared();
	struct counts wa = { 0 }, wb = { 0 }, got;
	int64_t held[2];
	pid_t pa, pb;
	int k;

	cg_make("tt-nest");
	cg_make("tt-nest/a");
	cg_make("tt-nest/b");
	memcpy(a->jobs[0], ja, sizeof(ja));
	memcpy(b->jobs[0], jb, sizeof(jb));
	for (k = 0; ja[k].count; k++)
		expect_job(&wa, &ja[k]);
	for (k = 0; jb[k].count; k++)
		expect_job(&wb, &jb[k]);
	pa = spawn_child(a, 1);
	pb = spawn_child(b, 1);
	cg_move(pa, "tt-nest/a");
	cg_move(pb, "tt-nest/b");
	cg_reg("tt-nest", 1);
	cg_reg("tt-nest/a", 1);
	release(a, 1);
	release(b, 1);
	check_cg_counts("cgroup-nested-child", "tt-nest/a", &wa, 1);
	for (k = 0; k < NCOL; k++)
		wb.c[k] += wa.c[k];
	check_cg_counts("cgroup-nested-parent-sums", "tt-nest", &wb, 1);
	result(read_cg_row("tt-nest/b", &got, held) == 0, "cgroup-nested-unregistered-no-row",
	       "/tt-nest/b has a row");
	finish_child(a, pa);
	finish_child(b, pb);
	munmap(a, sizeof(*a));
	munmap(b, sizeof(*b));
}

/* Blocks kept by a cgroup's (and a registered process's) task, then freed. */
static void test_cg_held(void)
{
	struct shared *c = new_shared();
	struct tt_job free_kept = { TT_FREE_KEPT, 1 };
	struct counts want = { 0 };
	pid_t pid;

	cg_make("tt-held");
	c->jobs[0][0] = (struct tt_job){ TT_KEEP, 10, 100 };
	pid = spawn_child(c, 1);
	cg_move(pid, "tt-held");
	cg_reg("tt-held", 1);
	reg(pid);
	release(c, 1);
	check_held("held-cgroup-kept", "tt-held", 0, 10, 1000);
	check_held("held-process-kept", NULL, pid, 10, 1000);
	/* Freed by this process, in no row. */
	if (ioctl(tt_fd, TT_RUN, &free_kept))
		die("TT_FREE_KEPT");
	check_held("held-cgroup-freed-by-other", "tt-held", 0, 0, 0);
	check_held("held-process-freed-by-other", NULL, pid, 0, 0);
	finish_child(c, pid);

	/* Kept and freed by the same process. */
	memset(c, 0, sizeof(*c));
	c->jobs[0][0] = (struct tt_job){ TT_KEEP, 4, 64 };
	c->jobs[0][1] = free_kept;
	expect_job(&want, &c->jobs[0][0]);
	want.c[KFREE] = 4;
	want.c[KFREE_MEM] = 256;
	pid = spawn_child(c, 1);
	reg(pid);
	release(c, 1);
	check_counts("held-own-free-counts", pid, &want, 1);
	check_held("held-own-free", NULL, pid, 0, 0);
	finish_child(c, pid);
	munmap(c, sizeof(*c));
}

/* A removed cgroup's row goes (within a second, by the module's poll). */
static void test_cg_removed(void)
{
	struct counts got;
	int64_t held[2];
	char dir[PATH_MAX];
	int tries = 0;

	cg_make("tt-rm");
	cg_reg("tt-rm", 1);
	result(read_cg_row("tt-rm", &got, held) == 1, "cgroup-row-shown", "no row for /tt-rm");
	cg_dir(dir, sizeof(dir), "tt-rm");
	if (rmdir(dir))
		die("rmdir tt-rm");
	while (read_cg_row("tt-rm", &got, held) && tries++ < 50)
		usleep(100000);
	result(tries <= 30, "cgroup-removed-row-gone", "still there after %d tries", tries);
}

/*
 * A reader in a cgroup namespace sees paths from its root, and no row
 * outside it.
 */
static void test_cg_namespace(void)
{
	char *seen = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	if (seen == MAP_FAILED)
		die("mmap");
	cg_make("tt-ns");
	cg_make("tt-ns/in");
	cg_make("tt-ns-other");
	cg_reg("tt-ns", 1);
	cg_reg("tt-ns/in", 1);
	cg_reg("tt-ns-other", 1);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		char *text;

		cg_move(getpid(), "tt-ns");
		if (unshare(CLONE_NEWCGROUP))
			die("unshare");
		text = read_file("/proc/tracer_cgroups", 4096);
		snprintf(seen, 4096, "%s", text);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	result(strstr(seen, "\n/ ") && strstr(seen, "\n/in ") && !strstr(seen, "other"),
	       "cgroup-namespace-paths", "read there: %s", seen);
	cg_reg("tt-ns/in", 0);
	cg_reg("tt-ns", 0);
	cg_reg("tt-ns-other", 0);
	munmap(seen, 4096);
}

static void test_cg_errors(void)
{
	char dir[PATH_MAX];
	int i, n = 0, err;

	cg_dir(dir, sizeof(dir), "cgroup.procs");
	expect_err("cgroup-add-not-a-directory", cg_ioctl(dir, 1), EBADF);
	expect_err("cgroup-add-not-a-cgroup", cg_ioctl("/tmp", 1), EBADF);
	expect_err("cgroup-add-bad-fd", ioctl(tracer_fd, TRACER_ADD_CGROUP, 1000) ? -errno : 0,
		   EBADF);
	expect_err("cgroup-add-twice", cg_reg("tt-counts", 1), EEXIST);
	expect_err("cgroup-remove", cg_reg("tt-counts", 0), 0);
	expect_err("cgroup-remove-unregistered", cg_reg("tt-counts", 0), ENOENT);
	cg_reg("tt-churn", 0);
	cg_reg("tt-nest", 0);
	cg_reg("tt-nest/a", 0);
	cg_reg("tt-held", 0);
	/* Every slot: the rest of the suite registered none still. */
	for (i = 0; i < 64; i++) {
		char name[32];

		snprintf(name, sizeof(name), "tt-full-%d", i);
		cg_make(name);
		n += !cg_reg(name, 1);
	}
	cg_make("tt-full-64");
	err = cg_reg("tt-full-64", 1);
	result(n == 64 && err == -ENOSPC, "cgroup-add-65th", "%d added, the 65th: %s",
	       n, strerror(-err));
	for (i = 0; i <= 64; i++) {
		char name[32];

		snprintf(name, sizeof(name), "tt-full-%d", i);
		cg_reg(name, 0);
		cg_dir(dir, sizeof(dir), name);
		rmdir(dir);
	}
}

static void test_cgroups(const char *root)
{
	cg_root = root;
	test_cg_counts();
	test_cg_churn();
	test_cg_nested();
	test_cg_held();
	test_cg_removed();
	test_cg_namespace();
	test_cg_errors();
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

/* The rows of @pid in /proc/tracer: 1 if it is registered, 2 if twice. */
static int rows_of(pid_t pid)
{
	char *text = read_proc(4096), *line;
	int n = 0;

	for (line = text ? strchr(text, '\n') : NULL; line && line[1];
	     line = strchr(line + 1, '\n'))
		n += atoi(line + 1) == pid;
	free(text);
	return n;
}

/* The "rows:" of /proc/tracer_status: rows hidden from /proc/tracer too. */
static int status_rows(void)
{
	FILE *f = fopen("/proc/tracer_status", "r");
	char line[256];
	int n = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "rows: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

/* @tgid's next fork, exec or request waits, until tt_release(), 10 s at most. */
static void tt_delay(pid_t tgid)
{
	struct tt_job d = { 0, 10000, 0, tgid, 0 };

	if (ioctl(tt_fd, TT_DELAY, &d))
		die("TT_DELAY");
}

/* Once it waits there. */
static void tt_entered(void)
{
	struct tt_job d = { 0 };
	int i;

	for (i = 0; i < 10000 && ioctl(tt_fd, TT_DELAY_ENTERED, &d) != 1; i++)
		nap();
}

static void tt_release(void)
{
	struct tt_job d = { 0 }, off = { 0 };

	if (ioctl(tt_fd, TT_DELAY_RELEASE, &d) || ioctl(tt_fd, TT_DELAY, &off))
		die("TT_DELAY_RELEASE");
}

/* A free PID number, @from or above. */
static pid_t free_pid(pid_t from)
{
	while (kill(from, 0) == 0 || errno != ESRCH)
		from++;
	return from;
}

/*
 * The child of a process registered with its tree, registered by someone
 * else between attach_pid() and the fork hook (a window TT_DELAY holds
 * open): one row, gone at the child's exit.
 */
static void test_fork_race(void)
{
	struct shared *sh = new_shared();
	int got, n1, n2, before = status_rows(), after;
	pid_t f, x;

	f = fork();
	if (f < 0)
		die("fork");
	if (!f) {
		pid_t c;

		wait_flag(&sh->go, 1);
		c = fork();
		if (!c) {
			for (;;)
				pause();
		}
		sh->tid[0] = c;
		set_flag(&sh->done, 1);
		wait_flag(&sh->quit, 1);
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
		_exit(0);
	}
	if (ioctl(tracer_fd, TRACER_ADD_PROCESS_TREE, f))
		die("TRACER_ADD_PROCESS_TREE");
	tt_delay(f);
	x = free_pid(f + 1000);
	if (set_last_pid(x - 1))
		die("ns_last_pid");
	set_flag(&sh->go, 1);
	/* The child is attached, tracer's fork hook not run yet. */
	tt_entered();
	got = reg(x);
	tt_release();
	wait_flag(&sh->done, 1);
	result(got == 0 && sh->tid[0] == x, "fork-race-registered-first",
	       "child %d, wanted %d; registering it: %s", sh->tid[0], x, strerror(-got));
	n1 = rows_of(x);
	result(n1 == 1, "fork-race-one-row", "%d rows for PID %d", n1, x);
	set_flag(&sh->quit, 1);
	waitpid(f, NULL, 0);
	n2 = rows_of(x);
	after = status_rows();
	result(n2 == 0 && after == before, "fork-race-exit-forgets",
	       "%d rows for PID %d shown after its exit; %d rows in all, %d before",
	       n2, x, after, before);
	munmap(sh, sizeof(*sh));
}

static void *exec_thread(void *arg)
{
	struct shared *sh = arg;

	sh->tid[0] = syscall(SYS_gettid);
	set_flag(&sh->ready, 1);
	wait_flag(&sh->go, 1);
	execl("/proc/self/exe", "tcheck", "true", (char *)NULL);
	_exit(97);
}

/*
 * A thread's exec frees its TID in de_thread(), before the exec hook
 * (which TT_DELAY holds back): a new process given that number and
 * registered meanwhile keeps its row.
 */
static void test_exec_reuse(void)
{
	struct shared *sh = new_shared();
	pid_t a, b = -1, t;
	int got = -1, tries = 0, n;

	a = fork();
	if (a < 0)
		die("fork");
	if (!a) {
		pthread_t th;

		if (pthread_create(&th, NULL, exec_thread, sh))
			_exit(98);
		for (;;)
			pause();
	}
	wait_flag(&sh->ready, 1);
	t = sh->tid[0];
	tt_delay(a);
	set_flag(&sh->go, 1);
	/* @t is free once the exec hook waits; ours at the first free try. */
	tt_entered();
	while (tries++ < 100) {
		if (set_last_pid(t - 1))
			die("ns_last_pid");
		b = sleeper();
		if (b == t)
			break;
		kill(b, SIGKILL);
		waitpid(b, NULL, 0);
		b = -1;
	}
	if (b == t)
		got = reg(b);
	tt_release();
	waitpid(a, NULL, 0);
	result(got == 0, "exec-reused-tid-registered",
	       "PID %d after %d tries, wanted %d; registering it: %s", b, tries, t,
	       strerror(-got));
	n = rows_of(t);
	result(got == 0 && n == 1, "exec-reused-tid-row-kept",
	       "%d rows for PID %d after the exec hook", n, t);
	if (b > 0) {
		kill(b, SIGKILL);
		waitpid(b, NULL, 0);
	}
	munmap(sh, sizeof(*sh));
}

/*
 * TRACER_REMOVE_PROCESS held between finding its process and removing the
 * row (TT_DELAY): meanwhile the process exits and its number goes to a new
 * registered process, whose row stays.
 */
static void test_remove_reuse(void)
{
	struct shared *sh = new_shared();
	pid_t v = sleeper(), r, b;
	int n;

	if (reg(v))
		die("register");
	r = fork();
	if (r < 0)
		die("fork");
	if (!r) {
		wait_flag(&sh->go, 1);
		sh->err[0] = unreg(v);
		_exit(0);
	}
	tt_delay(r);
	set_flag(&sh->go, 1);
	tt_entered();
	kill(v, SIGKILL);
	waitpid(v, NULL, 0);
	if (set_last_pid(v - 1))
		die("ns_last_pid");
	b = sleeper();
	result(b == v && reg(b) == 0, "remove-reused-pid-registered",
	       "PID %d, wanted %d", b, v);
	tt_release();
	waitpid(r, NULL, 0);
	n = rows_of(b);
	result(n == 1 && sh->err[0] == -ENOENT, "remove-reused-pid-row-kept",
	       "%d rows for the new PID %d; the removal said %s", n, b,
	       strerror(-sh->err[0]));
	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	munmap(sh, sizeof(*sh));
}

/*
 * A registered process that opens a monitor, watches (which allocates the
 * monitor's queue) and closes it: tracer's own allocations are not counted
 * in its row, neither the allocation nor the bytes of its free.
 */
static void test_monitor_uncounted(void)
{
	struct shared *sh = new_shared();
	struct counts c = { { 0 } };
	pid_t pid = fork();
	int rows;

	if (pid < 0)
		die("fork");
	if (!pid) {
		struct tracer_watch w = { getpid(), TRACER_EV_EXIT, 0, 0 };
		int fd;

		if (reg(getpid()))
			_exit(90);
		fd = open("/dev/tracer", O_RDWR);
		if (fd < 0 || ioctl(fd, TRACER_WATCH, &w))
			_exit(91);
		close(fd);
		set_flag(&sh->done, 1);
		for (;;)
			pause();
	}
	wait_flag(&sh->done, 1);
	rows = read_row(pid, &c);
	/*
	 * No allocation the size of a queue page or more. The kernel's own
	 * small ones may count: open() and close() kfree(NULL), and 7.x's
	 * slab kmallocs a sheaf of its own while refilling, in any caller.
	 */
	result(rows == 1 && c.c[KMALLOC_MEM] < 4096 && c.c[KFREE_MEM] < 4096,
	       "monitor-queue-uncounted",
	       "%d rows for %d: kmalloc %" PRIu64 " (%" PRIu64 " bytes), kfree %" PRIu64
	       " (%" PRIu64 " bytes)", rows, pid, c.c[KMALLOC], c.c[KMALLOC_MEM],
	       c.c[KFREE], c.c[KFREE_MEM]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
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
	set_flag(&sh->go, 1);
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
		   ioctl(tracer_fd, _IOW(_IOC_WRITE, 0xff, pid_t), 1) ? -errno : 0, ENOTTY);
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

/* A child that sleeps until killed, without /dev/tracer open. */
static pid_t sleeper(void)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		die_with_parent(parent);
		close(tracer_fd);
		pause();
		_exit(0);
	}
	return pid;
}

/*
 * Waits until @pid sleeps in pause(), as /proc/PID/syscall names the call
 * a task is blocked in: a new sleeper may not have run yet, and until it
 * has slept its counts still move.
 */
static void wait_paused(pid_t pid)
{
	char path[64], buf[64];
	int tries = 0, fd;
	ssize_t len;

	snprintf(path, sizeof(path), "/proc/%d/syscall", pid);
	for (;;) {
		fd = open(path, O_RDONLY);
		if (fd < 0)
			die(path);
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[len > 0 ? len : 0] = '\0';
		if (atoi(buf) == SYS_pause)
			return;
		if (++tries == 10000) {
			errno = ETIMEDOUT;
			die("a sleeper never reached pause()");
		}
		usleep(1000);
	}
}

/*
 * @n registered processes, @batch of them alive at a time (a guest holds
 * a few thousand sleeping processes, not 100,000), and /proc/tracer read
 * meanwhile: each batch's rows are there, once each, then gone.
 */
static void test_many(int n, int batch)
{
	pid_t *pids = calloc(batch, sizeof(*pids)), reader;
	struct shared *sh = new_shared();
	char *whole = read_proc(4096), *bytewise;
	int i, k, done, bad = 0, rows_bad = 0, once_bad = 0, small_bad = 0;
	int before = count_rows(whole);
	struct counts c;

	free(whole);
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
	for (done = 0; done < n; done += k) {
		k = n - done < batch ? n - done : batch;
		for (i = 0; i < k; i++)
			pids[i] = sleeper();
		/* Their rows must not change between the reads below. */
		for (i = 0; i < k; i++)
			wait_paused(pids[i]);
		for (i = 0; i < k; i++)
			bad += reg(pids[i]) != 0;
		whole = read_proc(1 << 16);
		rows_bad += count_rows(whole) != k + before;
		once_bad += !each_pid_once(whole, pids, k);
		bytewise = read_proc(7);
		small_bad += !!strcmp(whole, bytewise);
		free(whole);
		free(bytewise);
		for (i = 0; i < k; i++)
			kill(pids[i], SIGKILL);
		for (i = 0; i < k; i++)
			waitpid(pids[i], NULL, 0);
	}
	result(!bad, "many-register", "%d of %d failed", bad, n);
	result(!rows_bad, "many-rows", "%d batches of %d without a row each", rows_bad, batch);
	result(!once_bad, "many-every-pid-once",
	       "a registered PID is missing or repeated in %d batches", once_bad);
	result(!small_bad, "many-small-reads-same", "7-byte reads differ in %d batches",
	       small_bad);
	set_flag(&sh->quit, 1);
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
	pid = spawn(sh, n, 1);
	if (reg(pid))
		die("register");
	set_flag(&sh->go, 1);
	printf("%d\n", pid);
}

/*
 * Stress: for @secs seconds, @procs processes of @threads threads call
 * every traced function in a loop while a registrar thread adds and
 * removes them (and their threads) at random, a forker makes children
 * that call a little and exit (their PIDs come back once pid_max wraps),
 * some of them registered as they go, and readers parse /proc/tracer.
 * Meanwhile @threads-thread processes registered for their whole life do
 * a known amount of work: their rows must be exact. With @unload, the
 * module may go away at any moment (tests/guest/unload.sh removes it):
 * /dev/tracer is opened only for a batch of calls, errors of a vanished
 * module are expected, and "exact" is printed to /tmp/stress.exact once
 * the exact part is checked. With @faults, the registrar's, readers' and
 * forker's allocations fail as the debug kernel's failslab and
 * fail_page_alloc are told (tests/guest/faults.sh; make-it-fail of each of
 * these threads, off for the forker's forks): every call of
 * theirs must succeed or end with an error the interface documents,
 * ENOMEM only where it allocates; the exact rows stay exact.
 */
#define STRESS_EXACT	4
#define STRESS_PROCS	64

struct stress {
	int quit, unload, faults;
	unsigned long adds, add_ok, removes, remove_ok, forks, reads, malformed;
	unsigned long enomem, undocumented, read_failed;
	unsigned long regs_gone, forked_registered, reused, reuse_bad;
	pid_t churn[STRESS_PROCS], churn_tid[STRESS_PROCS][4];
	int nchurn;
};

static int stress_open(struct stress *st)
{
	int fd, tries = 0;

	do
		fd = open("/dev/tracer", O_RDONLY);
	while (fd < 0 && errno == ENOMEM && st->faults && ++tries < 1000);
	if (fd < 0 && !st->unload)
		die("/dev/tracer");
	return fd;
}

/*
 * Under faults: this thread's allocations fail from now on, or no more.
 * Its file is opened once, before: an open may fail once they do.
 */
static void stress_faults(struct stress *st, int on)
{
	static __thread int fd = -1;

	if (!st->faults)
		return;
	if (fd < 0)
		fd = open("/proc/thread-self/make-it-fail", O_WRONLY);
	if (fd < 0 || pwrite(fd, on ? "1" : "0", 1, 0) != 1)
		die("/proc/thread-self/make-it-fail");
}

/*
 * An ioctl's result under faults: @docs are its documented errors (ENOMEM
 * among them where it allocates), zero-terminated. Returns !r.
 */
static int stress_result(struct stress *st, int r, const int *docs)
{
	if (!r || !st->faults)
		return !r;
	if (errno == ENOMEM)
		__atomic_add_fetch(&st->enomem, 1, __ATOMIC_RELAXED);
	for (; *docs; docs++)
		if (errno == *docs)
			return 0;
	if (__atomic_add_fetch(&st->undocumented, 1, __ATOMIC_RELAXED) <= 10)
		printf("FAIL: stress-faults-documented: a call ended with %s\n", strerror(errno));
	return 0;
}

/* What add and remove may end with here (the PIDs are real ones). */
static const int stress_add_errs[] = { ESRCH, EEXIST, ENOMEM, ENODEV, 0 };
static const int stress_remove_errs[] = { ESRCH, ENOENT, ENODEV, 0 };

static void *stress_registrar(void *arg)
{
	struct stress *st = arg;
	unsigned int seed = 1;

	stress_faults(st, 1);
	while (!__atomic_load_n(&st->quit, __ATOMIC_ACQUIRE)) {
		int fd = stress_open(st), k;

		if (fd < 0) {
			st->regs_gone++;
			nap();
			continue;
		}
		for (k = 0; k < 20; k++) {
			int i = rand_r(&seed) % st->nchurn, t = rand_r(&seed) % 5;
			pid_t pid = t == 4 ? st->churn[i] : st->churn_tid[i][t];

			if (rand_r(&seed) % 2) {
				st->adds++;
				st->add_ok += stress_result(st, ioctl(fd, TRACER_ADD_PROCESS, pid),
							    stress_add_errs);
			} else {
				st->removes++;
				st->remove_ok += stress_result(st,
							       ioctl(fd, TRACER_REMOVE_PROCESS, pid),
							       stress_remove_errs);
			}
		}
		close(fd);
	}
	return NULL;
}

static void *stress_reader(void *arg)
{
	struct stress *st = arg;
	struct counts c;

	if (st->faults)
		scratch();	/* before its mmap() may fail */
	stress_faults(st, 1);
	while (!__atomic_load_n(&st->quit, __ATOMIC_ACQUIRE)) {
		char *text = read_proc(rand() % 3 ? 4096 : 61);

		if (!text) {
			if (st->faults) {
				__atomic_add_fetch(&st->read_failed, 1, __ATOMIC_RELAXED);
				stress_result(st, -1, (const int[]){ ENOMEM, 0 });
			}
			nap();
			continue;
		}
		if (parse_row(text, 0, &c) < 0)
			__atomic_add_fetch(&st->malformed, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&st->reads, 1, __ATOMIC_RELAXED);
		free(text);
	}
	return NULL;
}

/*
 * Children that call a little and exit, every other one registered first.
 * Every other child is given the PID of the one before (ns_last_pid): a
 * reused PID must not be registered, which removing it tells (ENOENT).
 */
static void *stress_forker(void *arg)
{
	struct stress *st = arg;
	struct tt_job job = { TT_ALL, 3, 24 };
	pid_t parent = getpid(), last = 0;

	stress_faults(st, 1);
	while (!__atomic_load_n(&st->quit, __ATOMIC_ACQUIRE)) {
		int fd, reuse = last && st->forks % 2;
		pid_t pid;

		/*
		 * A fork makes a hundred allocations: under faults, one
		 * in ten failing, none would succeed. Its calls fail, not it.
		 */
		stress_faults(st, 0);
		if (reuse && set_last_pid(last - 1))
			reuse = 0;
		pid = fork();
		if (pid)
			stress_faults(st, 1);
		if (!pid) {
			die_with_parent(parent);
			ioctl(tt_fd, TT_RUN, &job);
			pause();
			_exit(0);
		}
		if (pid < 0)
			continue;
		st->forks++;
		fd = stress_open(st);
		if (fd >= 0 && reuse && pid == last) {
			st->reused++;
			st->reuse_bad += !(ioctl(fd, TRACER_REMOVE_PROCESS, pid) &&
					   (errno == ENOENT || errno == ENODEV));
		} else if (fd >= 0) {
			st->forked_registered += stress_result(st,
							       ioctl(fd, TRACER_ADD_PROCESS, pid),
							       stress_add_errs);
		}
		if (fd >= 0)
			close(fd);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		last = pid;
	}
	return NULL;
}

static int stress_rows(void)
{
	char *text = read_proc(4096);
	int rows = count_rows(text);

	free(text);
	return rows;
}

static void stress(int secs, int procs, int threads, int unload, int faults)
{
	struct stress *st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct shared *exact[STRESS_EXACT], *churn[STRESS_PROCS];
	pid_t exact_pid[STRESS_EXACT];
	struct counts want[STRESS_EXACT];
	pthread_t helpers[4];
	unsigned long rounds = 0;
	int i, t, before = 0, bad = 0;
	double exact_s;
	uint64_t t0 = now_ns();
	FILE *f;

	if (st == MAP_FAILED)
		die("mmap");
	memset(st, 0, sizeof(*st));
	st->unload = unload;
	st->faults = faults;
	proc_may_vanish = unload || faults;
	faults_scratch = faults;
	procs = procs > STRESS_PROCS ? STRESS_PROCS : procs;
	threads = threads > MAX_THREADS ? MAX_THREADS : threads;
	if (!unload)
		before = stress_rows();

	for (i = 0; i < procs; i++) {
		churn[i] = new_shared();
		churn[i]->loop = 1;
		for (t = 0; t < threads; t++)
			churn[i]->jobs[t][0] = (struct tt_job){ TT_ALL, 4, 8 * (t + 1) };
		st->churn[i] = spawn_child(churn[i], threads);
		for (t = 0; t < 4; t++)
			st->churn_tid[i][t] = churn[i]->tid[t % threads];
		/* Behind the rest: the registrar, readers and forker run too. */
		for (t = 0; t < threads; t++)
			setpriority(PRIO_PROCESS, churn[i]->tid[t], 19);
		set_flag(&churn[i]->go, 1);
	}
	st->nchurn = procs;
	pthread_create(&helpers[0], NULL, stress_registrar, st);
	pthread_create(&helpers[1], NULL, stress_reader, st);
	pthread_create(&helpers[2], NULL, stress_reader, st);
	pthread_create(&helpers[3], NULL, stress_forker, st);

	/* Registered for their whole life, amid all that: exact rows. */
	for (i = 0; i < STRESS_EXACT; i++) {
		exact[i] = new_shared();
		memset(&want[i], 0, sizeof(want[i]));
		for (t = 0; t < threads; t++) {
			exact[i]->jobs[t][0] = (struct tt_job){ TT_ALL, 20 + t, 16 * (i + 1) };
			exact[i]->jobs[t][1] = (struct tt_job){ TT_KREALLOC, 5, 40 };
			expect_job(&want[i], &exact[i]->jobs[t][0]);
			expect_job(&want[i], &exact[i]->jobs[t][1]);
		}
		exact_pid[i] = spawn_child(exact[i], threads);
		if (reg(exact_pid[i]))
			die("register");
	}
	for (i = 0; i < STRESS_EXACT; i++)
		release(exact[i], threads);
	for (i = 0; i < STRESS_EXACT; i++) {
		char name[64];

		snprintf(name, sizeof(name), "stress-exact-%d", i);
		check_counts(name, exact_pid[i], &want[i], 1);
		finish_child(exact[i], exact_pid[i]);
	}
	exact_s = (now_ns() - t0) / 1e9;
	/* The module may go from now on: no open /dev/tracer pins it. */
	close(tracer_fd);
	tracer_fd = -1;
	f = fopen("/tmp/stress.exact", "w");
	if (f)
		fclose(f);

	while (now_ns() - t0 < secs * 1000000000ull)
		sleep(1);
	set_flag(&st->quit, 1);
	for (i = 0; i < 4; i++)
		pthread_join(helpers[i], NULL);
	for (i = 0; i < procs; i++) {
		for (t = 0; t < threads; t++)
			rounds += churn[i]->rounds[t];
		finish_child(churn[i], st->churn[i]);
		bad += job_errors(churn[i], threads) != 0;
	}
	result(!bad, "stress-jobs", "%d processes had a failed job", bad);
	result(!st->malformed, "stress-proc-reads", "%lu of %lu reads malformed",
	       st->malformed, st->reads);
	result(!st->reuse_bad && (unload || st->reused), "stress-pid-reuse-unregistered",
	       "%lu of %lu reused PIDs were registered", st->reuse_bad, st->reused);
	if (!unload)
		result(stress_rows() == before, "stress-exit-forgets",
		       "%d rows left", stress_rows() - before);
	if (faults) {
		result(!st->undocumented, "stress-faults-documented",
		       "%lu calls ended with an undocumented error", st->undocumented);
		printf("INFO: faults: stress: %lu calls, %lu ended with ENOMEM (%lu of them"
		       " reads of /proc/tracer)\n",
		       st->adds + st->removes + st->reads + st->read_failed + st->forks,
		       st->enomem, st->read_failed);
	}
	printf("INFO: stress: %d s, %d processes x %d threads looping + %d x %d exact,"
	       " %lu loop rounds of 28 traced calls, %lu forks (%lu registered, %lu reused"
	       " PIDs), %lu adds (%lu ok), %lu removes (%lu ok), %lu /proc/tracer reads%s;"
	       " exact rows checked after %.1f s\n",
	       (int)((now_ns() - t0) / 1000000000ull), procs, threads, STRESS_EXACT,
	       threads, rounds, st->forks, st->forked_registered, st->reused, st->adds,
	       st->add_ok, st->removes, st->remove_ok, st->reads,
	       st->regs_gone ? ", module gone meanwhile" : "", exact_s);
}

/*
 * Registration storm: @n registrations (and as many removals), each of
 * one of @k live processes in turn. Not @n distinct processes: the storm
 * of distinct short-lived ones is the forker above and "many".
 */
static void storm(int n, int k)
{
	pid_t *pids = calloc(k, sizeof(*pids));
	int i, bad = 0;
	uint64_t t0;

	for (i = 0; i < k; i++)
		pids[i] = sleeper();
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		bad += reg(pids[i % k]) != 0;
		if (i % k == k - 1 || i == n - 1) {
			int j;

			for (j = 0; j <= i % k; j++)
				bad += unreg(pids[j]) != 0;
		}
	}
	t0 = now_ns() - t0;
	result(!bad, "storm", "%d of %d registrations or removals failed", bad, 2 * n);
	printf("INFO: storm: %d registrations and %d removals of %d live processes"
	       " in %.1f s (%.0f per s)\n", n, n, k, t0 / 1e9, 2.0 * n / (t0 / 1e9));
	for (i = 0; i < k; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < k; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
}

/*
 * A registered child keeps @n blocks (so that a small alloc_slots
 * overflows), then frees them: every kfree is counted, the bytes only of
 * those with a record; /proc/tracer_status must show the loss.
 */
static void overflow(int n)
{
	struct shared *sh = new_shared();
	struct counts c = { 0 };
	pid_t pid;
	int row;

	sh->jobs[0][0] = (struct tt_job){ TT_KEEP, n, 64 };
	sh->jobs[0][1] = (struct tt_job){ TT_FREE_KEPT, 1 };
	pid = spawn_child(sh, 1);
	if (reg(pid))
		die("register");
	release(sh, 1);
	/*
	 * Keeping and freeing n blocks can make the kernel allocate for itself
	 * in the child's context, which counts as any kernel allocation does:
	 * since 6.18 the slab allocator kmallocs a per-CPU sheaf as one runs
	 * full or empty (7.2: ten of 512 bytes for 1000 blocks). So at least
	 * the blocks' calls and bytes, and fewer bytes seen freed than
	 * allocated: the records the table could not keep.
	 */
	/* Read first: the arguments below are evaluated in no set order. */
	row = read_row(pid, &c);
	result(row == 1 && c.c[KMALLOC] >= (uint64_t)n &&
	       c.c[KFREE] >= (uint64_t)n && c.c[KMALLOC_MEM] >= 64ull * n &&
	       c.c[KFREE_MEM] < c.c[KMALLOC_MEM], "overflow-counts",
	       "kmalloc %llu kfree %llu kmalloc_mem %llu kfree_mem %llu",
	       (unsigned long long)c.c[KMALLOC], (unsigned long long)c.c[KFREE],
	       (unsigned long long)c.c[KMALLOC_MEM], (unsigned long long)c.c[KFREE_MEM]);
	printf("INFO: overflow: %d blocks kept, %" PRIu64 " bytes of %" PRIu64
	       " seen freed\n", n, c.c[KFREE_MEM], c.c[KMALLOC_MEM]);
	finish_child(sh, pid);
	munmap(sh, sizeof(*sh));
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
/*
 * tcheck cost OP N SIZE [self]: "median min max" guest instructions per
 * operation (9 runs of N): OP is kmalloc (SIZE in a variable), const
 * (kmalloc(64)), schedule, updown, lock (made by the helper module in
 * this task) or syscalls (getppid() + 1-byte write and read of a pipe).
 */
static void cost(const char *op, int n, int size)
{
	static const char *const ops[] = { "kmalloc", "const", "schedule",
					   "updown", "lock" };
	static const int tt_ops[] = { TT_KMALLOC, TT_KMALLOC_CONST, TT_SCHEDULE,
				      TT_UP_DOWN, TT_LOCK };
	struct tt_job job = { TT_NR_OPS, n, size };
	uint64_t t[9];
	int i, k, p[2];
	char c = 0;

	for (k = 0; k < 5; k++)
		if (!strcmp(op, ops[k]))
			job.op = tt_ops[k];
	if (job.op == TT_NR_OPS && (strcmp(op, "syscalls") || pipe(p)))
		die(op);
	for (i = 0; i < 9; i++) {
		t[i] = now_ns();
		if (job.op != TT_NR_OPS) {
			if (ioctl(tt_fd, TT_RUN, &job))
				die("TT_RUN");
		} else {
			for (k = 0; k < n; k++)
				if (getppid() < 0 || write(p[1], &c, 1) != 1 ||
				    read(p[0], &c, 1) != 1)
					die("syscalls");
		}
		t[i] = now_ns() - t[i];
	}
	print_median9(t, n);
}

/*
 * tcheck others N: N other tasks registered (sleeping threads of this
 * process: tracer keys rows by task PID), for as long as this process
 * lives; "ready" on stdout once they are.
 */
static void others(int n)
{
	open_devices(0);
	others_run(n, reg);
}

/* tcheck readcost: "median min max" instructions per read of /proc/tracer. */
static void readcost(void)
{
	uint64_t t[9];
	int i;

	for (i = 0; i < 9; i++) {
		t[i] = now_ns();
		free(read_proc(65536));
		t[i] = now_ns() - t[i];
	}
	print_median9(t, 1);
}

/* Real, effective and saved user ID @uid, group IDs from "GID[,GROUP...]". */
static void set_ids(const char *uid, const char *gids)
{
	gid_t groups[16];
	int n = 0;
	char *p = (char *)gids;

	groups[n++] = strtoul(p, &p, 10);
	while (*p == ',' && n < 16)
		groups[n++] = strtoul(p + 1, &p, 10);
	if (setgroups(n - 1, groups + 1) || setresgid(groups[0], groups[0], groups[0]) ||
	    setresuid(atoi(uid), atoi(uid), atoi(uid)))
		die("as: set IDs");
}

/*
 * tcheck as UID GID[,GROUP...] PROGRAM [ARG...]: runs PROGRAM with those
 * IDs (real, effective and saved) and supplementary groups, for the
 * permission tests: busybox has no sudo.
 */
static int run_as(char **argv)
{
	set_ids(argv[0], argv[1]);
	execvp(argv[2], argv + 2);
	die(argv[2]);
	return 1;
}

/*
 * tcheck opened-by UID GID[,GROUP...] FILE: FILE opened by a child with
 * those IDs, its descriptor passed back over a socket and read to the end
 * here, onto the standard output: what a set-user-ID program given a
 * user's descriptor reads.
 */
static int opened_by(char **argv)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[4096], c = 0;
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], fd, st;
	ssize_t n;
	pid_t pid;

	memset(cbuf, 0, sizeof(cbuf));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	pid = fork();
	if (!pid) {
		set_ids(argv[0], argv[1]);
		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			die(argv[2]);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		_exit(sendmsg(sv[1], &msg, 0) == 1 ? 0 : 1);
	}
	if (recvmsg(sv[0], &msg, 0) != 1 || !(cm = CMSG_FIRSTHDR(&msg)) ||
	    cm->cmsg_type != SCM_RIGHTS)
		die("opened-by: no descriptor");
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (waitpid(pid, &st, 0) != pid || st)
		die("opened-by: child");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	return n < 0;
}

/*
 * tcheck errno open|add PID|remove PID|cgroup-add DIR|cgroup-remove DIR:
 * prints what the call returned, 0 or the errno's name, so that scripts
 * can compare it.
 */
static int print_errno(char **argv, int argc)
{
	static const struct { int nr; const char *name; } names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { EACCES, "EACCES" },
		{ ESRCH, "ESRCH" }, { EINVAL, "EINVAL" }, { EEXIST, "EEXIST" },
		{ ENOENT, "ENOENT" }, { ENOTTY, "ENOTTY" }, { ENOMEM, "ENOMEM" },
		{ EBADF, "EBADF" }, { ENOSPC, "ENOSPC" },
	};
	int fd = open("/dev/tracer", O_RDONLY), err = 0;
	unsigned int i;

	tracer_fd = fd;
	if (fd < 0)
		err = errno;
	else if (argc > 1 && !strncmp(argv[0], "cgroup-", 7))
		err = -cg_ioctl(argv[1], argv[0][7] == 'a');
	else if (argc > 1)
		err = ioctl(fd, argv[0][0] == 'a' ? TRACER_ADD_PROCESS :
			    TRACER_REMOVE_PROCESS, atoi(argv[1])) ? errno : 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == err) {
			puts(names[i].name);
			return 0;
		}
	printf("errno %d\n", err);
	return 0;
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
	/* What a test execs. */
	if (!strcmp(cmd, "true"))
		return 0;
	if (!strcmp(cmd, "cost") && argc > 4) {
		/* "self": registered; otherwise the tracer may be absent. */
		if (argc > 5 && !strcmp(argv[5], "self")) {
			open_devices(1);
			if (reg(getpid()))
				die("register");
		} else {
			tt_fd = open("/dev/tracer_test", O_RDONLY);
			if (tt_fd < 0)
				die("/dev/tracer_test");
		}
		cost(argv[2], atoi(argv[3]), atoi(argv[4]));
		return 0;
	}
	if (!strcmp(cmd, "others") && argc > 2)
		others(atoi(argv[2]));
	if (!strcmp(cmd, "readcost")) {
		readcost();
		return 0;
	}
	if (!strcmp(cmd, "as") && argc > 4)
		return run_as(argv + 2);
	if (!strcmp(cmd, "opened-by") && argc > 4)
		return opened_by(argv + 2);
	if (!strcmp(cmd, "errno") && argc > 2)
		return print_errno(argv + 2, argc - 2);
	if (!strcmp(cmd, "undumpable")) {
		/* Like a set-user-ID program: its owner may not inspect it. */
		prctl(PR_SET_DUMPABLE, 0);
		for (;;)
			pause();
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
	} else if (!strcmp(cmd, "sizes")) {
		test_sizes();
	} else if (!strcmp(cmd, "counts")) {
		test_sizes();
		test_threads(32);
		test_threads(256);
		test_thread_tid();
		test_kthreads();
		test_foreign_frees();
	} else if (!strcmp(cmd, "cgroups") && argc > 2) {
		test_cgroups(argv[2]);
	} else if (!strcmp(cmd, "lifecycle")) {
		test_exit_reuse();
		test_remove_running();
		test_fork_race();
		test_exec_reuse();
		test_remove_reuse();
		test_monitor_uncounted();
	} else if (!strcmp(cmd, "many") && argc > 2) {
		test_many(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : atoi(argv[2]));
	} else if (!strcmp(cmd, "stress") && argc > 4) {
		stress(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]),
		       argc > 5 && !strcmp(argv[5], "unload"),
		       argc > 5 && !strcmp(argv[5], "faults"));
	} else if (!strcmp(cmd, "storm") && argc > 3) {
		storm(atoi(argv[2]), atoi(argv[3]));
	} else if (!strcmp(cmd, "overflow") && argc > 2) {
		overflow(atoi(argv[2]));
	} else if (!strcmp(cmd, "spin") && argc > 2) {
		spin(atoi(argv[2]));
	} else {
		fprintf(stderr, "usage: tcheck abi|counts|sizes|cgroups ROOT|lifecycle|many N [BATCH]|spin N|add PID|remove PID|cost OP N SIZE [self]|others N|readcost\n"
				"       tcheck stress SECONDS PROCS THREADS [unload|faults]|storm N K|overflow N\n"
				"       tcheck as UID GID[,GID...] PROGRAM [ARG...]|errno open|add PID|remove PID|cgroup-add DIR|cgroup-remove DIR|undumpable\n"
				"       tcheck opened-by UID GID[,GID...] FILE\n");
		return 2;
	}
	return failures ? 1 : 0;
}
