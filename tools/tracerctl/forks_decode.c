// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "forks_decode.h"

#define FLAG(f) { f, #f }

/* Every flag kernel_clone() takes; CLONE_NEWTIME only from clone3(). */
static const struct {
	uint64_t bit;
	const char *name;
} clone_flags[] = {
	FLAG(CLONE_NEWTIME), FLAG(CLONE_VM), FLAG(CLONE_FS), FLAG(CLONE_FILES),
	FLAG(CLONE_SIGHAND), FLAG(CLONE_PIDFD), FLAG(CLONE_PTRACE),
	FLAG(CLONE_VFORK), FLAG(CLONE_PARENT), FLAG(CLONE_THREAD),
	FLAG(CLONE_NEWNS), FLAG(CLONE_SYSVSEM), FLAG(CLONE_SETTLS),
	FLAG(CLONE_PARENT_SETTID), FLAG(CLONE_CHILD_CLEARTID),
	FLAG(CLONE_DETACHED), FLAG(CLONE_UNTRACED), FLAG(CLONE_CHILD_SETTID),
	FLAG(CLONE_NEWCGROUP), FLAG(CLONE_NEWUTS), FLAG(CLONE_NEWIPC),
	FLAG(CLONE_NEWUSER), FLAG(CLONE_NEWPID), FLAG(CLONE_NEWNET),
	FLAG(CLONE_IO), FLAG(CLONE_CLEAR_SIGHAND), FLAG(CLONE_INTO_CGROUP),
};

char *forks_flags(uint64_t flags, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = 0;
	for (i = 0; i < sizeof(clone_flags) / sizeof(clone_flags[0]); i++) {
		if (!(flags & clone_flags[i].bit))
			continue;
		flags &= ~clone_flags[i].bit;
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s",
				len ? "|" : "", clone_flags[i].name);
	}
	if (flags || !len)
		snprintf(buf + len, len < size ? size - len : 0,
			 "%s%#" PRIx64, len ? "|" : "", flags);
	return buf;
}

char *forks_signal(int sig, char *buf, size_t size)
{
	const char *abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

	if (abbrev)
		snprintf(buf, size, "SIG%s", abbrev);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		snprintf(buf, size, "SIGRTMIN+%d", sig - SIGRTMIN);
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

char *forks_user(uint32_t uid, char *buf, size_t size)
{
	struct passwd pw, *found = NULL;
	long max = sysconf(_SC_GETPW_R_SIZE_MAX);
	size_t len = max > 0 ? max : 16384;
	char *tmp = malloc(len);

	while (tmp && getpwuid_r(uid, &pw, tmp, len, &found) == ERANGE) {
		free(tmp);
		tmp = malloc(len *= 2);
	}
	if (found)
		snprintf(buf, size, "%s", pw.pw_name);
	else
		snprintf(buf, size, "%" PRIu32, uid);
	free(tmp);
	return buf;
}

char *forks_result(int ret, char *buf, size_t size)
{
	const char *name = ret < 0 ? strerrorname_np(-ret) : NULL;

	if (ret >= 0)
		snprintf(buf, size, "%d", ret);
	else if (name)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "E%d", -ret);
	return buf;
}

const char *forks_message(int ret)
{
	return ret < 0 ? strerror(-ret) : "";
}

char *forks_time(uint64_t ns, char *buf, size_t size)
{
	time_t sec = ns / 1000000000;
	struct tm tm;
	size_t len;

	if (!localtime_r(&sec, &tm) ||
	    !(len = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm)))
		snprintf(buf, size, "%" PRIu64, ns);
	else
		snprintf(buf + len, size - len, ".%06" PRIu64, ns / 1000 % 1000000);
	return buf;
}
