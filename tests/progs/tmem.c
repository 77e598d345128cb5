// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/memory_info tests (run as root in the guest, static).
 *
 * Processes forked from here take a name (PR_SET_NAME), map read-only
 * pages of chosen contents as the seed's tester does (anonymous, filled,
 * then mprotect(PROT_READ)), say they are ready and wait. After RESET the
 * line of their name must equal, figure by figure, what an independent
 * reading of their address spaces gives:
 *  - total: the sizes of the lines of /proc/PID/maps ([vsyscall] is no
 *    mapping of the process), summed over the set; /proc/PID/statm's size
 *    is checked to agree;
 *  - valid: pages /proc/PID/pagemap says present;
 *  - may_be_shared, nb_group: the present pages of mappings without "w",
 *    read from /proc/PID/mem and grouped by content here;
 *  - the PIDs of the set, ascending.
 * The figures due to the chosen pages are also checked alone: their
 * contents (one byte repeated, never found in the program) cannot match any
 * other page, so the set's figures are the seed scenario's plus what the
 * rest of the processes (program text, stack...) gives.
 *
 * tmem scenarios: the seed's two scenarios and larger ones.
 * tmem errors: every command and every error.
 * tmem exiting N: RESETs while processes are created and exit.
 * tmem big N: N names, output much larger than a page, read whole.
 * tmem torn SECONDS: writers and readers at once; every read is whole.
 * tmem cost KIND PROCS PAGES: RESET's cost per page (make bench).
 * tmem hold NAME SPEC: one holder, for people (README): pages as SPEC.
 * tmem slow NAME PAGES: a holder whose scan is slow (one GUP call a page),
 *   that writes a byte to its standard output once mapped.
 * tmem sharedmm: two processes of one address space count it once.
 * tmem names: names with newlines, separators and backslashes.
 * tmem faults N: N commands with allocations failing (see faults()).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tresult.h"

#define PROC "/proc/memory_info"
#define PAGE 4096
#define MAX_PROCS 64

/*
 * What a holder maps: spec[i] is the byte page i is filled with, 0 a page
 * unlike any other, 1 a page never touched (not present).
 */

/* Writes cmd in one write(); returns 0 or the errno. */
static int command(const char *cmd, size_t len)
{
	int fd = open(PROC, O_WRONLY), err = 0;

	if (fd < 0)
		die("open " PROC);
	if (write(fd, cmd, len) != (ssize_t)len)
		err = errno;
	close(fd);
	return err;
}

static int cmd(const char *c)
{
	return command(c, strlen(c));
}

