// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl mem [all | filter NAME | del NAME | reset]: /proc/memory_info
 * for people. The command is written and its result read through one file
 * descriptor, which reads its own command's result whoever else writes.
 * With --input FILE, the lines of an earlier ALL or FILTER are shown
 * instead (saved output, the unit tests).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forks_record.h"
#include "tracerctl.h"

enum { NAME, TOTAL, VALID, INVALID, SHARED, GROUPS, NPIDS, PIDS, NCOLS };

static const struct tc_col cols[NCOLS] = {
	[NAME] = { "NAME", 0, 0, SCOLS_JSON_STRING, 1, 0, "process name (comm)" },
	[TOTAL] = { "TOTAL", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 1, "size of the address spaces" },
	[VALID] = { "VALID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 1, "size of their pages present in RAM" },
	[INVALID] = { "INVALID", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 1, "size of their pages not present" },
	[SHARED] = { "SHARED", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 1, "size of the read-only pages with an identical one (may_be_shared)" },
	[GROUPS] = { "GROUPS", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 1, 0, "groups of identical read-only pages (nb_group)" },
	[NPIDS] = { "NPIDS", 0, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, 0, 0, "number of processes" },
	[PIDS] = { "PIDS", 0, SCOLS_FL_WRAP, SCOLS_JSON_ARRAY_NUMBER, 1, 0, "their PIDs" },
};

struct mem_line {
	char name[64];
	uint64_t n[NPIDS - TOTAL];	/* TOTAL .. GROUPS */
	unsigned int npids;
	char *pids;			/* "1; 2; 3" as the kernel wrote them */
};

/* One line of the kernel's format; 0, or -1 if it is not one. */
static int parse_line(char *s, struct mem_line *l)
{
	char *comma = strstr(s, ", total: ");
	int n = -1;

	/* The name's newlines, commas, semicolons and backslashes are \ooo. */
	if (!comma || comma == s)
		return -1;
	*comma = '\0';
	n = unescape_octal(s, l->name, sizeof(l->name));
	*comma = ',';
	if (n)
		return -1;
	n = -1;
	if (sscanf(comma, ", total: %" SCNu64 ", valid: %" SCNu64 ", invalid: %" SCNu64
		   ", may_be_shared: %" SCNu64 ", nb_group: %" SCNu64 ", pid(%u): %n",
		   &l->n[0], &l->n[1], &l->n[2], &l->n[3], &l->n[4], &l->npids, &n) != 6 ||
	    n < 0)
		return -1;
	l->pids = comma + n;
	return 0;
}

/* "1; 2; 3" as "1,2,3", or one per line for a JSON array. */
static char *pid_list(const char *s, int json)
{
	char *out = strdup(s), *d = out;

	for (; out && *s; s++) {
		if (*s == ';')
			*d++ = json ? '\n' : ',';
		else if (*s != ' ')
			*d++ = *s;
	}
	if (out)
		*d = '\0';
	return out;
}

/* With --pages, the kernel's page counts; else sizes, as show's bytes. */
static int pages;

static int add_line(struct libscols_table *tb, const struct tc_out *o,
		    const struct mem_line *l)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char cell[64], *pids;
	size_t k;
	int col;

	if (!ln)
		return -1;
	for (k = 0; k < o->ncol; k++) {
		col = o->col[k];
		if (col == NAME) {
			snprintf(cell, sizeof(cell), "%s", l->name);
		} else if (col == NPIDS) {
			snprintf(cell, sizeof(cell), "%u", l->npids);
		} else if (col == PIDS) {
			pids = pid_list(l->pids, o->json);
			if (!pids || scols_line_refer_data(ln, k, pids))
				return -1;
			continue;
		} else if (cols[col].size && !pages) {
			tc_size(l->n[col - TOTAL] * sysconf(_SC_PAGESIZE), o->bytes,
				cell, sizeof(cell));
		} else {
			snprintf(cell, sizeof(cell), "%" PRIu64, l->n[col - TOTAL]);
		}
		if (scols_line_set_data(ln, k, cell))
			return -1;
	}
	return 0;
}

