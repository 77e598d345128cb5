// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the parsers of /proc/tracer, tracer_cgroups, tracer_held
 * and tracer_status
 * (well-formed and malformed contents), the byte sizes for people and
 * the Prometheus label escaping.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "tracerctl.h"
#include "../../tests/progs/tresult.h"

#define HEADER "PID     kmalloc  kfree    kmalloc_mem  kfree_mem    sched    up       down     lock     unlock\n"

static int parse_rows(const char *text, struct tc_rows *rows, char *why, size_t size)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int err;

	if (!f)
		die("fmemopen");
	err = tc_rows_parse(f, rows, why, size);
	fclose(f);
	return err;
}

static void test_rows_good(void)
{
	struct tc_rows rows;
	char why[256] = "";
	int err;

	err = parse_rows(HEADER
			 "96      1515     6960     6071856      6070748      213      0        0        10856    10857\n"
			 "7 18446744073709551615 0 0 0 0 0 0 0 1\n", &rows, why, sizeof(why));
	result(!err && rows.n == 2 && rows.row[0].pid == 96 &&
	       rows.row[0].count[TC_KMALLOC] == 1515 &&
	       rows.row[0].count[TC_KFREE] == 6960 &&
	       rows.row[0].count[TC_KMALLOC_MEM] == 6071856 &&
	       rows.row[0].count[TC_KFREE_MEM] == 6070748 &&
	       rows.row[0].count[TC_SCHED] == 213 &&
	       rows.row[0].count[TC_LOCK] == 10856 &&
	       rows.row[0].count[TC_UNLOCK] == 10857 &&
	       rows.row[1].pid == 7 &&
	       rows.row[1].count[TC_KMALLOC] == 18446744073709551615ull &&
	       rows.row[1].count[TC_UNLOCK] == 1,
	       "proc-rows-parse", "err %d (%s), %zu rows", err, why, rows.n);
	tc_rows_free(&rows);

	err = parse_rows(HEADER, &rows, why, sizeof(why));
	result(!err && rows.n == 0, "proc-rows-header-only", "err %d (%s)", err, why);

	/* A newer module's extra column is skipped, the known ones found by name. */
	err = parse_rows("PID kfree kmalloc new kmalloc_mem kfree_mem sched up down lock unlock\n"
			 "5 1 2 3 4 5 6 7 8 9 10\n", &rows, why, sizeof(why));
	result(!err && rows.n == 1 && rows.row[0].count[TC_KFREE] == 1 &&
	       rows.row[0].count[TC_KMALLOC] == 2 &&
	       rows.row[0].count[TC_KMALLOC_MEM] == 4 &&
	       rows.row[0].count[TC_UNLOCK] == 10,
	       "proc-rows-columns-by-name", "err %d (%s)", err, why);
	tc_rows_free(&rows);
}

static void test_rows_bad(void)
{
	static const struct { const char *name, *text, *why; } t[] = {
		{ "proc-bad-empty", "", "empty: no header" },
		{ "proc-bad-no-header", "96 1 2 3 4 5 6 7 8 9\n",
		  "line 1: not the header (PID kmalloc ...)" },
		{ "proc-bad-header-lacks-column",
		  "PID kmalloc kfree kmalloc_mem kfree_mem sched up down lock\n",
		  "line 1: no column 'unlock' in the header" },
		{ "proc-bad-short-row", HEADER "96 1 2 3 4 5 6 7 8\n",
		  "line 2: short row: 9 fields, the header has 10" },
		{ "proc-bad-truncated-row", HEADER "96 1 2 3 4 5 6 7 8 9\n97 1 2\n",
		  "line 3: short row: 3 fields, the header has 10" },
		{ "proc-bad-long-row", HEADER "96 1 2 3 4 5 6 7 8 9 10\n",
		  "line 2: long row: 11 fields, the header has 10" },
		{ "proc-bad-huge-number", HEADER "96 18446744073709551616 2 3 4 5 6 7 8 9\n",
		  "line 2: '18446744073709551616' is not a count from 0 to 2^64-1" },
		{ "proc-bad-negative", HEADER "96 -1 2 3 4 5 6 7 8 9\n",
		  "line 2: '-1' is not a count from 0 to 2^64-1" },
		{ "proc-bad-text", HEADER "96 1 2 3 4 5 6 7 8 9x\n",
		  "line 2: '9x' is not a count from 0 to 2^64-1" },
		{ "proc-bad-pid-0", HEADER "0 1 2 3 4 5 6 7 8 9\n",
		  "line 2: '0' is not a process ID" },
		{ "proc-bad-pid-huge", HEADER "99999999999 1 2 3 4 5 6 7 8 9\n",
		  "line 2: '99999999999' is not a process ID" },
		{ "proc-bad-empty-line", HEADER "\n",
		  "line 2: short row: 0 fields, the header has 10" },
	};
	struct tc_rows rows;
	char why[256];
	size_t i;
	int err;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		why[0] = 0;
		err = parse_rows(t[i].text, &rows, why, sizeof(why));
		result(err && !strcmp(why, t[i].why) && !rows.row, t[i].name,
		       "err %d, why '%s', want '%s'", err, why, t[i].why);
	}
}

