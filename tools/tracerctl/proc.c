// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of /proc/tracer, tracer_held, tracer_cgroups and tracer_status
 * (README.md, src/uapi/tracer.h), and the columns of their rows. The
 * parsers refuse what the kernel never writes (a missing header, short or
 * long rows, numbers out of range) rather than show made-up figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"
#include "forks_record.h"

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

/*
 * A table of /proc (tracer, tracer_held, tracer_cgroups): a header names
 * the columns, the first @first (PID, CGROUP), the others counts; those of
 * @want are found by name, every one required, others skipped (a newer
 * module's). @row takes each row's first field and its counts in the
 * order of @want: 0, or -1 with why (the line is added here).
 */
typedef int row_fn(void *arg, const char *key, const uint64_t *v, char *why,
		   size_t size);

static int parse_table(FILE *f, const char *first, const char *const *want,
		       size_t nwant, row_fn *row, void *arg, char *why, size_t size)
{
	int where[MAX_FIELDS];	/* field -> index in @want, or -1 */
	char *line = NULL, *field[MAX_FIELDS], row_why[192];
	uint64_t v[MAX_FIELDS], x, found = 0;
	size_t cap = 0, n, nhead, i, lineno = 1;
	int err = -1;

	if (getline(&line, &cap, f) < 0) {
		snprintf(why, size, "empty: no header");
		goto out;
	}
	nhead = split(line, field);
	if (!nhead || nhead > MAX_FIELDS || strcmp(field[0], first)) {
		snprintf(why, size, "line 1: not the header (%s %s ...)", first, want[0]);
		goto out;
	}
	for (i = 1; i < nhead; i++) {
		where[i] = -1;
		for (n = 0; n < nwant; n++)
			if (!strcmp(field[i], want[n])) {
				where[i] = n;
				found |= 1ull << n;
			}
	}
	for (n = 0; n < nwant; n++)
		if (!(found & 1ull << n)) {
			snprintf(why, size, "line 1: no column '%s' in the header", want[n]);
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
		for (i = 1; i < nhead; i++) {
			if (number(field[i], &x)) {
				snprintf(why, size, "line %zu: '%s' is not a count from 0 to 2^64-1",
					 lineno, field[i]);
				goto out;
			}
			if (where[i] >= 0)
				v[where[i]] = x;
		}
		if (row(arg, field[0], v, row_why, sizeof(row_why))) {
			snprintf(why, size, "line %zu: %s", lineno, row_why);
			goto out;
		}
	}
	err = 0;
out:
	free(line);
	return err;
}

static int pid_of(const char *s, int *pid, char *why, size_t size)
{
	uint64_t v;

	if (number(s, &v) || !v || v > 0x3fffffff) {
		snprintf(why, size, "'%s' is not a process ID", s);
		return -1;
	}
	*pid = (int)v;
	return 0;
}

/* The names of the counters, then "held" and "held_mem". */
static const char *const *count_names(void)
{
	static const char *name[TC_NR_COUNTERS + 2];
	int k;

	for (k = 0; k < TC_NR_COUNTERS; k++)
		name[k] = tc_counters[k].proc;
	name[k++] = "held";
	name[k] = "held_mem";
	return name;
}

static int process_row(void *arg, const char *key, const uint64_t *v,
		       char *why, size_t size)
{
	struct tc_rows *rows = arg;
	struct tc_row *r;
	int pid;

	if (pid_of(key, &pid, why, size))
		return -1;
	r = realloc(rows->row, (rows->n + 1) * sizeof(*r));
	if (!r) {
		snprintf(why, size, "%s", strerror(ENOMEM));
		return -1;
	}
	rows->row = r;
	r += rows->n++;
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	memcpy(r->count, v, sizeof(r->count));
	return 0;
}

int tc_rows_parse(FILE *f, struct tc_rows *rows, char *why, size_t size)
{
	int err;

	memset(rows, 0, sizeof(*rows));
	err = parse_table(f, "PID", count_names(), TC_NR_COUNTERS, process_row,
			  rows, why, size);
	if (err)
		tc_rows_free(rows);
	return err;
}

