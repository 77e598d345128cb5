// SPDX-License-Identifier: GPL-2.0
/*
 * Why the tracer module is not loaded, and what to do about it: the
 * checks a sysadmin would make, first cause first. "modprobe tracer" is
 * suggested only where modprobe would find the module; a kernel that
 * DKMS skips is named with the reason that dkms.conf gives for skipping.
 * And why /dev/tracer refuses to open: a missing membership of its group
 * (tracer's, as udev sets it), or one the session does not have yet.
 */
#define _GNU_SOURCE
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracerctl.h"

/* The EFI variable that says whether Secure Boot is on (UEFI spec). */
#define SECURE_BOOT_VAR \
	"sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e098032b8c4c"

/* Whether depmod listed a tracer.ko (compressed or not) for kernel REL. */
static int module_installed(const char *rel)
{
	char rpath[512], line[4096], *colon, *base;
	int found = 0;
	FILE *f;

	snprintf(rpath, sizeof(rpath), "lib/modules/%s/modules.dep", rel);
	f = fopen(TC_PATH(rpath), "r");
	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = 0;
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		found = !strcmp(base, "tracer.ko") || !strncmp(base, "tracer.ko.", 10);
	}
	fclose(f);
	return found;
}

static int secure_boot(void)
{
	unsigned char var[5];
	FILE *f = fopen(TC_PATH(SECURE_BOOT_VAR), "r");
	int on = f && fread(var, 1, sizeof(var), f) == sizeof(var) && var[4] == 1;

	if (f)
		fclose(f);
	return on;
}

/*
 * KEY's value in a KEY=value file, dkms.conf or a kernel's .config, its
 * quotes taken off; an empty string if KEY is not set.
 */
static const char *conf_value(const char *path, const char *key, char *buf, size_t size)
{
	size_t n = strlen(key), len;
	char line[1024], *v;
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, n) || line[n] != '=')
			continue;
		v = line + n + 1;
		v[strcspn(v, "\n")] = 0;
		len = strlen(v);
		if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
			v[len - 1] = 0;
			v++;
		}
		snprintf(buf, size, "%s", v);
	}
	if (f)
		fclose(f);
	return buf;
}

/*
 * The first of dkms.conf's BUILD_EXCLUSIVE_CONFIG items ("CONFIG_X" must be
 * set, "!CONFIG_X" must not) that kernel REL's configuration fails, into
 * BUF; 0 if it fails none or its configuration is not installed.
 */
static int config_excluded(const char *conf, const char *rel, char *buf, size_t size)
{
	char items[512], config[512], value[64], *item, *save = NULL;
	int negate, set;

	conf_value(conf, "BUILD_EXCLUSIVE_CONFIG", items, sizeof(items));
	snprintf(config, sizeof(config), "boot/config-%s", rel);
	snprintf(config, sizeof(config), "%s", TC_PATH(config));
	if (access(config, R_OK))
		return 0;
	for (item = strtok_r(items, " ", &save); item; item = strtok_r(NULL, " ", &save)) {
		negate = *item == '!';
		conf_value(config, item + negate, value, sizeof(value));
		set = !strcmp(value, "y") || !strcmp(value, "m");
		if (set == negate) {
			snprintf(buf, size, "%s", item);
			return 1;
		}
	}
	return 0;
}