/* The whole file, in reads of chunk bytes; malloc'd, NUL-terminated. */
static char *read_result(size_t chunk, size_t *lenp)
{
	size_t len = 0, max = 1 << 16;
	char *buf = malloc(max + 1);
	int fd = open(PROC, O_RDONLY);
	ssize_t n;

	if (fd < 0 || !buf)
		die("open " PROC);
	for (;;) {
		if (len + chunk > max) {
			max = 2 * (len + chunk);
			buf = realloc(buf, max + 1);
			if (!buf)
				die("realloc");
		}
		n = read(fd, buf + len, chunk);
		if (n < 0)
			die("read " PROC);
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

static void fill(unsigned char *p, int c, unsigned int uniq)
{
	if (c) {
		memset(p, c, PAGE);
	} else {
		memset(p, 0, PAGE);
		memcpy(p, &uniq, sizeof(uniq));
		p[PAGE - 1] = 0x5a;	/* no other page looks like it */
		*(pid_t *)(p + 8) = getpid();
	}
}

/*
 * How a holder maps its pages: read-only (the seed's tester), left
 * writable, read-only and never touched (not present), or read-only and
 * read, never written (the kernel's zero page, or its huge zero page,
 * mapped at every address: spec is not looked at), or that without huge
 * pages and every other page only (each present page between two missing
 * ones: a GUP call each, the slowest pages to scan).
 */
static enum { MAP_RO, MAP_RW, MAP_ABSENT, MAP_ZERO, MAP_ZERO_SPARSE } hold_mode;

/*
 * With hold_share, the holder also clones a process of its address space
 * (CLONE_VM, not CLONE_THREAD), whose PID it sends before it is ready.
 */
static bool hold_share;
static pid_t sibling;

static int sibling_main(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

/* The holder: maps spec, signals through fd, waits to be killed. */
static void hold(const char *name, const unsigned char *spec, size_t n,
		 int fd)
{
	unsigned char *p;
	size_t i;

	if (prctl(PR_SET_NAME, name))
		die("PR_SET_NAME");
	if (n) {
		bool ro = hold_mode == MAP_ABSENT || hold_mode == MAP_ZERO ||
			  hold_mode == MAP_ZERO_SPARSE;

		p = mmap(NULL, n * PAGE, ro ? PROT_READ : PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap");
		/* EINVAL: a kernel without transparent huge pages. */
		if (hold_mode == MAP_ZERO_SPARSE &&
		    madvise(p, n * PAGE, MADV_NOHUGEPAGE) && errno != EINVAL)
			die("madvise");
		for (i = 0; hold_mode == MAP_ZERO && i < n; i++)
			(void)*(volatile unsigned char *)(p + i * PAGE);
		for (i = 0; hold_mode == MAP_ZERO_SPARSE && i < n; i += 2)
			(void)*(volatile unsigned char *)(p + i * PAGE);
		for (i = 0; !ro && i < n; i++)
			if (spec[i] != 1)
				fill(p + i * PAGE, spec[i], i);
		if (hold_mode == MAP_RO && mprotect(p, n * PAGE, PROT_READ))
			die("mprotect");
	}
	if (hold_share) {
		size_t size = 64 * 1024;
		char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		pid_t pid;

		if (stack == MAP_FAILED)
			die("mmap stack");
		pid = clone(sibling_main, stack + size, CLONE_VM | SIGCHLD, NULL);
		if (pid < 0 || write(fd, &pid, sizeof(pid)) != sizeof(pid))
			die("clone");
	}
	if (fd >= 0 && write(fd, "", 1) != 1)
		die("ready");
	for (;;)
		pause();
}

static pid_t spawn(const char *name, const unsigned char *spec, size_t n)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(p[0]);
		hold(name, spec, n, p[1]);
	}
	close(p[1]);
	if (hold_share && read(p[0], &sibling, sizeof(sibling)) != sizeof(sibling))
		die("no sibling");
	if (read(p[0], &c, 1) != 1)
		die("holder not ready");
	close(p[0]);
	return pid;
}

static void reap(pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
}

/* One line of the file, parsed. */
struct line {
	char name[32];
	unsigned long long total, valid, invalid, shared, groups;
	int nr;
	pid_t pids[MAX_PROCS];
};

/* Parses one line exactly as the format says; false if it is not one. */
static bool parse_line(const char *s, struct line *l)
{
	const char *comma = strstr(s, ", total: ");
	int n, i;

	if (!comma || comma - s >= (int)sizeof(l->name) || comma == s)
		return false;
	memcpy(l->name, s, comma - s);
	l->name[comma - s] = '\0';
	s = comma;
	if (sscanf(s, ", total: %llu, valid: %llu, invalid: %llu, may_be_shared: %llu, nb_group: %llu, pid(%d): %n",
		   &l->total, &l->valid, &l->invalid, &l->shared, &l->groups,
		   &l->nr, &n) != 6 || l->nr < 1)
		return false;
	s += n;
	for (i = 0; i < l->nr; i++) {
		pid_t pid;

		if (sscanf(s, i ? "; %d%n" : "%d%n", &pid, &n) != 1)
			return false;
		if (i < MAX_PROCS)
			l->pids[i] = pid;
		s += n;
	}
	return *s == '\n' || *s == '\0';
}

/* Expected figures, from /proc/PID/{maps,pagemap,mem}. */
struct oracle {
	unsigned long long total, valid, statm;
	unsigned long long zero;	/* present read-only pages of zeros */
	size_t nr_ro, max_ro;
	unsigned char *ro;	/* contents of the other ones */
};

static bool all_zero(const unsigned char *p)
{
	return !p[0] && !memcmp(p, p + 1, PAGE - 1);
}

static void oracle_add(struct oracle *o, pid_t pid)
{
	char path[64], line[512], perms[8];
	unsigned long long start, end, a, e;
	unsigned long size;
	int pm, mem;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/statm", pid);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%lu", &size) != 1)
		die("statm");
	fclose(f);
	o->statm += size;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	pm = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	mem = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (pm < 0 || mem < 0 || !f)
		die("maps, pagemap or mem");
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, "[vsyscall]"))
			continue;
		if (sscanf(line, "%llx-%llx %7s", &start, &end, perms) != 3)
			die("maps line");
		o->total += (end - start) / PAGE;
		for (a = start; a < end; a = e) {
			uint64_t ent[512];
			size_t i, n;

			e = end - a > 512ULL * PAGE ? a + 512ULL * PAGE : end;
			n = (e - a) / PAGE;
			if (pread(pm, ent, n * 8, a / PAGE * 8) != (ssize_t)(n * 8))
				die("pagemap");
			for (i = 0; i < n; i++) {
				unsigned char *dst;

				if (!(ent[i] >> 63))
					continue;
				o->valid++;
				if (strchr(perms, 'w'))
					continue;
				if (o->nr_ro == o->max_ro) {
					o->max_ro = 2 * o->max_ro + 256;
					o->ro = realloc(o->ro, o->max_ro * PAGE);
					if (!o->ro)
						die("realloc");
				}
				dst = o->ro + o->nr_ro++ * PAGE;
				if (pread(mem, dst, PAGE, a + i * PAGE) != PAGE)
					die("mem");
				/* Kept apart: the zero scenario has 10^5 of them. */
				if (all_zero(dst)) {
					o->nr_ro--;
					o->zero++;
				}
			}
		}
	}
	fclose(f);
	close(pm);
	close(mem);
}

static int cmp_page(const void *a, const void *b)
{
	return memcmp(a, b, PAGE);
}

/* may_be_shared and nb_group of the collected pages, by sorting them. */
static void oracle_groups(struct oracle *o, unsigned long long *shared,
			  unsigned long long *groups)
{
	size_t i, j;

	*shared = *groups = 0;
	qsort(o->ro, o->nr_ro, PAGE, cmp_page);
	for (i = 0; i < o->nr_ro; i = j) {
		for (j = i + 1; j < o->nr_ro &&
		     !memcmp(o->ro + i * PAGE, o->ro + j * PAGE, PAGE); j++)
			;
		if (j - i > 1) {
			*shared += j - i;
			(*groups)++;
		}
	}
	if (o->zero > 1) {
		*shared += o->zero;
		(*groups)++;
	}
}

