// SPDX-License-Identifier: GPL-2.0
/*
 * tracerctl add/remove PID...: the ioctls of /dev/tracer, each failure
 * said in words with what grants or fixes it (src/uapi/tracer.h).
 */
#define _GNU_SOURCE
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
	fprintf(f, "Usage: tracerctl %s PID...\n\n%s\n\n"
		" -h, --help     this help\n"
		" -V, --version  the version\n\n"
		"Exit status: 0 all done, 1 none, 64 some (see the messages).\n",
		cmd, !strcmp(cmd, "add") ?
		"Registers processes: tracer counts their kernel operations\n"
		"(a process ID counts all its threads; a thread ID that thread alone)." :
		"Stops counting processes; their rows leave /proc/tracer.");
	return f == stdout ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int run(int argc, char **argv, unsigned long request)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	const char *cmd = argv[0];
	int adding = request == TRACER_ADD_PROCESS, fd, c, i, *pid, done = 0;

	while ((c = getopt_long(argc, argv, "hV", opts, NULL)) != -1) {
		switch (c) {
		case 'h': return usage(stdout, cmd);
		case 'V': return tc_version();
		default: return tc_try_help(cmd);
		}
	}
	if (optind == argc) {
		tc_warn("%s: no process ID given", cmd);
		return tc_try_help(cmd);
	}
	pid = calloc(argc, sizeof(*pid));
	if (!pid)
		return EXIT_FAILURE;
	for (i = optind; i < argc; i++)
		if ((pid[i] = tc_parse_pid(argv[i])) < 0) {
			free(pid);
			return EXIT_FAILURE;
		}
	fd = tc_open_device();
	if (fd < 0) {
		free(pid);
		return EXIT_FAILURE;
	}
	for (i = optind; i < argc; i++) {
		if (ioctl(fd, request, pid[i]) == 0)
			done++;
		else
			tc_warn("%s %d: %s (%s)", cmd, pid[i], in_words(errno, adding),
				strerrorname_np(errno));
	}
	close(fd);
	free(pid);
	return done == argc - optind ? EXIT_SUCCESS : done ? EXIT_SOME : EXIT_FAILURE;
}

int cmd_add(int argc, char **argv)
{
	return run(argc, argv, TRACER_ADD_PROCESS);
}

int cmd_remove(int argc, char **argv)
{
	return run(argc, argv, TRACER_REMOVE_PROCESS);
}
