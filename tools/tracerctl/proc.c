// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of /proc/tracer and /proc/tracer_status (README.md). The
 * parsers refuse what the kernel never writes (a missing header, short or
 * long rows, numbers out of range) rather than show made-up figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"

const struct tc_counter_info tc_counters[TC_NR_COUNTERS] = {
	[TC_KMALLOC] = { "kmalloc", "kmalloc_calls",
			 "Calls of the kmalloc family" },
	[TC_KFREE] = { "kfree", "kfree_calls",
		       "Calls of kfree, kfree(NULL) included" },
	[TC_KMALLOC_MEM] = { "kmalloc_mem", "kmalloc_bytes",
			     "Bytes requested from the kmalloc family" },
	[TC_KFREE_MEM] = { "kfree_mem", "kfree_bytes",
			   "Bytes freed by kfree, of blocks allocated by registered processes" },
	[TC_SCHED] = { "sched", "schedule_calls",
		       "Calls of schedule()" },
	[TC_UP] = { "up", "up_calls", "Calls of up()" },
	[TC_DOWN] = { "down", "down_interruptible_calls",
		      "Calls of down_interruptible()" },
	[TC_LOCK] = { "lock", "mutex_lock_calls",
		      "Calls of mutex_lock()" },
	[TC_UNLOCK] = { "unlock", "mutex_unlock_calls",
			"Calls of mutex_unlock()" },
};

#define MAX_FIELDS	64

/* Splits @line at spaces in place; returns the number of fields. */
static size_t split(char *line, char **field)
{
	size_t n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		if (n == MAX_FIELDS)
			return MAX_FIELDS + 1;
		field[n++] = tok;
	}
	return n;
}

static int number(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return *end || errno ? -1 : 0;
}

int tc_rows_parse(FILE *f, struct tc_rows *rows, char *why, size_t size)
{
	int where[MAX_FIELDS];	/* field -> counter, or -1 */
	char *line = NULL, *field[MAX_FIELDS];
	size_t cap = 0, n, nhead, i, lineno = 1;
	int found = 0, err = -1;
	struct tc_row *r;
	uint64_t v;

	memset(rows, 0, sizeof(*rows));
	if (getline(&line, &cap, f) < 0) {
		snprintf(why, size, "empty: no header");
		goto out;
	}
	nhead = split(line, field);
	if (!nhead || nhead > MAX_FIELDS || strcmp(field[0], "PID")) {
		snprintf(why, size, "line 1: not the header (PID kmalloc ...)");
		goto out;
	}
	for (i = 1; i < nhead; i++) {
		where[i] = -1;
		for (n = 0; n < TC_NR_COUNTERS; n++)
			if (!strcmp(field[i], tc_counters[n].proc)) {
				where[i] = n;
				found |= 1 << n;
			}
	}
	for (n = 0; n < TC_NR_COUNTERS; n++)
		if (!(found & 1 << n)) {
			snprintf(why, size, "line 1: no column '%s' in the header",
				 tc_counters[n].proc);
			goto out;
		}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		n = split(line, field);
		if (n != nhead) {
			snprintf(why, size, "line %zu: %s row: %zu fields, the header has %zu",
				 lineno, n < nhead ? "short" : "long", n, nhead);
			goto out;
		}
		if (number(field[0], &v) || !v || v > 0x3fffffff) {
			snprintf(why, size, "line %zu: '%s' is not a process ID",
				 lineno, field[0]);
			goto out;
		}
		r = realloc(rows->row, (rows->n + 1) * sizeof(*r));
		if (!r) {
			snprintf(why, size, "%s", strerror(ENOMEM));
			goto out;
		}
		rows->row = r;
		r += rows->n++;
		memset(r, 0, sizeof(*r));
		r->pid = (int)v;
		for (i = 1; i < nhead; i++) {
			if (number(field[i], &v)) {
				snprintf(why, size, "line %zu: '%s' is not a count from 0 to 2^64-1",
					 lineno, field[i]);
				goto out;
			}
			if (where[i] >= 0)
				r->count[where[i]] = v;
		}
	}
	err = 0;
out:
	free(line);
	if (err)
		tc_rows_free(rows);
	return err;
}

void tc_rows_free(struct tc_rows *rows)
{
	free(rows->row);
	memset(rows, 0, sizeof(*rows));
}

void tc_comm(int pid, char *buf, size_t size)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "proc/%d/comm", pid);
	tc_read_line(TC_PATH(rel), buf, size);
}

