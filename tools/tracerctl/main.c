// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl: the command-line tool of tracer (man tracerctl(1)).
 * "tracerctl CMD [options] [args]" runs the subcommand CMD.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"

/*
 * The subcommands. To add one: write NAME.c with
 * int cmd_NAME(int argc, char **argv) in the style of show.c (getopt_long,
 * -h/--help, -V/--version, the shared output options of out.c), declare it
 * in tracerctl.h, add a line here and NAME.o to OBJS in the Makefile, and
 * document it in tracerctl.1 and completion/tracerctl.
 */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cmds[] = {
	{ "add", cmd_add, "register processes: count their kernel operations" },
	{ "remove", cmd_remove, "stop counting processes" },
	{ "show", cmd_show, "the counts of registered processes (/proc/tracer)" },
	{ "top", cmd_top, "a live view of the rates, full screen or batch" },
	{ "export", cmd_export, "the counts for Prometheus' textfile collector" },
	{ "status", cmd_status, "whether the module is loaded, its probes and losses" },
	{ "forks", cmd_forks, "the process creations recorded (/proc/tracer_forks)" },
	{ "wait", cmd_wait, "wait until processes end, any processes" },
	{ "watch", cmd_watch, "print processes' forks, execs and exits as they happen" },
	{ "run", cmd_run, "run a command counted from its start, print its counts" },
	{ "mem", cmd_mem, "memory by process name, identical pages (/proc/memory_info)" },
};

static int usage(FILE *f)
{
	size_t i;

	fputs("Usage: tracerctl COMMAND [options] [arguments]\n"
	      "       tracerctl COMMAND --help\n\n"
	      "Counts of kernel operations per process, from the tracer module.\n\n"
	      "Commands:\n", f);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].summary);
	fputs("\n -h, --help     this help\n"
	      " -V, --version  the version\n\n"
	      TC_EXIT_HELP ",\n32 nothing found, 64 only some done; wait and run: the target's status,\n"
	      "125 a failure of tracerctl, 126 and 127 COMMAND not executable or not found.\n"
	      "\nSee tracerctl(1) and tracer(4).\n", f);
	return f == stdout ? EXIT_SUCCESS : TC_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	char name[64];
	size_t i;

	/* UTF-8 command names print as names, not \x escapes (libsmartcols, ncurses). */
	setlocale(LC_ALL, "");
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout);
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		return tc_version();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			/* getopt's messages start with it: "tracerctl: show: ..." */
			snprintf(name, sizeof(name), "tracerctl: %s", cmds[i].name);
			argv[1] = name;
			return cmds[i].run(argc - 1, argv + 1);
		}
	tc_warn("unknown command '%s'", argv[1]);
	return tc_try_help(NULL);
}