/* The figures the chosen pages alone give (same rule, on specs). */
static void spec_groups(const unsigned char **specs, const size_t *lens,
			int nproc, unsigned long long *shared,
			unsigned long long *groups)
{
	unsigned long long count[256] = { 0 };
	int p, c;
	size_t i;

	for (p = 0; p < nproc; p++)
		for (i = 0; i < lens[p]; i++)
			count[specs[p][i]]++;
	*shared = *groups = 0;
	for (c = 2; c < 256; c++)
		if (count[c] > 1) {
			*shared += count[c];
			(*groups)++;
		}
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

/* kB of transparent huge pages of the last scenario's processes. */
static unsigned long anon_huge_kb;

static unsigned long anon_huge(pid_t pid)
{
	char path[64], line[256];
	unsigned long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %lu", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/*
 * nproc holders named name, holder p mapping specs[p]; RESET, FILTER, and
 * the line against the oracle. want_shared/want_groups: the seed's
 * figures for the chosen pages, or -1 to take spec_groups() alone.
 */
static void scenario(const char *tag, const char *name, int nproc,
		     const unsigned char **specs, const size_t *lens,
		     long long want_shared, long long want_groups)
{
	unsigned long long sh, gr, spec_sh, spec_gr, base_sh, base_gr;
	struct oracle o = { 0 }, base = { 0 };
	pid_t pids[MAX_PROCS];
	char c[64], what[128];
	struct line l;
	char *out;
	int i, err;

	for (i = 0; i < nproc; i++)
		pids[i] = spawn(name, specs[i], lens[i]);
	qsort(pids, nproc, sizeof(*pids), cmp_pid);
	err = cmd("RESET\n");
	snprintf(c, sizeof(c), "FILTER|%s\n", name);
	if (!err)
		err = cmd(c);
	out = read_result(PAGE, NULL);
	snprintf(what, sizeof(what), "meminfo-%s-line", tag);
	result(!err && parse_line(out, &l) && !strchr(out, '\n')[1] &&
	       !strcmp(l.name, name), what, "err %d, read %s", err, out);
	if (err)
		goto out;
	for (i = 0; i < nproc; i++)
		oracle_add(&o, pids[i]);
	oracle_groups(&o, &sh, &gr);
	spec_groups(specs, lens, nproc, &spec_sh, &spec_gr);
	snprintf(what, sizeof(what), "meminfo-%s-total-%llu", tag, o.total);
	result(l.total == o.total && o.total == o.statm, what,
	       "module %llu, maps %llu, statm %llu", l.total, o.total, o.statm);
	snprintf(what, sizeof(what), "meminfo-%s-valid-%llu-invalid-%llu", tag,
		 o.valid, o.total - o.valid);
	result(l.valid == o.valid && l.invalid == l.total - l.valid, what,
	       "module valid %llu invalid %llu, pagemap %llu", l.valid,
	       l.invalid, o.valid);
	snprintf(what, sizeof(what), "meminfo-%s-may_be_shared-%llu-nb_group-%llu",
		 tag, sh, gr);
	result(l.shared == sh && l.groups == gr, what,
	       "module %llu and %llu", l.shared, l.groups);
	result(l.nr == nproc && !memcmp(l.pids, pids, nproc * sizeof(*pids)),
	       (snprintf(what, sizeof(what), "meminfo-%s-pids-%d", tag, nproc),
		what), "module says %d pids: %s", l.nr, out);
	/*
	 * The chosen pages' part: what the same processes give without them
	 * (all of their other read-only pages) plus the scenario's figures.
	 */
	for (i = 0; i < (int)o.nr_ro; i++) {
		unsigned char *p = o.ro + (size_t)i * PAGE;
		size_t k, z;

		for (k = 1; k < PAGE && p[k] == p[0]; k++)
			;
		for (z = 16; z < PAGE - 1 && !p[z]; z++)
			;
		/* A chosen page: one byte repeated, or a unique one. */
		if ((k == PAGE && p[0]) || (z == PAGE - 1 && p[z] == 0x5a))
			continue;
		if (base.nr_ro == base.max_ro) {
			base.max_ro = 2 * base.max_ro + 256;
			base.ro = realloc(base.ro, base.max_ro * PAGE);
			if (!base.ro)
				die("realloc");
		}
		memcpy(base.ro + base.nr_ro++ * PAGE, p, PAGE);
	}
	base.zero = o.zero;	/* never chosen pages */
	oracle_groups(&base, &base_sh, &base_gr);
	if (want_shared < 0) {
		want_shared = spec_sh;
		want_groups = spec_gr;
	}
	snprintf(what, sizeof(what), "meminfo-%s-chosen-pages-%lld-%lld", tag,
		 want_shared, want_groups);
	result(spec_sh == (unsigned long long)want_shared &&
	       spec_gr == (unsigned long long)want_groups &&
	       l.shared == base_sh + want_shared &&
	       l.groups == base_gr + want_groups, what,
	       "module %llu/%llu, rest of the processes %llu/%llu", l.shared,
	       l.groups, base_sh, base_gr);
	printf("INFO: meminfo %s: %s", tag, out);
	for (anon_huge_kb = 0, i = 0; i < nproc; i++)
		anon_huge_kb += anon_huge(pids[i]);
	free(base.ro);
out:
	free(o.ro);
	free(out);
	reap(pids, nproc);
}

static bool thp_always(void)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f && !fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	if (f)
		fclose(f);
	return strstr(buf, "[always]") != NULL;
}

static void scenarios(void)
{
	/* The seed's 1a: {A, B} and {B, A, B}; 1b: {A, A, F, F, unique}. */
	static const unsigned char s1a0[] = { 0xa1, 0xb2 };
	static const unsigned char s1a1[] = { 0xb2, 0xa1, 0xb2 };
	static const unsigned char s1b[] = { 0xa1, 0xa1, 0xf3, 0xf3, 0 };
	const unsigned char *specs[MAX_PROCS];
	size_t lens[MAX_PROCS];
	unsigned char *big;
	int p, n = 3000, i;

	specs[0] = s1a0, lens[0] = 2;
	specs[1] = s1a1, lens[1] = 3;
	scenario("seed-1a", "tm_seed1a", 2, specs, lens, 5, 2);
	specs[0] = s1b, lens[0] = 5;
	scenario("seed-1b", "tm_seed1b", 1, specs, lens, 4, 2);

	/*
	 * Larger: 4 processes of n pages each, contents cycling over 7
	 * values, every 10th page unique, 13 pages of a value of their own
	 * in one process only.
	 */
	big = malloc(4 * n);
	if (!big)
		die("malloc");
	for (p = 0; p < 4; p++) {
		for (i = 0; i < n; i++)
			big[p * n + i] = i % 10 == 9 ? 0 : 0x10 + (i + p) % 7;
		if (p == 2)
			memset(big + p * n, 0xee, 13);
		specs[p] = big + p * n;
		lens[p] = n;
	}
	scenario("large-4x3000", "tm_large", 4, specs, lens, -1, -1);
	/* One process, one group of 10000 pages (the seed's tester). */
	memset(big, 0xff, 4 * n);
	specs[0] = big, lens[0] = 10000;
	scenario("tester-10000", "tm_tester", 1, specs, lens, 10000, 1);
	/*
	 * Sparse: 40,000 pages mapped, every 997th touched (41, one
	 * content) and two more of another: about half of the 2 MiB ranges
	 * have no page table (skipped a level at a time). With transparent
	 * huge pages, each touched page brings its 2 MiB of zeros in: the
	 * figures, equal to pagemap's, count them as 4 KiB pages.
	 */
	free(big);
	big = malloc(40000);
	if (!big)
		die("malloc");
	memset(big, 1, 40000);
	for (i = 0; i < 40000; i += 997)
		big[i] = 0x33;
	big[20001] = big[39999] = 0x44;
	specs[0] = big, lens[0] = 40000;
	scenario("sparse-40000", "tm_sparse", 1, specs, lens, 43, 2);
	if (thp_always())
		result(anon_huge_kb > 0, "meminfo-thp-counted-in-4k-pages",
		       "no transparent huge page was made");
	else
		printf("SKIP: meminfo-thp-counted-in-4k-pages: transparent huge pages are not \"always\" in this kernel\n");
	/*
	 * The zero page: 98,304 pages read, never written, all one page (or
	 * the 512 of the huge zero page) mapped again and again; one group
	 * with every one of them, as the oracle finds by content. More than
	 * the 65,536 kept before the module merges its array by page.
	 */
	free(big);
	big = malloc(98304);
	if (!big)
		die("malloc");
	memset(big, 1, 98304);
	specs[0] = big, lens[0] = 98304;
	hold_mode = MAP_ZERO;
	scenario("zero-98304", "tm_zero", 1, specs, lens, 0, 0);
	hold_mode = MAP_RO;
	free(big);
}

/*
 * A holder and the process it cloned with CLONE_VM (as vfork() and
 * posix_spawn() make them until the child execs): both PIDs in the line,
 * the address space's figures once, what the oracle reads through the
 * holder alone.
 */
static void shared_mm(void)
{
	static const unsigned char spec[] = { 0xc1, 0xc1, 0xd2, 0 };
	unsigned long long sh, gr;
	struct oracle o = { 0 };
	pid_t pids[2];
	struct line l;
	char *out;
	int err;

	hold_share = true;
	pids[0] = spawn("tm_sharedmm", spec, sizeof(spec));
	hold_share = false;
	pids[1] = sibling;
	err = cmd("RESET");
	if (!err)
		err = cmd("FILTER|tm_sharedmm");
	out = read_result(PAGE, NULL);
	oracle_add(&o, pids[0]);
	oracle_groups(&o, &sh, &gr);
	qsort(pids, 2, sizeof(*pids), cmp_pid);
	result(!err && parse_line(out, &l) && l.nr == 2 &&
	       l.pids[0] == pids[0] && l.pids[1] == pids[1],
	       "meminfo-shared-mm-both-pids", "err %d, read %s", err, out);
	result(!err && l.total == o.total && l.valid == o.valid &&
	       l.shared == sh && l.groups == gr, "meminfo-shared-mm-counted-once",
	       "module total %llu valid %llu may_be_shared %llu nb_group %llu, one address space %llu %llu %llu %llu",
	       l.total, l.valid, l.shared, l.groups, o.total, o.valid, sh, gr);
	printf("INFO: meminfo shared mm: %s", out);
	free(o.ro);
	free(out);
	reap(pids, 2);
}

/*
 * Names are any bytes but NUL: a newline, a comma, a semicolon or a
 * backslash reads as \ooo, so a name cannot make lines or fields of its
 * own. FILTER takes the name as the process has it.
 */
static void names(void)
{
	static const struct {
		const char *name, *line;
	} t[] = {
		{ "tm\nevil, x", "tm\\012evil\\054 x, total: " },
		{ "tm;1\\2", "tm\\0731\\1342, total: " },
	};
	char c[64], what[64];
	unsigned int i;
	pid_t pid;
	char *out;
	int err;

	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		pid = spawn(t[i].name, NULL, 0);
		err = cmd("RESET");
		snprintf(c, sizeof(c), "FILTER|%s", t[i].name);
		if (!err)
			err = cmd(c);
		out = read_result(PAGE, NULL);
		snprintf(what, sizeof(what), "meminfo-name-escaped-%u", i + 1);
		result(!err && !strncmp(out, t[i].line, strlen(t[i].line)) &&
		       strchr(out, '\n') == out + strlen(out) - 1, what,
		       "err %d, read %s", err, out);
		free(out);
		cmd("ALL");
		out = read_result(PAGE, NULL);
		snprintf(what, sizeof(what), "meminfo-name-escaped-%u-in-all", i + 1);
		result(strstr(out, t[i].line) && !strstr(out, t[i].name), what,
		       "%s", out);
		free(out);
		reap(&pid, 1);
	}
}

