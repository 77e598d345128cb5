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

/* Columns; people see the default ones, JSON without -o has them all. */
static const struct tc_col cols[NCOLS] = {
	[SEQ] = { "SEQ", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0, "sequence number" },
	[TIME] = { "TIME", 1, 0, SCOLS_JSON_STRING, 1, 0, "local time of the call" },
	[TIME_NS] = { "TIME_NS", 1, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, 0, 0, "ns since the epoch (a string in JSON)" },
	[UID] = { "UID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 0, 0, "caller's real user ID" },
	[USER] = { "USER", 1, 0, SCOLS_JSON_STRING, 1, 0, "caller's user name" },
	[PID] = { "PID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0, "caller's thread ID" },
	[TGID] = { "TGID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0, "caller's process ID" },
	[COMM] = { "COMMAND", 1, 0, SCOLS_JSON_STRING, 1, 0, "caller's command name" },
	[RET] = { "RET", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 0, 0, "new PID or -errno" },
	[RESULT] = { "RESULT", 1, 0, SCOLS_JSON_STRING, 1, 0, "new PID or error name (and message)" },
	[MESSAGE] = { "MESSAGE", 1, 0, SCOLS_JSON_STRING, 0, 0, "error message" },
	[SIGNO] = { "EXIT_SIGNO", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 0, 0, "exit signal number" },
	[SIGNAL] = { "EXIT_SIGNAL", 1, 0, SCOLS_JSON_STRING, 1, 0, "exit signal name" },
	[PIDNS] = { "PIDNS", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0, "caller's PID namespace" },
	[CHILDNS] = { "CHILD_PIDNS", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0, "child's PID namespace" },
	[FLAGS_HEX] = { "FLAGS_HEX", 1, 0, SCOLS_JSON_STRING, 0, 0, "clone flags, hex" },
	[FLAGS] = { "FLAGS", 1, 0, SCOLS_JSON_STRING, 1, 0, "clone flags by name" },
};

struct out {
	struct libscols_table *tb;
	struct libscols_column *col[NCOLS];
	int scripts;	/* JSON, raw or pairs: RESULT without the message */
};

static void out_init(struct out *o, const struct tc_out *opts)
{
	memset(o, 0, sizeof(*o));
	o->scripts = opts->json || opts->raw || opts->pairs;
	o->tb = tc_out_table(opts, "forks", cols, o->col);
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
		 r->ret < 0 && !o->scripts ? ": " : "", o->scripts ? "" : cell[MESSAGE]);
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
	fprintf(f, "Usage: tracerctl forks [options] [FILE]\n\n"
		"The process creations recorded in FILE (default %s, root only).\n\n"
		"Options:\n"
		" -f, --follow           keep printing new records, each once (with -J,\n"
		"                        JSON Lines: one object per line)\n"
		" -i, --interval SECONDS between two reads when following (default 1)\n",
		FORKS_PROC);
	tc_out_usage(f, cols, NCOLS, 0);
	fputs("\nWith -J and no -o, every column.\n\n" TC_EXIT_HELP ".\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_forks(int argc, char **argv)
{
	static const struct option opts[] = {
		TC_OUT_LONGOPTS,
		{ "follow", no_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct tc_out opt = { 0 };
	int follow = 0, c, bad = 0, i;
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

	while ((c = getopt_long(argc, argv, TC_OUT_SHORTOPTS "fi:hV", opts, NULL)) != -1) {
		if (tc_out_option(&opt, c, optarg))
			continue;
		switch (c) {
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
	if (tc_out_columns(&opt, cols, NCOLS))
		return TC_EXIT_USAGE;
	if (opt.sort_col >= 0 || opt.bytes) {
		tc_warn("forks: --sort and --bytes do not apply");
		return tc_try_help("forks");
	}
	if (opt.json && !opt.columns)
		for (opt.ncol = 0, i = 0; i < NCOLS; i++)
			opt.col[opt.ncol++] = i;
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !tc_module_loaded())
			return tc_not_loaded();
		tc_warn("cannot read %s: %s%s", path, strerror(errno),
			errno == EACCES ? " (root only)" : "");
		return EXIT_FAILURE;
	}
	out_init(&o, &opt);
	for (;;) {
		while ((len = getline(&line, &cap, f)) > 0) {
			line[strcspn(line, "\n")] = 0;
			if (line[0] == '#') {
				if (forks_parse_header(line, &h))
					bad++;
				else if (!o.scripts && !opt.noheadings)
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
					tc_out_stream(o.tb, &opt);
				fprintf(stderr, "tracerctl: %" PRIu64 " records lost: overwritten before they were read\n",
					r.seq - next);
			}
			next = r.seq + 1;
			out_record(&o, &r);
		}
		if (!follow) {
			scols_print_table(o.tb);
			break;
		}
		if (tc_out_stream(o.tb, &opt))
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
