// SPDX-License-Identifier: GPL-2.0
/*
 * tmonitor LABEL TEST [ARGS]: the lifecycle monitor of /dev/tracer, seen
 * from a monitoring process. Result names start with LABEL (the 32-bit
 * build runs the same tests through the compat ioctl).
 *
 *   events [ROUNDS]  scripted process trees (fork, vfork + exec, threads,
 *                    descendants, kill, core dump, a multi-threaded kill
 *                    ROUNDS times): the exact records through read(), and
 *                    the same sequence through queued RT signals
 *   stop             unwatch and close stop delivery; a monitor's exit
 *                    frees its watches
 *   errors           the documented errors; EPERM as another user
 *   loss             a monitor that does not read gets a loss record with
 *                    the exact number lost, in its place in the stream
 *   many T M         T targets watched by M monitors, killed: each
 *                    monitor gets exactly T exit records
 *   counts           exit records carry the final /proc/tracer counts;
 *                    TRACER_ADD_PROCESS_TREE registers new children
 *   mt-exit ROUNDS   a registered, watched process exits while its eight
 *                    threads run: its EXIT record has the final counts
 *   latency N [signal]  make bench: guest instructions from a target's
 *                    _exit() to its monitor running again, N times
 *   private SUID     (as a user; SUID: a set-user-ID root copy of tmonitor)
 *                    exit records carry counts only of processes the
 *                    monitor's opener may inspect
 *   exit CODE        (internal) exits with CODE: the program a test execs
 *   fork CODE        (internal) forks a child, waits for it, exits CODE
 *   work UPS N       (tracerctl run's workload) UPS up+down pairs in itself
 *                    and in each of N children; exits 3
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tresult.h"
#include "../../src/uapi/tracer.h"
#include "../module/tracer_test.h"

#define ANY	(-1)
#define MAXREC	4096
#define COL_SCHED 4	/* the columns of /proc/tracer after the PID */
#define COL_UP	5
#define COL_DOWN 6

static const char *label;
static int sig;			/* SIGRTMIN + 1, blocked, taken with sigtimedwait */

/* What the target tree tells the monitor: its PIDs. */
struct shared {
	volatile pid_t pid[8];
	volatile int ready;
	volatile int64_t exit_ns;	/* latency: when the target called _exit() */
};

static struct shared *sh;

static const char *nm(const char *name)
{
	static char buf[160];

	snprintf(buf, sizeof(buf), "%s-%s", label, name);
	return buf;
}

static pid_t gettid_(void)
{
	return syscall(SYS_gettid);
}

static int open_dev(void)
{
	int fd = open("/dev/tracer", O_RDWR);

	if (fd < 0)
		die("open /dev/tracer");
	return fd;
}

static int watch(int fd, pid_t pid, uint32_t events, int signo, uint32_t flags)
{
	struct tracer_watch w = { pid, events, signo, flags };

	return ioctl(fd, TRACER_WATCH, &w) ? -errno : 0;
}

static int unwatch(int fd, pid_t pid, uint32_t events)
{
	struct tracer_watch w = { pid, events, 0, 0 };

	return ioctl(fd, TRACER_UNWATCH, &w) ? -errno : 0;
}

/* ---- targets: children that wait for a byte on a pipe before acting ---- */

static int go_fd = -1;

static pid_t spawn(void (*fn)(void))
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		die("pipe");
	memset((void *)sh, 0, sizeof(*sh));
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(p[1]);
		while (read(p[0], &c, 1) == 1) {
			fn();
			_exit(0);
		}
		_exit(99);
	}
	close(p[0]);
	go_fd = p[1];
	return pid;
}

static void go(void)
{
	if (write(go_fd, "g", 1) != 1)
		die("go");
	close(go_fd);
}

static void wait_ready(void)
{
	while (!sh->ready)
		usleep(1000);
}

static void reap(pid_t pid)
{
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* A thread is released, past its exit hook, when /proc no longer lists it. */
static void wait_thread_gone(pid_t tid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/task/%d", tid);
	while (!stat(path, &st))
		usleep(1000);
}

static void t_fork_exit(void)
{
	pid_t c = fork();

	if (!c)
		_exit(3);
	sh->pid[0] = c;
	reap(c);
	_exit(5);
}

static void t_vfork_exec(void)
{
	pid_t c = vfork();

	if (!c) {
		execl("/proc/self/exe", "tmonitor", "x", "exit", "7", (char *)NULL);
		_exit(127);
	}
	sh->pid[0] = c;
	reap(c);
	_exit(0);
}

static void *thread_note(void *arg)
{
	*(volatile pid_t *)arg = gettid_();
	return NULL;
}

static void t_threads(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < 2; i++) {
		if (pthread_create(&t, NULL, thread_note, (void *)&sh->pid[i]))
			_exit(98);
		pthread_join(t, NULL);
		wait_thread_gone(sh->pid[i]);
	}
	_exit(0);
}

/* A thread that, once told (ready 2), forks a child that exits 6. */
static void *thread_fork(void *arg)
{
	pid_t c;

	*(volatile pid_t *)arg = gettid_();
	sh->ready = 1;
	while (sh->ready != 2)
		usleep(1000);
	c = fork();
	if (!c)
		_exit(6);
	sh->pid[1] = c;
	reap(c);
	return NULL;
}

static void t_thread_fork(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_fork, (void *)&sh->pid[0]))
		_exit(98);
	pthread_join(t, NULL);
	wait_thread_gone(sh->pid[0]);
	_exit(0);
}

/* A thread execs: it takes the process's PID, the leader is gone first. */
static void *thread_exec(void *arg)
{
	*(volatile pid_t *)arg = gettid_();
	execl("/proc/self/exe", "tmonitor", "x", "exit", "7", (char *)NULL);
	_exit(127);
}

