// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl wait, watch and run: the lifecycle monitor of /dev/tracer
 * (src/uapi/tracer.h). The kernel tells of forks, execs and exits as they
 * happen through read(), for any process the caller may inspect, not only
 * its children: nothing polls /proc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracerctl.h"
#include "../../src/uapi/tracer.h"

#define BATCH 256

static int watch_pid(int fd, int pid, unsigned int events, unsigned int flags,
		     const char *cmd)
{
	struct tracer_watch w = { .pid = pid, .events = events, .flags = flags };

	if (!ioctl(fd, TRACER_WATCH, &w))
		return 0;
	tc_warn("%s %d: %s (%s)", cmd, pid,
		errno == ESRCH ? "no such process" :
		errno == EPERM ? "permission denied: you may watch only the processes you could trace (same user and group IDs, not set-user-ID), unless you have CAP_SYS_PTRACE" :
		strerror(errno), strerrorname_np(errno));
	return -1;
}

/* "exited 3", "killed by SIGSEGV (core dumped)". */
static void status_words(int status, char *buf, size_t size)
{
	const char *name;

	if (WIFSIGNALED(status)) {
		name = sigabbrev_np(WTERMSIG(status));
		snprintf(buf, size, "killed by SIG%s%s", name ? name : "?",
			 WCOREDUMP(status) ? " (core dumped)" : "");
	} else {
		snprintf(buf, size, "exited %d", WEXITSTATUS(status));
	}
}

/* As a shell reports it: the exit code, or 128 + the signal. */
static int shell_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int process_ended(const struct tracer_event *e)
{
	return e->kind == TRACER_EV_EXIT || e->kind == TRACER_EV_SIGNALED;
}

/* A batch of whole records; blocks until there is one. -1: message said. */
static int read_batch(int fd, struct tracer_event *ev)
{
	ssize_t r;

	do
		r = read(fd, ev, BATCH * sizeof(*ev));
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		tc_warn("read /dev/tracer: %s (%s)", strerror(errno), strerrorname_np(errno));
		return -1;
	}
	return r / sizeof(*ev);
}

static int *parse_pids(int argc, char **argv, const char *cmd, int *n)
{
	int *pid, i;

	*n = argc - optind;
	if (!*n) {
		tc_warn("%s: no process ID given", cmd);
		tc_try_help(cmd);
		return NULL;
	}
	pid = calloc(*n, sizeof(*pid));
	if (!pid)
		return NULL;
	for (i = 0; i < *n; i++)
		if ((pid[i] = tc_parse_pid(argv[optind + i])) < 0) {
			free(pid);
			return NULL;
		}
	return pid;
}

/* Marks the PIDs @e ends; returns how many were still waited for. */
static int ended(const struct tracer_event *e, const int *pid, int *done, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!done[i] && pid[i] == e->target && process_ended(e)) {
			done[i] = 1;
			k++;
		}
	return k;
}

/* ---- wait ---- */