/* Whether dkms.conf's BUILD_EXCLUSIVE_KERNEL (an ERE, as dkms reads it) takes REL. */
static int release_supported(const char *conf, const char *rel)
{
	char pattern[512];
	regex_t re;
	int ok;

	conf_value(conf, "BUILD_EXCLUSIVE_KERNEL", pattern, sizeof(pattern));
	if (!pattern[0] || regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return 1;
	ok = !regexec(&re, rel, 0, NULL, 0);
	regfree(&re);
	return ok;
}

/* Why a kernel release cannot have the module, from tracer-dkms' dkms.conf. */
static int why_not_built(const char *conf, const char *rel, char *buf, size_t size)
{
	char opt[128], dir[512];

	if (!release_supported(conf, rel)) {
		snprintf(buf, size,
			 "the tracer module is not loaded, and cannot be on this kernel: %s is not among the kernel releases this version of tracer supports, so DKMS did not build it; boot a supported kernel, or install a tracer-dkms that supports this one",
			 rel);
		return 1;
	}
	if (config_excluded(conf, rel, opt, sizeof(opt))) {
		if (!strcmp(opt, "!CONFIG_PREEMPT_RT"))
			snprintf(buf, size,
				 "the tracer module is not loaded, and cannot be on this kernel: %s is a real-time (PREEMPT_RT) kernel, which tracer does not support, so DKMS did not build it; boot a kernel that is not real-time (Debian's linux-image-amd64) to use tracer",
				 rel);
		else if (*opt == '!')
			snprintf(buf, size,
				 "the tracer module is not loaded, and cannot be on this kernel: %s is built with %s, which tracer cannot run with, so DKMS did not build it",
				 rel, opt + 1);
		else
			snprintf(buf, size,
				 "the tracer module is not loaded, and cannot be on this kernel: %s is built without %s, which tracer needs, so DKMS did not build it; boot a kernel built with it",
				 rel, opt);
		return 1;
	}
	snprintf(dir, sizeof(dir), "lib/modules/%s/build", rel);
	if (access(TC_PATH(dir), F_OK)) {
		snprintf(buf, size,
			 "the tracer module is not built for this kernel (%s): its headers are not installed; install them (apt install linux-headers-%s) and DKMS builds tracer",
			 rel, rel);
		return 1;
	}
	return 0;
}

void tc_why_absent(char *buf, size_t size)
{
	char rel[256];
	glob_t g;

	if (tc_read_line(TC_PATH("proc/sys/kernel/osrelease"), rel, sizeof(rel)) ||
	    module_installed(rel)) {
		if (secure_boot())
			snprintf(buf, size,
				 "the tracer module is not loaded: load it with 'modprobe tracer' (as root); Secure Boot is on, so if modprobe says 'Key was rejected by service', enroll the key DKMS signs modules with (mokutil --import /var/lib/dkms/mok.pub, reboot, and confirm in the MOK manager)");
		else
			snprintf(buf, size,
				 "the tracer module is not loaded: load it with 'modprobe tracer' (as root)");
		return;
	}
	if (glob(TC_PATH("usr/src/tracer-*/dkms.conf"), 0, NULL, &g) || !g.gl_pathc) {
		snprintf(buf, size,
			 "the tracer module is not installed for this kernel (%s): install the tracer-dkms package, which builds it (apt install tracer-dkms)",
			 rel);
	} else if (!why_not_built(g.gl_pathv[g.gl_pathc - 1], rel, buf, size)) {
		snprintf(buf, size,
			 "the tracer module is not built for this kernel (%s): 'dkms status tracer' says why; build it with 'dkms autoinstall -k %s' (as root)",
			 rel, rel);
	}
	globfree(&g);
}

/* Whether this process has GID among its groups. */
static int in_session(gid_t gid)
{
	gid_t groups[NGROUPS_MAX];
	int i, n = getgroups(NGROUPS_MAX, groups);

	if (getegid() == gid)
		return 1;
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

void tc_warn_denied(const char *path)
{
	struct passwd *pw = getpwuid(getuid());
	struct group *gr = NULL;
	char group[64];
	struct stat st;
	int member = 0;
	char **m;

	if (stat(path, &st)) {
		tc_warn("cannot open %s: permission denied", path);
		return;
	}
	gr = getgrgid(st.st_gid);
	if (gr)
		snprintf(group, sizeof(group), "'%s'", gr->gr_name);
	else
		snprintf(group, sizeof(group), "%u", (unsigned int)st.st_gid);
	if (in_session(st.st_gid)) {
		tc_warn("cannot open %s: permission denied, though you are in its group %s: it should be mode 0660, as the udev rule 99-tracer.rules makes it",
			path, group);
		return;
	}
	if (gr && pw) {
		member = pw->pw_gid == gr->gr_gid;
		for (m = gr->gr_mem; !member && *m; m++)
			member = !strcmp(*m, pw->pw_name);
	}
	if (member)
		tc_warn("cannot open %s: permission denied: you were added to group %s after this session began; log in again (or run 'newgrp %s') to use it",
			path, group, gr->gr_name);
	else if (gr && pw)
		tc_warn("cannot open %s: permission denied: root and the members of group %s may open it; an administrator adds you with 'usermod -a -G %s %s', then you log in again",
			path, group, gr->gr_name, pw->pw_name);
	else
		tc_warn("cannot open %s: permission denied: root and the members of group %s may open it",
			path, group);
}
