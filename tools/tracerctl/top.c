// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl top: the registered processes by the rate of a counter, like
 * slabtop: full screen (ncurses) refreshed every -d seconds, or -b batch
 * frames for logs. The table itself is laid out by libsmartcols and
 * drawn line by line. q or Ctrl-C restore the terminal.
 */
#define _GNU_SOURCE
#include <curses.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tracerctl.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const struct tc_row *find(const struct tc_rows *rows, int pid)
{
	size_t i;

	for (i = 0; i < rows->n; i++)
		if (rows->row[i].pid == pid)
			return &rows->row[i];
	return NULL;
}

/* Rates of @cur since @prev; a new process (or a reused PID) starts at 0. */
static void rates(struct tc_rows *cur, const struct tc_rows *prev, double dt)
{
	const struct tc_row *p;
	size_t i;
	int k;

	for (i = 0; i < cur->n; i++) {
		p = find(prev, cur->row[i].pid);
		for (k = 0; k < TC_NR_COUNTERS; k++)
			cur->row[i].rate[k] = p && dt > 0 &&
				cur->row[i].count[k] >= p->count[k] ?
				(cur->row[i].count[k] - p->count[k]) / dt : 0;
	}
}

static struct libscols_table *frame(const struct tc_out *o, struct tc_rows *rows)
{
	struct libscols_column *cl[TC_NR_ROW_COLS] = { 0 };
	struct libscols_table *tb = tc_out_table(o, "top", tc_row_cols, cl);
	struct libscols_line *ln;
	char cell[sizeof(rows->row->cgroup)];
	size_t r, k;

	tc_rows_sort(rows->row, rows->n, o->sort_col, 1);
	for (r = 0; r < rows->n; r++) {
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			exit(EXIT_FAILURE);
		for (k = 0; k < o->ncol; k++) {
			const double *rate = rows->row[r].rate;
			int col = o->col[k];

			if (tc_row_text(&rows->row[r], col, cell, sizeof(cell)))
				; /* PID or words */
			else if (tc_row_cols[col].size && !o->bytes)
				tc_size((uint64_t)(rate[col - TC_COL_COUNT] + 0.5), 0, cell, sizeof(cell));
			else
				snprintf(cell, sizeof(cell), "%.0f", rate[col - TC_COL_COUNT]);
			scols_line_set_data(ln, k, cell);
		}
	}
	return tb;
}

static void title(char *buf, size_t size, const struct tc_out *o,
		  const struct tc_rows *rows, double delay)
{
	time_t t = time(NULL);
	char hms[16];

	strftime(hms, sizeof(hms), "%H:%M:%S", localtime(&t));
	snprintf(buf, size, "tracerctl top - %s, %zu registered, per second over %.1f s, by %s",
		 hms, rows->n, delay, tc_row_cols[o->sort_col].name);
}

static int batch(struct tc_out *o, double delay, long iterations)
{
	struct tc_rows prev, cur;
	struct libscols_table *tb;
	double t0 = now(), t;
	char head[160];
	long i;
	int err;

	err = tc_rows_read(&prev);
	for (i = 0; !err && !stop && (!iterations || i < iterations); i++) {
		struct timespec ts = { (time_t)delay, (long)((delay - (time_t)delay) * 1e9) };

		nanosleep(&ts, NULL);
		if (stop)
			break;
		err = tc_rows_read(&cur);
		if (err)
			break;
		t = now();
		rates(&cur, &prev, t - t0);
		title(head, sizeof(head), o, &cur, t - t0);
		printf("%s%s\n", i ? "\n" : "", head);
		tb = frame(o, &cur);
		scols_print_table(tb);
		scols_unref_table(tb);
		fflush(stdout);
		tc_rows_free(&prev);
		prev = cur;
		t0 = t;
	}
	tc_rows_free(&prev);
	return err;
}

/* One screen: the title, then the table with its header reversed. */
static void draw(struct tc_out *o, struct tc_rows *rows, double dt)
{
	struct libscols_table *tb = frame(o, rows);
	char head[160], *text = NULL, *line, *save;
	int y = 2;

	scols_table_set_termforce(tb, SCOLS_TERMFORCE_ALWAYS);
	scols_table_set_termwidth(tb, COLS);
	erase();
	title(head, sizeof(head), o, rows, dt);
	mvaddnstr(0, 0, head, COLS);
	mvaddnstr(1, 0, "q quit, < > sort column", COLS);
	if (!scols_print_table_to_string(tb, &text) && text) {
		for (line = strtok_r(text, "\n", &save); line && y < LINES;
		     line = strtok_r(NULL, "\n", &save), y++) {
			if (y == 2 && !o->noheadings)
				attron(A_REVERSE);
			mvaddnstr(y, 0, line, COLS);
			attroff(A_REVERSE);
		}
	}
	free(text);
	scols_unref_table(tb);
	refresh();
}

