// SPDX-License-Identifier: GPL-2.0
/*
 * Messages, paths and arguments shared by the subcommands. Errors are
 * said in words with what to do about them: people should not need the
 * errno list of src/uapi/tracer.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracerctl.h"

const char *tc_path(const char *rel, char *buf, size_t size)
{
	const char *root = getenv("TRACERCTL_ROOT");

	snprintf(buf, size, "%s/%s", root && *root ? root : "", rel);
	return buf;
}

void tc_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("tracerctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int tc_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int ok = f && fgets(buf, size, f);

	if (f)
		fclose(f);
	if (!ok)
		buf[0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return ok ? 0 : -1;
}

int tc_module_loaded(void)
{
	return !access(TC_PATH("sys/module/tracer"), F_OK) ||
	       !access(TC_PATH("proc/tracer_status"), F_OK);
}

int tc_not_loaded(void)
{
	char why[1024];

	fflush(stdout);
	tc_why_absent(why, sizeof(why));
	tc_warn("%s", why);
	return TC_EXIT_NOMODULE;
}

int tc_version(void)
{
	printf("tracerctl from tracer %s\n", TRACER_VERSION);
	return EXIT_SUCCESS;
}

int tc_try_help(const char *cmd)
{
	fprintf(stderr, "Try 'tracerctl %s%s--help'.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return TC_EXIT_USAGE;
}

int tc_parse_pid(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v <= 0 || v > 0x3fffffff) {
		tc_warn("'%s': not a process ID (a number from 1)", s);
		return -1;
	}
	return (int)v;
}
