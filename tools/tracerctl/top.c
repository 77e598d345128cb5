// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl top: the registered processes by the rate of a counter, like
 * slabtop: full screen (ncurses) refreshed every -d seconds, or -b batch
 * frames for logs (-J: one JSON object per frame and line). The table is
 * laid out by libsmartcols and drawn line by line, scrolled by the keys.
 * q or Ctrl-C restore the terminal.
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

/* -p: the PIDs shown, all when none. */
struct pids {
	int *pid;
	size_t n;
};

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

/* /proc/tracer's rows, those of -p only when it was given. */
static int read_rows(struct tc_rows *rows, const struct pids *p)
{
	size_t i, k, kept = 0;
	int err = tc_rows_read(rows);

	for (i = 0; !err && p->n && i < rows->n; i++)
		for (k = 0; k < p->n; k++)
			if (rows->row[i].pid == p->pid[k]) {
				rows->row[kept++] = rows->row[i];
				break;
			}
	if (!err && p->n)
		rows->n = kept;
	return err;
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

/*
 * The widest each column has been: a frame is laid out at least as wide
 * as the ones before, so that columns do not jump from frame to frame.
 */
static size_t widths[TC_MAX_COLS];

static void remember_widths(struct libscols_table *tb, size_t ncol)
{
	size_t k, w;

	for (k = 0; k < ncol; k++) {
		w = scols_column_get_width(scols_table_get_column(tb, k));
		if (w > widths[k])
			widths[k] = w;
	}
}

static struct libscols_table *frame(const struct tc_out *o, struct tc_rows *rows)
{
	struct libscols_column *cl[TC_NR_ROW_COLS] = { 0 };
	struct libscols_table *tb = tc_out_table(o, "top", tc_row_cols, cl);
	struct libscols_line *ln;
	char cell[sizeof(rows->row->cgroup)];
	size_t r, k;
	int got;

	for (k = 0; k < o->ncol; k++)
		tc_out_min_width(cl[o->col[k]], widths[k]);
	tc_rows_sort(rows->row, rows->n, o->sort_col, 1);
	for (r = 0; r < rows->n; r++) {
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			exit(EXIT_FAILURE);
		for (k = 0; k < o->ncol; k++) {
			const double *rate = rows->row[r].rate;
			int col = o->col[k];

			/* What is held is an amount, not a rate. */
			got = tc_row_text(&rows->row[r], col, o->bytes, cell, sizeof(cell));
			if (got)
				; /* PID, words, held */
			else if (tc_row_cols[col].size && !o->bytes)
				tc_size((uint64_t)(rate[col - TC_COL_COUNT] + 0.5), 0, cell, sizeof(cell));
			else
				snprintf(cell, sizeof(cell), "%.0f", rate[col - TC_COL_COUNT]);
			scols_line_set_data(ln, k, got < 0 && o->json ? NULL : cell);
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

/* -b -J: a frame as one line, the rows as show -J's with rates. */
static int json_frame(struct tc_out *o, struct tc_rows *rows, double delay)
{
	struct libscols_table *tb = frame(o, rows);
	struct timespec ts;
	int err;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("{\"time_ns\":\"%lld%09ld\",\"interval\":%.3f,\"sort\":",
	       (long long)ts.tv_sec, ts.tv_nsec, delay);
	tc_json_string(stdout, tc_row_cols[o->sort_col].name);
	fputs(",\"processes\":", stdout);
	err = tc_out_json_array(tb, stdout);
	puts("}");
	scols_unref_table(tb);
	return err;
}

static int batch(struct tc_out *o, const struct pids *p, double delay,
		 long iterations)
{
	struct tc_rows prev, cur;
	struct libscols_table *tb;
	double t0 = now(), t;
	char head[160];
	long i;
	int err;

	err = read_rows(&prev, p);
	for (i = 0; !err && !stop && (!iterations || i < iterations); i++) {
		struct timespec ts = { (time_t)delay, (long)((delay - (time_t)delay) * 1e9) };

		nanosleep(&ts, NULL);
		if (stop)
			break;
		err = read_rows(&cur, p);
		if (err)
			break;
		t = now();
		rates(&cur, &prev, t - t0);
		if (o->json) {
			err = json_frame(o, &cur, t - t0) ? EXIT_FAILURE : 0;
		} else {
			title(head, sizeof(head), o, &cur, t - t0);
			printf("%s%s\n", i ? "\n" : "", head);
			tb = frame(o, &cur);
			scols_print_table(tb);
			remember_widths(tb, o->ncol);
			scols_unref_table(tb);
		}
		if (fflush(stdout))
			err = EXIT_FAILURE;
		tc_rows_free(&prev);
		prev = cur;
		t0 = t;
	}
	tc_rows_free(&prev);
	return err;
}

static const char *const help_text[] = {
	"tracerctl top: the registered processes by the rate of a counter",
	"",
	"  q, Ctrl-C        quit",
	"  < >              sort by the column left or right of the current one",
	"  Up, Down         scroll a line",
	"  PgUp, PgDn       scroll a page",
	"  Home, End        the first or the last rows",
	"  h, ?             this help (any key returns)",
	"",
	"Rates are per second over the last interval (-d). See tracerctl(1).",
};

/* The screen's state: where the rows start, and whether help is shown. */
struct view {
	int first, help;
};

/*
 * One screen: the title, the key line, the table's header reversed, then
 * the rows from @v->first on, as many as fit. Lines are cut at the width
 * of the terminal, however narrow, as procps' top cuts them.
 */
static void draw(struct tc_out *o, struct tc_rows *rows, double dt, struct view *v)
{
	struct libscols_table *tb;
	char head[160], *text = NULL, *line, *save;
	int y = 2, row = 0, room = LINES - 3;
	size_t i;

	erase();
	if (v->help) {
		for (i = 0; i < sizeof(help_text) / sizeof(help_text[0]) && (int)i < LINES; i++)
			mvaddnstr(i, 0, help_text[i], COLS);
		refresh();
		return;
	}
	/* Rows past the end scroll back: the last screen is full. */
	if (v->first > (int)rows->n - room)
		v->first = (int)rows->n - room;
	if (v->first < 0)
		v->first = 0;
	/* Laid out whole (names never cut), then cut at the right edge. */
	tb = frame(o, rows);
	scols_table_set_termforce(tb, SCOLS_TERMFORCE_NEVER);
	title(head, sizeof(head), o, rows, dt);
	mvaddnstr(0, 0, head, COLS);
	mvaddnstr(1, 0, "q quit, < > sort, arrows PgUp PgDn scroll, h help", COLS);
	if (!scols_print_table_to_string(tb, &text) && text) {
		remember_widths(tb, o->ncol);
		for (line = strtok_r(text, "\n", &save); line && y < LINES;
		     line = strtok_r(NULL, "\n", &save)) {
			/* The header stays; rows before the first shown are skipped. */
			if ((y > 2 || o->noheadings) && row++ < v->first)
				continue;
			if (y == 2 && !o->noheadings)
				attron(A_REVERSE);
			mvaddnstr(y++, 0, line, COLS);
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

/* A key's effect on the view; 1 if it changes what is drawn. */
static int view_key(struct tc_out *o, struct view *v, int key)
{
	int page = LINES > 4 ? LINES - 4 : 1, k;

	if (v->help) {
		v->help = 0;
		return 1;
	}
	switch (key) {
	case 'h': case '?': v->help = 1; break;
	case KEY_UP: v->first--; break;
	case KEY_DOWN: v->first++; break;
	case KEY_PPAGE: v->first -= page; break;
	case KEY_NPAGE: v->first += page; break;
	case KEY_HOME: v->first = 0; break;
	case KEY_END: v->first = 1 << 30; break;
	case KEY_RESIZE: break;
	case '<': case '>':
		for (k = 0; k < (int)o->ncol; k++)
			if (o->col[k] == o->sort_col)
				break;
		k = (k + (key == '>' ? 1 : (int)o->ncol - 1)) % (int)o->ncol;
		o->sort_col = o->col[k];
		break;
	default:
		return 0;
	}
	return 1;
}

static int screen(struct tc_out *o, const struct pids *p, double delay)
{
	struct tc_rows prev, cur;
	struct view v = { 0 };
	double t0, t = 0, left;
	int err, key;

	err = read_rows(&prev, p);
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
	draw(o, &prev, 0, &v);
	while (!stop) {
		left = delay - (now() - t0);
		timeout(left > 0 ? (int)(left * 1000) : 0);
		key = getch();
		if ((key == 'q' || key == 'Q') && !v.help)
			break;
		if (key != ERR) {
			if (view_key(o, &v, key))
				draw(o, &prev, t, &v);
			continue;
		}
		if (stop)
			break;
		err = read_rows(&cur, p);
		if (err)
			break;
		t = now() - t0;
		t0 += t;
		rates(&cur, &prev, t);
		tc_rows_free(&prev);
		prev = cur;
		draw(o, &prev, t, &v);
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
	      "interval. Keys: q quit (or Ctrl-C), < and > sort by the column left\n"
	      "or right of the current one, arrows, PgUp, PgDn, Home and End scroll,\n"
	      "h or ? help.\n\nOptions:\n"
	      " -d, --delay SECONDS    the interval (default 2)\n"
	      " -o, --sort COLUMN      sort by the rate of COLUMN (default KMALLOC; -o as\n"
	      "                        in procps' top)\n"
	      " -p, --pid PID[,PID...] only these processes (may be repeated)\n"
	      "     --output LIST      the columns to print (+LIST adds)\n"
	      "     --bytes            byte rates in bytes, not 1.5K, 5.8M...\n"
	      " -b, --batch            no full screen: one table per interval, for logs\n"
	      " -J, --json             with -b, JSON Lines: one object per interval\n"
	      " -n, --iterations N     with -b, stop after N tables\n"
	      " -h, --help             this help\n"
	      " -V, --version          the version\n\n"
	      "Columns: as tracerctl show's (see tracerctl show --help).\n\n"
	      TC_EXIT_HELP ".\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* -p 1,2 -p 3: appends to @p; 0, or -1 with a message. */
static int add_pids(struct pids *p, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int *grown, err = copy ? 0 : -1;

	for (tok = strtok_r(copy, ",", &save); !err && tok; tok = strtok_r(NULL, ",", &save)) {
		grown = reallocarray(p->pid, p->n + 1, sizeof(*p->pid));
		if (!grown || (grown[p->n] = tc_parse_pid(tok)) < 0)
			err = -1;
		if (grown)
			p->pid = grown;
		p->n += !err;
	}
	free(copy);
	return err;
}

int cmd_top(int argc, char **argv)
{
	enum { OPT_OUTPUT = 0x200 };
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "sort", required_argument, NULL, 'o' },
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "bytes", no_argument, NULL, TC_OPT_BYTES },
		{ "batch", no_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'J' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	struct tc_out o = { .sort = "KMALLOC" };
	struct sigaction sa = { .sa_handler = on_signal };
	struct pids p = { 0 };
	double delay = 2;
	long iterations = 0;
	int c, use_batch = 0, err;
	char *end;

	while ((c = getopt_long(argc, argv, "d:o:p:bJn:hV", opts, NULL)) != -1) {
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
		case 'p':
			if (add_pids(&p, optarg))
				return EXIT_FAILURE;
			break;
		case 'b': use_batch = 1; break;
		case 'o': o.sort = optarg; break;
		case OPT_OUTPUT: o.columns = optarg; break;
		case 'J': case TC_OPT_BYTES:
			tc_out_option(&o, c, optarg);
			break;
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("top");
		}
	}
	if (optind < argc || (o.json && !use_batch)) {
		if (optind < argc)
			tc_warn("top: unexpected argument '%s'", argv[optind]);
		else
			tc_warn("top: -J is for -b");
		return tc_try_help("top");
	}
	if (tc_out_columns(&o, tc_row_cols, TC_NR_ROW_COLS))
		return TC_EXIT_USAGE;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (use_batch) {
		err = batch(&o, &p, delay, iterations);
	} else if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		tc_warn("top: not a terminal: use -b for batch output");
		err = EXIT_FAILURE;
	} else {
		err = screen(&o, &p, delay);
	}
	free(p.pid);
	return err;
}