static void expect(const char *name, const char *c, size_t len, int err,
		   const char *text)
{
	int got = command(c, len);
	char *out = read_result(7, NULL);

	result(got == err && !strcmp(out, text), name,
	       "errno %d (want %d), read \"%s\" (want \"%s\")", got, err, out,
	       text);
	free(out);
}

/*
 * A file open for reading and writing reads its own command's result,
 * whoever writes meanwhile, from the start after each write.
 */
static void own_result(const char *line)
{
	int fd = open(PROC, O_RDWR);
	char buf[512];
	ssize_t n1, n2 = -1;

	if (fd < 0)
		die("open " PROC);
	/* tm_err is deleted here: its FILTER fails. */
	n1 = write(fd, "FILTER|tm_err", 13);
	cmd("ALL");
	n1 = n1 < 0 && errno == ESRCH ? read(fd, buf, sizeof(buf) - 1) : -1;
	buf[n1 > 0 ? n1 : 0] = '\0';
	result(!strcmp(buf, "[ERROR]: No such process\n"), "meminfo-own-error",
	       "read %zd: %s", n1, buf);
	if (write(fd, "RESET", 5) == 5 && write(fd, "FILTER|tm_err\n", 14) == 14) {
		cmd("DEL|tm_err");
		n2 = read(fd, buf, sizeof(buf) - 1);
	}
	buf[n2 > 0 ? n2 : 0] = '\0';
	result(!strcmp(buf, line), "meminfo-own-result-after-others",
	       "read %zd: %s", n2, buf);
	/* Read to its end, then a write that fails: its error reads whole. */
	n1 = read(fd, buf, sizeof(buf) - 1) == 0 &&
	     write(fd, "FILTER|tm_nosuch", 16) < 0 && errno == ESRCH ?
	     read(fd, buf, sizeof(buf) - 1) : -1;
	buf[n1 > 0 ? n1 : 0] = '\0';
	result(!strcmp(buf, "[ERROR]: No such process\n"), "meminfo-own-error-after-eof",
	       "read %zd: %s", n1, buf);
	close(fd);
}

