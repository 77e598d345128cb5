// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection helper of tests/guest/faults.sh (the debug kernel's
 * failslab and fail_page_alloc, configured by the script).
 *
 * tfail load KIND MODULE PARAMS LOADS: MODULE loaded with PARAMS and the
 *   N-th allocation of the load failed (/proc/thread-self/fail-nth: the
 *   N-th call of this thread that the configured fault_attr considers),
 *   for every N the load makes (LOADS 0), or about LOADS of them, evenly
 *   spaced. After each failed load nothing of the module may be left: no
 *   /proc/tracer* or /proc/memory_info, no /dev/tracer, no line in
 *   /proc/modules; the init must fail with ENOMEM. Whether a failed load
 *   reached the init is told by a load with the same N and fork_records=1,
 *   which the init refuses first thing ("fork_records must be" in the
 *   kernel log).
 *   A page allocation that fails alone is made again by its caller or
 *   done another way (the bulk allocator falls back to single pages, slab
 *   to a smaller order): with fail_page_alloc, every load may survive
 *   (faults.sh says so). Failing every one from the N-th page on instead
 *   (the fault_attr's space) fails the kernel's own clean-up: 6.1's
 *   kprobes then warn in __disarm_kprobe_ftrace() and leave kernel_clone
 *   in ftrace's filter, so that no later load can probe it (EINVAL).
 * tfail watch: reads the kernel log until SIGTERM; a report (warning,
 *   KASAN, lockdep...: the headlines of tests/vm/check-log.sh) is a FAIL
 *   line. A call trace is one only if no allocation failure report
 *   (alloc_report()) came before it: failed allocations print one, with a
 *   trace, by design. faults.sh keeps those warnings off the console for
 *   that reason.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tresult.h"

#define FAIL_NTH "/proc/thread-self/fail-nth"
#define NO_FAILURE 1000000000u
#define MAX_REPORTS 20
#define MAX_ERRNO_SEEN 134

/*
 * This thread's fail-nth, opened once: a load that allocates less than
 * asked leaves the count running, and an open would be the next to fail.
 */
static int nth_fd = -1;

/* Sets this thread's fail-nth; 0 clears it. */
static void set_nth(unsigned int n)
{
	char buf[16];

	if (nth_fd < 0)
		nth_fd = open(FAIL_NTH, O_RDWR);
	snprintf(buf, sizeof(buf), "%u", n);
	if (nth_fd < 0 || pwrite(nth_fd, buf, strlen(buf), 0) < 0)
		die("write " FAIL_NTH);
}

/* This thread's fail-nth: 0 once the failure it asked for happened. */
static unsigned int get_nth(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		die("read " FAIL_NTH);
	return strtoul(buf, NULL, 10);
}

/* The kernel log from now on, read without waiting. */
static int kmsg_open(int flags)
{
	int fd = open("/dev/kmsg", O_RDONLY | flags);

	if (fd < 0 || lseek(fd, 0, SEEK_END) < 0)
		die("/dev/kmsg");
	return fd;
}

/* 1 if a record read from @fd till its end contains @text. */
static int kmsg_has(int fd, const char *text)
{
	char rec[8192];
	ssize_t n;
	int found = 0;

	while ((n = read(fd, rec, sizeof(rec) - 1)) != 0) {
		if (n < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (n < 0)
			break;
		rec[n] = '\0';
		found |= strstr(rec, text) != NULL;
	}
	return found;
}

/*
 * Loads @module with @params and the @n-th allocation failed (none for
 * NO_FAILURE): 0 or the errno; *@injected tells whether it happened.
 */
static int load(int modfd, const char *params, unsigned int n, int *injected,
		unsigned int *used)
{
	unsigned int left;
	int err;

	set_nth(n);
	err = syscall(SYS_finit_module, modfd, params, 0) ? errno : 0;
	left = get_nth();
	set_nth(0);
	*injected = left == 0;
	if (used)
		*used = n - left;
	return err;
}

/* Why nothing of the module may be there, or NULL if nothing is. */
static const char *leftover(char *what, size_t len)
{
	char line[256];
	struct dirent *e;
	struct stat st;
	FILE *f;
	DIR *d;

	if (!stat("/dev/tracer", &st))
		return "/dev/tracer";
	if (!stat("/proc/memory_info", &st))
		return "/proc/memory_info";
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		if (!strncmp(e->d_name, "tracer", 6)) {
			snprintf(what, len, "/proc/%s", e->d_name);
			closedir(d);
			return what;
		}
	if (d)
		closedir(d);
	f = fopen("/proc/modules", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "tracer ", 7)) {
			fclose(f);
			return "tracer in /proc/modules";
		}
	if (f)
		fclose(f);
	return NULL;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "tracer", O_NONBLOCK) ? errno : 0;
}