static void t_thread_exec(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_exec, (void *)&sh->pid[0]))
		_exit(98);
	for (;;)
		pause();
}

static void t_tree(void)
{
	pid_t a = fork();

	if (!a) {
		pid_t b = fork();

		if (!b)
			_exit(1);
		sh->pid[1] = b;
		reap(b);
		_exit(2);
	}
	sh->pid[0] = a;
	reap(a);
	_exit(3);
}

static void t_pause(void)
{
	sh->ready = 1;
	for (;;)
		pause();
}

static void t_core(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_CORE, &r);
	abort();
}

static void *thread_sleep(void *arg)
{
	*(volatile pid_t *)arg = gettid_();
	for (;;)
		pause();
	return NULL;
}

static void t_threads_pause(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < 3; i++) {
		if (pthread_create(&t, NULL, thread_sleep, (void *)&sh->pid[i]))
			_exit(98);
		while (!sh->pid[i])
			usleep(1000);
	}
	t_pause();
}

/* ---- the monitor's side ---- */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Reads records until one is an exit of @until (or @max), 10 s at most. */
static int collect(int fd, struct tracer_event *ev, int max, pid_t until)
{
	int n = 0;

	while (n < max) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t r;
		int i;

		if (poll(&p, 1, 10000) != 1)
			break;
		r = read(fd, ev + n, (max - n) * sizeof(*ev));
		if (r < 0 || r % sizeof(*ev))
			break;
		for (i = n; i < n + r / (int)sizeof(*ev); i++)
			if (ev[i].target == until &&
			    ev[i].kind & (TRACER_EV_EXIT | TRACER_EV_SIGNALED))
				return i + 1;
		n += r / sizeof(*ev);
	}
	return n;
}

/* Nothing more arrives within @ms: no record, no signal. */
static int quiet(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	struct timespec ts = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	if (poll(&p, 1, ms) != 0)
		return 0;
	return sigtimedwait(&set, NULL, &ts) < 0 && errno == EAGAIN;
}

struct exp {
	uint32_t kind;
	pid_t target, pid, child;
	int status;
};

static const char *kind_name(uint32_t k)
{
	switch (k) {
	case TRACER_EV_FORK: return "FORK";
	case TRACER_EV_THREAD: return "THREAD";
	case TRACER_EV_EXEC: return "EXEC";
	case TRACER_EV_THREAD_EXIT: return "THREAD_EXIT";
	case TRACER_EV_EXIT: return "EXIT";
	case TRACER_EV_SIGNALED: return "SIGNALED";
	case TRACER_EV_LOST: return "LOST";
	default: return "?";
	}
}

static void describe(char *buf, size_t len, const struct tracer_event *ev, int n)
{
	int i, o = 0;

	for (i = 0; i < n && o < (int)len - 80; i++)
		o += snprintf(buf + o, len - o, "%s%s(t=%d p=%d c=%d s=%#x)",
			      i ? " " : "", kind_name(ev[i].kind), ev[i].target,
			      ev[i].pid, ev[i].child, ev[i].status);
}

/*
 * The records against @e: kind, target, pid, child, status (ANY: not
 * checked), the thread's process and the time; then the signals, one per
 * record in the same order, as sigqueue() would send them.
 */
static void check_seq(const char *name, int fd, const struct tracer_event *ev,
		      int n, const struct exp *e, int ne, int64_t t0)
{
	char what[2048], sname[96];
	struct timespec ts = { 5, 0 };
	int64_t t1 = now_ns(), last = t0;
	int i, ok = n == ne;
	sigset_t set;
	siginfo_t si;

	for (i = 0; ok && i < n; i++) {
		ok = ev[i].kind == e[i].kind && ev[i].target == e[i].target &&
		     (e[i].pid == ANY || ev[i].pid == e[i].pid) &&
		     (e[i].child == ANY || ev[i].child == e[i].child) &&
		     (e[i].status == ANY || ev[i].status == e[i].status) &&
		     (int64_t)ev[i].time_ns >= last && (int64_t)ev[i].time_ns <= t1 &&
		     !(ev[i].flags & TRACER_EVF_COUNTS);
		last = ev[i].time_ns;
	}
	describe(what, sizeof(what), ev, n);
	result(ok, nm(name), "got %d records, %d expected: %s", n, ne, what);

	sigemptyset(&set);
	sigaddset(&set, sig);
	snprintf(sname, sizeof(sname), "%s-signals", name);
	for (i = 0; i < n; i++) {
		if (sigtimedwait(&set, &si, &ts) != sig)
			break;
		if (si.si_code != SI_QUEUE || si.si_pid != ev[i].target ||
		    si.si_uid != getuid() || si.si_value.sival_int != (int)ev[i].kind)
			break;
	}
	result(i == n && quiet(fd, 0), nm(sname),
	       "signal %d of %d: signo %d code %d pid %d uid %d value %#x", i, n,
	       si.si_signo, si.si_code, si.si_pid, si.si_uid, si.si_value.sival_int);
}

static const struct tracer_event *got;	/* what the scenario collected */
static int ngot;

/* One scenario: a fresh monitor, @fn in a new target, the expected list. */
static void scenario(const char *name, void (*fn)(void), uint32_t flags,
		     int kill_sig, struct exp *(*expect)(pid_t p, int *n))
{
	static struct tracer_event ev[64];
	int fd = open_dev(), n, ne;
	pid_t p = spawn(fn);
	int64_t t0 = now_ns();
	struct exp *e;
	char wname[96];

	snprintf(wname, sizeof(wname), "%s-watch", name);
	result(watch(fd, p, TRACER_EV_ALL, sig, flags) == 0, nm(wname), "%s",
	       strerror(errno));
	go();
	if (kill_sig) {
		wait_ready();
		kill(p, kill_sig);
	}
	n = collect(fd, ev, 64, p);
	reap(p);
	got = ev;
	ngot = n;
	e = expect(p, &ne);
	check_seq(name, fd, ev, n, e, ne, t0);
	close(fd);
}