/* Writes @v to @path: 0, or the errno. */
static int put(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, v, strlen(v)) != (ssize_t)strlen(v))
		err = errno;
	close(fd);
	return err;
}

/*
 * RESET while the kernel fails this task's next allocation (the debug
 * kernel's failslab and fail_page_alloc, with their task filter): ENOMEM,
 * the error as the file's result, and the snapshot before it kept whole.
 */
static void enomem(void)
{
	static const char *const attrs[] = {
		"probability", "100", "interval", "1", "times", "1",
		"task-filter", "Y", "verbose", "0",
	};
	static const char *const kinds[] = { "failslab", "fail_page_alloc" };
	char path[128], *before, *after, *text;
	int fd, got, self, k, i;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < 10; i += 2) {
			snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s",
				 kinds[k], attrs[i]);
			if (put(path, attrs[i + 1]))
				die(path);
		}
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s/ignore-gfp-wait",
			 kinds[k]);
		if (put(path, "N"))
			die(path);
	}
	if (cmd("RESET") || cmd("ALL"))
		die("RESET, ALL");
	before = read_result(4096, NULL);
	fd = open(PROC, O_WRONLY);
	self = open("/proc/thread-self/make-it-fail", O_WRONLY);
	if (fd < 0 || self < 0)
		die("open");
	/* From here, the first allocation of this thread fails. */
	if (write(self, "1", 1) != 1)
		die("make-it-fail");
	got = write(fd, "RESET", 5) < 0 ? errno : 0;
	if (write(self, "0", 1) != 1)
		die("make-it-fail");
	close(self);
	close(fd);
	text = read_result(4096, NULL);
	result(got == ENOMEM && !strcmp(text, "[ERROR]: Memory allocation error\n"),
	       "meminfo-enomem", "errno %d (want %d), read \"%s\"", got, ENOMEM, text);
	if (cmd("ALL"))
		die("ALL");
	after = read_result(4096, NULL);
	result(!strcmp(before, after), "meminfo-enomem-snapshot-kept",
	       "ALL before: %zu bytes, after: %zu bytes", strlen(before), strlen(after));
	free(before);
	free(after);
	free(text);
}

/* Turns this thread's make-it-fail on or off (the file open as @self). */
static void fail_allocations(int self, int on)
{
	if (pwrite(self, on ? "1" : "0", 1, 0) != 1)
		die("make-it-fail");
}

