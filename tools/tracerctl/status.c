// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl status: whether the module is loaded, its version, what it
 * hooked on this kernel and what it lost (/proc/tracer_status), as
 * lscpu prints: a FIELD and DATA table. Keys it does not know (from a
 * newer module) are shown as the kernel wrote them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"

enum { FIELD, DATA, NCOLS };

static const struct tc_col cols[NCOLS] = {
	[FIELD] = { "FIELD", 0, 0, SCOLS_JSON_STRING, 1, 0, "what" },
	[DATA] = { "DATA", 0, SCOLS_FL_WRAP, SCOLS_JSON_STRING, 1, 0, "its value" },
};

struct status_out {
	struct libscols_table *tb;
	struct libscols_column *cl[NCOLS];
};

static void add(struct status_out *s, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct status_out *s, const char *field, const char *fmt, ...)
{
	struct libscols_line *ln = scols_table_new_line(s->tb, NULL);
	char *data;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&data, fmt, ap);
	va_end(ap);
	if (!ln || n < 0) {
		tc_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	if (s->cl[FIELD])
		scols_line_set_column_data(ln, s->cl[FIELD], field);
	if (s->cl[DATA])
		scols_line_refer_column_data(ln, s->cl[DATA], data);
	else
		free(data);
}

/* The kernel's "key: value" lines, in words where tracerctl knows them. */
static void describe(struct status_out *s, const char *key, const char *v)
{
	uint64_t a, b, c, d;
	char name[128];
	int e = 0;

	if (!strcmp(key, "version")) {
		return;		/* from sysfs, above */
	} else if (!strcmp(key, "rows")) {
		add(s, "Registered:", "%s", v);
	} else if (!strcmp(key, "cgroups")) {
		add(s, "Cgroups registered:", "%s", v);
	} else if (!strcmp(key, "cgroups_max")) {
		add(s, "Cgroups at most:", "%s", v);
	} else if (!strcmp(key, "armed")) {
		add(s, "Armed:", "%s", v);
	} else if (!strcmp(key, "alloc_records")) {
		add(s, "Allocation records:", "%s in use", v);
	} else if (!strcmp(key, "alloc_slots")) {
		add(s, "Allocation slots:", "%s", v);
	} else if (!strcmp(key, "alloc_records_lost")) {
		add(s, "Allocation records lost:", "%s", v);
	} else if (!strcmp(key, "probe") &&
		   sscanf(v, "kprobe %127s missed %" SCNu64 "%n", name, &a, &e) == 2 &&
		   !v[e]) {
		add(s, "Probe:", "kprobe %s, %" PRIu64 " missed", name, a);
	} else if (!strcmp(key, "probe")) {
		add(s, "Probe:", "%s", v);
	} else if (!strcmp(key, "forks") &&
		   sscanf(v, "size %" SCNu64 " last %" SCNu64 " overwritten %" SCNu64
			  " missed %" SCNu64 " maxactive %127s", &a, &b, &c, &d, name) == 5) {
		add(s, "Fork records:", "%" PRIu64 " slots, last %" PRIu64 ", %" PRIu64
		    " overwritten, %" PRIu64 " missed (fork_maxactive %s)", a, b, c, d, name);
	} else {
		snprintf(name, sizeof(name), "%s:", key);
		add(s, name, "%s", v);
	}
}

/* A value of the kernel's as JSON: a number, yes/no, else a string. */
static void json_scalar(struct tc_json *j, const char *key, const char *v)
{
	uint64_t n;
	int end = 0;

	if (sscanf(v, "%" SCNu64 "%n", &n, &end) == 1 && !v[end] && *v >= '0' && *v <= '9')
		tc_json_u64(j, key, n);
	else if (!strcmp(v, "yes") || !strcmp(v, "no"))
		tc_json_bool(j, key, !strcmp(v, "yes"));
	else
		tc_json_str(j, key, v);
}

/*
 * "size 4096 last 6 ..." (name value pairs) as an object; a probe's
 * "kprobe up missed 2" as {"type": "kprobe", "name": "up", "missed": 2}.
 */