static struct exp ex[16];

static struct exp *e_fork_exit(pid_t p, int *n)
{
	pid_t c = sh->pid[0];

	ex[0] = (struct exp){ TRACER_EV_FORK, p, p, c, 0 };
	ex[1] = (struct exp){ TRACER_EV_EXIT, c, c, 0, 3 << 8 };
	ex[2] = (struct exp){ TRACER_EV_EXIT, p, p, 0, 5 << 8 };
	*n = 3;
	return ex;
}

static struct exp *e_vfork_exec(pid_t p, int *n)
{
	pid_t c = sh->pid[0];

	ex[0] = (struct exp){ TRACER_EV_FORK, p, p, c, 0 };
	ex[1] = (struct exp){ TRACER_EV_EXEC, c, c, c, 0 };
	ex[2] = (struct exp){ TRACER_EV_EXIT, c, c, 0, 7 << 8 };
	ex[3] = (struct exp){ TRACER_EV_EXIT, p, p, 0, 0 };
	*n = 4;
	return ex;
}

static struct exp *e_threads(pid_t p, int *n)
{
	ex[0] = (struct exp){ TRACER_EV_THREAD, p, p, sh->pid[0], 0 };
	ex[1] = (struct exp){ TRACER_EV_THREAD_EXIT, p, sh->pid[0], 0, 0 };
	ex[2] = (struct exp){ TRACER_EV_THREAD, p, p, sh->pid[1], 0 };
	ex[3] = (struct exp){ TRACER_EV_THREAD_EXIT, p, sh->pid[1], 0, 0 };
	ex[4] = (struct exp){ TRACER_EV_EXIT, p, p, 0, 0 };
	*n = 5;
	return ex;
}

static struct exp *e_thread_exec(pid_t p, int *n)
{
	pid_t t = sh->pid[0];

	ex[0] = (struct exp){ TRACER_EV_THREAD, p, p, t, 0 };
	ex[1] = (struct exp){ TRACER_EV_THREAD_EXIT, p, p, 0, ANY };
	ex[2] = (struct exp){ TRACER_EV_EXEC, p, p, t, 0 };
	ex[3] = (struct exp){ TRACER_EV_EXIT, p, p, 0, 7 << 8 };
	*n = 4;
	return ex;
}

static struct exp *e_tree(pid_t p, int *n)
{
	pid_t a = sh->pid[0], b = sh->pid[1];

	ex[0] = (struct exp){ TRACER_EV_FORK, p, p, a, 0 };
	ex[1] = (struct exp){ TRACER_EV_FORK, a, a, b, 0 };
	ex[2] = (struct exp){ TRACER_EV_EXIT, b, b, 0, 1 << 8 };
	ex[3] = (struct exp){ TRACER_EV_EXIT, a, a, 0, 2 << 8 };
	ex[4] = (struct exp){ TRACER_EV_EXIT, p, p, 0, 3 << 8 };
	*n = 5;
	return ex;
}

static struct exp *e_killed(pid_t p, int *n)
{
	ex[0] = (struct exp){ TRACER_EV_SIGNALED, p, p, 0, SIGKILL };
	*n = 1;
	return ex;
}

static struct exp *e_core(pid_t p, int *n)
{
	ex[0] = (struct exp){ TRACER_EV_SIGNALED, p, p, 0, SIGABRT | 0x80 };
	*n = 1;
	return ex;
}

/*
 * Three threads created, then all four killed at once: which exit ends the
 * process is open, and the threads that reach the exit hook after it are
 * not told: up to three THREAD_EXIT, then SIGNALED, then nothing.
 */
static struct exp *e_threads_killed(pid_t p, int *n)
{
	int i;

	for (i = 0; i < 3; i++)
		ex[i] = (struct exp){ TRACER_EV_THREAD, p, p, sh->pid[i], 0 };
	for (; i < 6 && i < ngot && got[i].kind == TRACER_EV_THREAD_EXIT; i++)
		ex[i] = (struct exp){ TRACER_EV_THREAD_EXIT, p, ANY, 0, SIGKILL };
	ex[i] = (struct exp){ TRACER_EV_SIGNALED, p, ANY, 0, SIGKILL };
	*n = i + 1;
	return ex;
}

/*
 * One monitor watches a process and, once made, one of its threads, both
 * with descendants: the thread's fork is told to both watches, and the
 * child is followed once, so its exit comes once.
 */
static void process_and_thread(void)
{
	static struct tracer_event ev[16];
	int fd = open_dev(), n;
	pid_t p = spawn(t_thread_fork), t, c;
	int64_t t0 = now_ns();

	result(watch(fd, p, TRACER_EV_ALL, sig, TRACER_WATCH_DESCENDANTS) == 0,
	       nm("process-and-thread-watch"), "%s", strerror(errno));
	go();
	wait_ready();
	t = sh->pid[0];
	result(watch(fd, t, TRACER_EV_ALL, sig, TRACER_WATCH_DESCENDANTS) == 0,
	       nm("process-and-thread-watch-thread"), "%s", strerror(errno));
	sh->ready = 2;
	n = collect(fd, ev, 16, p);
	reap(p);
	c = sh->pid[1];
	ex[0] = (struct exp){ TRACER_EV_THREAD, p, p, t, 0 };
	ex[1] = (struct exp){ TRACER_EV_FORK, p, t, c, 0 };
	ex[2] = (struct exp){ TRACER_EV_FORK, t, t, c, 0 };
	ex[3] = (struct exp){ TRACER_EV_EXIT, c, c, 0, 6 << 8 };
	ex[4] = (struct exp){ TRACER_EV_THREAD_EXIT, p, t, 0, 0 };
	ex[5] = (struct exp){ TRACER_EV_THREAD_EXIT, t, t, 0, 0 };
	ex[6] = (struct exp){ TRACER_EV_EXIT, p, p, 0, 0 };
	check_seq("process-and-thread", fd, ev, n, ex, 7, t0);
	close(fd);
}