static int cmp_lines(const struct mem_line *a, const struct mem_line *b, int col)
{
	if (col == NAME || col == PIDS)
		return strcmp(a->name, b->name);
	if (col == NPIDS)
		return a->npids < b->npids ? 1 : a->npids > b->npids ? -1 :
		       strcmp(a->name, b->name);
	if (a->n[col - TOTAL] != b->n[col - TOTAL])
		return a->n[col - TOTAL] < b->n[col - TOTAL] ? 1 : -1;
	return strcmp(a->name, b->name);
}

static int sort_col;

static int cmp_qsort(const void *a, const void *b)
{
	return cmp_lines(a, b, sort_col);
}

/* The lines of @text as a table: names up, or -s COLUMN largest first. */
static int print_lines(char *text, const struct tc_out *o, const char *what)
{
	struct libscols_column *cl[NCOLS] = { 0 };
	struct mem_line *l = NULL;
	struct libscols_table *tb;
	size_t n = 0, max = 0, i;
	char *s, *nl;

	for (s = text; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl) {
			tc_warn("%s: last line cut short", what);
			return EXIT_FAILURE;
		}
		*nl = '\0';
		if (n == max) {
			max = 2 * max + 64;
			l = realloc(l, max * sizeof(*l));
			if (!l)
				return EXIT_FAILURE;
		}
		if (parse_line(s, &l[n])) {
			tc_warn("%s: not a memory_info line: %.80s", what, s);
			return EXIT_FAILURE;
		}
		n++;
	}
	sort_col = o->sort_col < 0 ? NAME : o->sort_col;
	qsort(l, n, sizeof(*l), cmp_qsort);
	tb = tc_out_table(o, "memory", cols, cl);
	/* A PID per line of the cell: the elements of the JSON array. */
	if (cl[PIDS] && o->json)
		scols_column_set_wrapfunc(cl[PIDS], scols_wrapnl_chunksize,
					  scols_wrapnl_nextchunk, NULL);
	for (i = 0; i < n; i++)
		if (add_line(tb, o, &l[i]))
			return EXIT_FAILURE;
	scols_print_table(tb);
	scols_unref_table(tb);
	free(l);
	return EXIT_SUCCESS;
}

