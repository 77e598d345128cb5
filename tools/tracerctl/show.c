// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl show [PID...]: /proc/tracer as a table (or JSON), with the
 * command names, bytes for people, sorted by PID or by -s COLUMN, the
 * rows chosen by PID, name, user or unit. show --cgroups: the rows of
 * /proc/tracer_cgroups, in the same ways.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"

static int usage(FILE *f)
{
	fputs("Usage: tracerctl show [options] [PID...]\n"
	      "       tracerctl show --cgroups [options]\n\n"
	      "The counts of the registered processes (all, or the PIDs given), those\n"
	      "that match every option of choice given; with --cgroups, of the\n"
	      "registered cgroups.\n\n"
	      "Options:\n"
	      "     --cgroups          the registered cgroups (/proc/tracer_cgroups)\n", f);
	tc_select_usage(f, 1);
	tc_out_usage(f, tc_row_cols, TC_NR_ROW_COLS, TC_HAS_SORT | TC_HAS_BYTES);
	fputs("\nColumns with --cgroups: CGROUP (the path below the cgroup2 mount), then\n"
	      "as above from KMALLOC to HELD_BLOCKS.\n\n" TC_EXIT_HELP_SELECT, f);
	return f == stdout ? EXIT_SUCCESS : TC_EXIT_USAGE;
}

static int wanted(const struct tc_row *r, const struct tc_select *sel,
		  int *pid, int npid, int *seen)
{
	int i, found = !npid;

	for (i = 0; i < npid; i++)
		if (pid[i] == r->pid)
			found = seen[i] = 1;
	return found && (!tc_select_any(sel) || tc_select_match(sel, r));
}

/* show --cgroups: 0 or an exit code. */
static int cgroups(struct tc_out *o)
{
	struct libscols_column *cl[TC_NR_CG_COLS] = { 0 };
	struct libscols_table *tb;
	struct tc_cgroups cgs;
	size_t r;
	int err;

	if (tc_out_columns(o, tc_cgroup_cols, TC_NR_CG_COLS))
		return TC_EXIT_USAGE;
	err = tc_cgroups_read(&cgs, 0);
	if (err)
		return err;
	tc_cgroups_sort(&cgs, o->sort_col < 0 ? TC_CG_PATH : o->sort_col);
	tb = tc_out_table(o, "cgroups", tc_cgroup_cols, cl);
	for (r = 0; r < cgs.n && !err; r++)
		err = tc_cgroup_line(tb, o, &cgs.row[r]) ? EXIT_FAILURE : 0;
	if (!cgs.n && !o->json)
		tc_warn("no cgroup is registered");
	else if (!err)
		scols_print_table(tb);
	scols_unref_table(tb);
	tc_cgroups_free(&cgs);
	return err;
}

int cmd_show(int argc, char **argv)
{
	enum { OPT_CGROUPS = 0x200 };
	static const struct option opts[] = {
		{ "cgroups", no_argument, NULL, OPT_CGROUPS },
		TC_OUT_LONGOPTS,
		TC_SELECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct libscols_column *cl[TC_NR_ROW_COLS] = { 0 };
	struct libscols_table *tb = NULL;
	struct tc_rows rows = { 0 };
	struct tc_select sel = { 0 };
	struct tc_out o = { 0 };
	int *pid = NULL, *seen = NULL, npid, c, i, err = TC_EXIT_USAGE, missing = 0;
	int by_cgroup = 0;
	size_t r, shown = 0;

	while ((c = getopt_long(argc, argv, TC_OUT_SHORTOPTS TC_SELECT_SHORTOPTS "hV",
				opts, NULL)) != -1) {
		if (tc_out_option(&o, c, optarg))
			continue;
		if ((i = tc_select_option(&sel, c, optarg)) < 0)
			goto out;
		if (i)
			continue;
		switch (c) {
		case OPT_CGROUPS: by_cgroup = 1; break;
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: err = tc_try_help("show"); goto out;
		}
	}
	if (by_cgroup && (optind < argc || tc_select_any(&sel))) {
		tc_warn("show: --cgroups shows every registered cgroup: no process IDs, -C, --pattern, -u or --unit");
		err = tc_try_help("show");
		goto out;
	}
	if (by_cgroup) {
		err = cgroups(&o);
		goto out;
	}
	if (tc_out_columns(&o, tc_row_cols, TC_NR_ROW_COLS))
		goto out;
	npid = argc - optind;
	pid = calloc(npid + 1, sizeof(*pid));
	seen = calloc(npid + 1, sizeof(*seen));
	if (!pid || !seen)
		goto out;
	for (i = 0; i < npid; i++)
		if ((pid[i] = tc_parse_pid(argv[optind + i])) < 0)
			goto out;
	err = tc_rows_read(&rows);
	if (err)
		goto out;
	err = EXIT_FAILURE;
	tc_rows_sort(rows.row, rows.n, o.sort_col < 0 ? TC_COL_PID : o.sort_col, 0);
	tb = tc_out_table(&o, "processes", tc_row_cols, cl);
	for (r = 0; r < rows.n; r++) {
		if (!wanted(&rows.row[r], &sel, pid, npid, seen))
			continue;
		if (tc_row_line(tb, &o, &rows.row[r]))
			goto out;
		shown++;
	}
	for (i = 0; i < npid; i++)
		if (!seen[i]) {
			tc_warn("%d: not registered (or not yours to see)", pid[i]);
			missing++;
		}
	if (!rows.n && !npid && !o.json)
		tc_warn("no process is registered");
	else if (tc_select_any(&sel) && !shown && !missing)
		tc_warn("no registered process matched");
	if (shown || (!npid && !tc_select_any(&sel) && (rows.n || o.json)))
		scols_print_table(tb);
	err = missing == npid && npid ? TC_EXIT_NONE : missing ? TC_EXIT_SOME :
	      tc_select_any(&sel) && !shown ? TC_EXIT_NONE : EXIT_SUCCESS;
out:
	scols_unref_table(tb);
	tc_rows_free(&rows);
	tc_select_free(&sel);
	free(pid);
	free(seen);
	return err;
}
