// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl forks: /proc/tracer_forks for people (a table) or scripts
 * (--json); --follow prints new records as they come, each once, and says
 * when records were overwritten before they could be read, or creations
 * went unrecorded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libsmartcols.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forks_decode.h"
#include "forks_record.h"
#include "tracerctl.h"

enum { SEQ, TIME, TIME_NS, UID, USER, PID, TGID, COMM, RET, RESULT, MESSAGE,
       SIGNO, SIGNAL, PIDNS, CHILDNS, FLAGS_HEX, FLAGS, NCOLS };

/* Columns; people see those with a width hint, scripts see all. */
static const struct {
	const char *name;
	double whint;
	int flags, json;
} cols[NCOLS] = {
	[SEQ] = { "SEQ", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[TIME] = { "TIME", 1, 0, SCOLS_JSON_STRING },
	[TIME_NS] = { "TIME_NS", 0, 0, SCOLS_JSON_NUMBER },
	[UID] = { "UID", 0, 0, SCOLS_JSON_NUMBER },
	[USER] = { "USER", 1, 0, SCOLS_JSON_STRING },
	[PID] = { "PID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[TGID] = { "TGID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[COMM] = { "COMMAND", 1, 0, SCOLS_JSON_STRING },
	[RET] = { "RET", 0, 0, SCOLS_JSON_NUMBER },
	[RESULT] = { "RESULT", 1, 0, SCOLS_JSON_STRING },
	[MESSAGE] = { "MESSAGE", 0, 0, SCOLS_JSON_STRING },
	[SIGNO] = { "EXIT_SIGNO", 0, 0, SCOLS_JSON_NUMBER },
	[SIGNAL] = { "EXIT_SIGNAL", 1, 0, SCOLS_JSON_STRING },
	[FLAGS_HEX] = { "FLAGS_HEX", 0, 0, SCOLS_JSON_STRING },
	[PIDNS] = { "PIDNS", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[CHILDNS] = { "CHILD_PIDNS", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	[FLAGS] = { "FLAGS", 1, 0, SCOLS_JSON_STRING },
};

struct out {
	struct libscols_table *tb;
	struct libscols_column *col[NCOLS];
	int json, lines;
};

static void out_init(struct out *o, int json)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->json = json;
	o->tb = scols_new_table();
	if (!o->tb)
		exit(1);
	scols_table_enable_json(o->tb, json);
	scols_table_set_name(o->tb, "forks");
	for (i = 0; i < NCOLS; i++) {
		if (!json && !cols[i].whint)
			continue;
		o->col[i] = scols_table_new_column(o->tb, cols[i].name,
						   cols[i].whint, cols[i].flags);
		if (!o->col[i])
			exit(1);
		scols_column_set_json_type(o->col[i], cols[i].json);
	}
}

static void out_record(struct out *o, const struct forks_record *r)
{
	struct libscols_line *ln = scols_table_new_line(o->tb, NULL);
	char cell[NCOLS][512], name[64];
	int i;

	if (!ln)
		exit(1);
	snprintf(cell[SEQ], sizeof(cell[SEQ]), "%" PRIu64, r->seq);
	forks_time(r->time_ns, cell[TIME], sizeof(cell[TIME]));
	snprintf(cell[TIME_NS], sizeof(cell[TIME_NS]), "%" PRIu64, r->time_ns);
	snprintf(cell[UID], sizeof(cell[UID]), "%" PRIu32, r->uid);
	forks_user(r->uid, cell[USER], sizeof(cell[USER]));
	snprintf(cell[PID], sizeof(cell[PID]), "%d", r->pid);
	snprintf(cell[TGID], sizeof(cell[TGID]), "%d", r->tgid);
	snprintf(cell[COMM], sizeof(cell[COMM]), "%s", r->comm);
	snprintf(cell[RET], sizeof(cell[RET]), "%d", r->ret);
	snprintf(cell[MESSAGE], sizeof(cell[MESSAGE]), "%s", forks_message(r->ret));
	forks_result(r->ret, name, sizeof(name));
	/* People read an error with its message; scripts get both apart. */
	snprintf(cell[RESULT], sizeof(cell[RESULT]), "%s%s%.200s", name,
		 r->ret < 0 && !o->json ? ": " : "", o->json ? "" : cell[MESSAGE]);
	snprintf(cell[SIGNO], sizeof(cell[SIGNO]), "%d", r->exit_signal);
	forks_signal(r->exit_signal, cell[SIGNAL], sizeof(cell[SIGNAL]));
	snprintf(cell[FLAGS_HEX], sizeof(cell[FLAGS_HEX]), "%#" PRIx64, r->flags);
	forks_flags(r->flags, cell[FLAGS], sizeof(cell[FLAGS]));
	snprintf(cell[PIDNS], sizeof(cell[PIDNS]), "%" PRIu32, r->pid_ns);
	snprintf(cell[CHILDNS], sizeof(cell[CHILDNS]), "%" PRIu32, r->child_ns);
	for (i = 0; i < NCOLS; i++)
		if (o->col[i] &&
		    scols_line_set_column_data(ln, o->col[i], cell[i]))
			exit(1);
	o->lines++;
}

/* Prints what was gathered; in --follow, a table per batch, one heading. */
static void out_flush(struct out *o)
{
	if (!o->lines)
		return;
	scols_print_table(o->tb);
	fflush(stdout);
	scols_table_remove_lines(o->tb);
	scols_table_enable_noheadings(o->tb, 1);
	o->lines = 0;
}

static int header_of(const char *path, struct forks_header *h)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int err = -1;

	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		err = forks_parse_header(line, h);
	}
	if (f)
		fclose(f);
	return err;
}

static int usage(FILE *f)
{
	fprintf(f, "Usage: tracerctl forks [--json] [--follow [--interval SECONDS]] [FILE]\n\n"
		"The process creations recorded in FILE (default %s, root only).\n\n"
		" -J, --json      JSON (with --follow, one document per batch)\n"
		" -f, --follow    keep printing new records, each once\n"
		" -i, --interval  seconds between two reads when following (default 1)\n"
		" -h, --help      this help\n"
		" -V, --version   the version\n",
		FORKS_PROC);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_forks(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "follow", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int json = 0, follow = 0, c, bad = 0;
	double interval = 1;
	char defpath[256];
	const char *path = tc_path("proc/tracer_forks", defpath, sizeof(defpath));
	struct forks_header h = { 0 }, now;
	struct forks_record r;
	uint64_t next = 0, missed;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	struct out o;
	FILE *f;

	while ((c = getopt_long(argc, argv, "Jfi:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'J': json = 1; break;
		case 'f': follow = 1; break;
		case 'i': interval = atof(optarg); break;
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("forks");
		}
	}
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc || interval <= 0) {
		tc_warn("forks: one FILE at most, and an interval > 0");
		return tc_try_help("forks");
	}
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !tc_module_loaded())
			return tc_not_loaded();
		tc_warn("cannot read %s: %s%s", path, strerror(errno),
			errno == EACCES ? " (root only)" : "");
		return EXIT_FAILURE;
	}
	out_init(&o, json);
	for (;;) {
		while ((len = getline(&line, &cap, f)) > 0) {
			line[strcspn(line, "\n")] = 0;
			if (line[0] == '#') {
				if (forks_parse_header(line, &h))
					bad++;
				else if (!json)
					printf("# %" PRIu64 " slots, %" PRIu64 " records overwritten, %" PRIu64
					       " creations not recorded\n", h.size, h.overwritten, h.missed);
				continue;
			}
			if (forks_parse_record(line, &r)) {
				bad++;
				continue;
			}
			if (next && r.seq > next) {
				/* Following, the notice goes between batches. */
				if (follow)
					out_flush(&o);
				fprintf(stderr, "tracerctl: %" PRIu64 " records lost: overwritten before they were read\n",
					r.seq - next);
			}
			next = r.seq + 1;
			out_record(&o, &r);
		}
		out_flush(&o);
		if (!follow)
			break;
		clearerr(f);
		usleep(interval * 1e6);
		missed = h.missed;
		if (!header_of(path, &now) && now.missed > missed) {
			fprintf(stderr, "tracerctl: %" PRIu64 " creations not recorded: more were in progress at once than fork_maxactive\n",
				now.missed - missed);
			h.missed = now.missed;
		}
	}
	free(line);
	fclose(f);
	scols_unref_table(o.tb);
	if (bad)
		fprintf(stderr, "tracerctl: %d lines not understood in %s\n", bad, path);
	return bad ? 1 : 0;
}