/* The result a failed command leaves: its error, or that none fitted. */
static int error_result(const char *text, int err)
{
	char want[64];

	snprintf(want, sizeof(want), "[ERROR]: %s\n",
		 err == ESRCH ? "No such process" : "Memory allocation error");
	return !strcmp(text, want) || !strcmp(text, "[ERROR]: Memory allocation error\n");
}

/*
 * @rounds commands written, and their results read, while this thread's
 * allocations fail as tests/guest/faults.sh tells the kernel (failslab,
 * fail_page_alloc, at random, with their task filter): every call succeeds
 * or ends with an error the file documents (ENOMEM, ESRCH); a failed
 * command's error is the file's result; a failed RESET keeps the snapshot;
 * a result read whole under failures reads as it does without.
 */
static void faults(int rounds)
{
	static const char *const cmds[] = {
		"RESET", "ALL", "FILTER|init", "FILTER|tm_nosuch", "DEL|tm_nosuch",
	};
	unsigned long calls = 0, enomem = 0, bad = 0, kept_bad = 0, text_bad = 0;
	int self = open("/proc/thread-self/make-it-fail", O_WRONLY), fd, i, err, rerr;
	char *before = NULL, *text, buf[4096];
	const char *c;
	ssize_t n;

	if (self < 0)
		die("make-it-fail");
	/* Faulted in now: the kernel's copy to it could not fault it in. */
	memset(buf, 0, sizeof(buf));
	for (i = 0; i < rounds; i++) {
		c = cmds[i % 5];
		if (!strcmp(c, "RESET")) {
			if (cmd("ALL"))
				die("ALL");
			before = read_result(4096, NULL);
		}
		fail_allocations(self, 1);
		fd = open(PROC, O_RDWR);
		err = fd < 0 ? errno : write(fd, c, strlen(c)) < 0 ? errno : 0;
		n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);
		rerr = n < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		fail_allocations(self, 0);
		calls += fd < 0 ? 1 : 3;
		enomem += (err == ENOMEM) + (rerr == ENOMEM);
		if ((err && err != ENOMEM && err != ESRCH) || (rerr && rerr != ENOMEM)) {
			if (bad++ < 10)
				printf("FAIL: meminfo-faults-documented: %s: %s, read: %s\n",
				       c, strerror(err), strerror(rerr));
		}
		text = read_result(4096, NULL);
		if (fd >= 0 && err && !error_result(text, err) && text_bad++ < 10)
			printf("FAIL: meminfo-faults-error-result: %s: %s, read \"%s\"\n",
			       c, strerror(err), text);
		/* A whole read, under failures, of a result that fits buf. */
		if (fd >= 0 && !rerr && strlen(text) < sizeof(buf) - 1) {
			buf[n] = '\0';
			if (strcmp(buf, text) && text_bad++ < 10)
				printf("FAIL: meminfo-faults-read: \"%s\" read as \"%s\"\n",
				       text, buf);
		}
		free(text);
		if (before && err) {
			if (cmd("ALL"))
				die("ALL");
			text = read_result(4096, NULL);
			kept_bad += strcmp(before, text) != 0;
			free(text);
		}
		free(before);
		before = NULL;
	}
	close(self);
	printf("INFO: faults: meminfo: %lu calls, %lu ended with ENOMEM\n", calls, enomem);
	result(!bad, "meminfo-faults-documented", "%lu calls ended with another error", bad);
	result(!text_bad, "meminfo-faults-results", "%lu results wrong", text_bad);
	result(!kept_bad, "meminfo-faults-failed-reset-keeps-snapshot",
	       "%lu failed RESETs changed it", kept_bad);
	if (cmd("RESET"))
		die("RESET");
}