static void json_value(struct tc_json *j, const char *key, const char *v, int probe)
{
	char *copy = strdup(v), *tok[32], *save = NULL;
	int n = 0, i, pairs;

	if (!copy) {
		tc_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	for (tok[0] = strtok_r(copy, " ", &save); tok[n] && n < 31;
	     tok[++n] = strtok_r(NULL, " ", &save))
		;
	pairs = n >= 2 && n % 2 == 0 && !tok[n];
	for (i = probe ? 3 : 1; pairs && i < n; i += 2)
		pairs = tok[i][0] >= '0' && tok[i][0] <= '9';
	if (!pairs) {
		json_scalar(j, key, v);
	} else {
		tc_json_open(j, key, '{');
		if (probe) {
			tc_json_str(j, "type", tok[0]);
			tc_json_str(j, "name", tok[1]);
		}
		for (i = probe ? 2 : 0; i < n; i += 2)
			json_scalar(j, tok[i], tok[i + 1]);
		tc_json_close(j, '}');
	}
	free(copy);
}

/* status -J: typed, the probes in an array, the forks' line an object. */
static void print_json(int loaded, const char *version, const struct tc_status *st)
{
	struct tc_json j = { .f = stdout };
	size_t i;

	tc_json_open(&j, NULL, '{');
	tc_json_open(&j, "status", '{');
	tc_json_bool(&j, "loaded", loaded);
	if (version[0])
		tc_json_str(&j, "version", version);
	for (i = 0; i < st->n; i++)
		if (strcmp(st->item[i].key, "version") && strcmp(st->item[i].key, "probe"))
			json_value(&j, st->item[i].key, st->item[i].value, 0);
	if (loaded) {
		tc_json_open(&j, "probes", '[');
		for (i = 0; i < st->n; i++)
			if (!strcmp(st->item[i].key, "probe"))
				json_value(&j, NULL, st->item[i].value, 1);
		tc_json_close(&j, ']');
	}
	tc_json_close(&j, '}');
	tc_json_close(&j, '}');
}

static int usage(FILE *f)
{
	fputs("Usage: tracerctl status [options]\n\n"
	      "Whether the tracer module is loaded, its version, the probes it\n"
	      "attached on this kernel and its loss counters.\n\nOptions:\n", f);
	tc_out_usage(f, cols, NCOLS, 0);
	fputs("\n" TC_EXIT_HELP ".\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_status(int argc, char **argv)
{
	static const struct option opts[] = {
		TC_OUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *path = TC_PATH("proc/tracer_status");
	struct status_out s = { 0 };
	struct tc_out o = { 0 };
	struct tc_status st = { 0 };
	char version[64], why[256];
	int c, loaded, err = 0;
	size_t i;
	FILE *f;

	while ((c = getopt_long(argc, argv, TC_OUT_SHORTOPTS "hV", opts, NULL)) != -1) {
		if (tc_out_option(&o, c, optarg))
			continue;
		switch (c) {
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("status");
		}
	}
	if (tc_out_columns(&o, cols, NCOLS))
		return TC_EXIT_USAGE;
	if (o.sort_col >= 0 || o.bytes || (o.json && (o.columns || o.noheadings))) {
		tc_warn("status: --sort and --bytes do not apply, nor -o and -n with -J");
		return tc_try_help("status");
	}
	loaded = tc_module_loaded();
	version[0] = 0;
	if (loaded) {
		f = fopen(path, "r");
		if (!f) {
			tc_warn("cannot read %s: %s", path, strerror(errno));
			err = EXIT_FAILURE;
		} else if (tc_status_parse(f, &st, why, sizeof(why))) {
			tc_warn("%s: %s", path, why);
			err = EXIT_FAILURE;
		}
		if (f)
			fclose(f);
		/* MODULE_VERSION's, or the status file's for a built-in tracer. */
		tc_read_line(TC_PATH("sys/module/tracer/version"), version, sizeof(version));
		if (!version[0] && tc_status_get(&st, "version"))
			snprintf(version, sizeof(version), "%s",
				 tc_status_get(&st, "version"));
	}
	if (o.json) {
		print_json(loaded, version, &st);
	} else {
		s.tb = tc_out_table(&o, "status", cols, s.cl);
		add(&s, "Module:", "%s", loaded ? "loaded" : "not loaded");
		if (version[0])
			add(&s, "Version:", "%s", version);
		for (i = 0; i < st.n; i++)
			describe(&s, st.item[i].key, st.item[i].value);
		scols_print_table(s.tb);
		scols_unref_table(s.tb);
	}
	tc_status_free(&st);
	if (!loaded)
		return tc_not_loaded();
	return err;
}
