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
	case 'P': o->pairs = 1; break;
	case 'r': o->raw = 1; break;
	case TC_OPT_SEPARATOR: o->separator = arg; break;
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
	if (o->json + o->pairs + o->raw > 1) {
		tc_warn("-J, -P and -r exclude each other");
		return -1;
	}
	if (!p || *p == '+') {
		for (i = 0; i < n && o->ncol < TC_MAX_COLS; i++)
			if (cols[i].dflt == 1 ||
			    (cols[i].dflt == TC_DFLT_LIVE && !o->exited))
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
	scols_table_enable_export(tb, o->pairs);
	if (o->separator && scols_table_set_column_separator(tb, o->separator)) {
		tc_warn("out of memory");
		exit(EXIT_FAILURE);
	}
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

/*
 * libsmartcols writes a JSON document over several lines; this keeps the
 * values of depth @from and below ({"name": [ is depth 2), without the
 * spaces between tokens: with @from 3 each element of the array on its
 * own line, with 2 the array on one.
 */
static int json_compact(struct libscols_table *tb, FILE *f, int from)
{
	int depth = 0, in_str = 0, esc = 0, was;
	char *doc = NULL, *p;

	if (scols_print_table_to_string(tb, &doc) || !doc)
		return -1;
	for (p = doc; *p; p++) {
		was = depth;
		if (esc) {
			esc = 0;
		} else if (in_str) {
			esc = *p == '\\';
			in_str = *p != '"';
		} else if (*p == '"') {
			in_str = 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			depth--;
		} else if (*p == ' ' || *p == '\n' || *p == '\t') {
			continue;
		}
		if ((depth > was ? depth : was) >= from)
			fputc(*p, f);
		if (from == 3 && was == 3 && depth == 2)
			fputc('\n', f);
	}
	free(doc);
	return 0;
}

int tc_out_json_array(struct libscols_table *tb, FILE *f)
{
	return json_compact(tb, f, 2);
}

void tc_out_min_width(struct libscols_column *cl, size_t width)
{
	const char *title = scols_cell_get_data(scols_column_get_header(cl));

	/*
	 * libsmartcols widens a column to its header by itself, and to a
	 * larger absolute hint only if the column is strict (else its data,
	 * narrower than the header, makes it the header's width).
	 */
	if (title && width > strlen(title)) {
		scols_column_set_whint(cl, width);
		scols_column_set_flags(cl, scols_column_get_flags(cl) | SCOLS_FL_STRICTWIDTH);
	}
}

int tc_out_stream(struct libscols_table *tb, const struct tc_out *o)
{
	struct libscols_column *cl;
	struct libscols_iter *it;
	int err = 0;

	if (!scols_table_get_nlines(tb))
		return 0;
	if (o->json) {
		err = json_compact(tb, stdout, 3);
	} else {
		scols_print_table(tb);
		scols_table_enable_noheadings(tb, 1);
		/* The widths of this batch are the least of the next. */
		it = scols_new_iter(SCOLS_ITER_FORWARD);
		while (it && !scols_table_next_column(tb, it, &cl))
			tc_out_min_width(cl, scols_column_get_width(cl));
		scols_free_iter(it);
	}
	scols_table_remove_lines(tb);
	return fflush(stdout) || err ? -1 : 0;
}

void tc_out_usage(FILE *f, const struct tc_col *cols, size_t n, int has)
{
	size_t i;

	fputs(" -J, --json             JSON output\n"
	      " -o, --output LIST      the columns to print (comma-separated; +LIST adds\n"
	      "                        to the default ones)\n"
	      " -P, --pairs            key=\"value\" output, for scripts\n"
	      " -r, --raw              raw output: no alignment, for scripts\n"
	      "     --separator SEP    SEP between columns (with -r: CSV and the like)\n"
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
