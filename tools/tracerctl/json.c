// SPDX-License-Identifier: GPL-2.0
/*
 * A JSON document written member by member, for what is not a table:
 * libsmartcols writes arrays of rows, not nested objects (status -J).
 * Indented as libsmartcols indents its documents.
 */
#include <inttypes.h>

#include "tracerctl.h"

static void member(struct tc_json *j, const char *key)
{
	int i;

	fputs(j->first ? "\n" : ",\n", j->f);
	for (i = 0; i < j->depth; i++)
		fputs("   ", j->f);
	if (key) {
		tc_json_string(j->f, key);
		fputs(": ", j->f);
	}
	j->first = 0;
}

void tc_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void tc_json_open(struct tc_json *j, const char *key, char bracket)
{
	if (j->depth)
		member(j, key);
	fputc(bracket, j->f);
	j->depth++;
	j->first = 1;
}

void tc_json_close(struct tc_json *j, char bracket)
{
	int i;

	j->depth--;
	if (!j->first) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputs("   ", j->f);
	}
	fputc(bracket, j->f);
	j->first = 0;
	if (!j->depth)
		fputc('\n', j->f);
}

void tc_json_str(struct tc_json *j, const char *key, const char *value)
{
	member(j, key);
	tc_json_string(j->f, value);
}

void tc_json_u64(struct tc_json *j, const char *key, uint64_t value)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, value);
}

void tc_json_bool(struct tc_json *j, const char *key, int value)
{
	member(j, key);
	fputs(value ? "true" : "false", j->f);
}
