// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl export --prometheus [-o FILE]: the counts in Prometheus' text
 * exposition format (version 0.0.4), labelled pid and comm (a process's)
 * or cgroup (a cgroup's), what they hold, and the module's loss counters. With -o the file is replaced atomically (a
 * temporary file in the same directory, then rename()), so that
 * node_exporter's textfile collector never reads half a file. Without the
 * module the file says tracer_up 0, and no counts that could be stale.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracerctl.h"
#include "export.h"

void tc_prom_label(FILE *f, const char *name, const char *value, int first)
{
	fprintf(f, "%s%s=\"", first ? "{" : ",", name);
	for (; *value; value++) {
		if (*value == '\\' || *value == '"')
			fprintf(f, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputc('"', f);
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* @name's sample of process row @r or (@r NULL) of cgroup row @c. */
static void sample(FILE *f, const char *name, const struct tc_row *r,
		   const struct tc_cgroup *c, uint64_t v)
{
	char pid[16];

	fputs(name, f);
	if (r) {
		snprintf(pid, sizeof(pid), "%d", r->pid);
		tc_prom_label(f, "pid", pid, 1);
		tc_prom_label(f, "comm", r->comm, 0);
	} else {
		tc_prom_label(f, "cgroup", c->path, 1);
	}
	fprintf(f, "} %" PRIu64 "\n", v);
}

void tc_prom_write(FILE *f, const struct tc_rows *rows, const struct tc_cgroups *cgs,
		   const struct tc_status *st)
{
	static const struct tc_cgroups none;
	char name[128], probe[64];
	const char *v;
	uint64_t a, b, c, d;
	size_t i, r;
	int k, end;

	family(f, "tracer_up", "gauge", "Whether the tracer module is loaded (1) or not (0)");
	fprintf(f, "tracer_up %d\n", !!rows);
	if (!rows)
		return;
	if (!cgs)
		cgs = &none;
	for (k = 0; k < TC_NR_COUNTERS; k++) {
		snprintf(name, sizeof(name), "tracer_%s_total", tc_counters[k].metric);
		family(f, name, "counter", tc_counters[k].help);
		for (r = 0; r < rows->n; r++)
			sample(f, name, &rows->row[r], NULL, rows->row[r].count[k]);
		for (r = 0; r < cgs->n; r++)
			sample(f, name, NULL, &cgs->row[r], cgs->row[r].count[k]);
	}
	/* A module older than /proc/tracer_held: no such families. */
	if (rows->held) {
		family(f, "tracer_held_bytes", "gauge",
		       "Bytes allocated by kmalloc since the registration and not freed yet");
		for (r = 0; r < rows->n; r++)
			if (rows->row[r].has_held)
				sample(f, "tracer_held_bytes", &rows->row[r], NULL, rows->row[r].held_mem);
		for (r = 0; r < cgs->n; r++)
			sample(f, "tracer_held_bytes", NULL, &cgs->row[r], cgs->row[r].held_mem);
		family(f, "tracer_held_blocks", "gauge",
		       "Blocks allocated by kmalloc since the registration and not freed yet");
		for (r = 0; r < rows->n; r++)
			if (rows->row[r].has_held)
				sample(f, "tracer_held_blocks", &rows->row[r], NULL, rows->row[r].held);
		for (r = 0; r < cgs->n; r++)
			sample(f, "tracer_held_blocks", NULL, &cgs->row[r], cgs->row[r].held);
	}
	if (!st)
		return;
	if ((v = tc_status_get(st, "rows")) && sscanf(v, "%" SCNu64, &a) == 1) {
		family(f, "tracer_registered", "gauge",
		       "Processes and threads registered, in every PID namespace");
		fprintf(f, "tracer_registered %" PRIu64 "\n", a);
	}
	if ((v = tc_status_get(st, "cgroups")) && sscanf(v, "%" SCNu64, &a) == 1) {
		family(f, "tracer_cgroups_registered", "gauge",
		       "Cgroups registered (at most 64; 32 on a 32-bit kernel)");
		fprintf(f, "tracer_cgroups_registered %" PRIu64 "\n", a);
	}
	if ((v = tc_status_get(st, "alloc_records_lost")) && sscanf(v, "%" SCNu64, &a) == 1) {
		family(f, "tracer_alloc_records_lost_total", "counter",
		       "Allocations whose size was not recorded for kfree_mem (alloc_slots full)");
		fprintf(f, "tracer_alloc_records_lost_total %" PRIu64 "\n", a);
	}
	family(f, "tracer_kprobe_missed_total", "counter",
	       "Hits of a kprobe dropped because another kprobe was running on the CPU");
	for (i = 0; i < st->n; i++) {
		end = 0;
		if (!strcmp(st->item[i].key, "probe") &&
		    sscanf(st->item[i].value, "kprobe %63s missed %" SCNu64 "%n",
			   probe, &a, &end) == 2 && !st->item[i].value[end]) {
			fputs("tracer_kprobe_missed_total", f);
			tc_prom_label(f, "probe", probe, 1);
			fprintf(f, "} %" PRIu64 "\n", a);
		}
	}
	if ((v = tc_status_get(st, "forks")) &&
	    sscanf(v, "size %" SCNu64 " last %" SCNu64 " overwritten %" SCNu64
		   " missed %" SCNu64, &a, &b, &c, &d) == 4) {
		family(f, "tracer_forks_total", "counter", "Process creations recorded");
		fprintf(f, "tracer_forks_total %" PRIu64 "\n", b);
		family(f, "tracer_forks_overwritten_total", "counter",
		       "Fork records overwritten in the ring of /proc/tracer_forks");
		fprintf(f, "tracer_forks_overwritten_total %" PRIu64 "\n", c);
		family(f, "tracer_forks_missed_total", "counter",
		       "Process creations not recorded (more than fork_maxactive at once)");
		fprintf(f, "tracer_forks_missed_total %" PRIu64 "\n", d);
	}
}

/* Writes to a temporary file beside @path, then renames it over @path. */
static int write_atomic(const char *path, const struct tc_rows *rows,
			const struct tc_cgroups *cgs, const struct tc_status *st)
{
	char *dir = strdup(path), *base = strdup(path), *tmp = NULL;
	int fd = -1, err = -1;
	FILE *f;

	if (!dir || !base || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dir),
				      basename(base)) < 0) {
		tc_warn("out of memory");
		free(dir);
		free(base);
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		tc_warn("cannot create a file beside %s: %s", path, strerror(errno));
		goto out;
	}
	f = fchmod(fd, 0644) ? NULL : fdopen(fd, "w");
	if (f) {
		tc_prom_write(f, rows, cgs, st);
		err = fflush(f) || ferror(f) || fsync(fd) ? -1 : 0;
		err |= fclose(f) ? -1 : 0;
	} else {
		close(fd);
	}
	if (!err && rename(tmp, path))
		err = -1;
	if (err) {
		tc_warn("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	free(dir);
	free(base);
	return err;
}

/* To @path (atomically) or stdout: 0 or an exit code. */
static int print(const char *path, const struct tc_rows *rows,
		 const struct tc_cgroups *cgs, const struct tc_status *st)
{
	if (path)
		return write_atomic(path, rows, cgs, st) ? EXIT_FAILURE : 0;
	tc_prom_write(stdout, rows, cgs, st);
	return fflush(stdout) ? EXIT_FAILURE : 0;
}

static int usage(FILE *f)
{
	fputs("Usage: tracerctl export [--prometheus] [-o FILE]\n\n"
	      "The counts of the registered processes and cgroups, the memory they\n"
	      "hold, and the module's loss counters\n"
	      "in Prometheus' text exposition format, for node_exporter's textfile\n"
	      "collector (--collector.textfile.directory; Debian's prometheus-node-exporter\n"
	      "reads /var/lib/prometheus/node-exporter). Without the module: tracer_up 0.\n\n"
	      "Options:\n"
	      "     --prometheus    the format (the default and only one)\n"
	      " -o, --output FILE   write FILE, replaced atomically, not stdout\n"
	      " -h, --help          this help\n"
	      " -V, --version       the version\n\n" TC_EXIT_HELP ".\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prometheus", no_argument, NULL, 'P' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *out = NULL;
	struct tc_status st = { 0 };
	struct tc_cgroups cgs;
	struct tc_rows rows;
	char why[256];
	int c, err, have_st = 0;
	FILE *f;

	while ((c = getopt_long(argc, argv, "o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'P': break;
		case 'o': out = optarg; break;
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("export");
		}
	}
	if (optind < argc) {
		tc_warn("export: unexpected argument '%s'", argv[optind]);
		return tc_try_help("export");
	}
	if (!tc_module_loaded())
		return print(out, NULL, NULL, NULL);
	err = tc_rows_read(&rows);
	if (err)
		return err;
	err = tc_cgroups_read(&cgs, 1);
	if (err) {
		tc_rows_free(&rows);
		return err;
	}
	tc_rows_sort(rows.row, rows.n, TC_COL_PID, 0);
	tc_cgroups_sort(&cgs, TC_CG_PATH);
	f = fopen(TC_PATH("proc/tracer_status"), "r");
	if (f) {
		have_st = !tc_status_parse(f, &st, why, sizeof(why));
		if (!have_st)
			tc_warn("%s: %s", TC_PATH("proc/tracer_status"), why);
		fclose(f);
	}
	err = print(out, &rows, &cgs, have_st ? &st : NULL);
	tc_rows_free(&rows);
	tc_cgroups_free(&cgs);
	tc_status_free(&st);
	return err ? err : have_st ? EXIT_SUCCESS : EXIT_FAILURE;
}