static void test_events(int rounds)
{
	int i, ok = 1;
	FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
	char pat[128] = "";

	scenario("fork-exit", t_fork_exit, TRACER_WATCH_DESCENDANTS, 0, e_fork_exit);
	scenario("vfork-exec", t_vfork_exec, TRACER_WATCH_DESCENDANTS, 0, e_vfork_exec);
	scenario("threads", t_threads, 0, 0, e_threads);
	scenario("thread-exec", t_thread_exec, 0, 0, e_thread_exec);
	process_and_thread();
	scenario("descendants", t_tree, TRACER_WATCH_DESCENDANTS, 0, e_tree);
	scenario("killed", t_pause, 0, SIGKILL, e_killed);
	if (f && fgets(pat, sizeof(pat), f) && pat[0] == '/')
		scenario("core-dump", t_core, 0, 0, e_core);
	else
		printf("SKIP: %s: core_pattern is not a path\n", nm("core-dump"));
	if (f)
		fclose(f);
	/* The exits of the threads race: each round must still be exact. */
	for (i = 0; i < rounds && ok; i++) {
		int before = failures;

		scenario("threads-killed", t_threads_pause, 0, SIGKILL, e_threads_killed);
		ok = failures == before;
	}
}

/* ---- stop, errors ---- */

static unsigned int status_value(const char *key)
{
	FILE *f = fopen("/proc/tracer_status", "r");
	char line[256];
	unsigned int open_nr, watches_nr = ~0u;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "monitor: open %u watches %u", &open_nr, &watches_nr) == 2)
			break;
	if (f)
		fclose(f);
	return !strcmp(key, "open") ? open_nr : watches_nr;
}

static void t_fork_child(void)
{
	pid_t c = fork();

	if (!c)
		_exit(0);
	reap(c);
	_exit(4);
}

static void test_stop(void)
{
	unsigned int base = status_value("watches");
	struct tracer_event ev[8];
	int fd = open_dev(), fd2, n, pfd[2];
	pid_t p, m;

	p = spawn(t_fork_child);
	result(watch(fd, p, TRACER_EV_ALL, sig, TRACER_WATCH_DESCENDANTS) == 0 &&
	       unwatch(fd, p, TRACER_EV_ALL) == 0, nm("unwatch-all"), "%s", strerror(errno));
	go();
	reap(p);
	result(quiet(fd, 300), nm("unwatch-all-silent"), "a record or signal came");

	p = spawn(t_fork_child);
	watch(fd, p, TRACER_EV_ALL, sig, 0);
	result(unwatch(fd, p, TRACER_EV_FORK) == 0, nm("unwatch-fork"), "%s", strerror(errno));
	go();
	n = collect(fd, ev, 8, p);
	reap(p);
	result(n == 1 && ev[0].kind == TRACER_EV_EXIT && ev[0].status == 4 << 8,
	       nm("unwatch-fork-exit-only"), "%d records, first %s", n, kind_name(ev[0].kind));
	quiet(fd, 0);

	p = spawn(t_fork_child);
	fd2 = open_dev();	/* after the fork: the target holds no copy */
	watch(fd2, p, TRACER_EV_ALL, sig, TRACER_WATCH_DESCENDANTS);
	close(fd2);
	result(status_value("watches") == base, nm("close-frees-watches"), "%u watches, %u before",
	       status_value("watches"), base);
	go();
	reap(p);
	result(quiet(fd, 300), nm("close-silent"), "a signal came");
	close(fd);

	/* A monitor that exits with 100 watches: its descriptor goes, they go. */
	if (pipe(pfd))
		die("pipe");
	m = fork();
	if (!m) {
		pid_t k[100];
		int i;

		/* Children first: none of them holds a copy of the monitor. */
		for (i = 0; i < 100; i++) {
			k[i] = fork();
			if (!k[i]) {
				close(pfd[1]);
				read(pfd[0], &n, 1);
				_exit(0);
			}
		}
		fd = open_dev();
		for (i = 0; i < 100; i++)
			if (watch(fd, k[i], TRACER_EV_ALL, sig, TRACER_WATCH_DESCENDANTS))
				_exit(1);
		_exit(status_value("watches") == base + 100 ? 0 : 2);
	}
	close(pfd[0]);
	waitpid(m, &n, 0);
	result(WIFEXITED(n) && WEXITSTATUS(n) == 0 && status_value("watches") == base,
	       nm("monitor-exit-frees-watches"), "status %#x, %u watches, %u before", n,
	       status_value("watches"), base);
	/* Its children, now init's, end when the pipe closes. */
	close(pfd[1]);
}