/* A PID that is not in @rows was registered after /proc/tracer was read. */
static int held_row(void *arg, const char *key, const uint64_t *v,
		    char *why, size_t size)
{
	struct tc_rows *rows = arg;
	size_t i;
	int pid;

	if (pid_of(key, &pid, why, size))
		return -1;
	for (i = 0; i < rows->n; i++)
		if (rows->row[i].pid == pid) {
			rows->row[i].has_held = 1;
			rows->row[i].held = v[0];
			rows->row[i].held_mem = v[1];
		}
	return 0;
}

int tc_held_parse(FILE *f, struct tc_rows *rows, char *why, size_t size)
{
	return parse_table(f, "PID", count_names() + TC_NR_COUNTERS, 2, held_row,
			   rows, why, size);
}

static int cgroup_row(void *arg, const char *key, const uint64_t *v,
		      char *why, size_t size)
{
	struct tc_cgroups *cgs = arg;
	struct tc_cgroup *c;

	c = realloc(cgs->row, (cgs->n + 1) * sizeof(*c));
	if (!c) {
		snprintf(why, size, "%s", strerror(ENOMEM));
		return -1;
	}
	cgs->row = c;
	c += cgs->n;
	memset(c, 0, sizeof(*c));
	/* Space, tab, newline and backslash come as \ooo, as in /proc/mounts. */
	if (unescape_octal(key, c->path, sizeof(c->path)) || c->path[0] != '/') {
		snprintf(why, size, "'%.64s' is not a cgroup path", key);
		return -1;
	}
	cgs->n++;
	memcpy(c->count, v, sizeof(c->count));
	c->held = v[TC_NR_COUNTERS];
	c->held_mem = v[TC_NR_COUNTERS + 1];
	return 0;
}

int tc_cgroups_parse(FILE *f, struct tc_cgroups *cgs, char *why, size_t size)
{
	int err;

	memset(cgs, 0, sizeof(*cgs));
	err = parse_table(f, "CGROUP", count_names(), TC_NR_COUNTERS + 2,
			  cgroup_row, cgs, why, size);
	if (err)
		tc_cgroups_free(cgs);
	return err;
}