int tc_rows_read(struct tc_rows *rows)
{
	const char *path = TC_PATH("proc/tracer");
	char why[256];
	FILE *f = fopen(path, "r");
	size_t i;
	int err;

	memset(rows, 0, sizeof(*rows));
	if (!f) {
		if (errno == ENOENT && !tc_module_loaded())
			return tc_not_loaded();
		tc_warn("cannot read %s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	err = tc_rows_parse(f, rows, why, sizeof(why));
	fclose(f);
	if (err) {
		tc_warn("%s: %s", path, why);
		return EXIT_FAILURE;
	}
	for (i = 0; i < rows->n; i++) {
		tc_comm(rows->row[i].pid, rows->row[i].comm,
			sizeof(rows->row[i].comm));
		tc_pid_info(&rows->row[i]);
	}
	return 0;
}

int tc_status_parse(FILE *f, struct tc_status *st, char *why, size_t size)
{
	char *line = NULL, *sep;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int err = -1;
	void *p;

	memset(st, 0, sizeof(*st));
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		line[strcspn(line, "\n")] = 0;
		sep = strstr(line, ": ");
		if (!sep || sep == line || (size_t)(sep - line) >= sizeof(st->item->key) ||
		    strlen(sep + 2) >= sizeof(st->item->value)) {
			snprintf(why, size, "line %zu: not 'key: value'", lineno);
			goto out;
		}
		p = realloc(st->item, (st->n + 1) * sizeof(*st->item));
		if (!p) {
			snprintf(why, size, "%s", strerror(ENOMEM));
			goto out;
		}
		st->item = p;
		*sep = 0;
		strcpy(st->item[st->n].key, line);
		strcpy(st->item[st->n].value, sep + 2);
		st->n++;
	}
	if (!st->n) {
		snprintf(why, size, "empty");
		goto out;
	}
	err = 0;
out:
	free(line);
	if (err)
		tc_status_free(st);
	return err;
}

const char *tc_status_get(const struct tc_status *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (!strcmp(st->item[i].key, key))
			return st->item[i].value;
	return NULL;
}

void tc_status_free(struct tc_status *st)
{
	free(st->item);
	memset(st, 0, sizeof(*st));
}

const struct tc_col tc_row_cols[TC_NR_ROW_COLS] = {
	[TC_COL_PID] = { "PID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0,
			 "process (or thread) ID" },
	[TC_COL_COMM] = { "COMMAND", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, 1, 0,
			  "command name" },
	[TC_COL_COUNT + TC_KMALLOC] = { "KMALLOC", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "kmalloc-family calls" },
	[TC_COL_COUNT + TC_KFREE] = { "KFREE", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "kfree calls" },
	[TC_COL_COUNT + TC_KMALLOC_MEM] = { "KMALLOC_MEM", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 1, "bytes allocated by kmalloc" },
	[TC_COL_COUNT + TC_KFREE_MEM] = { "KFREE_MEM", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 1, "bytes freed by kfree" },
	[TC_COL_COUNT + TC_SCHED] = { "SCHED", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "schedule() calls" },
	[TC_COL_COUNT + TC_UP] = { "UP", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "up() calls" },
	[TC_COL_COUNT + TC_DOWN] = { "DOWN", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "down_interruptible() calls" },
	[TC_COL_COUNT + TC_LOCK] = { "LOCK", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "mutex_lock() calls" },
	[TC_COL_COUNT + TC_UNLOCK] = { "UNLOCK", 1, SCOLS_FL_RIGHT,
		SCOLS_JSON_NUMBER, 1, 0, "mutex_unlock() calls" },
	[TC_COL_USER] = { "USER", 0.1, 0, SCOLS_JSON_STRING, 0, 0,
			  "effective user (as ps)" },
	[TC_COL_CGROUP] = { "CGROUP", 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, 0, 0,
			    "control group (cgroup v2 path)" },
	[TC_COL_UNIT] = { "UNIT", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, 0, 0,
			  "systemd unit (service, scope)" },
};

/* The words of the columns that are not counters; NULL for a counter. */
static const char *row_word(const struct tc_row *r, int col)
{
	switch (col) {
	case TC_COL_COMM: return r->comm;
	case TC_COL_USER: return r->user;
	case TC_COL_CGROUP: return r->cgroup;
	case TC_COL_UNIT: return r->unit;
	default: return NULL;
	}
}

int tc_row_text(const struct tc_row *r, int col, char *cell, size_t size)
{
	const char *w = row_word(r, col);

	if (col == TC_COL_PID)
		snprintf(cell, size, "%d", r->pid);
	else if (w)
		snprintf(cell, size, "%s", w);
	else
		return 0;
	return 1;
}

static int by_col(const void *a, const void *b, void *arg)
{
	const struct tc_row *x = a, *y = b;
	int col = ((int *)arg)[0], rate = ((int *)arg)[1], c;

	if (row_word(x, col) && (c = strcmp(row_word(x, col), row_word(y, col))))
		return c;
	if (col >= TC_COL_COUNT && col < TC_COL_COUNT + TC_NR_COUNTERS) {
		col -= TC_COL_COUNT;
		if (rate && x->rate[col] != y->rate[col])
			return x->rate[col] < y->rate[col] ? 1 : -1;
		if (!rate && x->count[col] != y->count[col])
			return x->count[col] < y->count[col] ? 1 : -1;
	}
	return x->pid - y->pid;
}

void tc_rows_sort(struct tc_row *row, size_t n, int col, int by_rate)
{
	int arg[2] = { col, by_rate };

	qsort_r(row, n, sizeof(*row), by_col, arg);
}

int tc_row_line(struct libscols_table *tb, const struct tc_out *o,
		const struct tc_row *row)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char cell[sizeof(row->cgroup)];
	size_t k;

	for (k = 0; ln && k < o->ncol; k++) {
		int col = o->col[k];

		if (tc_row_text(row, col, cell, sizeof(cell)))
			; /* PID or words */
		else if (tc_row_cols[col].size)
			tc_size(row->count[col - TC_COL_COUNT], o->bytes,
				cell, sizeof(cell));
		else
			snprintf(cell, sizeof(cell), "%" PRIu64,
				 row->count[col - TC_COL_COUNT]);
		if (scols_line_set_data(ln, k, cell))
			return -1;
	}
	return ln ? 0 : -1;
}
