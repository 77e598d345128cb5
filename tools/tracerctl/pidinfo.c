// SPDX-License-Identifier: GPL-2.0
/*
 * Who a process is: its user (/proc/PID/status), control group and
 * systemd unit (/proc/PID/cgroup). The unit is read off the cgroup path
 * as systemd itself does (sd_pid_get_unit), so no libsystemd is needed
 * and a system without systemd simply has none.
 */
#define _GNU_SOURCE
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"

static FILE *open_pid(int pid, const char *file)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "proc/%d/%s", pid, file);
	return fopen(TC_PATH(rel), "r");
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len > n && !memcmp(s + len - n, suffix, n);
}

/* A unit's name: something, a dot, one of systemd's unit types. */
static int unit_name(const char *s, size_t len)
{
	static const char *const types[] = {
		".service", ".socket", ".device", ".mount", ".automount",
		".swap", ".target", ".path", ".timer", ".slice", ".scope",
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (ends_with(s, len, types[i]))
			return 1;
	return 0;
}

void tc_cgroup_unit(const char *path, char *buf, size_t size)
{
	size_t len;

	buf[0] = 0;
	for (;;) {
		path += strspn(path, "/");
		len = strcspn(path, "/");
		if (!len)
			return;
		/* systemd escapes a name that would clash with the kernel's. */
		if (*path == '_') {
			path++;
			len--;
		}
		if (!ends_with(path, len, ".slice"))
			break;
		path += len;
	}
	if (unit_name(path, len) && len < size)
		snprintf(buf, size, "%.*s", (int)len, path);
}

static void user_of(struct tc_row *r)
{
	char line[256], pw_buf[1024];
	struct passwd pw, *found = NULL;
	unsigned int real, eff;
	FILE *f = open_pid(r->pid, "status");

	r->uid = -1;
	r->user[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Uid: %u %u", &real, &eff) == 2) {
			r->uid = (int)eff;
			break;
		}
	fclose(f);
	if (r->uid < 0)
		return;
	getpwuid_r(r->uid, &pw, pw_buf, sizeof(pw_buf), &found);
	if (found)
		snprintf(r->user, sizeof(r->user), "%s", found->pw_name);
	else
		snprintf(r->user, sizeof(r->user), "%d", r->uid);
}

void tc_pid_cgroup(int pid, char *buf, size_t size)
{
	char *line = NULL, *path;
	size_t cap = 0;
	FILE *f = open_pid(pid, "cgroup");

	buf[0] = 0;
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = 0;
		path = strchr(line, ':');
		path = path ? strchr(path + 1, ':') : NULL;
		if (!path)
			continue;
		if (!strncmp(line, "0::", 3)) {
			snprintf(buf, size, "%s", path + 1);
			break;
		}
		if (strstr(line, ":name=systemd:"))
			snprintf(buf, size, "%s", path + 1);
	}
	free(line);
	fclose(f);
}

void tc_pid_info(struct tc_row *r)
{
	user_of(r);
	tc_pid_cgroup(r->pid, r->cgroup, sizeof(r->cgroup));
	tc_cgroup_unit(r->cgroup, r->unit, sizeof(r->unit));
}