void tc_cgroups_free(struct tc_cgroups *cgs)
{
	free(cgs->row);
	memset(cgs, 0, sizeof(*cgs));
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

/*
 * Opens /proc/@name: NULL with the exit code in @err, the reason said: the
 * module missing, an older module without the file (@absent says what it
 * means; NULL: no message, @err 0; "": an error as any other), else
 * the error.
 */
static FILE *open_proc(const char *name, const char *absent, int *err)
{
	char rel[64];
	const char *path;
	FILE *f;

	snprintf(rel, sizeof(rel), "proc/%s", name);
	path = TC_PATH(rel);
	f = fopen(path, "r");
	*err = 0;
	if (f)
		return f;
	if (errno == ENOENT && !tc_module_loaded())
		return *err = tc_not_loaded(), NULL;
	if (errno == ENOENT && !absent)
		return NULL;
	if (errno == ENOENT && *absent)
		tc_warn("%s", absent);
	else
		tc_warn("cannot read %s: %s", path, strerror(errno));
	*err = EXIT_FAILURE;
	return NULL;
}

/* After a parser: @f closed; 0, or EXIT_FAILURE with @why said. */
static int parsed(FILE *f, const char *name, int err, const char *why)
{
	char rel[64];

	fclose(f);
	if (!err)
		return 0;
	snprintf(rel, sizeof(rel), "proc/%s", name);
	tc_warn("%s: %s", TC_PATH(rel), why);
	return EXIT_FAILURE;
}

int tc_rows_read(struct tc_rows *rows)
{
	char why[256];
	size_t i;
	int err;
	FILE *f = open_proc("tracer", "", &err);

	memset(rows, 0, sizeof(*rows));
	if (!f)
		return err;
	err = parsed(f, "tracer", tc_rows_parse(f, rows, why, sizeof(why)), why);
	/* A module older than HELD has no tracer_held: the column says "-". */
	f = err ? NULL : open_proc("tracer_held", NULL, &err);
	if (f)
		err = parsed(f, "tracer_held", tc_held_parse(f, rows, why, sizeof(why)), why);
	rows->held = f != NULL;
	if (err) {
		tc_rows_free(rows);
		return err;
	}
	for (i = 0; i < rows->n; i++) {
		tc_comm(rows->row[i].pid, rows->row[i].comm,
			sizeof(rows->row[i].comm));
		tc_pid_info(&rows->row[i]);
	}
	return 0;
}

int tc_cgroups_read(struct tc_cgroups *cgs, int optional)
{
	char why[256];
	int err;
	FILE *f = open_proc("tracer_cgroups", optional ? NULL :
			    "this tracer module counts no cgroups (it has no /proc/tracer_cgroups): it is older than tracerctl",
			    &err);

	memset(cgs, 0, sizeof(*cgs));
	return f ? parsed(f, "tracer_cgroups", tc_cgroups_parse(f, cgs, why, sizeof(why)), why) : err;
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

/* The counters' columns from @base on, then HELD and HELD_BLOCKS. */
#define COUNT_COLS(base) \
	[base + TC_KMALLOC] = { "KMALLOC", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "kmalloc-family calls" }, \
	[base + TC_KFREE] = { "KFREE", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "kfree calls" }, \
	[base + TC_KMALLOC_MEM] = { "KMALLOC_MEM", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 1, "bytes allocated by kmalloc" }, \
	[base + TC_KFREE_MEM] = { "KFREE_MEM", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 1, "bytes freed by kfree" }, \
	[base + TC_SCHED] = { "SCHED", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "schedule() calls" }, \
	[base + TC_UP] = { "UP", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "up() calls" }, \
	[base + TC_DOWN] = { "DOWN", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "down_interruptible() calls" }, \
	[base + TC_LOCK] = { "LOCK", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "mutex_lock() calls" }, \
	[base + TC_UNLOCK] = { "UNLOCK", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 1, 0, "mutex_unlock() calls" }, \
	[base + TC_NR_COUNTERS] = { "HELD", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, TC_DFLT_LIVE, 1, \
		"bytes allocated by kmalloc and not freed yet (-: unknown)" }, \
	[base + TC_NR_COUNTERS + 1] = { "HELD_BLOCKS", 1, SCOLS_FL_RIGHT, \
		SCOLS_JSON_NUMBER, 0, 0, "blocks allocated by kmalloc and not freed yet" }

const struct tc_col tc_row_cols[TC_NR_ROW_COLS] = {
	[TC_COL_PID] = { "PID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0,
			 "process (or thread) ID" },
	[TC_COL_COMM] = { "COMMAND", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, 1, 0,
			  "command name" },
	COUNT_COLS(TC_COL_COUNT),
	[TC_COL_USER] = { "USER", 0.1, 0, SCOLS_JSON_STRING, 0, 0,
			  "effective user (as ps)" },
	[TC_COL_CGROUP] = { "CGROUP", 0.3, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, 0, 0,
			    "control group (cgroup v2 path)" },
	[TC_COL_UNIT] = { "UNIT", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING, 0, 0,
			  "systemd unit (service, scope)" },
};

const struct tc_col tc_cgroup_cols[TC_NR_CG_COLS] = {
	[TC_CG_PATH] = { "CGROUP", 0.3, 0, SCOLS_JSON_STRING, 1, 0,
			 "the cgroup's path (below the cgroup2 mount point)" },
	COUNT_COLS(TC_CG_COUNT),
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

/* A count's cell: sizes for people unless @exact. */
static void count_cell(uint64_t v, int size, int exact, char *cell, size_t len)
{
	if (size)
		tc_size(v, exact, cell, len);
	else
		snprintf(cell, len, "%" PRIu64, v);
}

int tc_row_text(const struct tc_row *r, int col, int exact, char *cell, size_t size)
{
	const char *w = row_word(r, col);

	if (col == TC_COL_PID) {
		snprintf(cell, size, "%d", r->pid);
	} else if (w) {
		snprintf(cell, size, "%s", w);
	} else if (col == TC_COL_HELD || col == TC_COL_HELD_BLOCKS) {
		if (!r->has_held) {
			snprintf(cell, size, "-");
			return -1;
		}
		count_cell(col == TC_COL_HELD ? r->held_mem : r->held,
			   tc_row_cols[col].size, exact, cell, size);
	} else {
		return 0;
	}
	return 1;
}

/* By @col (count, rate or held): largest first; 0 if equal. */
static int by_count(const uint64_t *count, const double *rate,
		    const uint64_t *other, const double *orate, int rated)
{
	if (rated && *rate != *orate)
		return *rate < *orate ? 1 : -1;
	if (!rated && *count != *other)
		return *count < *other ? 1 : -1;
	return 0;
}

static int by_col(const void *a, const void *b, void *arg)
{
	const struct tc_row *x = a, *y = b;
	int col = ((int *)arg)[0], rate = ((int *)arg)[1], c = 0;

	if (row_word(x, col) && (c = strcmp(row_word(x, col), row_word(y, col))))
		return c;
	if (col >= TC_COL_COUNT && col < TC_COL_HELD) {
		col -= TC_COL_COUNT;
		c = by_count(&x->count[col], &x->rate[col], &y->count[col],
			     &y->rate[col], rate);
	} else if (col == TC_COL_HELD || col == TC_COL_HELD_BLOCKS) {
		/* Unknown last. */
		if (x->has_held != y->has_held)
			return y->has_held - x->has_held;
		c = by_count(col == TC_COL_HELD ? &x->held_mem : &x->held, NULL,
			     col == TC_COL_HELD ? &y->held_mem : &y->held, NULL, 0);
	}
	return c ? c : x->pid - y->pid;
}

void tc_rows_sort(struct tc_row *row, size_t n, int col, int by_rate)
{
	int arg[2] = { col, by_rate };

	/* qsort_r()'s base must not be NULL, even for no rows. */
	if (n)
		qsort_r(row, n, sizeof(*row), by_col, arg);
}

int tc_row_line(struct libscols_table *tb, const struct tc_out *o,
		const struct tc_row *row)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char cell[sizeof(row->cgroup)];
	size_t k;
	int got;

	for (k = 0; ln && k < o->ncol; k++) {
		int col = o->col[k];

		got = tc_row_text(row, col, o->bytes, cell, sizeof(cell));
		if (!got)
			count_cell(row->count[col - TC_COL_COUNT], tc_row_cols[col].size,
				   o->bytes, cell, sizeof(cell));
		/* Unknown: "-", null in JSON. */
		if (scols_line_set_data(ln, k, got < 0 && o->json ? NULL : cell))
			return -1;
	}
	return ln ? 0 : -1;
}

/* CGROUP up, the others largest first, then by path. */
static int cgroup_by_col(const void *a, const void *b, void *arg)
{
	const struct tc_cgroup *x = a, *y = b;
	int col = *(int *)arg, c = 0;

	if (col >= TC_CG_COUNT && col < TC_CG_HELD)
		c = by_count(&x->count[col - TC_CG_COUNT], NULL,
			     &y->count[col - TC_CG_COUNT], NULL, 0);
	else if (col == TC_CG_HELD || col == TC_CG_HELD_BLOCKS)
		c = by_count(col == TC_CG_HELD ? &x->held_mem : &x->held, NULL,
			     col == TC_CG_HELD ? &y->held_mem : &y->held, NULL, 0);
	return c ? c : strcmp(x->path, y->path);
}

void tc_cgroups_sort(struct tc_cgroups *cgs, int col)
{
	if (cgs->n)
		qsort_r(cgs->row, cgs->n, sizeof(*cgs->row), cgroup_by_col, &col);
}

int tc_cgroup_line(struct libscols_table *tb, const struct tc_out *o,
		   const struct tc_cgroup *c)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char cell[32];
	size_t k;
	int col;

	for (k = 0; ln && k < o->ncol; k++) {
		col = o->col[k];
		if (col == TC_CG_PATH) {
			if (scols_line_set_data(ln, k, c->path))
				return -1;
			continue;
		}
		count_cell(col == TC_CG_HELD ? c->held_mem :
			   col == TC_CG_HELD_BLOCKS ? c->held : c->count[col - TC_CG_COUNT],
			   tc_cgroup_cols[col].size, o->bytes, cell, sizeof(cell));
		if (scols_line_set_data(ln, k, cell))
			return -1;
	}
	return ln ? 0 : -1;
}