static void test_cgroups(void)
{
	static const char good[] =
		"CGROUP kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock held held_mem\n"
		"/system.slice/worker.service 1500 1400 6144000 5734400 30 0 0 12 12 100 409600\n"
		"/a\\040b\\011c\\012d\\134e 1 2 3 4 5 6 7 8 9 10 11\n"
		"/ 0 0 0 0 0 0 0 0 0 0 0\n";
	static const struct { const char *name, *text, *why; } bad[] = {
		{ "cgroups-bad-header", "PID kmalloc\n", "line 1: not the header (CGROUP kmalloc ...)" },
		{ "cgroups-bad-no-held",
		  "CGROUP kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock\n",
		  "line 1: no column 'held' in the header" },
		{ "cgroups-bad-escape",
		  "CGROUP kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock held held_mem\n"
		  "/a\\04 1 2 3 4 5 6 7 8 9 10 11\n",
		  "line 2: '/a\\04' is not a cgroup path" },
		{ "cgroups-bad-relative",
		  "CGROUP kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock held held_mem\n"
		  "a 1 2 3 4 5 6 7 8 9 10 11\n",
		  "line 2: 'a' is not a cgroup path" },
		{ "cgroups-bad-short",
		  "CGROUP kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock held held_mem\n"
		  "/a 1 2 3\n",
		  "line 2: short row: 4 fields, the header has 12" },
	};
	struct tc_cgroups cgs;
	char why[256] = "";
	size_t i;
	FILE *f;
	int err;

	f = fmemopen((void *)good, strlen(good), "r");
	err = tc_cgroups_parse(f, &cgs, why, sizeof(why));
	fclose(f);
	result(!err && cgs.n == 3 && !strcmp(cgs.row[0].path, "/system.slice/worker.service") &&
	       cgs.row[0].count[TC_KMALLOC] == 1500 && cgs.row[0].count[TC_UNLOCK] == 12 &&
	       cgs.row[0].held == 100 && cgs.row[0].held_mem == 409600 &&
	       !strcmp(cgs.row[1].path, "/a b\tc\nd\\e") && cgs.row[1].count[TC_KFREE] == 2 &&
	       cgs.row[1].held == 10 && cgs.row[1].held_mem == 11 && !strcmp(cgs.row[2].path, "/"),
	       "cgroups-parse", "err %d (%s), %zu rows", err, why, cgs.n);
	tc_cgroups_free(&cgs);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = 0;
		f = fmemopen((void *)bad[i].text, strlen(bad[i].text), "r");
		err = tc_cgroups_parse(f, &cgs, why, sizeof(why));
		fclose(f);
		result(err && !strcmp(why, bad[i].why) && !cgs.row, bad[i].name,
		       "err %d, why '%s', want '%s'", err, why, bad[i].why);
	}
}

/* tracer_held joins /proc/tracer's rows by PID; a PID it lacks is unknown. */
static void test_held(void)
{
	static const char held[] = "PID held held_mem\n7 3 96\n5 1 8\n";
	struct tc_rows rows;
	char why[256] = "";
	FILE *f;
	int err;

	err = parse_rows(HEADER "5 0 0 0 0 0 0 0 0 0\n6 0 0 0 0 0 0 0 0 0\n"
			 "7 0 0 0 0 0 0 0 0 0\n", &rows, why, sizeof(why));
	f = fmemopen((void *)held, strlen(held), "r");
	err |= tc_held_parse(f, &rows, why, sizeof(why));
	fclose(f);
	result(!err && rows.n == 3 && rows.row[0].has_held && rows.row[0].held == 1 &&
	       rows.row[0].held_mem == 8 && !rows.row[1].has_held &&
	       rows.row[2].has_held && rows.row[2].held == 3 && rows.row[2].held_mem == 96,
	       "held-joined-by-pid", "err %d (%s)", err, why);
	f = fmemopen("PID held\n", 9, "r");
	err = tc_held_parse(f, &rows, why, sizeof(why));
	fclose(f);
	result(err && !strcmp(why, "line 1: no column 'held_mem' in the header"),
	       "held-bad-header", "err %d, why '%s'", err, why);
	tc_rows_free(&rows);
}