static void test_errors(void)
{
	int fd = open_dev(), st, err, got;
	struct timespec ts = { 5, 0 };
	char small[16];
	struct tracer_event ev;
	pid_t gone = fork(), c, p;
	siginfo_t si;
	sigset_t set;

	if (!gone)
		_exit(0);
	reap(gone);
	result(watch(fd, 0, TRACER_EV_ALL, 0, 0) == -EINVAL, nm("watch-pid0-einval"), "no");
	result(watch(fd, -5, TRACER_EV_ALL, 0, 0) == -EINVAL, nm("watch-negative-einval"), "no");
	result(watch(fd, getpid(), 0, 0, 0) == -EINVAL, nm("watch-no-events-einval"), "no");
	result(watch(fd, getpid(), 0x40, 0, 0) == -EINVAL, nm("watch-bad-event-einval"), "no");
	result(watch(fd, getpid(), 1, -1, 0) == -EINVAL, nm("watch-bad-signal-einval"), "no");
	result(watch(fd, getpid(), 1, 65, 0) == -EINVAL, nm("watch-signal65-einval"), "no");
	result(watch(fd, getpid(), 1, 0, 2) == -EINVAL, nm("watch-bad-flags-einval"), "no");
	result(watch(fd, gone, 1, 0, 0) == -ESRCH, nm("watch-gone-esrch"), "no");
	result(unwatch(fd, getpid(), 1) == -ENOENT, nm("unwatch-unwatched-enoent"), "no");
	result(unwatch(fd, getpid(), 0) == -EINVAL, nm("unwatch-no-events-einval"), "no");
	result(watch(fd, 1, TRACER_EV_EXIT, 0, 0) == 0 && unwatch(fd, 1, TRACER_EV_ALL) == 0,
	       nm("watch-init-as-root"), "%s", strerror(errno));
	result(ioctl(fd, TRACER_WATCH, (void *)16) < 0 && errno == EFAULT, nm("watch-efault"), "no");
	result(read(fd, small, sizeof(small)) < 0 && errno == EINVAL, nm("read-small-einval"), "no");
	fcntl(fd, F_SETFL, O_NONBLOCK);
	result(read(fd, &ev, sizeof(ev)) < 0 && errno == EAGAIN, nm("read-empty-eagain"), "no");
	/* An inherited descriptor: signals go to this process, not the child's. */
	c = fork();
	if (!c)
		_exit(watch(fd, getpid(), TRACER_EV_EXIT, SIGRTMIN + 1, 0) == -EPERM &&
		      watch(fd, getpid(), TRACER_EV_EXIT, 0, 0) == 0 ? 0 : 4);
	waitpid(c, &st, 0);
	result(WIFEXITED(st) && !WEXITSTATUS(st), nm("watch-inherited-signal-eperm"),
	       "status %#x", st);
	close(fd);

	/* A refused watch makes no owner: the first that succeeds does. */
	fd = open_dev();
	c = fork();
	if (!c)
		_exit(watch(fd, gone, TRACER_EV_EXIT, sig, 0) == -ESRCH ? 0 : 4);
	waitpid(c, &st, 0);
	p = spawn(t_fork_child);
	err = watch(fd, p, TRACER_EV_EXIT, sig, 0);
	go();
	reap(p);
	sigemptyset(&set);
	sigaddset(&set, sig);
	got = err ? 0 : sigtimedwait(&set, &si, &ts);
	result(WIFEXITED(st) && !WEXITSTATUS(st) && !err && got == sig && si.si_pid == p &&
	       si.si_value.sival_int == TRACER_EV_EXIT, nm("watch-refused-first-no-owner"),
	       "refused watch: status %#x; then watch: %s, signal %d from %d", st,
	       strerror(-err), got, got > 0 ? si.si_pid : 0);
	close(fd);

	/* As an unprivileged user: init is not its to watch, its own child is. */
	c = fork();
	if (!c) {
		pid_t k;

		fd = open_dev();
		if (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000) ||
		    prctl(PR_SET_DUMPABLE, 1))
			_exit(3);
		k = fork();
		if (!k) {
			pause();
			_exit(0);
		}
		st = watch(fd, 1, TRACER_EV_EXIT, 0, 0) == -EPERM &&
		     watch(fd, k, TRACER_EV_EXIT, 0, 0) == 0;
		kill(k, SIGKILL);
		_exit(st ? 0 : 4);
	}
	waitpid(c, &st, 0);
	result(WIFEXITED(st) && !WEXITSTATUS(st), nm("watch-other-user-eperm"), "status %#x", st);
}

/* ---- loss ---- */

static int queue_size(void)
{
	FILE *f = fopen("/sys/module/tracer/parameters/monitor_queue", "r");
	int q = 0;

	if (!f || fscanf(f, "%d", &q) != 1)
		die("monitor_queue");
	fclose(f);
	return q;
}

static int loss_n, loss_wait;
static int loss_pipe[2];

/* Forks loss_n children; with loss_wait, one more once told to. */
static void t_many_forks(void)
{
	char c;
	int i;

	for (i = 0; i < loss_n + loss_wait; i++) {
		pid_t k;

		if (i == loss_n) {
			sh->ready = 1;
			if (read(loss_pipe[0], &c, 1) != 1)
				_exit(97);
		}
		k = fork();
		if (!k)
			_exit(0);
		reap(k);
	}
	_exit(0);
}

static int all_forks(const struct tracer_event *ev, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		if (ev[i].kind != TRACER_EV_FORK)
			return 0;
	return 1;
}

/*
 * A queue of q records: the target makes q + 76 fork records while the
 * monitor reads nothing; the monitor reads 100, the target forks once more
 * and exits. Then q + 10 forks and the exit, the monitor reading only after.
 */
