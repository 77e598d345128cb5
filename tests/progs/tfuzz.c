// SPDX-License-Identifier: GPL-2.0
/*
 * tfuzz LABEL ITERATIONS THREADS [SEED]: hostile input for tracer's
 * user interfaces, from THREADS threads at once, ITERATIONS calls in all.
 *
 * Every call is drawn from the table of interfaces below; each entry makes
 * one call with random arguments and names the errors it may end with.
 * Anything else is a FAIL line naming the call. The last lines give the
 * figures: calls per interface and per result. A later writable interface
 * is one more entry in ifaces[].
 *
 * PIDs are drawn from a pool of the awkward ones: zero, negative, huge,
 * 64-bit values whose low half is a real PID (the kernel reads an int),
 * kernel threads, zombies, processes exiting while the call runs (a
 * thread forks short-lived children all along), live children, the
 * fuzzer itself, free PIDs. Cgroup requests get descriptors of cgroup
 * directories (the root, ones made here, one removed and made again all
 * along), of other directories and files, and numbers that are none.
 * Registrations made here are removed at the end, so the tracer is left
 * as found.
 *
 * tfuzz LABEL ITERATIONS THREADS SEED faults: the same with the fuzzing
 * threads' allocations failing as the debug kernel's failslab and
 * fail_page_alloc are told (tests/guest/faults.sh; make-it-fail of each
 * thread): ENOMEM is then a documented result of every call that may
 * allocate, counted, and of no other.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/uapi/tracer.h"

#define MAX_ERRNO	134
#define MAX_FAILS	20
#define POOL		256
#define CHURN_SLOTS	32
#define MAXPID		4194305

struct worker {
	uint64_t rng;
	int fd;			/* /dev/tracer, reopened now and then */
	int proc_fd;		/* a /proc file, reopened now and then */
	char desc[160];		/* the call being made, for a FAIL line */
	int alloc;		/* the call may allocate (see faults) */
};

/* One interface: makes a call, returns its result (>= 0) or -errno. */
struct iface {
	const char *name;
	long (*call)(struct worker *w, const int **allowed);
	unsigned int weight;
};

static pid_t pool[POOL];
static int pool_fixed;
static pid_t churn[CHURN_SLOTS];	/* children exiting right now */
static volatile int stop;
static char *bad_buf;			/* PROT_NONE: reads into it fault */
static char *before;			/* PIDs registered before: left alone */
static long fails, calls, enomems;
static int faults;		/* allocations fail at random: see the top */
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static uint64_t pick(struct worker *w, uint64_t n)
{
	return n ? rnd(w) % n : 0;
}

