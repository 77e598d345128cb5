// SPDX-License-Identifier: GPL-2.0
/*
 * A strict reader of Prometheus' text exposition format 0.0.4, for the
 * tests of tracerctl export (promtool is not needed): metric and label
 * names, label value escapes, values, HELP/TYPE before the samples and
 * once per family, families not split, no duplicate series, counters not
 * negative. Prints "N families, M samples" or the first error with its
 * line number; exits 0 or 1. Usage: tpromcheck [FILE]
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FAMILIES	256
#define MAX_SERIES	65536

static struct family {
	char name[128], type[16];
	int help, samples, closed;
} fam[MAX_FAMILIES];
static int nfam;
static char *series[MAX_SERIES];
static int nseries;
static long lineno;

static void fail(const char *fmt, const char *arg)
{
	printf("line %ld: ", lineno);
	printf(fmt, arg);
	putchar('\n');
	exit(1);
}

static const char *name_end(const char *s, int colons)
{
	if (!(isalpha((unsigned char)*s) || *s == '_' || (colons && *s == ':')))
		return NULL;
	for (s++; isalnum((unsigned char)*s) || *s == '_' || (colons && *s == ':'); s++)
		;
	return s;
}

static struct family *family(const char *name, int create)
{
	int i;

	for (i = 0; i < nfam; i++)
		if (!strcmp(fam[i].name, name))
			return &fam[i];
	if (!create)
		return NULL;
	if (nfam == MAX_FAMILIES || strlen(name) >= sizeof(fam[0].name))
		fail("too many families or too long a name: %s", name);
	/* The family before this one is complete now. */
	if (nfam)
		fam[nfam - 1].closed = 1;
	snprintf(fam[nfam].name, sizeof(fam[0].name), "%s", name);
	return &fam[nfam++];
}

static void comment(char *line)
{
	char name[256], *rest;
	const char *end;
	struct family *f;

	if (strncmp(line, "# HELP ", 7) && strncmp(line, "# TYPE ", 7))
		return;		/* other comments are allowed */
	end = name_end(line + 7, 1);
	if (!end || (*end != ' ' && *end))
		fail("bad metric name in: %s", line);
	snprintf(name, sizeof(name), "%.*s", (int)(end - line - 7), line + 7);
	rest = (char *)end + (*end == ' ');
	f = family(name, 1);
	if (f->samples)
		fail("HELP or TYPE after the samples of %s", name);
	if (line[2] == 'H') {
		if (f->help++)
			fail("second HELP for %s", name);
		for (; *rest; rest++)
			if (*rest == '\\' && rest[1] != '\\' && rest[1] != 'n')
				fail("bad escape in the HELP of %s", name);
		return;
	}
	if (f->type[0])
		fail("second TYPE for %s", name);
	if (strcmp(rest, "counter") && strcmp(rest, "gauge") && strcmp(rest, "histogram") &&
	    strcmp(rest, "summary") && strcmp(rest, "untyped"))
		fail("unknown type: %s", rest);
	snprintf(f->type, sizeof(f->type), "%s", rest);
}

static void sample(char *line)
{
	const char *p = name_end(line, 1), *q;
	char name[256], *end;
	struct family *f;
	double v;
	int i;

	if (!p)
		fail("bad metric name: %s", line);
	snprintf(name, sizeof(name), "%.*s", (int)(p - line), line);
	if (*p == '{') {
		for (p++; *p != '}';) {
			q = name_end(p, 0);
			if (!q || q[0] != '=' || q[1] != '"')
				fail("bad label in: %s", line);
			if (p[0] == '_' && p[1] == '_')
				fail("reserved label name in: %s", line);
			for (p = q + 2; *p != '"'; p++) {
				if (!*p || *p == '\n')
					fail("unterminated label value in: %s", line);
				if (*p == '\\' && !strchr("\\\"n", *++p))
					fail("bad escape in a label value: %s", line);
			}
			p++;
			if (*p == ',')
				p++;
			else if (*p != '}')
				fail("expected , or } in: %s", line);
		}
		p++;
	}
	if (*p != ' ')
		fail("no space before the value: %s", line);
	p++;
	if (!strncmp(p, "NaN", 3) || !strncmp(p, "+Inf", 4) || !strncmp(p, "-Inf", 4)) {
		v = p[0] == '-' ? -INFINITY : INFINITY;
		end = (char *)p + (p[0] == 'N' ? 3 : 4);
	} else {
		if (!isdigit((unsigned char)*p) && *p != '-' && *p != '+' && *p != '.')
			fail("bad value: %s", line);
		v = strtod(p, &end);
		if (end == p)
			fail("bad value: %s", line);
	}
	if (*end == ' ') {
		strtoll(end + 1, &end, 10);
		if (*end)
			fail("bad timestamp: %s", line);
	} else if (*end) {
		fail("junk after the value: %s", line);
	}
	f = family(name, 0);
	if (!f)
		fail("sample without HELP and TYPE: %s", line);
	if (!f->type[0] || !f->help)
		fail("family without TYPE or HELP: %s", name);
	if (f->closed)
		fail("samples of %s split by another family", name);
	if (!strcmp(f->type, "counter") && v < 0)
		fail("negative counter: %s", line);
	/* The series is the line up to its value. */
	for (i = 0; i < nseries; i++)
		if (!strncmp(series[i], line, p - 1 - line) && !series[i][p - 1 - line])
			fail("duplicate series: %s", line);
	if (nseries == MAX_SERIES)
		fail("too many series%s", "");
	series[nseries++] = strndup(line, p - 1 - line);
	f->samples++;
}

int main(int argc, char **argv)
{
	FILE *in = argc > 1 ? fopen(argv[1], "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int samples = 0, i;

	if (!in) {
		perror(argv[1]);
		return 1;
	}
	while ((len = getline(&line, &cap, in)) > 0) {
		lineno++;
		if (line[len - 1] != '\n')
			fail("the last line has no newline%s", "");
		line[len - 1] = 0;
		if (line[0] == '#')
			comment(line);
		else if (line[0])
			sample(line);
	}
	for (i = 0; i < nfam; i++) {
		if (!fam[i].type[0] || !fam[i].help)
			fail("family without TYPE or HELP: %s", fam[i].name);
		samples += fam[i].samples;
	}
	printf("%d families, %d samples\n", nfam, samples);
	return 0;
}
