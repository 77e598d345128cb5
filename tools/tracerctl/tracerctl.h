/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tracerctl: what the subcommands share. Each subcommand is a file with
 * one entry point, int cmd_NAME(int argc, char **argv), listed in the
 * command table of main.c; argv[0] is "tracerctl: NAME", which getopt's
 * messages start with.
 */
#ifndef TRACERCTL_H
#define TRACERCTL_H

#include <getopt.h>
#include <regex.h>
#include <sys/types.h>
#include <libsmartcols.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Exit codes (tracerctl(8) EXIT STATUS, every --help): 32 and 64 as
 * lsblk's; wait and run say their own failures with 125 as timeout(1)
 * and env(1) do, as any other number may be the target's status.
 */
#define TC_EXIT_USAGE		2	/* a wrong option or argument */
#define TC_EXIT_NOMODULE	3	/* the tracer module is not loaded */
#define TC_EXIT_NONE		32	/* nothing found: no process matched */
#define TC_EXIT_SOME		64	/* only some of the work was done */
#define TC_EXIT_CANNOT		125	/* wait, run: tracerctl itself failed */
#define TC_EXIT_NOEXEC		126	/* run: the command cannot be executed */
#define TC_EXIT_NOTFOUND	127	/* run: no such command */
/* The lines of each --help that say them. */
#define TC_EXIT_HELP \
	"Exit status: 0 done, 1 failed, 2 wrong usage, 3 the module is not loaded"
#define TC_EXIT_HELP_SELECT TC_EXIT_HELP ",\n" \
	"32 no process matched or found, 64 only some done (see the messages).\n"

