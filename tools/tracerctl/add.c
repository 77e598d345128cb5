// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl add/remove: the ioctls of /dev/tracer for PIDs, processes
 * chosen by name or user, or cgroups (by path, unit or container), each
 * failure said in words with what grants or fixes it (src/uapi/tracer.h).
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

/* The same for a cgroup. */
static const char *cgroup_in_words(int err, int adding)
{
	switch (err) {
	case EBADF:
		return "not a directory of the cgroup v2 hierarchy";
	case EEXIST:
		return "already registered";
	case ENOENT:
		return adding ? "the cgroup was removed" : "not registered";
	case EPERM:
		return adding ?
		       "permission denied: you may register only a cgroup whose directory you own (a subtree delegated to you), unless you have CAP_SYS_PTRACE" :
		       "permission denied: you may remove only a cgroup whose directory you own (a subtree delegated to you), unless you have CAP_SYS_PTRACE";
	case ENOSPC:
		return "as many cgroups as tracer counts at once (64; 32 on a 32-bit kernel) are registered already: remove one first (tracerctl show --cgroups)";
	case EINVAL:
		return "the cgroup is 64 levels deep or more (32 on a 32-bit kernel): tracer counts the cgroups above that";
	case ENOTTY:
		return "this tracer module counts no cgroups: it is older than tracerctl";
	default:
		return in_words(err, adding);
	}
}

static int usage(FILE *f, const char *cmd)
{
	int adding = !strcmp(cmd, "add");

	fprintf(f, "Usage: tracerctl %s [options] PID...\n"
		"       tracerctl %s [options] %s\n"
		"       tracerctl %s [-n] {--cgroup PATH | --unit UNIT | --container ID}...\n\n%s\n\nOptions:\n",
		cmd, cmd, adding ? "{-C NAME | --pattern REGEX | -u USER}..." :
		"{-a | -C NAME | --pattern REGEX | -u USER}...", cmd,
		adding ?
		"Registers processes: tracer counts their kernel operations (a process ID\n"
		"counts all its threads; a thread ID that thread alone). Chosen by other\n"
		"means than PIDs, all the running processes that match every option given\n"
		"(this command excepted). A cgroup (v2) is a row of its own, in which every\n"
		"process in it or below counts, wherever it comes from." :
		"Stops counting processes; their rows leave /proc/tracer. Chosen by other\n"
		"means than PIDs, the registered processes you may see that match every\n"
		"option given. A cgroup's row leaves /proc/tracer_cgroups.");
	if (adding)
		fputs(" -f, --follow           and each process they create from then on, each\n"
		      "                        its own row (a running daemon's future workers)\n", f);
	else
		fputs(" -a, --all              every registered process you may see\n", f);
	tc_select_usage(f, 0);
	fputs("     --cgroup PATH      the cgroup PATH: a directory below the cgroup2 mount\n"
	      "                        point, or a path taken from it (/system.slice/x.service)\n"
	      "     --unit UNIT        the cgroup of the systemd UNIT (NAME: NAME.service)\n"
	      "     --container ID     the cgroup of the container (docker, podman, containerd,\n"
	      "                        CRI-O) whose ID starts with ID (12 digits or more)\n"
	      " -n, --dry-run          print the process IDs or cgroup directories, register\n"
	      "                        nothing\n"
	      " -h, --help             this help\n"
	      " -V, --version          the version\n\n" TC_EXIT_HELP_SELECT, f);
	return f == stdout ? EXIT_SUCCESS : TC_EXIT_USAGE;
}

/* A cgroup to register, as given: TC_CGROUP_BY_* and the argument. */
struct cgroup_arg {
	int by;
	const char *arg;
};

/*
 * Each cgroup of @cg found, opened and registered (printed with @dry):
 * 0, or the exit code: 32 if none was found, 64 if some were done.
 */
static int cgroups(const char *cmd, int adding, const struct cgroup_arg *cg,
		   size_t n, int dry)
{
	unsigned long request = adding ? TRACER_ADD_CGROUP : TRACER_REMOVE_CGROUP;
	struct tc_cgroup_dir d;
	size_t i, done = 0, none = 0;
	int dev = -1, fd, err = 0;

	for (i = 0; i < n; i++) {
		err = tc_cgroup_find(&d, cg[i].by, cg[i].arg);
		if (err == TC_EXIT_USAGE)
			break;
		if (err) {
			none += err == TC_EXIT_NONE;
			continue;
		}
		fd = open(d.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			none += errno == ENOENT;
			tc_warn("%s %s: %s", cmd, d.path, errno == ENOENT ?
				"no such cgroup" : strerror(errno));
			continue;
		}
		if (dry) {
			/* In order with the messages. */
			puts(d.dir);
			fflush(stdout);
			done++;
		} else if (dev < 0 && (dev = tc_open_device()) < 0) {
			close(fd);
			return tc_module_loaded() ? EXIT_FAILURE : TC_EXIT_NOMODULE;
		} else if (ioctl(dev, request, fd) == 0) {
			done++;
		} else {
			tc_warn("%s %s: %s (%s)", cmd, d.path, cgroup_in_words(errno, adding),
				strerrorname_np(errno));
		}
		close(fd);
	}
	if (dev >= 0)
		close(dev);
	if (err == TC_EXIT_USAGE)
		return err;
	return done == n ? EXIT_SUCCESS : done ? TC_EXIT_SOME :
	       none == n ? TC_EXIT_NONE : EXIT_FAILURE;
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
	enum { OPT_CGROUP = 0x200, OPT_CONTAINER };
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "container", required_argument, NULL, OPT_CONTAINER },
		{ "dry-run", no_argument, NULL, 'n' },
		TC_SELECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *cmd = adding ? "add" : "remove";
	unsigned long request = adding ? TRACER_ADD_PROCESS : TRACER_REMOVE_PROCESS;
	struct tc_select sel = { 0 };
	struct tc_rows rows = { 0 };
	struct cgroup_arg *cg;
	size_t r, done = 0, ncg = 0;
	int fd, c, i, all = 0, dry = 0, err = TC_EXIT_USAGE;

	/* At most one cgroup per argument. */
	cg = calloc(argc, sizeof(*cg));
	if (!cg)
		return EXIT_FAILURE;
	while ((c = getopt_long(argc, argv, "fan" TC_SELECT_SHORTOPTS "hV", opts, NULL)) != -1) {
		if (c == OPT_CGROUP || c == TC_OPT_UNIT || c == OPT_CONTAINER) {
			cg[ncg].by = c == OPT_CGROUP ? TC_CGROUP_BY_PATH :
				     c == TC_OPT_UNIT ? TC_CGROUP_BY_UNIT : TC_CGROUP_BY_CONTAINER;
			cg[ncg++].arg = optarg;
			continue;
		}
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
		case 'n': dry = 1; break;
		case 'h': err = usage(stdout, cmd); goto out;
		case 'V': err = tc_version(); goto out;
		default:
			err = tc_try_help(cmd);
			goto out;
		}
	}
	if (ncg && (optind < argc || all || tc_select_any(&sel) ||
		    request == TRACER_ADD_PROCESS_TREE)) {
		tc_warn("%s: cgroups (--cgroup, --unit, --container) or processes, not both", cmd);
		err = tc_try_help(cmd);
		goto out;
	}
	if (ncg) {
		err = cgroups(cmd, adding, cg, ncg, dry);
		goto out;
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
	if (dry) {
		for (r = 0; r < rows.n; r++)
			printf("%d\n", rows.row[r].pid);
		err = EXIT_SUCCESS;
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
	free(cg);
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