static void test_loss(void)
{
	int q = queue_size(), max = q + 100, fd = open_dev(), n, m;
	struct tracer_event *ev = calloc(max, sizeof(*ev));
	pid_t p;

	if (!ev)
		die("calloc");
	if (pipe(loss_pipe))
		die("pipe");
	loss_n = q + 76;
	loss_wait = 1;
	p = spawn(t_many_forks);
	watch(fd, p, TRACER_EV_FORK | TRACER_EV_EXIT, 0, 0);
	go();
	wait_ready();
	n = read(fd, ev, 100 * sizeof(*ev)) / (int)sizeof(*ev);
	if (write(loss_pipe[1], "g", 1) != 1)
		die("write");
	m = n + collect(fd, ev + n, max - n, p);
	reap(p);
	result(n == 100 && m == q + 3 && all_forks(ev, 0, q) &&
	       ev[q].kind == TRACER_EV_LOST && ev[q].lost == 76 &&
	       ev[q + 1].kind == TRACER_EV_FORK && ev[q + 2].kind == TRACER_EV_EXIT,
	       nm("loss-in-stream"), "read %d then %d records; record %d: %s lost %llu",
	       n, m, q, kind_name(ev[q].kind), (unsigned long long)ev[q].lost);
	result(quiet(fd, 100), nm("loss-in-stream-nothing-more"), "more records");

	loss_n = q + 10;
	loss_wait = 0;
	p = spawn(t_many_forks);
	watch(fd, p, TRACER_EV_FORK | TRACER_EV_EXIT, 0, 0);
	go();
	reap(p);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	n = read(fd, ev, max * sizeof(*ev)) / (int)sizeof(*ev);
	result(n == q + 1 && all_forks(ev, 0, q) && ev[q].kind == TRACER_EV_LOST &&
	       ev[q].lost == 11 && read(fd, ev, sizeof(*ev)) < 0 && errno == EAGAIN,
	       nm("loss-at-end"), "%d records; record %d: %s lost %llu", n, q,
	       kind_name(ev[q].kind), (unsigned long long)ev[q].lost);
	free(ev);
	close(fd);
}

/* ---- many targets, many monitors ---- */

static void test_many(int t, int m)
{
	unsigned int base = status_value("watches");
	pid_t *kids = calloc(t, sizeof(*kids));
	struct tracer_event *ev = calloc(t + 1, sizeof(*ev));
	char *seen = calloc(t, 1);
	int *fds = calloc(m, sizeof(*fds));
	int i, j, n, bad = 0, errs = 0;
	int64_t t0;

	if (!kids || !ev || !seen || !fds)
		die("calloc");
	for (i = 0; i < t; i++) {
		kids[i] = fork();
		if (!kids[i]) {
			pause();
			_exit(0);
		}
	}
	for (j = 0; j < m; j++) {
		fds[j] = open_dev();
		for (i = 0; i < t; i++)
			errs += watch(fds[j], kids[i], TRACER_EV_EXIT | TRACER_EV_SIGNALED, 0, 0) != 0;
	}
	result(!errs && status_value("watches") == base + (unsigned int)(t * m),
	       nm("many-watched"), "%d errors, %u watches", errs, status_value("watches"));
	t0 = now_ns();
	for (i = 0; i < t; i++)
		kill(kids[i], SIGKILL);
	for (i = 0; i < t; i++)
		reap(kids[i]);
	printf("INFO: %s: %d targets killed and reaped in %lld ms\n", nm("many"), t,
	       (long long)(now_ns() - t0) / 1000000);
	for (j = 0; j < m; j++) {
		memset(seen, 0, t);
		n = 0;
		while (n < t) {
			struct pollfd p = { fds[j], POLLIN, 0 };
			ssize_t r;

			if (poll(&p, 1, 10000) != 1)
				break;
			r = read(fds[j], ev + n, (t + 1 - n) * sizeof(*ev));
			if (r <= 0)
				break;
			n += r / sizeof(*ev);
		}
		for (i = 0; i < n; i++) {
			int k;

			for (k = 0; k < t && kids[k] != ev[i].target; k++)
				;
			if (k == t || seen[k]++ || ev[i].kind != TRACER_EV_SIGNALED ||
			    ev[i].status != SIGKILL)
				bad++;
		}
		if (n != t || !quiet(fds[j], 0))
			bad++;
	}
	result(!bad, nm("many-each-monitor-every-exit-once"), "%d wrong", bad);
	result(status_value("watches") == base, nm("many-exits-free-watches"), "%u watches",
	       status_value("watches"));
	for (j = 0; j < m; j++)
		close(fds[j]);
	free(kids);
	free(ev);
	free(seen);
	free(fds);
}

/* ---- counts in exit records; following children for counting ---- */

static int tt_fd = -1;

static void up_down(unsigned int n)
{
	struct tt_job j = { TT_UP_DOWN, n, 0, 0, 0 };

	if (ioctl(tt_fd, TT_RUN, &j))
		_exit(96);
}

/*
 * Its child: 77 up/down, then waits; itself: 5, after the child ended.
 * The child names itself before it says ready: the parent's own store
 * could come after, and the monitor would then kill(0) its process group.
 */
static void t_counted(void)
{
	pid_t c = fork();

	if (!c) {
		sh->pid[0] = getpid();
		up_down(77);
		sh->ready = 1;
		pause();
		_exit(0);
	}
	reap(c);
	up_down(5);
	_exit(0);
}

/* The row of @pid in /proc/tracer: 1 and its up count, or 0. */
static int proc_row(pid_t pid, unsigned long long *up)
{
	FILE *f = fopen("/proc/tracer", "r");
	char line[256];
	unsigned long long c[9];
	int p, found = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %llu %llu %llu %llu %llu %llu %llu %llu %llu", &p,
			   &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8]) == 10 &&
		    p == pid) {
			*up = c[COL_UP];
			found = 1;
		}
	if (f)
		fclose(f);
	return found;
}