/* The subcommands (one file each). */
int cmd_add(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_forks(int argc, char **argv);
int cmd_wait(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_mem(int argc, char **argv);

/*
 * Paths of the kernel interface, below $TRACERCTL_ROOT when it is set
 * (the unit tests point it at testdata/): "proc/tracer" -> /proc/tracer.
 */
const char *tc_path(const char *rel, char *buf, size_t size);
#define TC_PATH(rel) tc_path(rel, (char[4096]){ 0 }, 4096)

/* /dev/tracer, O_CLOEXEC; -1 with what to do said on stderr (add.c). */
int tc_open_device(void);
/* "tracerctl: " then the message on stderr (glibc's warnx()). */
void tc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Why the module is missing and what to do, on stderr; returns TC_EXIT_NOMODULE. */
int tc_not_loaded(void);
/* That sentence (absent.c). */
void tc_why_absent(char *buf, size_t size);
/* Why PATH (/dev/tracer) refused to open with EACCES, on stderr. */
void tc_warn_denied(const char *path);
/* PATH's first line without its newline; -1 (and "") if unreadable. */
int tc_read_line(const char *path, char *buf, size_t size);
/* Whether /sys/module/tracer or /proc/tracer_status exists. */
int tc_module_loaded(void);
/* -V: "tracerctl from tracer X.Y.Z"; returns 0. */
int tc_version(void);
/* "Try 'tracerctl CMD --help'." on stderr; returns TC_EXIT_USAGE. */
int tc_try_help(const char *cmd);
/* A PID argument: a decimal number > 0, else -1 and a message. */
int tc_parse_pid(const char *s);

/*
 * /proc/tracer: the header names the columns; parsing finds the known
 * ones by name so that a new column does not break old tools.
 */
enum tc_counter {
	TC_KMALLOC, TC_KFREE, TC_KMALLOC_MEM, TC_KFREE_MEM, TC_SCHED,
	TC_UP, TC_DOWN, TC_LOCK, TC_UNLOCK, TC_NR_COUNTERS
};

struct tc_counter_info {
	const char *proc;	/* the header's name */
	const char *metric;	/* Prometheus name, without tracer_ and _total */
	const char *help;
};
extern const struct tc_counter_info tc_counters[TC_NR_COUNTERS];

struct tc_row {
	int pid;
	uint64_t count[TC_NR_COUNTERS];
	double rate[TC_NR_COUNTERS];	/* per second, for top */
	char comm[64];
	/* From /proc/PID/status and cgroup (tc_pid_info); "" when gone. */
	int uid;			/* effective, as ps's USER; -1: unknown */
	char user[64];			/* its name, else the number */
	char cgroup[256];		/* the unified hierarchy's path */
	char unit[128];			/* the systemd unit, "" if none */
	/* From /proc/tracer_held: kmalloc'ed, not freed yet; 0 if unknown. */
	int has_held;
	uint64_t held, held_mem;	/* blocks, bytes */
};

struct tc_rows {
	struct tc_row *row;
	size_t n;
	int held;			/* /proc/tracer_held was read */
};

/*
 * Reads @f: 0, or -1 with a message naming @name and the line in @why
 * (missing header, short row, number out of range...).
 */
int tc_rows_parse(FILE *f, struct tc_rows *rows, char *why, size_t size);
/*
 * /proc/tracer_held's rows (PID held held_mem) into those of @rows of the
 * same PID (has_held); 0, or -1 as tc_rows_parse.
 */
int tc_held_parse(FILE *f, struct tc_rows *rows, char *why, size_t size);
/*
 * /proc/tracer (or $TRACERCTL_ROOT's) with command names and, when the
 * module has /proc/tracer_held, what is held; 0 or exit code.
 */
int tc_rows_read(struct tc_rows *rows);
void tc_rows_free(struct tc_rows *rows);
/* /proc/tracer_cgroups: a row per registered cgroup. */
struct tc_cgroup {
	char path[4096];		/* unescaped */
	uint64_t count[TC_NR_COUNTERS];
	uint64_t held, held_mem;
};

struct tc_cgroups {
	struct tc_cgroup *row;
	size_t n;
};

int tc_cgroups_parse(FILE *f, struct tc_cgroups *cgs, char *why, size_t size);
/*
 * 0, or the exit code with the reason said; a module older than cgroups
 * has no /proc/tracer_cgroups: an error, or with @optional no rows.
 */
int tc_cgroups_read(struct tc_cgroups *cgs, int optional);
void tc_cgroups_free(struct tc_cgroups *cgs);

/* The command name of @pid from /proc/PID/comm, "" if gone. */
void tc_comm(int pid, char *buf, size_t size);

/*
 * The cgroup of @pid: the unified hierarchy's path ("0::"), else
 * systemd's v1 one; "" if gone.
 */
void tc_pid_cgroup(int pid, char *buf, size_t size);
/* USER, CGROUP and UNIT of @r->pid (pidinfo.c). */
void tc_pid_info(struct tc_row *r);
/*
 * The systemd unit of a cgroup path as systemd names it (sd_pid_get_unit):
 * the first component after the slices, if a unit's name; else "".
 */
void tc_cgroup_unit(const char *path, char *buf, size_t size);

/*
 * Choosing processes (select.c): by name (-C, exact, as ps -C), by pattern
 * (--pattern, an extended regex on the name, as pgrep), by user (-u) and
 * by unit (--unit); a process must match every criterion given.
 */
struct tc_select {
	char **name;		/* -C NAME[,NAME...], repeatable */
	size_t nname;
	int has_regex, has_uid;
	regex_t regex;
	uid_t uid;
	const char *unit;
};
enum { TC_OPT_PATTERN = 0x180, TC_OPT_UNIT };
#define TC_SELECT_SHORTOPTS	"C:u:"
#define TC_SELECT_LONGOPTS \
	{ "command", required_argument, NULL, 'C' }, \
	{ "pattern", required_argument, NULL, TC_OPT_PATTERN }, \
	{ "user", required_argument, NULL, 'u' }, \
	{ "unit", required_argument, NULL, TC_OPT_UNIT }
/* 1 if @c was a selection option (stored), 0 if not, -1 bad (said). */
int tc_select_option(struct tc_select *s, int c, const char *arg);
/* Whether a criterion was given. */
int tc_select_any(const struct tc_select *s);
/* Whether @r (comm and tc_pid_info filled) matches every criterion. */
int tc_select_match(const struct tc_select *s, const struct tc_row *r);
void tc_select_free(struct tc_select *s);
/* Help lines for the options, --unit's with @unit. */
void tc_select_usage(FILE *f, int unit);
/* A unit's full name: NAME.service for a NAME without a type, as systemctl. */
const char *tc_unit_name(const char *name, char *buf, size_t size);

/*
 * A cgroup v2 directory to register (cgroup.c): given by its path (an
 * absolute path below the cgroup2 mount point, or a cgroup's path taken
 * from that mount point), by a systemd unit, or by a container's ID.
 */
enum { TC_CGROUP_BY_PATH, TC_CGROUP_BY_UNIT, TC_CGROUP_BY_CONTAINER };
/* Docker's short IDs: as long as the ID's start given to --container may be. */
#define TC_CONTAINER_ID_MIN	12
struct tc_cgroup_dir {
	char dir[4096];		/* under $TRACERCTL_ROOT */
	const char *path;	/* its path in the hierarchy, "/..." */
};
/*
 * @cg for @arg, the mount point found in /proc/self/mountinfo: 0, or an
 * exit code with the reason said (TC_EXIT_NONE: no such unit or container).
 */
int tc_cgroup_find(struct tc_cgroup_dir *cg, int by, const char *arg);

/* /proc/tracer_status: "key: value" lines, kept in order. */
struct tc_status {
	struct { char key[64], value[192]; } *item;
	size_t n;
};
int tc_status_parse(FILE *f, struct tc_status *st, char *why, size_t size);
/* The value of the first @key, or NULL. */
const char *tc_status_get(const struct tc_status *st, const char *key);
void tc_status_free(struct tc_status *st);

/*
 * Output in the util-linux way: columns chosen with -o, -J, -r, -n,
 * --bytes, -s. Each subcommand describes its columns in a table.
 */
struct tc_col {
	const char *name;
	double whint;
	int flags;		/* SCOLS_FL_* */
	int json;		/* SCOLS_JSON_* */
	int dflt;		/* shown without -o: 1, or TC_DFLT_LIVE */
	int size;		/* bytes: 5.8M for people, exact with --bytes */
	const char *help;
};

/* Shown without -o if the rows are of live processes (not run's). */
#define TC_DFLT_LIVE	2

#define TC_MAX_COLS	32

struct tc_out {
	int json, raw, pairs, noheadings, bytes;
	int exited;		/* rows of ended processes: no TC_DFLT_LIVE */
	const char *columns, *sort, *separator;
	int col[TC_MAX_COLS];	/* indexes into the subcommand's tc_col[] */
	size_t ncol;
	int sort_col;		/* index into tc_col[], -1: none */
};

/* The shared options; a subcommand's own come before TC_OUT_LONGOPTS. */
#define TC_OUT_SHORTOPTS	"Jo:Prns:"
enum { TC_OPT_BYTES = 0x100, TC_OPT_SEPARATOR };
#define TC_OUT_LONGOPTS \
	{ "json", no_argument, NULL, 'J' }, \
	{ "output", required_argument, NULL, 'o' }, \
	{ "pairs", no_argument, NULL, 'P' }, \
	{ "raw", no_argument, NULL, 'r' }, \
	{ "separator", required_argument, NULL, TC_OPT_SEPARATOR }, \
	{ "noheadings", no_argument, NULL, 'n' }, \
	{ "sort", required_argument, NULL, 's' }, \
	{ "bytes", no_argument, NULL, TC_OPT_BYTES }

/* 1 if @c was one of the shared options (stored in @o), else 0. */
int tc_out_option(struct tc_out *o, int c, const char *arg);
/* Resolves -o and -s against @cols: 0, or -1 with a message. */
int tc_out_columns(struct tc_out *o, const struct tc_col *cols, size_t n);
/* The table, its columns made; @cl[i] for tc_col index i, NULL if unused. */
struct libscols_table *tc_out_table(const struct tc_out *o, const char *name,
				    const struct tc_col *cols,
				    struct libscols_column **cl);
/*
 * Prints the lines @tb holds and empties it, for the next batch of a
 * follow mode: with -J one JSON object per line (JSON Lines), else the
 * table, its heading once, its column widths kept from batch to batch.
 * Flushed. 0, or -1.
 */
int tc_out_stream(struct libscols_table *tb, const struct tc_out *o);
/* @cl at least @width wide (a follow mode's column: widths do not shrink). */
void tc_out_min_width(struct libscols_column *cl, size_t width);
/* @tb's JSON array on one line, no newline (an object's member). */
int tc_out_json_array(struct libscols_table *tb, FILE *f);
/* Help lines for the shared options (-s, --bytes as @has says), the columns. */
enum { TC_HAS_SORT = 1, TC_HAS_BYTES = 2 };
void tc_out_usage(FILE *f, const struct tc_col *cols, size_t n, int has);

/*
 * The columns of show and top: PID, COMMAND, the counters, what is held,
 * then who.
 */
enum { TC_COL_PID, TC_COL_COMM, TC_COL_COUNT,
       TC_COL_HELD = TC_COL_COUNT + TC_NR_COUNTERS, TC_COL_HELD_BLOCKS,
       TC_COL_USER, TC_COL_CGROUP, TC_COL_UNIT, TC_NR_ROW_COLS };
extern const struct tc_col tc_row_cols[TC_NR_ROW_COLS];
/*
 * The cell of a column other than a counter (PID, words, held; sizes
 * exact with @exact): 1; -1 if unknown (the cell says "-"); 0 for a counter.
 */
int tc_row_text(const struct tc_row *r, int col, int exact, char *cell, size_t size);
/* One row's line in @tb, in the columns of @o (show, run): 0, or -1. */
int tc_row_line(struct libscols_table *tb, const struct tc_out *o,
		const struct tc_row *row);
/*
 * Sorts by @col of tc_row_cols: PID and the words up, counts (or with
 * @by_rate, top's rates) largest first, then by PID.
 */
void tc_rows_sort(struct tc_row *row, size_t n, int col, int by_rate);

/* The columns of show --cgroups: CGROUP, the counters, what is held. */
enum { TC_CG_PATH, TC_CG_COUNT, TC_CG_HELD = TC_CG_COUNT + TC_NR_COUNTERS,
       TC_CG_HELD_BLOCKS, TC_NR_CG_COLS };
extern const struct tc_col tc_cgroup_cols[TC_NR_CG_COLS];
/* By @col of tc_cgroup_cols: CGROUP up, the others largest first. */
void tc_cgroups_sort(struct tc_cgroups *cgs, int col);
int tc_cgroup_line(struct libscols_table *tb, const struct tc_out *o,
		   const struct tc_cgroup *c);

/*
 * A JSON document written member by member (json.c): open '{' or '[',
 * members (@key NULL in an array), close '}' or ']'.
 */
struct tc_json {
	FILE *f;
	int depth, first;
};
void tc_json_open(struct tc_json *j, const char *key, char bracket);
void tc_json_close(struct tc_json *j, char bracket);
void tc_json_str(struct tc_json *j, const char *key, const char *value);
void tc_json_u64(struct tc_json *j, const char *key, uint64_t value);
void tc_json_bool(struct tc_json *j, const char *key, int value);
/* @s quoted and escaped. */
void tc_json_string(FILE *f, const char *s);

/* 1.5K, 5.8M, 12G (powers of 1024, like lsblk) or exact with @exact. */
char *tc_size(uint64_t bytes, int exact, char *buf, size_t size);

#endif
