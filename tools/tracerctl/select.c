// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing processes by what people know of them rather than by PID: the
 * name (exact as ps -C and pidof, or a pattern as pgrep), the user, the
 * systemd unit. add, remove and show share these options.
 */
#define _GNU_SOURCE
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "tracerctl.h"

static int add_names(struct tc_select *s, const char *list)
{
	char *copy = strdup(list), *tok = NULL, *save = NULL, **p;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		p = reallocarray(s->name, s->nname + 1, sizeof(*p));
		if (!p)
			break;
		s->name = p;
		p[s->nname] = strdup(tok);
		if (!p[s->nname])
			break;
		s->nname++;
	}
	free(copy);
	return tok ? -1 : 0;
}

/* A user name, or a number as pgrep -u takes. */
static int parse_user(struct tc_select *s, const char *arg)
{
	struct passwd *pw = getpwnam(arg);
	char *end;
	unsigned long v;

	if (pw) {
		s->uid = pw->pw_uid;
	} else {
		v = strtoul(arg, &end, 10);
		if (*arg < '0' || *arg > '9' || *end || v > 0x7fffffff) {
			tc_warn("'%s': no such user", arg);
			return -1;
		}
		s->uid = v;
	}
	s->has_uid = 1;
	return 0;
}

int tc_select_option(struct tc_select *s, int c, const char *arg)
{
	char why[256];
	int err;

	switch (c) {
	case 'C':
		if (add_names(s, arg)) {
			tc_warn("out of memory");
			return -1;
		}
		return 1;
	case TC_OPT_PATTERN:
		if (s->has_regex)
			regfree(&s->regex);
		s->has_regex = 0;
		err = regcomp(&s->regex, arg, REG_EXTENDED | REG_NOSUB);
		if (err) {
			regerror(err, &s->regex, why, sizeof(why));
			tc_warn("'%s': not a pattern: %s", arg, why);
			return -1;
		}
		s->has_regex = 1;
		return 1;
	case 'u':
		return parse_user(s, arg) ? -1 : 1;
	case TC_OPT_UNIT:
		s->unit = arg;
		return 1;
	default:
		return 0;
	}
}

int tc_select_any(const struct tc_select *s)
{
	return s->nname || s->has_regex || s->has_uid || s->unit;
}

/* "nginx" stands for nginx.service, as systemctl takes it. */
static int unit_is(const char *unit, const char *want)
{
	char full[256];

	return !strcmp(unit, tc_unit_name(want, full, sizeof(full)));
}

const char *tc_unit_name(const char *name, char *buf, size_t size)
{
	if (strchr(name, '.'))
		return name;
	snprintf(buf, size, "%s.service", name);
	return buf;
}

int tc_select_match(const struct tc_select *s, const struct tc_row *r)
{
	size_t i;

	if (s->nname) {
		for (i = 0; i < s->nname && strcmp(s->name[i], r->comm); i++)
			;
		if (i == s->nname)
			return 0;
	}
	if (s->has_regex && regexec(&s->regex, r->comm, 0, NULL, 0))
		return 0;
	if (s->has_uid && (r->uid < 0 || (uid_t)r->uid != s->uid))
		return 0;
	return !s->unit || unit_is(r->unit, s->unit);
}

void tc_select_free(struct tc_select *s)
{
	size_t i;

	for (i = 0; i < s->nname; i++)
		free(s->name[i]);
	free(s->name);
	if (s->has_regex)
		regfree(&s->regex);
	memset(s, 0, sizeof(*s));
}

void tc_select_usage(FILE *f, int unit)
{
	fputs(" -C, --command NAME     processes named NAME exactly (a list: A,B; as ps -C)\n"
	      "     --pattern REGEX    processes whose name matches REGEX (extended, as pgrep)\n"
	      " -u, --user USER        processes of USER (name or ID; effective, as pgrep -u)\n", f);
	if (unit)
		fputs("     --unit UNIT        processes of the systemd UNIT (NAME: NAME.service)\n", f);
}