static void counted(const char *name, unsigned long req, int follows)
{
	struct tracer_event ev[8];
	int fd = open_dev(), n;
	unsigned long long up = 0;
	int row;
	pid_t p, c;
	char nbuf[96];

	p = spawn(t_counted);
	snprintf(nbuf, sizeof(nbuf), "%s-register", name);
	result(ioctl(fd, req, p) == 0 &&
	       watch(fd, p, TRACER_EV_EXIT | TRACER_EV_SIGNALED, 0,
		     TRACER_WATCH_DESCENDANTS) == 0, nm(nbuf),
	       "%s", strerror(errno));
	go();
	wait_ready();
	c = sh->pid[0];
	if (c <= 0)
		die("no child to count");
	row = proc_row(c, &up);
	snprintf(nbuf, sizeof(nbuf), "%s-child-row", name);
	result(follows ? row && up == 77 : !row, nm(nbuf), "row %d up %llu", row, up);
	kill(c, SIGTERM);
	n = collect(fd, ev, 8, p);
	reap(p);
	snprintf(nbuf, sizeof(nbuf), "%s-exit-counts", name);
	result(n == 2 && ev[0].target == c && ev[0].kind == TRACER_EV_SIGNALED &&
	       !!(ev[0].flags & TRACER_EVF_COUNTS) == follows &&
	       (!follows || (ev[0].counts[COL_UP] == 77 && ev[0].counts[COL_DOWN] == 77)) &&
	       ev[1].target == p && ev[1].kind == TRACER_EV_EXIT &&
	       ev[1].flags & TRACER_EVF_COUNTS && ev[1].counts[COL_UP] == 5 &&
	       ev[1].counts[COL_DOWN] == 5,
	       nm(nbuf), "%d records: %s flags %u up %llu down %llu; %s flags %u up %llu down %llu",
	       n, kind_name(ev[0].kind), ev[0].flags, (unsigned long long)ev[0].counts[COL_UP],
	       (unsigned long long)ev[0].counts[COL_DOWN], kind_name(ev[1].kind), ev[1].flags,
	       (unsigned long long)ev[1].counts[COL_UP], (unsigned long long)ev[1].counts[COL_DOWN]);
	snprintf(nbuf, sizeof(nbuf), "%s-rows-gone", name);
	result(!proc_row(p, &up) && !proc_row(c, &up), nm(nbuf), "a row stayed");
	close(fd);
}

static void test_counts(void)
{
	struct tt_job none = { TT_UP_DOWN, 0, 0, 0, 0 };

	tt_fd = open("/dev/tracer_test", O_RDWR);
	if (tt_fd < 0)
		die("open /dev/tracer_test");
	if (ioctl(tt_fd, TT_RUN, &none)) {
		printf("SKIP: %s: /dev/tracer_test refuses this caller: %s\n",
		       nm("counts"), strerror(errno));
		return;
	}
	counted("counts-plain", TRACER_ADD_PROCESS, 0);
	counted("counts-follow", TRACER_ADD_PROCESS_TREE, 1);
	close(tt_fd);
}

/* ---- a multi-threaded exit, counted and watched ---- */

static void *thread_yield(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		sched_yield();
	return NULL;
}

/* Eight threads call schedule() until the process exits, from its main. */
static void t_yield8(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < 7; i++)
		if (pthread_create(&t, NULL, thread_yield, NULL))
			_exit(98);
	while (sh->ready < 7)
		sched_yield();
	usleep(1000);
	exit(0);
}

/*
 * Registered and watched, a process whose eight threads run while it
 * exits, @rounds times: one EXIT, last, with the final counts, and no row
 * after; whichever thread reaches the exit hook first once all exit.
 */
static void test_mt_exit(int rounds)
{
	static struct tracer_event ev[64];
	char what[2048] = "";
	int i, j, n, bad = 0, tracer = open_dev();

	for (i = 0; i < rounds; i++) {
		int fd = open_dev(), exits = 0, ok;
		pid_t p = spawn(t_yield8);
		unsigned long long up;

		if (ioctl(tracer, TRACER_ADD_PROCESS, p) ||
		    watch(fd, p, TRACER_EV_ALL, 0, 0))
			die("register and watch");
		go();
		n = collect(fd, ev, 64, p);
		reap(p);
		for (j = 0; j < n; j++)
			exits += ev[j].kind == TRACER_EV_EXIT;
		ok = n > 0 && exits == 1 && ev[n - 1].kind == TRACER_EV_EXIT &&
		     ev[n - 1].flags & TRACER_EVF_COUNTS &&
		     ev[n - 1].counts[COL_SCHED] > 0 && quiet(fd, 100) &&
		     !proc_row(p, &up);
		if (!ok && !bad++) {
			describe(what, sizeof(what), ev, n);
			snprintf(what + strlen(what), sizeof(what) - strlen(what),
				 "; last flags %u sched %llu", n ? ev[n - 1].flags : 0,
				 n ? (unsigned long long)ev[n - 1].counts[COL_SCHED] : 0);
		}
		close(fd);
	}
	close(tracer);
	result(!bad, nm("mt-exit-counts"), "%d of %d rounds wrong; the first: %s",
	       bad, rounds, what);
}

/* ---- counts only for the opener's eyes ---- */

static const char *suid_path;

static void t_exec_suid(void)
{
	execl(suid_path, "tmonitor", "x", "exit", "6", (char *)NULL);
	_exit(98);
}

static void t_exec_suid_fork(void)
{
	execl(suid_path, "tmonitor", "x", "fork", "7", (char *)NULL);
	_exit(98);
}

/*
 * @fn in a child registered with @req and watched (descendants too) by a
 * monitor this user opens: @n exit records, the last the child's with
 * @status, all with counts (@counts) or none.
 */