static void errors(void)
{
	static const unsigned char one[] = { 0x42 };
	const char *inval = "[ERROR]: Invalid argument\n";
	const char *srch = "[ERROR]: No such process\n";
	char line[256], c[64];
	pid_t pid;
	char *out;

	pid = spawn("tm_err", one, 1);
	expect("meminfo-reset", "RESET\n", 6, 0, "[SUCCESS]\n");
	expect("meminfo-reset-no-newline", "RESET", 5, 0, "[SUCCESS]\n");
	cmd("FILTER|tm_err");
	out = read_result(PAGE, NULL);
	snprintf(line, sizeof(line), "%s", out);
	snprintf(c, sizeof(c), "pid(1): %d\n", pid);
	result(strstr(out, c) && !strncmp(out, "tm_err, total: ", 15),
	       "meminfo-filter", "read %s", out);
	free(out);
	expect("meminfo-filter-newline", "FILTER|tm_err\n", 14, 0, line);
	cmd("ALL");
	out = read_result(PAGE, NULL);
	result(strstr(out, line) != NULL, "meminfo-all-has-it", "%s", out);
	free(out);
	expect("meminfo-unknown", "BOGUS\n", 6, EINVAL, inval);
	expect("meminfo-lowercase", "all\n", 4, EINVAL, inval);
	expect("meminfo-empty-line", "\n", 1, EINVAL, inval);
	expect("meminfo-two-newlines", "ALL\n\n", 5, EINVAL, inval);
	expect("meminfo-trailing-space", "RESET \n", 7, EINVAL, inval);
	expect("meminfo-nul-inside", "ALL\0", 4, EINVAL, inval);
	expect("meminfo-no-separator", "FILTER tm_err\n", 14, EINVAL, inval);
	expect("meminfo-filter-empty-name", "FILTER|\n", 8, EINVAL, inval);
	expect("meminfo-del-empty-name", "DEL|", 4, EINVAL, inval);
	expect("meminfo-name-16-chars", "FILTER|abcdefghijklmnop\n", 24,
	       EINVAL, inval);
	expect("meminfo-too-long", "FILTER|abcdefghijklmnopqrstuvwxyz", 33,
	       EINVAL, inval);
	expect("meminfo-name-15-chars-absent", "FILTER|abcdefghijklmno\n", 23,
	       ESRCH, srch);
	expect("meminfo-filter-absent", "FILTER|tm_nosuch", 16, ESRCH, srch);
	expect("meminfo-del-absent", "DEL|tm_nosuch\n", 14, ESRCH, srch);
	expect("meminfo-bad-address", (const char *)8, 5, EFAULT,
	       "[ERROR]: Bad address\n");
	expect("meminfo-del", "DEL|tm_err\n", 11, 0, "[SUCCESS]\n");
	expect("meminfo-del-then-filter", "FILTER|tm_err\n", 14, ESRCH, srch);
	expect("meminfo-del-twice", "DEL|tm_err", 10, ESRCH, srch);
	cmd("ALL");
	out = read_result(PAGE, NULL);
	result(!strstr(out, "tm_err, "), "meminfo-all-without-deleted", "%s",
	       out);
	free(out);
	own_result(line);
	expect("meminfo-reset-brings-back", "RESET", 5, 0, "[SUCCESS]\n");
	expect("meminfo-filter-after-reset", "FILTER|tm_err", 13, 0, line);
	reap(&pid, 1);
	expect("meminfo-exited-still-in-snapshot", "FILTER|tm_err", 13, 0,
	       line);
	expect("meminfo-reset-after-exit", "RESET", 5, 0, "[SUCCESS]\n");
	expect("meminfo-exited-gone", "FILTER|tm_err", 13, ESRCH, srch);
}

/* Processes that are created and exit all along, some mapping pages. */
static pid_t churn(void)
{
	static const unsigned char two[] = { 0x77, 0x77 };
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid)
		return pid;
	prctl(PR_SET_NAME, "tm_churn");
	for (;;) {
		pid_t c = fork();

		if (!c) {
			if (getpid() % 2)
				_exit(0);
			hold("tm_exiting", two, 2, -1);
		}
		if (c > 0) {
			usleep(c % 3 * 1000);
			kill(c, SIGKILL);
			waitpid(c, NULL, 0);
		}
	}
}

static void exiting(int n)
{
	pid_t pids[2];
	int i, ok = 0, bad = 0;
	char *out;

	pids[0] = churn();
	pids[1] = churn();
	for (i = 0; i < n; i++) {
		int err = cmd("RESET");

		ok += !err;
		err = cmd("FILTER|tm_exiting");
		out = read_result(PAGE, NULL);
		if (err == ESRCH ? strcmp(out, "[ERROR]: No such process\n") :
		    err || strncmp(out, "tm_exiting, ", 12))
			bad++;
		free(out);
	}
	reap(pids, 2);
	result(ok == n && !bad, "meminfo-reset-while-exiting", "%d of %d RESETs, %d bad results",
	       ok, n, bad);
}

static void big(int n)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	int i, found = 0, lines = 0;
	char name[16], *out, *s;
	size_t len, len1;

	if (!pids)
		die("calloc");
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "tm_n%05d", i);
		pids[i] = spawn(name, NULL, 0);
	}
	cmd("RESET");
	cmd("ALL");
	out = read_result(PAGE, &len);
	free(read_result(1000, &len1));
	for (s = out; *s; s = strchr(s, '\n') + 1) {
		struct line l;

		if (!strchr(s, '\n') || !parse_line(s, &l))
			break;
		lines++;
		found += !strncmp(l.name, "tm_n", 4) && l.nr == 1;
	}
	result(found == n && !*s && len > 2 * PAGE, "meminfo-big-output",
	       "%d of %d names in %zu bytes, %d lines, stopped at %.80s", found,
	       n, len, lines, s);
	out = read_result(1000, &len1);
	result(len1 == len, "meminfo-big-output-small-reads",
	       "%zu bytes, whole %zu", len1, len);
	free(out);
	printf("INFO: meminfo: ALL of %d lines, %zu bytes\n", lines, len);
	reap(pids, n);
	free(pids);
}

static volatile int stop;
static char *line1, *line2;
static unsigned long reads, torn;

static void *writer(void *arg)
{
	static const char *const cmds[] = {
		"FILTER|tm_c1", "FILTER|tm_c2", "ALL", "RESET", "DEL|tm_nosuch"
	};
	unsigned int i = (unsigned long)arg;

	while (!stop)
		cmd(cmds[i++ % 5]);
	return NULL;
}

static bool whole(const char *out)
{
	const char *s;
	int n1 = 0, n2 = 0;

	if (!strcmp(out, "[SUCCESS]\n") ||
	    !strcmp(out, "[ERROR]: No such process\n") ||
	    !strcmp(out, line1) || !strcmp(out, line2))
		return true;
	/* ALL: lines that parse, two of them ours, exactly. */
	for (s = out; *s; s = strchr(s, '\n') + 1) {
		struct line l;

		if (!strchr(s, '\n') || !parse_line(s, &l))
			return false;
		n1 += !strncmp(s, line1, strlen(line1));
		n2 += !strncmp(s, line2, strlen(line2));
	}
	return n1 == 1 && n2 == 1;
}