static int wait_usage(FILE *f)
{
	fputs("Usage: tracerctl wait PID...\n\n"
	      "Waits until the processes have ended, any processes (not only children),\n"
	      "and prints each one's end as it happens: \"PID exited CODE\" or\n"
	      "\"PID killed by SIGNAL [(core dumped)]\".\n\n"
	      " -h, --help     this help\n"
	      " -V, --version  the version\n\n"
	      "Exit status: as sh's wait, that of the last PID given (its code, or 128 +\n"
	      "the signal); 125 if tracerctl failed: wrong usage, the module not loaded,\n"
	      "a process that could not be watched (the others are waited for).\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_wait(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct tracer_event ev[BATCH];
	int *pid, *done, *status, n, fd, c, i, k, left = 0, failed = 0;
	char words[64];

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return wait_usage(stdout);
		case 'V': return tc_version();
		default: tc_try_help("wait"); return TC_EXIT_CANNOT;
		}
	}
	pid = parse_pids(argc, argv, "wait", &n);
	if (!pid)
		return TC_EXIT_CANNOT;
	done = calloc(n, sizeof(*done));
	status = calloc(n, sizeof(*status));
	fd = tc_open_device();
	if (!done || !status || fd < 0)
		return TC_EXIT_CANNOT;
	for (i = 0; i < n; i++) {
		if (watch_pid(fd, pid[i], TRACER_EV_EXIT | TRACER_EV_SIGNALED, 0, "wait")) {
			done[i] = 1;
			failed = 1;
		} else {
			left++;
		}
	}
	while (left > 0) {
		int got = read_batch(fd, ev);

		if (got < 0)
			return TC_EXIT_CANNOT;
		for (k = 0; k < got; k++) {
			for (i = 0; i < n; i++)
				if (!done[i] && pid[i] == ev[k].target && process_ended(&ev[k]))
					status[i] = ev[k].status;
			if (!process_ended(&ev[k]))
				continue;
			left -= ended(&ev[k], pid, done, n);
			status_words(ev[k].status, words, sizeof(words));
			printf("%d %s\n", ev[k].target, words);
			fflush(stdout);
		}
	}
	close(fd);
	c = failed ? TC_EXIT_CANNOT : shell_status(status[n - 1]);
	free(pid);
	free(done);
	free(status);
	return c;
}

/* ---- watch ---- */

static const struct {
	const char *name;
	unsigned int bit;
} events[] = {
	{ "fork", TRACER_EV_FORK }, { "thread", TRACER_EV_THREAD },
	{ "exec", TRACER_EV_EXEC }, { "thread-exit", TRACER_EV_THREAD_EXIT },
	{ "exit", TRACER_EV_EXIT }, { "signaled", TRACER_EV_SIGNALED },
	{ "all", TRACER_EV_ALL }, { "lost", TRACER_EV_LOST },
};

#define NR_EVENTS (sizeof(events) / sizeof(events[0]))

static const char *event_name(unsigned int bit)
{
	size_t i;

	for (i = 0; i < NR_EVENTS; i++)
		if (events[i].bit == bit)
			return events[i].name;
	return "?";
}

/* "fork,exit": the mask, or 0 and a message. */
static unsigned int parse_events(const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	unsigned int mask = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); copy && tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i + 1 < NR_EVENTS && strcmp(tok, events[i].name); i++)
			;
		if (i + 1 == NR_EVENTS) {
			tc_warn("unknown event '%s': fork, thread, exec, thread-exit, exit, signaled, all",
				tok);
			mask = 0;
			break;
		}
		mask |= events[i].bit;
	}
	free(copy);
	return mask;
}

enum { W_TIME, W_EVENT, W_TARGET, W_PID, W_TGID, W_PPID, W_CHILD, W_STATUS, W_NCOLS };

