// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl add/remove: the ioctls of /dev/tracer for PIDs or processes
 * chosen by name, user or unit, each failure said in words with what
 * grants or fixes it (src/uapi/tracer.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tracerctl.h"
#include "../../src/uapi/tracer.h"

int tc_open_device(void)
{
	const char *path = TC_PATH("dev/tracer");
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if ((errno == ENOENT || errno == ENODEV || errno == ENXIO) &&
	    !tc_module_loaded())
		return tc_not_loaded(), -1;
	if (errno == EACCES || errno == EPERM)
		tc_warn_denied(path);
	else if (errno == ENOENT)
		tc_warn("%s is missing though the module is loaded: is udev running? (mknod %s c 10 %d)",
			path, path, TRACER_DEV_MINOR);
	else
		tc_warn("cannot open %s: %s (%s)", path, strerror(errno),
			strerrorname_np(errno));
	return -1;
}

static const char *in_words(int err, int adding)
{
	switch (err) {
	case ESRCH:
		return "no such process";
	case EEXIST:
		return "already registered (or its process is)";
	case ENOENT:
		return "not registered";
	case EPERM:
		return adding ?
		       "permission denied: you may register only the processes you could trace (same user and group IDs, not set-user-ID), unless you have CAP_SYS_PTRACE" :
		       "permission denied: you may remove only the processes you could trace (same user and group IDs, not set-user-ID), unless you have CAP_SYS_PTRACE";
	case ENODEV:
		return "the tracer module is being unloaded";
	case ENOMEM:
		return "the kernel is out of memory";
	default:
		return strerror(err);
	}
}

static int usage(FILE *f, const char *cmd)
{
	int adding = !strcmp(cmd, "add");

	fprintf(f, "Usage: tracerctl %s [options] PID...\n"
		"       tracerctl %s [options] %s\n\n%s\n\nOptions:\n",
		cmd, cmd, adding ? "{-C NAME | --pattern REGEX | -u USER | --unit UNIT}..." :
		"{-a | -C NAME | --pattern REGEX | -u USER | --unit UNIT}...",
		adding ?
		"Registers processes: tracer counts their kernel operations (a process ID\n"
		"counts all its threads; a thread ID that thread alone). Chosen by other\n"
		"means than PIDs, all the running processes that match every option given\n"
		"(this command excepted)." :
		"Stops counting processes; their rows leave /proc/tracer. Chosen by other\n"
		"means than PIDs, the registered processes you may see that match every\n"
		"option given.");
	if (adding)
		fputs(" -f, --follow           and each process they create from then on, each\n"
		      "                        its own row (a running daemon's future workers)\n", f);
	else
		fputs(" -a, --all              every registered process you may see\n", f);
	tc_select_usage(f);
	fputs(" -h, --help             this help\n"
	      " -V, --version          the version\n\n" TC_EXIT_HELP_SELECT, f);
	return f == stdout ? EXIT_SUCCESS : TC_EXIT_USAGE;
}

/* The running processes that match @sel, but this one: 0 or exit code. */
static int running(const struct tc_select *sel, struct tc_rows *found)
{
	const char *path = TC_PATH("proc");
	DIR *d = opendir(path);
	struct dirent *de;
	struct tc_row r;
	void *p;
	char *end;
	long v;

	memset(found, 0, sizeof(*found));
	if (!d) {
		tc_warn("cannot read %s: %s", path, strerror(errno));
		return EXIT_FAILURE;
	}
	while ((de = readdir(d))) {
		v = strtol(de->d_name, &end, 10);
		if (*end || v <= 0 || v == getpid())
			continue;
		memset(&r, 0, sizeof(r));
		r.pid = (int)v;
		tc_comm(r.pid, r.comm, sizeof(r.comm));
		tc_pid_info(&r);
		/* Gone since readdir(). */
		if (!r.comm[0] || !tc_select_match(sel, &r))
			continue;
		p = reallocarray(found->row, found->n + 1, sizeof(r));
		if (!p) {
			closedir(d);
			tc_warn("out of memory");
			return EXIT_FAILURE;
		}
		found->row = p;
		found->row[found->n++] = r;
	}
	closedir(d);
	return 0;
}

/* The registered processes that match @sel (any with --all). */
static int registered(const struct tc_select *sel, struct tc_rows *found)
{
	int err = tc_rows_read(found);
	size_t i, n = 0;

	if (err)
		return err;
	for (i = 0; i < found->n; i++)
		if (!tc_select_any(sel) || tc_select_match(sel, &found->row[i]))
			found->row[n++] = found->row[i];
	found->n = n;
	return 0;
}

static int run(int argc, char **argv, int adding)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		TC_SELECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *cmd = adding ? "add" : "remove";
	unsigned long request = adding ? TRACER_ADD_PROCESS : TRACER_REMOVE_PROCESS;
	struct tc_select sel = { 0 };
	struct tc_rows rows = { 0 };
	int fd, c, i, all = 0, err = TC_EXIT_USAGE;
	size_t r, done = 0;

	while ((c = getopt_long(argc, argv, "fa" TC_SELECT_SHORTOPTS "hV", opts, NULL)) != -1) {
		if ((i = tc_select_option(&sel, c, optarg)) < 0)
			goto out;
		if (i)
			continue;
		if ((c == 'f' && !adding) || (c == 'a' && adding)) {
			tc_warn("%s: --%s applies to %s only", cmd,
				c == 'f' ? "follow" : "all", c == 'f' ? "add" : "remove");
			c = '?';
		}
		switch (c) {
		case 'f': request = TRACER_ADD_PROCESS_TREE; break;
		case 'a': all = 1; break;
		case 'h': return usage(stdout, cmd);
		case 'V': return tc_version();
		default:
			err = tc_try_help(cmd);
			goto out;
		}
	}
	if (optind < argc && (all || tc_select_any(&sel))) {
		tc_warn("%s: process IDs or other means of choosing, not both", cmd);
		err = tc_try_help(cmd);
		goto out;
	}
	if (optind == argc && !all && !tc_select_any(&sel)) {
		tc_warn("%s: no process given", cmd);
		err = tc_try_help(cmd);
		goto out;
	}
	if (optind < argc) {
		rows.n = argc - optind;
		rows.row = calloc(rows.n, sizeof(*rows.row));
		if (!rows.row) {
			err = EXIT_FAILURE;
			goto out;
		}
		for (i = 0; i < argc - optind; i++)
			if ((rows.row[i].pid = tc_parse_pid(argv[optind + i])) < 0)
				goto out;
	} else {
		err = adding ? running(&sel, &rows) : registered(&sel, &rows);
		if (err)
			goto out;
		err = EXIT_SUCCESS;
		if (!rows.n && !all) {
			tc_warn("%s: no %sprocess matched", cmd, adding ? "" : "registered ");
			err = TC_EXIT_NONE;
		}
		if (!rows.n)
			goto out;
	}
	fd = tc_open_device();
	if (fd < 0) {
		err = tc_module_loaded() ? EXIT_FAILURE : TC_EXIT_NOMODULE;
		goto out;
	}
	for (r = 0; r < rows.n; r++) {
		if (ioctl(fd, request, rows.row[r].pid) == 0)
			done++;
		else
			tc_warn("%s %d: %s (%s)", cmd, rows.row[r].pid,
				in_words(errno, adding), strerrorname_np(errno));
	}
	close(fd);
	err = done == rows.n ? EXIT_SUCCESS : done ? TC_EXIT_SOME : EXIT_FAILURE;
out:
	tc_rows_free(&rows);
	tc_select_free(&sel);
	return err;
}

int cmd_add(int argc, char **argv)
{
	return run(argc, argv, 1);
}

int cmd_remove(int argc, char **argv)
{
	return run(argc, argv, 0);
}