/* The whole of @fd from its start, NUL-terminated; NULL on error. */
static char *read_all(int fd)
{
	size_t len = 0, max = 0;
	char *buf = NULL;
	ssize_t r;

	do {
		if (max - len < 4096) {
			max = 2 * max + 65536;
			buf = realloc(buf, max + 1);
			if (!buf)
				return NULL;
		}
		r = read(fd, buf + len, max - len);
		if (r > 0)
			len += r;
	} while (r > 0 || (r < 0 && errno == EINTR));
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static const char *in_words(int err)
{
	switch (err) {
	case ESRCH:
		return "no such name in the snapshot (deleted, or no process had it at the last reset)";
	case EINVAL:
		return "invalid command or name (names have at most 15 characters)";
	case ENOMEM:
		return "the kernel is out of memory";
	default:
		return strerror(err);
	}
}

/* Writes @cmd, reads its result into *text; 0 or an exit code. */
static int run(const char *cmd, char **text)
{
	const char *path = TC_PATH("proc/memory_info");
	int fd = open(path, O_RDWR | O_CLOEXEC), err = 0;

	if (fd < 0) {
		if (errno == ENOENT && !tc_module_loaded())
			return tc_not_loaded();
		if (errno == EACCES || errno == EPERM)
			tc_warn("cannot open %s: permission denied: it is root's", path);
		else
			tc_warn("cannot open %s: %s (%s)", path, strerror(errno),
				strerrorname_np(errno));
		return EXIT_FAILURE;
	}
	if (write(fd, cmd, strlen(cmd)) < 0) {
		tc_warn("%s: %s (%s)", cmd, in_words(errno), strerrorname_np(errno));
		err = EXIT_FAILURE;
	} else {
		*text = read_all(fd);
		if (!*text) {
			tc_warn("cannot read %s: %s", path, strerror(errno));
			err = EXIT_FAILURE;
		}
	}
	close(fd);
	return err;
}

static int usage(FILE *f)
{
	fputs("Usage: tracerctl mem [options] [all | filter NAME | del NAME | reset]\n\n"
	      "Memory of the processes by name, from the tracer module's snapshot\n"
	      "(/proc/memory_info, root's): in all, present, read-only pages with an\n"
	      "identical page in the same set and their groups. all (the default)\n"
	      "and filter show it; del forgets a name; reset takes a new snapshot.\n"
	      "Sizes are for people (1.5K, 5.8M), in bytes with --bytes, in pages\n"
	      "with --pages.\n\n"
	      "Options:\n"
	      "     --input FILE   show the lines of FILE (a saved ALL or FILTER output)\n"
	      "     --pages        sizes in pages, as the kernel counts them\n", f);
	tc_out_usage(f, cols, NCOLS, TC_HAS_SORT | TC_HAS_BYTES);
	fputs("\n" TC_EXIT_HELP ".\n", f);
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

int cmd_mem(int argc, char **argv)
{
	enum { OPT_INPUT = 0x200, OPT_PAGES };
	static const struct option opts[] = {
		TC_OUT_LONGOPTS,
		{ "input", required_argument, NULL, OPT_INPUT },
		{ "pages", no_argument, NULL, OPT_PAGES },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *input = NULL, *verb, *name = NULL;
	struct tc_out o = { 0 };
	char cmd[64], *text = NULL;
	int c, err, show;
	FILE *f;

	while ((c = getopt_long(argc, argv, TC_OUT_SHORTOPTS "hV", opts, NULL)) != -1) {
		if (tc_out_option(&o, c, optarg))
			continue;
		switch (c) {
		case OPT_INPUT: input = optarg; break;
		case OPT_PAGES: pages = 1; break;
		case 'h': return usage(stdout);
		case 'V': return tc_version();
		default: return tc_try_help("mem");
		}
	}
	verb = optind < argc ? argv[optind++] : "all";
	if (!strcmp(verb, "filter") || !strcmp(verb, "del"))
		name = optind < argc ? argv[optind++] : NULL;
	if (optind < argc || (!name && (!strcmp(verb, "filter") || !strcmp(verb, "del"))) ||
	    (strcmp(verb, "all") && strcmp(verb, "filter") && strcmp(verb, "del") &&
	     strcmp(verb, "reset")) || (input && strcmp(verb, "all"))) {
		tc_warn("mem: expected all, filter NAME, del NAME or reset%s",
			input ? " (only all with --input)" : "");
		return tc_try_help("mem");
	}
	if (tc_out_columns(&o, cols, NCOLS))
		return TC_EXIT_USAGE;
	if (pages && o.bytes) {
		tc_warn("mem: --pages or --bytes, not both");
		return tc_try_help("mem");
	}
	/* Page counts are exact numbers, in JSON too. */
	o.bytes |= pages;
	show = !strcmp(verb, "all") || !strcmp(verb, "filter");
	if (input) {
		f = fopen(input, "r");
		text = f ? read_all(fileno(f)) : NULL;
		if (!text) {
			tc_warn("cannot read %s: %s", input, strerror(errno));
			return EXIT_FAILURE;
		}
		fclose(f);
	} else {
		if (!strcmp(verb, "all") || !strcmp(verb, "reset"))
			snprintf(cmd, sizeof(cmd), "%s", !strcmp(verb, "all") ? "ALL" : "RESET");
		else if (snprintf(cmd, sizeof(cmd), "%s|%s", !strcmp(verb, "filter") ?
				  "FILTER" : "DEL", name) >= (int)sizeof(cmd))
			cmd[sizeof(cmd) - 1] = '\0';	/* the kernel refuses it */
		err = run(cmd, &text);
		if (err)
			return err;
	}
	err = show ? print_lines(text, &o, input ?: "memory_info") : EXIT_SUCCESS;
	free(text);
	return err;
}