static const struct tc_col wcols[W_NCOLS] = {
	[W_TIME] = { "TIME_NS", 1, SCOLS_FL_RIGHT, SCOLS_JSON_STRING, 1 },
	[W_EVENT] = { "EVENT", 1, 0, SCOLS_JSON_STRING, 1 },
	[W_TARGET] = { "TARGET", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1 },
	[W_PID] = { "PID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1 },
	[W_TGID] = { "TGID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1 },
	[W_PPID] = { "PPID", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1 },
	[W_CHILD] = { "CHILD", 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1 },
	[W_STATUS] = { "STATUS", 1, 0, SCOLS_JSON_STRING, 1 },
};

static void watch_line(struct libscols_table *tb, struct libscols_column **cl,
		       const struct tracer_event *e)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char cell[W_NCOLS][64] = { { 0 } };
	int i;

	if (!ln)
		exit(EXIT_FAILURE);
	snprintf(cell[W_TIME], 64, "%" PRIu64, (uint64_t)e->time_ns);
	snprintf(cell[W_EVENT], 64, "%s", event_name(e->kind));
	if (e->kind == TRACER_EV_LOST) {
		snprintf(cell[W_STATUS], 64, "%" PRIu64 " events lost", (uint64_t)e->lost);
	} else {
		snprintf(cell[W_TARGET], 64, "%d", e->target);
		snprintf(cell[W_PID], 64, "%d", e->pid);
		snprintf(cell[W_TGID], 64, "%d", e->tgid);
		snprintf(cell[W_PPID], 64, "%d", e->ppid);
	}
	if (e->kind & (TRACER_EV_FORK | TRACER_EV_THREAD | TRACER_EV_EXEC))
		snprintf(cell[W_CHILD], 64, "%d", e->child);
	if (e->kind & (TRACER_EV_THREAD_EXIT | TRACER_EV_EXIT | TRACER_EV_SIGNALED))
		status_words(e->status, cell[W_STATUS], 64);
	for (i = 0; i < W_NCOLS; i++)
		if (cell[i][0] && scols_line_set_column_data(ln, cl[i], cell[i]))
			exit(EXIT_FAILURE);
}

static int watch_usage(FILE *f)
{
	fputs("Usage: tracerctl watch [--tree] [--events LIST] [--json] PID...\n\n"
	      "Prints the processes' forks, thread creations, execs and exits as they\n"
	      "happen, until every PID given has ended.\n\n"
	      " -t, --tree         their descendants too, from their creation on\n"
	      " -e, --events LIST  fork,thread,exec,thread-exit,exit,signaled (default all)\n"
	      " -J, --json         JSON Lines: one object per event and line\n"
	      " -h, --help         this help\n"
	      " -V, --version      the version\n\n"
	      "TIME_NS is CLOCK_MONOTONIC (a string in JSON, exact); TARGET the watched\n"
	      "process the event is for.\n"
	      TC_EXIT_HELP ",\n64 if some processes could not be watched (the others are).\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tree", no_argument, NULL, 't' },
		{ "events", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	unsigned int mask = TRACER_EV_ALL, flags = 0;
	struct libscols_column *cl[W_NCOLS];
	struct tracer_event ev[BATCH];
	struct libscols_table *tb;
	struct tc_out o = { 0 };
	int *pid, *done, n, fd, c, i, k, left = 0, failed = 0;

	while ((c = getopt_long(argc, argv, "te:JhV", opts, NULL)) != -1) {
		switch (c) {
		case 't': flags = TRACER_WATCH_DESCENDANTS; break;
		case 'e':
			mask = parse_events(optarg);
			if (!mask)
				return TC_EXIT_USAGE;
			break;
		case 'J': o.json = 1; break;
		case 'h': return watch_usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("watch");
		}
	}
	pid = parse_pids(argc, argv, "watch", &n);
	if (!pid)
		return TC_EXIT_USAGE;
	done = calloc(n, sizeof(*done));
	fd = tc_open_device();
	if (!done || fd < 0)
		return tc_module_loaded() ? EXIT_FAILURE : TC_EXIT_NOMODULE;
	/* Ends are always asked for: they say when to stop. */
	for (i = 0; i < n; i++) {
		if (watch_pid(fd, pid[i], mask | TRACER_EV_EXIT | TRACER_EV_SIGNALED,
			      flags, "watch")) {
			done[i] = 1;
			failed++;
		} else {
			left++;
		}
	}
	tc_out_columns(&o, wcols, W_NCOLS);
	tb = tc_out_table(&o, "events", wcols, cl);
	while (left > 0) {
		int got = read_batch(fd, ev);

		if (got < 0)
			return EXIT_FAILURE;
		for (k = 0; k < got; k++) {
			left -= ended(&ev[k], pid, done, n);
			if (ev[k].kind & (mask | TRACER_EV_LOST))
				watch_line(tb, cl, &ev[k]);
		}
		if (tc_out_stream(tb, &o))
			return EXIT_FAILURE;
	}
	scols_unref_table(tb);
	close(fd);
	free(pid);
	free(done);
	return failed == n ? EXIT_FAILURE : failed ? TC_EXIT_SOME : EXIT_SUCCESS;
}

/* ---- run ---- */

static int run_usage(FILE *f)
{
	fputs("Usage: tracerctl run [options] [--] COMMAND [ARG...]\n\n"
	      "Runs COMMAND counted from its first instruction (registered before it\n"
	      "execs) and, when it ends, prints its counts on stdout (never on stderr,\n"
	      "which is COMMAND's), or in FILE.\n\n"
	      " -f, --follow             the processes it creates too, each its own row\n"
	      "                          (those still running when it ends are not\n"
	      "                          waited for)\n"
	      "     --result-file FILE   the counts in FILE (created or emptied), not on\n"
	      "                          stdout (-o is the columns, as in show)\n", f);
	tc_out_usage(f, tc_row_cols, TC_NR_ROW_COLS, TC_HAS_SORT | TC_HAS_BYTES);
	fputs("\nExit status: COMMAND's (its code, or 128 + the signal that killed it);\n"
	      "125 if tracerctl failed (wrong usage, the module not loaded, COMMAND could\n"
	      "not be counted), 126 if COMMAND cannot be executed, 127 if not found.\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* The row of @pid in @rows, added if new. */
static struct tc_row *row_of(struct tc_rows *rows, int pid)
{
	struct tc_row *r;
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (rows->row[i].pid == pid)
			return &rows->row[i];
	r = reallocarray(rows->row, rows->n + 1, sizeof(*r));
	if (!r)
		exit(TC_EXIT_CANNOT);
	rows->row = r;
	r += rows->n++;
	memset(r, 0, sizeof(*r));
	r->pid = pid;
	return r;
}

static void run_print(const struct tc_out *o, struct tc_rows *rows, FILE *f)
{
	struct libscols_column *cl[TC_NR_ROW_COLS] = { 0 };
	struct libscols_table *tb;
	size_t r;

	tc_rows_sort(rows->row, rows->n, o->sort_col < 0 ? TC_COL_PID : o->sort_col, 0);
	tb = tc_out_table(o, "processes", tc_row_cols, cl);
	scols_table_set_stream(tb, f);
	for (r = 0; r < rows->n; r++)
		if (tc_row_line(tb, o, &rows->row[r]))
			exit(TC_EXIT_CANNOT);
	scols_print_table(tb);
	scols_unref_table(tb);
}

/* The command's exits, with their counts, until its own. */
static int run_collect(int fd, pid_t child, struct tc_rows *rows)
{
	struct tracer_event ev[BATCH];
	int k, got;

	for (;;) {
		got = read_batch(fd, ev);
		if (got < 0)
			return -1;
		for (k = 0; k < got; k++) {
			struct tc_row *r;

			if (ev[k].kind == TRACER_EV_LOST) {
				tc_warn("run: %" PRIu64 " events lost: some processes are missing",
					(uint64_t)ev[k].lost);
				continue;
			}
			if (ev[k].kind == TRACER_EV_FORK) {
				/* A child runs under its parent's name until it execs. */
				char comm[sizeof(r->comm)];

				snprintf(comm, sizeof(comm), "%s", row_of(rows, ev[k].target)->comm);
				r = row_of(rows, ev[k].child);
				if (!r->comm[0])
					snprintf(r->comm, sizeof(r->comm), "%s", comm);
				continue;
			}
			r = row_of(rows, ev[k].target);
			/* The name (and user, unit) it runs under, while it still runs. */
			if (ev[k].kind == TRACER_EV_EXEC) {
				tc_comm(ev[k].target, r->comm, sizeof(r->comm));
				tc_pid_info(r);
			}
			if (process_ended(&ev[k]) && ev[k].flags & TRACER_EVF_COUNTS)
				memcpy(r->count, ev[k].counts, sizeof(r->count));
			if (process_ended(&ev[k]) && ev[k].target == child)
				return 0;
		}
	}
}

int cmd_run(int argc, char **argv)
{
	enum { OPT_RESULT_FILE = 0x200 };
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "result-file", required_argument, NULL, OPT_RESULT_FILE },
		TC_OUT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct tc_out o = { .exited = 1 };
	struct tc_rows rows = { 0 };
	int follow = 0, fd, c, p[2], status;
	const char *result_path = NULL;
	FILE *result = stdout;
	pid_t child;
	char go = 0;

	while ((c = getopt_long(argc, argv, "+f" TC_OUT_SHORTOPTS "hV", opts, NULL)) != -1) {
		if (tc_out_option(&o, c, optarg))
			continue;
		switch (c) {
		case 'f': follow = 1; break;
		case OPT_RESULT_FILE: result_path = optarg; break;
		case 'h': return run_usage(stdout);
		case 'V': return tc_version();
		default: tc_try_help("run"); return TC_EXIT_CANNOT;
		}
	}
	if (optind == argc) {
		tc_warn("run: no command given");
		tc_try_help("run");
		return TC_EXIT_CANNOT;
	}
	if (tc_out_columns(&o, tc_row_cols, TC_NR_ROW_COLS))
		return TC_EXIT_CANNOT;
	/* Opened first: a FILE that cannot be written fails before COMMAND runs. */
	if (result_path && !(result = fopen(result_path, "we"))) {
		tc_warn("run: cannot write %s: %s", result_path, strerror(errno));
		return TC_EXIT_CANNOT;
	}
	fd = tc_open_device();
	if (fd < 0 || pipe2(p, O_CLOEXEC))
		return TC_EXIT_CANNOT;
	child = fork();
	if (child < 0) {
		tc_warn("run: fork: %s", strerror(errno));
		return TC_EXIT_CANNOT;
	}
	if (!child) {
		/* Until it is registered and watched: no exec before. */
		close(p[1]);
		if (read(p[0], &go, 1) != 1)
			_exit(TC_EXIT_NOTFOUND);
		execvp(argv[optind], argv + optind);
		tc_warn("run: %s: %s", argv[optind], strerror(errno));
		_exit(errno == ENOENT ? TC_EXIT_NOTFOUND : TC_EXIT_NOEXEC);
	}
	close(p[0]);
	if (ioctl(fd, follow ? TRACER_ADD_PROCESS_TREE : TRACER_ADD_PROCESS, child)) {
		tc_warn("run: cannot count the command: %s (%s)", strerror(errno),
			strerrorname_np(errno));
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return TC_EXIT_CANNOT;
	}
	if (watch_pid(fd, child, TRACER_EV_EXEC | TRACER_EV_EXIT | TRACER_EV_SIGNALED |
		      (follow ? TRACER_EV_FORK : 0),
		      follow ? TRACER_WATCH_DESCENDANTS : 0, "run")) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		return TC_EXIT_CANNOT;
	}
	row_of(&rows, child);
	/* The terminal's ^C and ^\ are the command's to handle, as with time. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	if (write(p[1], &go, 1) != 1)
		return TC_EXIT_CANNOT;
	close(p[1]);
	if (run_collect(fd, child, &rows))
		return TC_EXIT_CANNOT;
	if (!rows.row[0].comm[0])
		snprintf(rows.row[0].comm, sizeof(rows.row[0].comm), "%s",
			 basename(argv[optind]));
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	close(fd);
	run_print(&o, &rows, result);
	tc_rows_free(&rows);
	if (fflush(result) || ferror(result) || (result != stdout && fclose(result))) {
		tc_warn("run: cannot write %s: %s", result_path ?: "stdout", strerror(errno));
		return EXIT_FAILURE;
	}
	return shell_status(status);
}