static const char *errno_name(int e)
{
	static const struct { int nr; const char *name; } names[] = {
		{ 0, "ok" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" }, { EINTR, "EINTR" }, { EIO, "EIO" },
		{ EBADF, "EBADF" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
		{ ESPIPE, "ESPIPE" }, { EOVERFLOW, "EOVERFLOW" },
		{ EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char other[MAX_ERRNO][12];
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == e)
			return names[i].name;
	if (e < 0 || e >= MAX_ERRNO)
		return "errno?";
	snprintf(other[e], sizeof(other[e]), "errno%d", e);
	return other[e];
}

/* The documented errors of each call, zero-terminated. */
static const int err_add[] = { EINVAL, ESRCH, EPERM, EEXIST, ENOMEM, ENODEV, 0 };
static const int err_remove[] = { EINVAL, ESRCH, EPERM, ENOENT, 0 };
static const int err_watch[] = { EINVAL, ESRCH, EPERM, ENOSPC, ENOMEM, EFAULT, 0 };
static const int err_unwatch[] = { EINVAL, ENOENT, EFAULT, 0 };
static const int err_cg_add[] = { EBADF, ENOENT, EPERM, EEXIST, ENOSPC, EINVAL,
				   ENOMEM, ENODEV, 0 };
static const int err_cg_remove[] = { EBADF, ENOENT, EPERM, 0 };
static const int err_unknown[] = { ENOTTY, 0 };
static const int err_invalid[] = { EINVAL, 0 };
/* Opened read-only: a write is EBADF before the driver sees it. */
static const int err_bad_fd[] = { EBADF, 0 };
/* A 32-bit lseek to beyond 2 GiB, or one below 0. */
static const int err_seek[] = { EINVAL, EOVERFLOW, 0 };
static const int err_fault[] = { EFAULT, 0 };
static const int err_none[] = { 0 };
/* proc files have no write method (EIO); a non-root writer is refused. */
static const int err_proc_write[] = { EACCES, EIO, 0 };

/* ---- arguments ---- */

static pid_t random_pid(struct worker *w)
{
	switch (pick(w, 4)) {
	case 0:
		return pool[pick(w, pool_fixed)];
	case 1:
		return __atomic_load_n(&churn[pick(w, CHURN_SLOTS)], __ATOMIC_RELAXED);
	case 2:
		return 1 + pick(w, 4194304);
	default:
		return pool[pick(w, POOL)];
	}
}

/*
 * The argument word: a PID, or junk in its upper half or all of it. Never
 * a PID registered before the fuzzing began: the suite's own registrations
 * (the keeper of the two-vCPU guest) stay as they are.
 */
static unsigned long random_arg(struct worker *w)
{
	unsigned long arg;
	int pid;

	do {
		arg = (unsigned int)random_pid(w);
		switch (pick(w, 8)) {
		case 0:
			arg = (unsigned long)rnd(w);
			break;
		case 1:
			arg |= (unsigned long)(rnd(w) << 32);
			break;
		}
		pid = (int)arg;
	} while (pid > 0 && pid < MAXPID && before[pid]);
	return arg;
}

/* Requests every open file answers in the VFS, before the driver. */
static int vfs_request(unsigned int cmd)
{
	return (cmd >> 8 & 0xff) == 'T' || (cmd >> 8 & 0xff) == 'X' ||
	       (cmd >> 8 & 0xff) == 'f' || (cmd >> 8 & 0xff) == 0x94 ||
	       cmd == 0x2 /* FIBMAP */ || cmd == 0x1 /* FIGETBSZ */;
}

/* A request number: the real ones, near misses of them, or noise. */
static unsigned long random_cmd(struct worker *w)
{
	static const unsigned long reals[] = {
		TRACER_ADD_PROCESS, TRACER_REMOVE_PROCESS, TRACER_ADD_PROCESS_TREE,
	};
	unsigned long real = reals[pick(w, 3)];
	unsigned long cmd;

	switch (pick(w, 10)) {
	case 0: case 1: case 2: case 3:
		return real;
	case 4:	/* another direction */
		return (real & ~(3ul << _IOC_DIRSHIFT)) | pick(w, 4) << _IOC_DIRSHIFT;
	case 5:	/* another size */
		return (real & ~(0x3ffful << _IOC_SIZESHIFT)) |
		       (unsigned long)"\x00\x01\x02\x08\x10\xff"[pick(w, 6)] << _IOC_SIZESHIFT;
	case 6:	/* a neighbour */
		return real + pick(w, 5) - 2;
	case 7:	/* one bit off */
		return real ^ 1ul << pick(w, 32);
	case 8:	/* junk above the 32 bits the kernel reads */
		return real | (unsigned long)(rnd(w) << 32);
	default:
		do
			cmd = (unsigned int)rnd(w);
		while (vfs_request(cmd));
		return cmd;
	}
}

/* ---- interfaces ---- */

static long ret_of(long r)
{
	return r < 0 ? -errno : r;
}

/* Under faults, until an open is not failed: the calls need a file. */
static int reopen(int *fd, const char *path, int flags)
{
	int tries = 0;

	if (*fd >= 0)
		close(*fd);
	do
		*fd = open(path, flags);
	while (*fd < 0 && errno == ENOMEM && faults && ++tries < 1000);
	return *fd;
}

static long call_ioctl(struct worker *w, const int **allowed)
{
	unsigned long cmd = random_cmd(w), arg = random_arg(w);
	unsigned int kcmd = cmd;
	long r;

	if (kcmd == TRACER_ADD_PROCESS || kcmd == TRACER_ADD_PROCESS_TREE)
		*allowed = (int)arg <= 0 ? err_invalid : err_add;
	else if (kcmd == TRACER_WATCH)	/* a near miss: arg is no pointer */
		*allowed = err_watch;
	else if (kcmd == TRACER_UNWATCH)
		*allowed = err_unwatch;
	else if (kcmd == TRACER_REMOVE_PROCESS)
		*allowed = (int)arg <= 0 ? err_invalid : err_remove;
	else if (kcmd == TRACER_ADD_CGROUP)	/* a near miss: arg is a PID */
		*allowed = err_cg_add;
	else if (kcmd == TRACER_REMOVE_CGROUP)
		*allowed = err_cg_remove;
	else
		*allowed = err_unknown;
	w->alloc = kcmd == TRACER_WATCH || kcmd == TRACER_ADD_CGROUP ||
		   ((kcmd == TRACER_ADD_PROCESS || kcmd == TRACER_ADD_PROCESS_TREE) &&
		    (int)arg > 0);
	snprintf(w->desc, sizeof(w->desc), "ioctl(/dev/tracer, %#lx, %#lx)", cmd, arg);
	if (!pick(w, 64) && reopen(&w->fd, "/dev/tracer", O_RDONLY) < 0)
		return -errno;
	r = ret_of(syscall(SYS_ioctl, w->fd, cmd, arg));
	/* A success on a refused PID, or the reverse, is a failure too. */
	if (!r && (int)arg <= 0)
		return -1000;
	return r;
}

/*
 * The monitor's ioctls: any PID, events and flags, a signal the fuzzer
 * ignores by default (or an invalid one), or a pointer that faults.
 */
static long call_watch(struct worker *w, const int **allowed)
{
	static const int sigs[] = { 0, SIGURG, SIGWINCH, -1, 65, 1000 };
	struct tracer_watch req = {
		.pid = (int)random_arg(w),
		.events = pick(w, 4) ? pick(w, 0x40) : (uint32_t)rnd(w),
		.signal = sigs[pick(w, 6)],
		.flags = pick(w, 4) ? pick(w, 2) : (uint32_t)rnd(w),
	};
	int unw = pick(w, 3) == 0;
	unsigned long cmd = unw ? TRACER_UNWATCH : TRACER_WATCH;
	void *arg = &req;
	struct pollfd p = { w->fd, POLLIN, 0 };
	int bad;
	long r;

	if (!pick(w, 16))
		arg = pick(w, 2) ? NULL : bad_buf;
	w->alloc = !unw;
	if (!pick(w, 32)) {
		*allowed = err_none;
		w->alloc = 0;
		snprintf(w->desc, sizeof(w->desc), "poll(/dev/tracer)");
		return ret_of(poll(&p, 1, 0));
	}
	*allowed = unw ? err_unwatch : err_watch;
	bad = req.pid <= 0 || !req.events || req.events & ~TRACER_EV_ALL ||
	      (!unw && (req.signal < 0 || req.signal > 64 ||
			req.flags & ~TRACER_WATCH_DESCENDANTS));
	snprintf(w->desc, sizeof(w->desc), "ioctl(/dev/tracer, %s, {%d, %#x, %d, %#x} at %p)",
		 unw ? "UNWATCH" : "WATCH", req.pid, req.events, req.signal, req.flags, arg);
	r = ret_of(ioctl(w->fd, cmd, arg));
	/* Invalid arguments that were read must be refused. */
	if (!r && bad)
		return -1000;
	return r;
}

/* Descriptors for the cgroup requests, opened before the threads start. */
#define CG_FUZZ_DIRS	4
static char cg_mount[PATH_MAX];
static int cg_fds[CG_FUZZ_DIRS + 6], nr_cg_fds;

static void cg_fuzz_dir(char *buf, size_t len, int i)
{
	snprintf(buf, len, "%s/tt-fuzz-%d", cg_mount, i);
}

static void cg_setup(void)
{
	char path[PATH_MAX + 32], dev[64], type[64];
	FILE *mounts = fopen("/proc/mounts", "r");
	int i;

	while (mounts && fscanf(mounts, "%63s %4095s %63s %*[^\n]", dev, cg_mount, type) == 3)
		if (!strcmp(type, "cgroup2"))
			break;
	if (mounts)
		fclose(mounts);
	cg_fds[nr_cg_fds++] = open("/tmp", O_RDONLY | O_DIRECTORY);
	cg_fds[nr_cg_fds++] = open("/proc/tracer", O_RDONLY);
	if (strcmp(type, "cgroup2"))
		return;
	cg_fds[nr_cg_fds++] = open(cg_mount, O_RDONLY | O_DIRECTORY);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg_mount);
	cg_fds[nr_cg_fds++] = open(path, O_RDONLY);
	for (i = 0; i < CG_FUZZ_DIRS; i++) {
		cg_fuzz_dir(path, sizeof(path), i);
		mkdir(path, 0755);
		cg_fds[nr_cg_fds++] = open(path, (i ? O_RDONLY : O_PATH) | O_DIRECTORY);
	}
}

/*
 * The cgroup requests: a descriptor from cg_fds[], or a number that is
 * none (closed, negative, huge, junk above the int the kernel reads).
 */
static long call_cgroup(struct worker *w, const int **allowed)
{
	int add = pick(w, 2);
	unsigned long arg;

	if (nr_cg_fds && pick(w, 4))
		arg = (unsigned int)cg_fds[pick(w, nr_cg_fds)];
	else
		arg = (unsigned int)(int)"\x00\xff\x80\x7f\xfe"[pick(w, 5)] * 1000;
	if (!pick(w, 8))
		arg |= (unsigned long)(rnd(w) << 32);
	*allowed = add ? err_cg_add : err_cg_remove;
	w->alloc = add;
	snprintf(w->desc, sizeof(w->desc), "ioctl(/dev/tracer, %s, %#lx)",
		 add ? "ADD_CGROUP" : "REMOVE_CGROUP", arg);
	return ret_of(syscall(SYS_ioctl, w->fd, add ? TRACER_ADD_CGROUP : TRACER_REMOVE_CGROUP,
			      arg));
}

/* "cgroups: N" of /proc/tracer_status, -1 if unreadable. */
static int status_cgroups(void)
{
	FILE *f = fopen("/proc/tracer_status", "r");
	char line[256];
	int n = -1;

	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "cgroups: %d", &n);
	if (f)
		fclose(f);
	return n;
}

static long call_dev_rw(struct worker *w, const int **allowed)
{
	char buf[16];
	int wr = pick(w, 2);

	*allowed = wr ? err_bad_fd : err_invalid;
	w->alloc = 0;
	snprintf(w->desc, sizeof(w->desc), "%s(/dev/tracer)", wr ? "write" : "read");
	return ret_of(wr ? write(w->fd, buf, sizeof(buf)) : read(w->fd, buf, sizeof(buf)));
}

/* The proc files, and the errors of opening one: tracer_forks is root's. */
static const int err_access[] = { EACCES, 0 };
static const struct {
	const char *path;
	const int *open_err;
} proc_files[] = {
	{ "/proc/tracer", err_none },
	{ "/proc/tracer_held", err_none },
	{ "/proc/tracer_cgroups", err_none },
	{ "/proc/tracer_status", err_none },
	{ "/proc/tracer_forks", err_access },
};

#define NR_PROC_FILES (sizeof(proc_files) / sizeof(proc_files[0]))

/* seq_file positions: odd ones, and far beyond the end. */
static off_t random_offset(struct worker *w)
{
	switch (pick(w, 5)) {
	case 0:
		return pick(w, 8);
	case 1:
		return pick(w, 1 << 16);
	case 2:
		return (off_t)(rnd(w) >> 1);
	case 3:
		return (off_t)1 << pick(w, 63);
	default:
		return pick(w, 200);
	}
}

static long call_proc_read(struct worker *w, const int **allowed)
{
	static const size_t sizes[] = { 0, 1, 3, 7, 64, 100, 4095, 4096, 65536, 1 << 20 };
	size_t size = sizes[pick(w, sizeof(sizes) / sizeof(sizes[0]))];
	int how = pick(w, 4), file = pick(w, NR_PROC_FILES);
	off_t off = random_offset(w);
	char *buf;
	long r;

	if (!pick(w, 16) && reopen(&w->proc_fd, proc_files[file].path, O_RDONLY) < 0) {
		r = -errno;
		*allowed = proc_files[file].open_err;
		snprintf(w->desc, sizeof(w->desc), "open(%s)", proc_files[file].path);
		reopen(&w->proc_fd, proc_files[0].path, O_RDONLY);
		return r;
	}
	*allowed = err_none;
	if (how == 0) {		/* into memory that is not there */
		*allowed = size ? err_fault : err_none;
		snprintf(w->desc, sizeof(w->desc), "read(proc, PROT_NONE, %zu)", size);
		return ret_of(read(w->proc_fd, bad_buf, size));
	}
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	/*
	 * A page the kernel's copy faults in may fail to be allocated, which
	 * is EFAULT (a fault of the process's own code waits instead).
	 */
	if (faults)
		memset(buf, 0, size + 1);
	if (how == 1) {
		/* off_t may be 32 bits: negative offsets are EINVAL. */
		if (off < 0)
			*allowed = err_invalid;
		snprintf(w->desc, sizeof(w->desc), "pread(proc, %zu, %lld)", size,
			 (long long)off);
		r = ret_of(pread(w->proc_fd, buf, size, off));
	} else if (how == 2) {
		int whence = pick(w, 3);

		/* seq_file seeks SET and CUR; END, and a result < 0, are EINVAL. */
		if (pick(w, 2))
			off = -off;
		*allowed = err_seek;
		snprintf(w->desc, sizeof(w->desc), "lseek(proc, %lld, %d)",
			 (long long)off, whence);
		r = ret_of(lseek(w->proc_fd, off, whence));
	} else {
		snprintf(w->desc, sizeof(w->desc), "read(proc, %zu)", size);
		r = ret_of(read(w->proc_fd, buf, size));
	}
	free(buf);
	return r;
}

static long call_proc_write(struct worker *w, const int **allowed)
{
	const char *path = proc_files[pick(w, NR_PROC_FILES)].path;
	int fd = open(path, O_WRONLY);
	long r;

	*allowed = err_proc_write;
	snprintf(w->desc, sizeof(w->desc), "write(%s)", path);
	if (fd < 0)
		return -errno;
	r = ret_of(write(fd, "1 2 3\n", 6));
	close(fd);
	return r;
}

/*
 * /proc/memory_info (root's): commands, well-formed or not, of random
 * lengths, from memory that is not there, at random offsets; now and then
 * the result read back. RESET scans every process: rare.
 */
static const int err_meminfo[] = { EACCES, EINVAL, ESRCH, EFAULT, ENOMEM, 0 };

static long call_meminfo(struct worker *w, const int **allowed)
{
	static const char *const cmds[] = {
		"ALL", "FILTER|", "DEL|", "FILTER", "DEL", "", "|", "all", "RESE"
	};
	static const char *const names[] = {
		"init", "sh", "tfuzz", "tfuzz32", "kthreadd", "", "a|b",
		"0123456789abcde", "0123456789abcdef", "\n", "FILTER|sh"
	};
	int fd, how = pick(w, 8), rd = !pick(w, 4);
	char buf[64];
	size_t len, i;
	long r;

	*allowed = err_meminfo;
	snprintf(w->desc, sizeof(w->desc), "open(/proc/memory_info)");
	fd = open("/proc/memory_info", rd ? O_RDWR : O_WRONLY);
	if (fd < 0)
		return -errno;
	if (!pick(w, 64))
		len = snprintf(buf, sizeof(buf), "RESET");
	else
		len = snprintf(buf, sizeof(buf), "%s%s%s", cmds[pick(w, 9)],
			       pick(w, 2) ? names[pick(w, 11)] : "",
			       pick(w, 2) ? "\n" : "");
	if (how == 1) {			/* random bytes */
		len = pick(w, sizeof(buf));
		for (i = 0; i < len; i++)
			buf[i] = rnd(w);
	} else if (how == 2) {		/* cut short */
		len = pick(w, len + 1);
	}
	snprintf(w->desc, sizeof(w->desc), "write(/proc/memory_info, \"%.*s\", %zu)",
		 (int)len, how == 1 ? "<random>" : buf, len);
	if (how == 0)
		r = ret_of(write(fd, bad_buf, pick(w, 40)));
	else if (how == 3)
		r = ret_of(pwrite(fd, buf, len, random_offset(w)));
	else
		r = ret_of(write(fd, buf, len));
	if (rd && read(fd, buf, pick(w, sizeof(buf))) < 0) {
		snprintf(w->desc, sizeof(w->desc), "read(/proc/memory_info)");
		r = -errno;
		*allowed = err_none;
	}
	close(fd);
	return r;
}

static const struct iface ifaces[] = {
	{ "ioctl", call_ioctl, 12 },
	{ "watch", call_watch, 6 },
	{ "dev-read-write", call_dev_rw, 1 },
	{ "proc-read-seek", call_proc_read, 6 },
	{ "proc-write", call_proc_write, 1 },
	{ "meminfo", call_meminfo, 1 },
	{ "cgroup", call_cgroup, 3 },
};

#define NR_IFACES (sizeof(ifaces) / sizeof(ifaces[0]))

static long results[NR_IFACES][MAX_ERRNO + 1];	/* [MAX_ERRNO]: others */

static int documented(const struct worker *w, const int *allowed, long r)
{
	if (r >= 0)
		return 1;
	if (faults && w->alloc && r == -ENOMEM) {
		__atomic_add_fetch(&enomems, 1, __ATOMIC_RELAXED);
		return 1;
	}
	for (; *allowed; allowed++)
		if (-r == *allowed)
			return 1;
	return 0;
}

static void *fuzz_thread(void *arg)
{
	struct worker w = { .rng = (uintptr_t)arg * 0x9e3779b97f4a7c15ull | 1,
			    .fd = -1, .proc_fd = -1 };
	unsigned int total = 0, i;
	long r;

	for (i = 0; i < NR_IFACES; i++)
		total += ifaces[i].weight;
	if (faults) {
		int self = open("/proc/thread-self/make-it-fail", O_WRONLY);

		if (self < 0 || write(self, "1", 1) != 1) {
			printf("FAIL: fuzz-faults: make-it-fail: %s\n", strerror(errno));
			exit(1);
		}
		close(self);
	}
	reopen(&w.fd, "/dev/tracer", O_RDONLY);
	reopen(&w.proc_fd, proc_files[0].path, O_RDONLY);
	while (__atomic_fetch_sub(&calls, 1, __ATOMIC_RELAXED) > 0) {
		const int *allowed = err_none;
		unsigned int n = pick(&w, total);

		w.alloc = 1;
		for (i = 0; n >= ifaces[i].weight; i++)
			n -= ifaces[i].weight;
		r = ifaces[i].call(&w, &allowed);
		__atomic_add_fetch(&results[i][r >= 0 ? 0 : -r < MAX_ERRNO ? -r : MAX_ERRNO],
				   1, __ATOMIC_RELAXED);
		if (documented(&w, allowed, r))
			continue;
		pthread_mutex_lock(&fail_lock);
		if (++fails <= MAX_FAILS)
			printf("FAIL: fuzz-%s: %s returned %s\n", ifaces[i].name, w.desc,
			       r == -1000 ? "success for invalid arguments" : errno_name(-r));
		pthread_mutex_unlock(&fail_lock);
	}
	close(w.fd);
	close(w.proc_fd);
	return NULL;
}

/* Forks children that exit at once, reaped a little later: PIDs exiting. */
static void *churn_thread(void *arg)
{
	unsigned int i = 0;

	(void)arg;
	while (!stop) {
		pid_t pid = fork();
		char dir[PATH_MAX + 32];

		/* The last fuzz cgroup removed, registered or not, and made again. */
		if (cg_mount[0] && !(i % 16)) {
			cg_fuzz_dir(dir, sizeof(dir), CG_FUZZ_DIRS - 1);
			rmdir(dir);
			mkdir(dir, 0755);
		}

		if (!pid)
			_exit(0);
		if (pid < 0)
			continue;
		__atomic_store_n(&churn[i++ % CHURN_SLOTS], pid, __ATOMIC_RELAXED);
		waitpid(pid, NULL, 0);
	}
	return NULL;
}

static pid_t child(int live)
{
	pid_t pid = fork();

	if (!pid) {
		if (live)
			pause();
		_exit(0);
	}
	return pid;
}

/* Kernel threads: kthreadd (2) and its children. */
static int kernel_threads(pid_t *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	while (d && n < max && (e = readdir(d))) {
		char path[64];
		int pid, ppid;
		FILE *f;

		if (sscanf(e->d_name, "%d", &pid) != 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (f && fscanf(f, "%*d %*s %*c %d", &ppid) == 1 && (pid == 2 || ppid == 2))
			out[n++] = pid;
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

/* The PIDs that have a row in /proc/tracer, as a 0/1 map. */
static void rows(char *map, int max)
{
	FILE *f = fopen("/proc/tracer", "r");
	char line[256];
	int pid;

	memset(map, 0, max);
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%d", &pid) == 1 && pid > 0 && pid < max)
			map[pid] = 1;
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	static const pid_t fixed[] = { 0, -1, -2, INT_MIN, INT_MAX, 1, 2,
				       4194303, 4194304, 4194305, 32767, 32768 };
	pthread_t threads[64], churner;
	pid_t kids[16];
	char *after;
	long iterations;
	int nthreads, i, n, nk = 0, left = 0, removed, cgroups_before;
	time_t start = time(NULL);
	unsigned int e;

	if (argc < 4) {
		fprintf(stderr, "usage: tfuzz LABEL ITERATIONS THREADS [SEED [faults]]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	iterations = calls = atol(argv[2]);
	nthreads = atoi(argv[3]);
	if (nthreads < 1 || nthreads > 64)
		nthreads = 8;
	srand(argc > 4 ? atoi(argv[4]) : 1);
	faults = argc > 5 && !strcmp(argv[5], "faults");
	bad_buf = mmap(NULL, 1 << 21, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	before = malloc(MAXPID);
	after = malloc(MAXPID);
	if (bad_buf == MAP_FAILED || !before || !after)
		return 1;
	rows(before, MAXPID);
	cgroups_before = status_cgroups();

	for (i = 0; i < (int)(sizeof(fixed) / sizeof(fixed[0])); i++)
		pool[pool_fixed++] = fixed[i];
	pool[pool_fixed++] = getpid();
	pool[pool_fixed++] = getppid();
	for (i = 0; i < 8; i++)		/* live children */
		pool[pool_fixed++] = kids[nk++] = child(1);
	for (i = 0; i < 8; i++)		/* zombies until the end */
		pool[pool_fixed++] = kids[nk++] = child(0);
	pool_fixed += kernel_threads(pool + pool_fixed, 32);
	for (i = pool_fixed; i < POOL; i++)
		pool[i] = pool[rand() % pool_fixed] + (rand() % 3 - 1);

	cg_setup();
	pthread_create(&churner, NULL, churn_thread, NULL);
	for (i = 0; i < nthreads; i++)
		pthread_create(&threads[i], NULL, fuzz_thread,
			       (void *)(uintptr_t)(rand() + i + 1));
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	stop = 1;
	pthread_join(churner, NULL);

	/*
	 * Leave the tracer as found: remove what the fuzzing registered. A
	 * followed process (TRACER_ADD_PROCESS_TREE: kthreadd, init...) may
	 * give a new child a row until it is removed: again until none came.
	 */
	n = open("/dev/tracer", O_RDONLY);
	for (e = 0, removed = 1; removed && e < 100; e++) {
		rows(after, MAXPID);
		left = removed = 0;
		for (i = 1; i < MAXPID; i++) {
			if (!after[i] || before[i] || n < 0)
				continue;
			if (!ioctl(n, TRACER_REMOVE_PROCESS, i))
				removed++;
			else if (errno != ENOENT && errno != ESRCH)
				left++;
		}
	}
	for (i = 0; n >= 0 && i < nr_cg_fds; i++)
		ioctl(n, TRACER_REMOVE_CGROUP, cg_fds[i]);
	for (i = 0; cg_mount[0] && i < CG_FUZZ_DIRS; i++) {
		char dir[PATH_MAX + 32];

		cg_fuzz_dir(dir, sizeof(dir), i);
		rmdir(dir);
	}
	/* A registered cgroup removed by the churner goes by the module's poll. */
	for (e = 0; status_cgroups() != cgroups_before && e < 30; e++)
		usleep(100000);
	if (status_cgroups() != cgroups_before)
		printf("FAIL: fuzz-%s-cgroups-cleanup: %d cgroups registered, %d before\n",
		       argv[1], status_cgroups(), cgroups_before);
	if (n >= 0)
		close(n);
	for (i = 0; i < nk; i++)
		kill(kids[i], SIGKILL);
	while (wait(NULL) > 0)
		;

	printf("INFO: fuzz-%s: %ld calls from %d threads in %ld s, %d PIDs in the pool\n",
	       argv[1], iterations, nthreads, (long)(time(NULL) - start), pool_fixed);
	for (i = 0; i < (int)NR_IFACES; i++) {
		char line[1024];
		int len = 0;

		for (e = 0; e <= MAX_ERRNO; e++)
			if (results[i][e])
				len += snprintf(line + len, sizeof(line) - len, " %s=%ld",
						e == MAX_ERRNO ? "other" : errno_name(e),
						results[i][e]);
		printf("INFO: fuzz-%s: %s:%s\n", argv[1], ifaces[i].name, len ? line : " none");
	}
	if (faults)
		printf("INFO: faults: fuzz-%s: %ld calls, %ld ended with ENOMEM\n",
		       argv[1], iterations, enomems);
	if (left)
		printf("FAIL: fuzz-%s-cleanup: %d registrations could not be removed\n",
		       argv[1], left);
	if (fails)
		printf("FAIL: fuzz-%s: %ld calls answered with an undocumented result\n",
		       argv[1], fails);
	else
		printf("PASS: fuzz-%s\n", argv[1]);
	return fails || left;
}