static void private_counts(const char *name, void (*fn)(void), unsigned long req,
			   int n, int status, int counts)
{
	struct tracer_event ev[8];
	int fd = open_dev(), got, i, ok;
	pid_t p = spawn(fn);
	char what[512];

	ok = ioctl(fd, req, p) == 0 &&
	     watch(fd, p, TRACER_EV_EXIT | TRACER_EV_SIGNALED, 0, TRACER_WATCH_DESCENDANTS) == 0;
	go();
	got = collect(fd, ev, 8, p);
	reap(p);
	ok = ok && got == n && ev[n - 1].target == p && ev[n - 1].kind == TRACER_EV_EXIT &&
	     ev[n - 1].status == status << 8;
	for (i = 0; ok && i < n; i++)
		ok = !!(ev[i].flags & TRACER_EVF_COUNTS) == counts;
	describe(what, sizeof(what), ev, got);
	result(ok, nm(name), "%d records, %d expected: %s; flags %u, last %u", got, n, what,
	       got ? ev[0].flags : 0, got ? ev[got - 1].flags : 0);
	close(fd);
}

/*
 * Run as a user, with @suid a set-user-ID root copy of this program: exit
 * records carry the counts of the user's own registered processes, not of
 * one that became set-user-ID, nor of the followed child of that one.
 */
static void test_private(const char *suid)
{
	suid_path = suid;
	private_counts("own-exit-counts", t_fork_child, TRACER_ADD_PROCESS_TREE, 2, 4, 1);
	private_counts("setuid-exit-no-counts", t_exec_suid, TRACER_ADD_PROCESS, 1, 6, 0);
	private_counts("setuid-child-exit-no-counts", t_exec_suid_fork,
		       TRACER_ADD_PROCESS_TREE, 2, 7, 0);
}

/* ---- latency (make bench: guest instructions under -icount) ---- */

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static void print_stats(const char *what, int64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp64);
	printf("MONITOR: %s %lld %lld %lld\n", what, (long long)v[n / 2],
	       (long long)v[0], (long long)v[n - 1]);
}

static void t_exit_now(void)
{
	sh->exit_ns = now_ns();
	_exit(0);
}

/*
 * @n times: a target takes the time and calls _exit(); the monitor,
 * blocked in read() (or in sigwaitinfo() with @signals), takes the time
 * when it returns. Median, min, max of: exit() to the record's time (the
 * exit path up to the hook), the record's time to the monitor running
 * again, and the whole.
 */
static void test_latency(int n, int signals)
{
	int64_t *hook = calloc(n, 8), *wake = calloc(n, 8), *all = calloc(n, 8);
	struct tracer_event ev;
	sigset_t set;
	siginfo_t si;
	int i, fd;

	if (!hook || !wake || !all)
		die("calloc");
	sigemptyset(&set);
	sigaddset(&set, sig);
	for (i = 0; i < n; i++) {
		pid_t p = spawn(t_exit_now);
		int64_t t1, t0;

		fd = open_dev();
		watch(fd, p, TRACER_EV_EXIT, signals ? sig : 0, 0);
		go();
		if (signals ? sigwaitinfo(&set, &si) != sig :
			      read(fd, &ev, sizeof(ev)) != sizeof(ev))
			die("wait for the exit");
		t1 = now_ns();
		if (signals && read(fd, &ev, sizeof(ev)) != sizeof(ev))
			die("read");
		t0 = sh->exit_ns;
		hook[i] = ev.time_ns - t0;
		wake[i] = t1 - ev.time_ns;
		all[i] = t1 - t0;
		reap(p);
		close(fd);
	}
	print_stats(signals ? "signal exit-to-hook" : "read exit-to-hook", hook, n);
	print_stats(signals ? "signal hook-to-monitor" : "read hook-to-monitor", wake, n);
	print_stats(signals ? "signal exit-to-monitor" : "read exit-to-monitor", all, n);
	free(hook);
	free(wake);
	free(all);
}

/*
 * A workload of known counts for tracerctl run: @ups up+down pairs, in
 * itself and in each of @children children, which it waits for; exit 3.
 */
static int work(int ups, int children)
{
	int i;

	tt_fd = open("/dev/tracer_test", O_RDWR);
	if (tt_fd < 0)
		return 2;
	for (i = 0; i < children; i++) {
		pid_t c = fork();

		if (!c) {
			up_down(ups);
			_exit(0);
		}
		reap(c);
	}
	up_down(ups);
	return 3;
}

int main(int argc, char **argv)
{
	const char *test;
	sigset_t set;

	if (argc < 3) {
		fprintf(stderr, "usage: tmonitor LABEL TEST [ARGS]\n");
		return 2;
	}
	label = argv[1];
	test = argv[2];
	if (!strcmp(test, "exit"))
		return argc > 3 ? atoi(argv[3]) : 0;
	if (!strcmp(test, "fork") && argc > 3) {
		pid_t c = fork();

		if (!c)
			_exit(0);
		reap(c);
		return atoi(argv[3]);
	}
	if (!strcmp(test, "work") && argc > 4)
		return work(atoi(argv[3]), atoi(argv[4]));
	setvbuf(stdout, NULL, _IOLBF, 0);
	sig = SIGRTMIN + 1;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");

	if (!strcmp(test, "events"))
		test_events(argc > 3 ? atoi(argv[3]) : 10);
	else if (!strcmp(test, "stop"))
		test_stop();
	else if (!strcmp(test, "errors"))
		test_errors();
	else if (!strcmp(test, "loss"))
		test_loss();
	else if (!strcmp(test, "many") && argc > 4)
		test_many(atoi(argv[3]), atoi(argv[4]));
	else if (!strcmp(test, "counts"))
		test_counts();
	else if (!strcmp(test, "mt-exit") && argc > 3)
		test_mt_exit(atoi(argv[3]));
	else if (!strcmp(test, "private") && argc > 3)
		test_private(argv[3]);
	else if (!strcmp(test, "latency") && argc > 3)
		test_latency(atoi(argv[3]), argc > 4 && !strcmp(argv[4], "signal"));
	else
		return 2;
	return failures ? 1 : 0;
}
