// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the cgroup v2 directory that add and remove register: given as
 * a path, as a systemd unit or as a container's ID. Everything is read off
 * the file systems (/proc/self/mountinfo, the cgroup tree, /proc/PID/cgroup):
 * no systemd or container runtime is asked.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tracerctl.h"
#include "forks_record.h"

/* How deep the search for a unit goes: slices and user managers. */
#define MAX_DEPTH	16

/*
 * The mount point of the cgroup2 file system (the first one, as a hybrid
 * system's /sys/fs/cgroup/unified), unescaped, in @buf: 0, or -1 said.
 */
static int cgroup2_mount(char *buf, size_t size)
{
	const char *path = TC_PATH("proc/self/mountinfo");
	char *line = NULL, *sep, mnt[4096];
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	int found = 0;

	if (!f) {
		tc_warn("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	/* ID PARENT MAJ:MIN ROOT MOUNT-POINT OPTIONS [FIELDS...] - TYPE SOURCE ... */
	while (!found && getline(&line, &cap, f) > 0) {
		sep = strstr(line, " - ");
		found = sep && !strncmp(sep, " - cgroup2 ", 11) &&
			sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1 &&
			!unescape_octal(mnt, buf, size);
	}
	free(line);
	fclose(f);
	if (!found)
		tc_warn("no cgroup v2 hierarchy is mounted (%s has no cgroup2 line): tracer counts the cgroups of v2 only",
			path);
	return found ? 0 : -1;
}

/* @cg->dir: the directory of @mnt's cgroup @rel ("", "/..." or "..."). */
static int join(struct tc_cgroup_dir *cg, const char *mnt, const char *rel)
{
	const char *top = TC_PATH(mnt + strspn(mnt, "/"));
	size_t len = strlen(top);

	while (len && top[len - 1] == '/')
		len--;
	rel += strspn(rel, "/");
	if ((size_t)snprintf(cg->dir, sizeof(cg->dir), "%.*s/%s", (int)len, top,
			     rel) >= sizeof(cg->dir)) {
		tc_warn("%s: too long a path", rel);
		return -1;
	}
	/* The root cgroup: the mount point itself, its path "/". */
	if (!*rel && len)
		cg->dir[len] = 0;
	cg->path = *rel ? cg->dir + len : "/";
	return 0;
}

static int by_path(struct tc_cgroup_dir *cg, const char *mnt, const char *arg)
{
	size_t len = strlen(mnt);

	/* An absolute path below the mount point, else a cgroup's path. */
	if (len > 1 && !strncmp(arg, mnt, len) && (!arg[len] || arg[len] == '/'))
		arg += len;
	return join(cg, mnt, arg);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

/* Paths found, as "path" strings: the matches of a search. */
struct found {
	char **path;
	size_t n;
};

static void found_add(struct found *fd, const char *path)
{
	char **p;
	size_t i;

	for (i = 0; i < fd->n; i++)
		if (!strcmp(fd->path[i], path))
			return;
	p = reallocarray(fd->path, fd->n + 1, sizeof(*p));
	if (!p || !(p[fd->n] = strdup(path))) {
		tc_warn("out of memory");
		exit(EXIT_FAILURE);
	}
	fd->path = p;
	fd->n++;
}

static void found_free(struct found *fd)
{
	size_t i;

	for (i = 0; i < fd->n; i++)
		free(fd->path[i]);
	free(fd->path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "A, B and C" of @fd's paths, sorted, in @buf. */
static const char *found_list(struct found *fd, char *buf, size_t size)
{
	size_t i, len = 0;

	qsort(fd->path, fd->n, sizeof(*fd->path), by_name);
	buf[0] = 0;
	for (i = 0; i < fd->n && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s",
				!i ? "" : i + 1 == fd->n ? " and " : ", ", fd->path[i]);
	return buf;
}

/*
 * The cgroups named @unit (or _@unit, as systemd escapes a name the
 * kernel's files could clash with) below @dir, which is cgroup @rel: as
 * systemd places units, in slices, the system manager's and each user
 * manager's (user@UID.service).
 */
static void find_unit(const char *dir, const char *rel, const char *unit,
		      struct found *fd, int depth)
{
	char sub[4096], subrel[4096];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (depth > MAX_DEPTH || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name) >= sizeof(sub) ||
		    (size_t)snprintf(subrel, sizeof(subrel), "%s/%s", rel, de->d_name) >= sizeof(subrel) ||
		    stat(sub, &st) || !S_ISDIR(st.st_mode))
			continue;
		if (!strcmp(de->d_name, unit) ||
		    (de->d_name[0] == '_' && !strcmp(de->d_name + 1, unit)))
			found_add(fd, subrel);
		else if (has_suffix(de->d_name, ".slice") ||
			 (!strncmp(de->d_name, "user@", 5) && has_suffix(de->d_name, ".service")))
			find_unit(sub, subrel, unit, fd, depth + 1);
	}
	closedir(d);
}

static int by_unit(struct tc_cgroup_dir *cg, const char *mnt, const char *arg)
{
	char full[256], list[1024];
	const char *unit = tc_unit_name(arg, full, sizeof(full));
	struct found fd = { 0 };
	int err;

	if (join(cg, mnt, ""))
		return EXIT_FAILURE;
	find_unit(cg->dir, "", unit, &fd, 0);
	if (fd.n == 1)
		err = join(cg, mnt, fd.path[0]) ? EXIT_FAILURE : 0;
	else if (fd.n) {
		tc_warn("unit %s: several cgroups of that name: %s: give one with --cgroup",
			unit, found_list(&fd, list, sizeof(list)));
		err = EXIT_FAILURE;
	} else {
		tc_warn("unit %s has no cgroup (not running?)", unit);
		err = TC_EXIT_NONE;
	}
	found_free(&fd);
	return err;
}

/*
 * The container ID in a cgroup's name as the runtimes make it: docker-ID.scope
 * (docker with systemd), ID (docker's /docker/ID, Kubernetes' cgroupfs
 * pods), libpod-ID.scope or libpod-ID (podman), cri-containerd-ID.scope,
 * crio-ID.scope: its 64 hexadecimal digits, else NULL. The runtimes'
 * monitors (libpod-conmon-ID.scope, crio-conmon-ID.scope) are not it.
 */
static const char *container_id(const char *name, size_t len)
{
	static const char *const prefix[] = {
		"docker-", "libpod-", "cri-containerd-", "crio-", "",
	};
	size_t i, k, n;

	if (len > 6 && !memcmp(name + len - 6, ".scope", 6))
		len -= 6;
	for (i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++) {
		n = strlen(prefix[i]);
		if (len != n + 64 || memcmp(name, prefix[i], n))
			continue;
		for (k = n; k < len && isxdigit((unsigned char)name[k]) &&
		     !isupper((unsigned char)name[k]); k++)
			;
		if (k == len)
			return name + n;
	}
	return NULL;
}

/* The cgroups in @path whose container ID starts with @id (in @fd). */
static void find_container(const char *path, const char *id, struct found *fd)
{
	const char *p = path, *c;
	size_t len;

	for (;;) {
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (!len)
			return;
		c = container_id(p, len);
		if (c && !strncmp(c, id, strlen(id))) {
			char cut[4096];

			snprintf(cut, sizeof(cut), "%.*s", (int)(p + len - path), path);
			found_add(fd, cut);
		}
		p += len;
	}
}

static int by_container(struct tc_cgroup_dir *cg, const char *mnt, const char *id)
{
	const char *proc = TC_PATH("proc");
	char path[4096], list[2048], *end;
	struct found fd = { 0 };
	struct dirent *de;
	DIR *d;
	int err;

	if (strlen(id) < TC_CONTAINER_ID_MIN || strlen(id) > 64 ||
	    strspn(id, "0123456789abcdef") != strlen(id)) {
		tc_warn("'%s': not a container ID (%d to 64 hexadecimal digits, lowercase)",
			id, TC_CONTAINER_ID_MIN);
		return TC_EXIT_USAGE;
	}
	d = opendir(proc);
	if (!d) {
		tc_warn("cannot read %s: %s", proc, strerror(errno));
		return EXIT_FAILURE;
	}
	while ((de = readdir(d))) {
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		tc_pid_cgroup((int)pid, path, sizeof(path));
		find_container(path, id, &fd);
	}
	closedir(d);
	if (fd.n == 1)
		err = join(cg, mnt, fd.path[0]) ? EXIT_FAILURE : 0;
	else if (fd.n) {
		tc_warn("container %s: several match: %s: give more of the ID",
			id, found_list(&fd, list, sizeof(list)));
		err = EXIT_FAILURE;
	} else {
		tc_warn("no container's ID starts with %s (not running? no process of it is in /proc/*/cgroup)",
			id);
		err = TC_EXIT_NONE;
	}
	found_free(&fd);
	return err;
}

int tc_cgroup_find(struct tc_cgroup_dir *cg, int by, const char *arg)
{
	char mnt[4096];

	if (cgroup2_mount(mnt, sizeof(mnt)))
		return EXIT_FAILURE;
	switch (by) {
	case TC_CGROUP_BY_UNIT:
		return by_unit(cg, mnt, arg);
	case TC_CGROUP_BY_CONTAINER:
		return by_container(cg, mnt, arg);
	default:
		return by_path(cg, mnt, arg) ? EXIT_FAILURE : 0;
	}
}