/*
 * Messages written while the screen is ncurses' would vanish with it:
 * they wait in a temporary file and go to stderr after endwin().
 */
static void hold_messages(int hold)
{
	static FILE *held;
	static int saved = -1;
	char buf[512];
	size_t n;

	fflush(stderr);
	if (hold) {
		held = tmpfile();
		saved = held ? dup(STDERR_FILENO) : -1;
		if (saved >= 0)
			dup2(fileno(held), STDERR_FILENO);
		return;
	}
	if (saved < 0)
		return;
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(held);
	while ((n = fread(buf, 1, sizeof(buf), held)))
		fwrite(buf, 1, n, stderr);
	fclose(held);
}

static int screen(struct tc_out *o, double delay)
{
	struct tc_rows prev, cur;
	double t0, t = 0;
	int err, key, k;

	err = tc_rows_read(&prev);
	if (err)
		return err;
	hold_messages(1);
	t0 = now();
	initscr();
	cbreak();
	noecho();
	curs_set(0);
	keypad(stdscr, TRUE);
	rates(&prev, &prev, 0);
	draw(o, &prev, 0);
	while (!stop) {
		timeout((int)(delay * 1000 - (now() - t0) * 1000 > 0 ?
			      delay * 1000 - (now() - t0) * 1000 : 0));
		key = getch();
		if (key == 'q' || key == 'Q')
			break;
		if (key == '<' || key == '>') {
			for (k = 0; k < (int)o->ncol; k++)
				if (o->col[k] == o->sort_col)
					break;
			k = (k + (key == '>' ? 1 : (int)o->ncol - 1)) % (int)o->ncol;
			o->sort_col = o->col[k];
		}
		if (key != ERR && key != KEY_RESIZE && key != '<' && key != '>')
			continue;
		if (key != ERR) {
			draw(o, &prev, t);
			continue;
		}
		if (stop)
			break;
		err = tc_rows_read(&cur);
		if (err)
			break;
		t = now() - t0;
		t0 += t;
		rates(&cur, &prev, t);
		tc_rows_free(&prev);
		prev = cur;
		draw(o, &prev, t);
	}
	endwin();
	hold_messages(0);
	tc_rows_free(&prev);
	return err;
}

static int usage(FILE *f)
{
	fputs("Usage: tracerctl top [options]\n\n"
	      "The registered processes by the rate of a counter, refreshed each\n"
	      "interval. Keys: q quit (or Ctrl-C), < and > sort by the column\n"
	      "left or right of the current one.\n\nOptions:\n"
	      " -d, --delay SECONDS    the interval (default 2)\n"
	      " -s, --sort COLUMN      sort by the rate of COLUMN (default KMALLOC)\n"
	      " -o, --output LIST      the columns to print (+LIST adds)\n"
	      "     --bytes            byte rates in bytes, not 1.5K, 5.8M...\n"
	      " -b, --batch            no full screen: one table per interval, for logs\n"
	      " -n, --iterations N     with -b, stop after N tables\n"
	      " -h, --help             this help\n"
	      " -V, --version          the version\n\n"
	      "Columns: as tracerctl show's (see tracerctl show --help).\n\n"
	      TC_EXIT_HELP ".\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "bytes", no_argument, NULL, TC_OPT_BYTES },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct tc_out o = { .sort = "KMALLOC" };
	struct sigaction sa = { .sa_handler = on_signal };
	double delay = 2;
	long iterations = 0;
	int c, use_batch = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "d:s:o:bn:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			delay = strtod(optarg, &end);
			if (*end || !(delay >= 0.1 && delay <= 86400)) {
				tc_warn("top: '%s': the delay is seconds, from 0.1", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case 'n':
			iterations = strtol(optarg, &end, 10);
			if (*end || iterations <= 0) {
				tc_warn("top: '%s': not a number of iterations", optarg);
				return TC_EXIT_USAGE;
			}
			break;
		case 'b': use_batch = 1; break;
		case 's': case 'o': case TC_OPT_BYTES:
			tc_out_option(&o, c, optarg);
			break;
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("top");
		}
	}
	if (optind < argc) {
		tc_warn("top: unexpected argument '%s'", argv[optind]);
		return tc_try_help("top");
	}
	if (tc_out_columns(&o, tc_row_cols, TC_NR_ROW_COLS))
		return TC_EXIT_USAGE;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (use_batch)
		return batch(&o, delay, iterations);
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		tc_warn("top: not a terminal: use -b for batch output");
		return EXIT_FAILURE;
	}
	return screen(&o, delay);
}
