// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "forks_record.h"

int forks_parse_header(const char *line, struct forks_header *h)
{
	int end = 0;

	sscanf(line, "# size %" SCNu64 " last %" SCNu64 " overwritten %" SCNu64
	       " missed %" SCNu64 "%n", &h->size, &h->last, &h->overwritten,
	       &h->missed, &end);
	return end && !line[end] ? 0 : -1;
}

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

int unescape_octal(const char *s, char *out, size_t size)
{
	size_t n = 0;
	int c;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if (c == '\\') {
			if (octal(s[1]) < 0 || octal(s[2]) < 0 || octal(s[3]) < 0)
				return -1;
			c = octal(s[1]) << 6 | octal(s[2]) << 3 | octal(s[3]);
			s += 3;
		}
		if (n + 1 >= size || c > 255)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = 0;
	return 0;
}

/* The command name is the rest of the line: it may be empty. */
int forks_parse_record(const char *line, struct forks_record *r)
{
	int end = 0;

	if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNx64 " %d %" SCNu32
		   " %d %d %d %" SCNu32 " %" SCNu32 "%n",
		   &r->seq, &r->time_ns, &r->flags, &r->exit_signal, &r->uid,
		   &r->pid, &r->tgid, &r->ret, &r->pid_ns, &r->child_ns,
		   &end) != 10 || line[end] != ' ' || strpbrk(line + end + 1, " \t"))
		return -1;
	/* The kernel escapes space, tab, newline and backslash. */
	return unescape_octal(line + end + 1, r->comm, sizeof(r->comm));
}