static void test_status(void)
{
	static const char good[] = "version: 0.1.0\nrows: 2\narmed: yes\n"
				   "probe: tracepoint kmalloc\nprobe: kprobe up missed 3\n";
	struct tc_status st;
	char why[256] = "";
	FILE *f;
	int err;

	f = fmemopen((void *)good, strlen(good), "r");
	err = tc_status_parse(f, &st, why, sizeof(why));
	fclose(f);
	result(!err && st.n == 5 && !strcmp(tc_status_get(&st, "rows"), "2") &&
	       !strcmp(tc_status_get(&st, "probe"), "tracepoint kmalloc") &&
	       !strcmp(st.item[4].value, "kprobe up missed 3") &&
	       !tc_status_get(&st, "nothing"),
	       "status-parse", "err %d (%s), %zu items", err, why, st.n);
	tc_status_free(&st);
	f = fmemopen("rows: 2\narmed yes\n", 18, "r");
	err = tc_status_parse(f, &st, why, sizeof(why));
	fclose(f);
	result(err && !strcmp(why, "line 2: not 'key: value'"), "status-bad-line",
	       "err %d, why '%s'", err, why);
	f = fmemopen("\n", 1, "r");
	err = tc_status_parse(f, &st, why, sizeof(why));
	fclose(f);
	result(err, "status-bad-empty-line", "accepted");
}

static void test_sizes(void)
{
	static const struct { uint64_t v; const char *want; } t[] = {
		{ 0, "0B" }, { 1023, "1023B" }, { 1024, "1K" }, { 1536, "1.5K" },
		{ 1127, "1.1K" }, { 1048575, "1024K" }, { 1048576, "1M" },
		{ 6071856, "5.8M" }, { 10ull << 30, "10G" },
		{ 18446744073709551615ull, "16E" },
	};
	char buf[32], why[512] = "";
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(tc_size(t[i].v, 0, buf, sizeof(buf)), t[i].want)) {
			bad++;
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "%llu: '%s' not '%s'; ", (unsigned long long)t[i].v,
				 buf, t[i].want);
		}
	bad += strcmp(tc_size(6071856, 1, buf, sizeof(buf)), "6071856") != 0;
	result(!bad, "sizes-for-people", "%s", why);
}

static void test_labels(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	tc_prom_label(f, "pid", "1", 1);
	tc_prom_label(f, "comm", "a\"b\\c\nd", 0);
	fclose(f);
	result(!strcmp(text, "{pid=\"1\",comm=\"a\\\"b\\\\c\\nd\""), "prometheus-label-escaping",
	       "got '%s'", text);
	free(text);
}

/* Units as systemd names them (sd_pid_get_unit's answers on these paths). */
static void test_units(void)
{
	static const struct { const char *path, *want; } t[] = {
		{ "/system.slice/cron.service", "cron.service" },
		{ "/system.slice/system-getty.slice/getty@tty1.service", "getty@tty1.service" },
		{ "/user.slice/user-1000.slice/session-3.scope", "session-3.scope" },
		{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-foot.scope",
		  "user@1000.service" },
		{ "/init.scope", "init.scope" },
		{ "/system.slice/docker-0123abcd.scope/sub", "docker-0123abcd.scope" },
		{ "/system.slice/_cpu.service", "cpu.service" },
		{ "/", "" },
		{ "", "" },
		{ "/system.slice", "" },
		{ "/machine/qemu-1-guest", "" },
		{ "/lxc.payload.c1/system.slice/cron.service", "" },
	};
	char buf[128], why[512] = "";
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tc_cgroup_unit(t[i].path, buf, sizeof(buf));
		if (strcmp(buf, t[i].want)) {
			bad++;
			snprintf(why + strlen(why), sizeof(why) - strlen(why),
				 "%s: '%s' not '%s'; ", t[i].path, buf, t[i].want);
		}
	}
	result(!bad, "cgroup-unit", "%s", why);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_rows_good();
	test_rows_bad();
	test_cgroups();
	test_held();
	test_status();
	test_sizes();
	test_labels();
	test_units();
	return failures ? 1 : 0;
}
