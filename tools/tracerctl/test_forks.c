// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the formatter's decoding, against values written out from
 * the kernel's and glibc's headers rather than taken from decode.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "forks_decode.h"
#include "forks_record.h"
#include "../../tests/progs/tresult.h"

/* Mismatches of @got against @want, reported once under @name. */
static int same(const char *got, const char *want, char *why, size_t size)
{
	if (!strcmp(got, want))
		return 0;
	snprintf(why, size, "got '%s', want '%s'", got, want);
	return 1;
}

static void test_flags(void)
{
	/* include/uapi/linux/sched.h */
	static const struct { uint64_t v; const char *want; } t[] = {
		{ 0x80, "CLONE_NEWTIME" }, { 0x100, "CLONE_VM" },
		{ 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
		{ 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" },
		{ 0x2000, "CLONE_PTRACE" }, { 0x4000, "CLONE_VFORK" },
		{ 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
		{ 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" },
		{ 0x80000, "CLONE_SETTLS" }, { 0x100000, "CLONE_PARENT_SETTID" },
		{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
		{ 0x800000, "CLONE_UNTRACED" }, { 0x1000000, "CLONE_CHILD_SETTID" },
		{ 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
		{ 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
		{ 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" },
		{ 0x80000000, "CLONE_IO" }, { 0x100000000, "CLONE_CLEAR_SIGHAND" },
		{ 0x200000000, "CLONE_INTO_CGROUP" },
		{ 0, "0" },
		{ 0x1200000, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID" },
		{ 0x3d0f00, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
			    "CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID" },
		{ 0x4100, "CLONE_VM|CLONE_VFORK" },
		{ 0x7f, "0x7f" },
		{ 0x400000000, "0x400000000" },
		{ 0x8000000000000100, "CLONE_VM|0x8000000000000000" },
	};
	char buf[512], why[1024] = "", small[12];
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		bad += same(forks_flags(t[i].v, buf, sizeof(buf)), t[i].want,
			    why, sizeof(why));
	result(!bad, "decode-flags", "%d wrong, last: %s", bad, why);
	forks_flags(0x3d0f00, small, sizeof(small));
	result(!strcmp(small, "CLONE_VM|CL"), "decode-flags-truncated",
	       "got '%s'", small);
}

static void test_signals(void)
{
	static const struct { int sig; const char *want; } t[] = {
		{ 17, "SIGCHLD" }, { 10, "SIGUSR1" }, { 9, "SIGKILL" },
		{ 1, "SIGHUP" }, { 31, "SIGSYS" }, { 0, "0" }, { 99, "99" },
		{ -1, "-1" },
	};
	char buf[64], want[64], why[256] = "";
	size_t i;
	int bad = 0, sig;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		bad += same(forks_signal(t[i].sig, buf, sizeof(buf)), t[i].want,
			    why, sizeof(why));
	for (sig = SIGRTMIN; sig <= SIGRTMAX; sig++) {
		snprintf(want, sizeof(want), "SIGRTMIN+%d", sig - SIGRTMIN);
		bad += same(forks_signal(sig, buf, sizeof(buf)), want, why,
			    sizeof(why));
	}
	for (sig = 1; sig < 32; sig++)
		bad += strncmp(forks_signal(sig, buf, sizeof(buf)), "SIG", 3) != 0;
	result(!bad, "decode-signals", "%d wrong, last: %s", bad, why);
}

static void test_users(void)
{
	struct passwd *me = getpwuid(getuid());
	char buf[256], why[512] = "";
	int bad = 0;

	bad += same(forks_user(0, buf, sizeof(buf)), "root", why, sizeof(why));
	bad += same(forks_user(4294967293u, buf, sizeof(buf)), "4294967293",
		    why, sizeof(why));
	if (me)
		bad += same(forks_user(getuid(), buf, sizeof(buf)), me->pw_name,
			    why, sizeof(why));
	result(!bad, "decode-users", "%d wrong, last: %s", bad, why);
}

static void test_errors(void)
{
	/* The errors clone(2) lists, and what is not an error. */
	static const struct { int ret; const char *name, *msg; } t[] = {
		{ -11, "EAGAIN", "Resource temporarily unavailable" },
		{ -16, "EBUSY", "Device or resource busy" },
		{ -17, "EEXIST", "File exists" },
		{ -22, "EINVAL", "Invalid argument" },
		{ -12, "ENOMEM", "Cannot allocate memory" },
		{ -28, "ENOSPC", "No space left on device" },
		{ -95, "EOPNOTSUPP", "Operation not supported" },
		{ -1, "EPERM", "Operation not permitted" },
		{ -87, "EUSERS", "Too many users" },
		{ -4, "EINTR", "Interrupted system call" },
		/* Kernel-internal (ERESTARTNOINTR): no name in user space. */
		{ -513, "E513", "Unknown error 513" },
		{ 1234, "1234", "" },
		{ 0, "0", "" },
	};
	char buf[64], why[256] = "";
	size_t i;
	int bad = 0, e;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		bad += same(forks_result(t[i].ret, buf, sizeof(buf)), t[i].name,
			    why, sizeof(why));
		bad += same(forks_message(t[i].ret), t[i].msg, why, sizeof(why));
	}
	/* Every error number of include/uapi/asm-generic/errno*.h. */
	for (e = 1; e <= 133; e++) {
		if (e == 41 || e == 58)		/* unused numbers */
			continue;
		forks_result(-e, buf, sizeof(buf));
		if (buf[0] != 'E' || strspn(buf + 1, "0123456789") == strlen(buf + 1) ||
		    !strncmp(forks_message(-e), "Unknown", 7)) {
			snprintf(why, sizeof(why), "errno %d: '%s' '%s'", e,
				 buf, forks_message(-e));
			bad++;
		}
	}
	result(!bad, "decode-errors", "%d wrong, last: %s", bad, why);
}

static void test_time(void)
{
	char buf[64], why[256] = "";
	int bad = 0;

	setenv("TZ", "UTC", 1);
	tzset();
	bad += same(forks_time(0, buf, sizeof(buf)), "1970-01-01 00:00:00.000000",
		    why, sizeof(why));
	bad += same(forks_time(1727012707123456789ull, buf, sizeof(buf)),
		    "2024-09-22 13:45:07.123456", why, sizeof(why));
	setenv("TZ", "America/New_York", 1);
	tzset();
	bad += same(forks_time(1727012707999999999ull, buf, sizeof(buf)),
		    "2024-09-22 09:45:07.999999", why, sizeof(why));
	result(!bad, "decode-time", "%d wrong, last: %s", bad, why);
}

static void test_parse(void)
{
	static const char *const bad_lines[] = {
		"1 2 0x3 4 5 6 7 8 9",			/* a field short */
		"1 2 0x3 4 5 6 7 8 9 10 a b",		/* a space in the name */
		"1 2 0x3 4 5 6 7 8 9 10 a\\04",		/* a short escape */
		"1 2 0x3 4 5 6 7 8 9 10 a\\400",	/* not a byte */
		"1 2 0x3 4 5 6 7 8 9 10",		/* no separator */
		"x 2 0x3 4 5 6 7 8 9 10 a",
		"1 2 0x3 4 5 6 7 8 9 10 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	struct forks_header h;
	struct forks_record r;
	size_t i;
	int bad = 0;

	bad += forks_parse_record("12 1727012707123456789 0x1200000 17 1000 300 299 "
				  "-11 4026531836 0 tf\\040ork\\134s", &r) != 0;
	bad += r.seq != 12 || r.time_ns != 1727012707123456789ull ||
	       r.flags != 0x1200000 || r.exit_signal != 17 || r.uid != 1000 ||
	       r.pid != 300 || r.tgid != 299 || r.ret != -11 ||
	       r.pid_ns != 4026531836u || r.child_ns != 0 ||
	       strcmp(r.comm, "tf ork\\s");
	bad += forks_parse_record("1 2 0x100000000 0 0 1 1 2 3 3 ", &r) != 0 ||
	       r.comm[0] || r.flags != 0x100000000;
	for (i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++)
		bad += forks_parse_record(bad_lines[i], &r) == 0;
	bad += forks_parse_header("# size 64 last 402 overwritten 338 missed 7", &h) != 0 ||
	       h.size != 64 || h.last != 402 || h.overwritten != 338 || h.missed != 7;
	bad += forks_parse_header("# size 64 last 402 overwritten 338", &h) == 0;
	bad += forks_parse_header("# size 64 last 402 overwritten 338 missed 7 x", &h) == 0;
	result(!bad, "parse-lines", "%d wrong", bad);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_flags();
	test_signals();
	test_users();
	test_errors();
	test_time();
	test_parse();
	return failures ? 1 : 0;
}
