/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lines of /proc/tracer_forks (README.md, "/proc/tracer_forks"):
 * parsed by the formatter and by the in-guest tests.
 */
#ifndef TRACER_FORKS_RECORD_H
#define TRACER_FORKS_RECORD_H

#include <stdint.h>

#define FORKS_PROC	"/proc/tracer_forks"

struct forks_header {
	uint64_t size, last, overwritten, missed;
};

struct forks_record {
	uint64_t seq, time_ns, flags;
	int exit_signal;
	uint32_t uid;
	int pid, tgid, ret;
	uint32_t pid_ns, child_ns;
	char comm[64];		/* unescaped; the kernel's is 16 bytes */
};

/* Each returns 0, or -1 when @line (without its newline) is not one. */
int forks_parse_header(const char *line, struct forks_header *h);
int forks_parse_record(const char *line, struct forks_record *r);

/*
 * @s with each \ooo the kernel wrote (seq_escape(), string_escape_mem()
 * with ESCAPE_OCTAL) turned back into its byte, in @out of @size bytes;
 * 0, or -1 if an escape is malformed or @out too small.
 */
int unescape_octal(const char *s, char *out, size_t size);

#endif