/*
 * Whether the load with the @n-th allocation failed reaches the module's
 * init (see above): failing it alone, all before it go as in a load that
 * failed the same way; only the init's first refusal tells it ran.
 */
static int reaches_init(int modfd, const char *params, unsigned int n)
{
	int kmsg = kmsg_open(O_NONBLOCK), injected, ran;
	char refused[256];

	snprintf(refused, sizeof(refused), "fork_records=1 %s", params);
	load(modfd, refused, n, &injected, NULL);
	ran = kmsg_has(kmsg, "fork_records must be");
	close(kmsg);
	return ran;
}

struct steps {
	const char *kind;
	unsigned int tried, failed_pre, failed_init, survived;
	unsigned int left_bad, errno_bad, unload_bad, pre_errnos[MAX_ERRNO_SEEN];
};

/* Load @n of the steps (see load_steps): 1 if it met no failure and loaded. */
static int step(struct steps *s, int modfd, const char *params, unsigned int n)
{
	int err, injected;
	const char *left;
	char what[300];

	s->tried++;
	err = load(modfd, params, n, &injected, NULL);
	if (!err && !injected)
		return 1;
	if (!err) {
		s->survived++;
		s->unload_bad += unload() != 0;
		return 0;
	}
	if (!injected) {
		if (s->errno_bad++ < MAX_REPORTS)
			printf("FAIL: faults-load-%s: load %u failed (%s) with no failure injected\n",
			       s->kind, n, strerror(err));
	} else if (!reaches_init(modfd, params, n)) {
		s->failed_pre++;
		s->pre_errnos[err < MAX_ERRNO_SEEN ? err : 0]++;
	} else {
		s->failed_init++;
		if (err != ENOMEM && s->errno_bad++ < MAX_REPORTS)
			printf("FAIL: faults-load-%s-init-enomem: allocation %u: %s\n",
			       s->kind, n, strerror(err));
	}
	left = leftover(what, sizeof(what));
	if (left && s->left_bad++ < MAX_REPORTS)
		printf("FAIL: faults-load-%s-nothing-left: allocation %u failed, %s is there\n",
		       s->kind, n, left);
	if (left && !strcmp(left, "tracer in /proc/modules"))
		unload();
	return 0;
}

/*
 * Every @n-th of @count, for about @loads of them (all for 0). Odd: under
 * kmemleak every allocation is followed by one of its own, which it
 * survives, and an even step would fall on those alone.
 */
static unsigned int stride(unsigned int count, unsigned int loads)
{
	return loads && count > loads ? (count + loads - 1) / loads | 1 : 1;
}

