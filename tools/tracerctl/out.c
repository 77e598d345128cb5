// SPDX-License-Identifier: GPL-2.0
/*
 * The util-linux output options (-o, -J, -r, -n, --bytes, -s) over
 * libsmartcols: subcommands describe their columns, this makes the table.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tracerctl.h"

int tc_out_option(struct tc_out *o, int c, const char *arg)
{
	switch (c) {
	case 'J': o->json = 1; break;
	case 'o': o->columns = arg; break;
	case 'r': o->raw = 1; break;
	case 'n': o->noheadings = 1; break;
	case 's': o->sort = arg; break;
	case TC_OPT_BYTES: o->bytes = 1; break;
	default: return 0;
	}
	return 1;
}

static int column_of(const char *name, size_t len, const struct tc_col *cols,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(cols[i].name) == len &&
		    !strncasecmp(cols[i].name, name, len))
			return (int)i;
	tc_warn("unknown column: %.*s", (int)len, name);
	return -1;
}

int tc_out_columns(struct tc_out *o, const struct tc_col *cols, size_t n)
{
	const char *p = o->columns;
	size_t i, len;
	int c;

	o->ncol = 0;
	o->sort_col = -1;
	if (!p || *p == '+') {
		for (i = 0; i < n && o->ncol < TC_MAX_COLS; i++)
			if (cols[i].dflt)
				o->col[o->ncol++] = (int)i;
		if (p)
			p++;
	}
	/* "-o +COL" adds to the default columns, as in lsblk. */
	while (p && *p) {
		len = strcspn(p, ",");
		c = column_of(p, len, cols, n);
		if (c < 0)
			return -1;
		if (o->ncol == TC_MAX_COLS) {
			tc_warn("too many columns");
			return -1;
		}
		o->col[o->ncol++] = c;
		p += len;
		p += *p == ',';
	}
	if (o->sort) {
		o->sort_col = column_of(o->sort, strlen(o->sort), cols, n);
		if (o->sort_col < 0)
			return -1;
	}
	return 0;
}

struct libscols_table *tc_out_table(const struct tc_out *o, const char *name,
				    const struct tc_col *cols,
				    struct libscols_column **cl)
{
	struct libscols_table *tb = scols_new_table();
	const struct tc_col *c;
	size_t i;

	if (!tb) {
		tc_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	scols_table_set_name(tb, name);
	scols_table_enable_json(tb, o->json);
	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_noheadings(tb, o->noheadings);
	for (i = 0; i < o->ncol; i++) {
		c = &cols[o->col[i]];
		cl[o->col[i]] = scols_table_new_column(tb, c->name, c->whint,
						       c->flags);
		if (!cl[o->col[i]]) {
			tc_warn("out of memory");
			exit(EXIT_FAILURE);
		}
		/* Sizes for people are text ("5.8M"), as in lsblk --json. */
		scols_column_set_json_type(cl[o->col[i]],
					   c->size && !o->bytes ?
					   SCOLS_JSON_STRING : c->json);
	}
	return tb;
}

void tc_out_usage(FILE *f, const struct tc_col *cols, size_t n, int has)
{
	size_t i;

	fputs(" -J, --json             JSON output\n"
	      " -o, --output LIST      the columns to print (comma-separated; +LIST adds\n"
	      "                        to the default ones)\n"
	      " -r, --raw              raw output: no alignment, for scripts\n"
	      " -n, --noheadings       no header line\n", f);
	if (has & TC_HAS_SORT)
		fputs(" -s, --sort COLUMN      sort by COLUMN (counts: largest first)\n", f);
	if (has & TC_HAS_BYTES)
		fputs("     --bytes            sizes in bytes, not 1.5K, 5.8M...\n", f);
	fputs(" -h, --help             this help\n"
	      " -V, --version          the version\n\nColumns:\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, " %12s  %s%s\n", cols[i].name, cols[i].help,
			cols[i].dflt ? "" : " (not by default)");
}