static void *reader(void *arg)
{
	char *out;

	while (!stop) {
		out = read_result((unsigned long)arg, NULL);
		__atomic_add_fetch(&reads, 1, __ATOMIC_RELAXED);
		if (!whole(out)) {
			if (!__atomic_fetch_add(&torn, 1, __ATOMIC_RELAXED))
				printf("INFO: meminfo: torn read: %s\n", out);
		}
		free(out);
	}
	return NULL;
}

static void torn_test(int seconds)
{
	static const unsigned char c1[] = { 1, 1, 2 }, c2[] = { 3 };
	pthread_t t[6];
	pid_t pids[2];
	int i;

	pids[0] = spawn("tm_c1", c1, 3);
	pids[1] = spawn("tm_c2", c2, 1);
	cmd("RESET");
	cmd("FILTER|tm_c1");
	line1 = read_result(PAGE, NULL);
	cmd("FILTER|tm_c2");
	line2 = read_result(PAGE, NULL);
	for (i = 0; i < 6; i++)
		if (pthread_create(&t[i], NULL, i < 3 ? writer : reader,
				   (void *)(unsigned long)(i < 3 ? i : 50 + i * 500)))
			die("pthread_create");
	sleep(seconds);
	stop = 1;
	for (i = 0; i < 6; i++)
		pthread_join(t[i], NULL);
	result(!torn && reads > 10, "meminfo-concurrent-never-torn",
	       "%lu torn of %lu reads", torn, reads);
	printf("INFO: meminfo: %lu whole reads amid 3 writers\n", reads);
	reap(pids, 2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Median of 9 RESETs, in ns (guest instructions under -icount shift=0). */
static uint64_t reset_median(void)
{
	uint64_t t[9], x;
	int i, j;

	for (i = 0; i < 9; i++) {
		x = now_ns();
		if (cmd("RESET"))
			die("RESET");
		t[i] = now_ns() - x;
	}
	for (i = 1; i < 9; i++)
		for (j = i; j > 0 && t[j - 1] > t[j]; j--)
			x = t[j], t[j] = t[j - 1], t[j - 1] = x;
	return t[4];
}

/*
 * RESET's cost per page scanned: nprocs holders of n pages each of one
 * kind (same: read-only, all one content; unique: read-only, all
 * different; rw: present, writable; absent: read-only, never touched;
 * zero: read-only, read, the zero page), against RESET without them.
 * Prints "kind pages base with per_page".
 */
static void cost(const char *kind, int nprocs, int n)
{
	unsigned char *spec = malloc(n);
	pid_t pids[MAX_PROCS];
	uint64_t base, with;
	char name[16];
	int i;

	if (!spec || nprocs > MAX_PROCS)
		die("cost");
	memset(spec, strcmp(kind, "same") ? 0 : 0xff, n);
	hold_mode = !strcmp(kind, "rw") ? MAP_RW :
		    !strcmp(kind, "absent") ? MAP_ABSENT :
		    !strcmp(kind, "zero") ? MAP_ZERO : MAP_RO;
	base = reset_median();
	for (i = 0; i < nprocs; i++) {
		snprintf(name, sizeof(name), "tm_cost%d", i);
		pids[i] = spawn(name, spec, n);
	}
	with = reset_median();
	reap(pids, nprocs);
	printf("%s %llu %llu %llu %.1f\n", kind, (unsigned long long)nprocs * n,
	       (unsigned long long)base, (unsigned long long)with,
	       (double)(with - base) / ((double)nprocs * n));
	free(spec);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "scenarios"))
		scenarios();
	else if (argc == 2 && !strcmp(argv[1], "errors"))
		errors();
	else if (argc == 3 && !strcmp(argv[1], "exiting"))
		exiting(atoi(argv[2]));
	else if (argc == 3 && !strcmp(argv[1], "big"))
		big(atoi(argv[2]));
	else if (argc == 3 && !strcmp(argv[1], "torn"))
		torn_test(atoi(argv[2]));
	else if (argc == 2 && !strcmp(argv[1], "sharedmm"))
		shared_mm();
	else if (argc == 2 && !strcmp(argv[1], "enomem"))
		enomem();
	else if (argc == 2 && !strcmp(argv[1], "names"))
		names();
	else if (argc == 3 && !strcmp(argv[1], "faults"))
		faults(atoi(argv[2]));
	else if (argc == 4 && !strcmp(argv[1], "slow")) {
		hold_mode = MAP_ZERO_SPARSE;
		hold(argv[2], NULL, strtoul(argv[3], NULL, 0), 1);
	} else if (argc == 5 && !strcmp(argv[1], "cost"))
		cost(argv[2], atoi(argv[3]), atoi(argv[4]));
	else if (argc == 4 && !strcmp(argv[1], "hold")) {
		size_t n = strlen(argv[3]), i;
		unsigned char *spec = malloc(n + 1);

		/* SPEC: a letter per page, the same letter the same content; '.' unique. */
		for (i = 0; i < n; i++)
			spec[i] = argv[3][i] == '.' ? 0 : argv[3][i];
		hold(argv[2], spec, n, -1);
	} else {
		fprintf(stderr, "usage: tmem scenarios|errors|exiting N|big N|torn SECONDS|cost same|unique|rw|absent PROCS PAGES|hold NAME SPEC|slow NAME PAGES|sharedmm|names|faults N\n");
		return 2;
	}
	return failures ? 1 : 0;
}