static void load_steps(const char *kind, const char *module, const char *params,
		       unsigned int loads)
{
	struct steps s = { .kind = kind };
	unsigned int total, n, every;
	int modfd = open(module, O_RDONLY), injected, loaded = 0, i;
	char name[64];

	if (modfd < 0)
		die(module);
	/* How many allocations a load makes: the last N to try is one more. */
	if (load(modfd, params, NO_FAILURE, &injected, &total) || injected || unload())
		die("a load without failure");
	every = stride(total + 1, loads);
	printf("INFO: faults: load-%s: %u allocations in a load (%s); failing every %u-th\n",
	       kind, total, params, every);
	for (n = 1; !loaded && n <= total + 1; n += every)
		loaded = step(&s, modfd, params, n);
	/*
	 * Beyond the last: it must load. A load may allocate a little more
	 * than the one counted (the kernel's caches fill as they go).
	 */
	for (n = total + 1; !loaded && n <= 2 * total + 2; n++)
		loaded = step(&s, modfd, params, n);
	printf("INFO: faults: load-%s: %u loads tried: %u failed before the init, %u in the"
	       " init, %u survived the failure\n", kind, s.tried, s.failed_pre,
	       s.failed_init, s.survived);
	for (i = 0; i < MAX_ERRNO_SEEN; i++)
		if (s.pre_errnos[i])
			printf("INFO: faults: load-%s: %u failed before the init with %s\n",
			       kind, s.pre_errnos[i], i ? strerror(i) : "an errno above 133");
	/* After all those failures, a load with none loads and unloads. */
	if (loaded)
		unload();
	snprintf(name, sizeof(name), "faults-load-%s-ends-loaded", kind);
	result(!load(modfd, params, NO_FAILURE, &injected, NULL) && !unload(), name,
	       "a load without failure after %u failed ones did not load, or unload",
	       s.tried);
	/* A failure the load survives is a pass; one that reaches no init is no test of it. */
	snprintf(name, sizeof(name), "faults-load-%s-reaches-init", kind);
	if (s.failed_init || !strcmp(kind, "failslab"))
		result(s.failed_init > 0, name, "no failed load reached the init");
	else
		printf("INFO: faults: load-%s: every failure was survived: the init's error paths"
		       " are not reached this way\n", kind);
	snprintf(name, sizeof(name), "faults-load-%s-init-enomem", kind);
	if (!s.errno_bad)
		printf("PASS: %s\n", name);
	snprintf(name, sizeof(name), "faults-load-%s-nothing-left", kind);
	if (!s.left_bad)
		printf("PASS: %s\n", name);
	snprintf(name, sizeof(name), "faults-load-%s-survived-unload", kind);
	result(!s.unload_bad, name, "%u of %u loads that survived a failure did not unload",
	       s.unload_bad, s.survived);
	close(modfd);
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* A kernel report's headline, after the "BUG: " some prefix it with. */
static int report(const char *msg)
{
	static const char *const heads[] = {
		"WARNING:", "BUG:", "Oops", "general protection fault", "Kernel panic",
		"kernel BUG at", "possible recursive locking", "possible circular locking",
		"inconsistent lock state", "suspicious RCU usage", "INFO: task ",
		"INFO: rcu_", "KASAN:", "UBSAN:", "unreferenced object",
		"list_add corruption", "list_del corruption", "refcount_t:",
		"sleeping function called from invalid context",
	};
	static const char *const prefixes[] = { "BUG: ", "WARNING: ", "rcu: ", "kmemleak: " };
	const char *rest = msg;
	unsigned int i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(msg, prefixes[i], strlen(prefixes[i]))) {
			rest = msg + strlen(prefixes[i]);
			break;
		}
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (!strncmp(msg, heads[i], strlen(heads[i])) ||
		    !strncmp(rest, heads[i], strlen(heads[i])))
			return 1;
	return 0;
}

/*
 * The kernel's words for an allocation that failed, which it follows with
 * a call trace (warn_alloc(), pcpu_alloc(), kmem_cache_create()).
 */
static int alloc_report(const char *msg)
{
	return strstr(msg, "page allocation failure:") || strstr(msg, "vmalloc error:") ||
	       !strncmp(msg, "percpu: allocation failed", 25) ||
	       (!strncmp(msg, "kmem_cache_create", 17) && strstr(msg, ") failed with error"));
}

static void watch(void)
{
	struct sigaction sa = { .sa_handler = on_term };
	unsigned long records = 0, lost = 0, alloc_reports = 0, traces = 0, bad = 0;
	int fd = kmsg_open(0);
	char rec[8192], *msg, last[256] = "";
	ssize_t n;

	sigaction(SIGTERM, &sa, NULL);
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int ready = poll(&p, 1, stop ? 0 : 1000);

		/* Once told to stop, what the log holds, then no more. */
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0 && (stop || ready < 0))
			break;
		if (!ready)
			continue;
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE) {
			lost++;
			continue;
		}
		if (n <= 0)
			break;
		rec[n] = '\0';
		records++;
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		msg[strcspn(msg, "\n")] = '\0';
		if (alloc_report(msg))
			alloc_reports++;
		else if (!strcmp(msg, "Call Trace:"))
			traces++;
		if (report(msg) || traces > alloc_reports) {
			if (bad++ < MAX_REPORTS)
				printf("FAIL: faults-no-kernel-report: %s (after \"%s\")\n", msg, last);
			traces = alloc_reports;
		}
		/* What came before a trace: its cause, most likely. */
		if (strncmp(msg, "CPU: ", 5) && strncmp(msg, "Hardware name: ", 15) &&
		    strcmp(msg, "Call Trace:") && msg[0] != ' ')
			snprintf(last, sizeof(last), "%s", msg);
	}
	printf("INFO: faults: kernel log: %lu records, %lu allocation failure reports,"
	       " %lu records overwritten before read\n", records, alloc_reports, lost);
	result(!lost, "faults-kernel-log-read-whole", "%lu records lost", lost);
	if (!bad)
		printf("PASS: faults-no-kernel-report\n");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "load")) {
		load_steps(argv[2], argv[3], argv[4], atoi(argv[5]));
		return failures != 0;
	}
	if (argc == 2 && !strcmp(argv[1], "watch")) {
		watch();
		return failures != 0;
	}
	fprintf(stderr, "usage: tfail load KIND MODULE PARAMS LOADS | watch\n");
	return 2;
}
