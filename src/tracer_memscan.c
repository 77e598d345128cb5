// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot behind /proc/memory_info: for every set of processes with
 * the same name (comm), the pages of their address spaces, those present,
 * and the groups of identical present pages of read-only mappings.
 *
 * Tasks are collected under RCU with a reference each; everything that can
 * sleep (taking an mm, its mmap lock, reading pages) happens after. An mm
 * is walked under its mmap read lock with get_user_pages_remote() and
 * FOLL_NOFAULT, which returns the pages present and faults nothing in: the
 * page walkers of mm/ are not exported. GUP marks the pages it returns
 * accessed (FOLL_TOUCH is implied), as a read of /proc/PID/mem does. A
 * transparent huge page counts as the 4 KiB pages it holds. hugetlbfs and
 * PFN/IO mappings count in total only: their pages are never looked at (GUP
 * would fault hugetlb pages in, and PFN maps have no pages).
 *
 * Read-only means without VM_WRITE. Each present page of such a mapping is
 * kept (with the reference GUP took). Past SCAN_MERGE_MIN the array is
 * merged by page before it grows, so a page mapped a million times (the
 * huge zero page under a large read-only mapping) costs one entry and one
 * reference, and memory is bounded by the pages that exist; it is merged
 * again before hashing, so a page shared by many processes of the set
 * (a library's) is hashed once.
 * Pages are hashed once the mmap lock is released; pages of equal hash are
 * compared byte by byte, so a collision never merges different pages. The
 * hash is keyed (hsiphash, SipHash-1-3 on 64-bit), so nobody can pick
 * contents that collide on purpose and make the comparisons quadratic; its
 * 32 bits make chance collisions rare enough for thousands of pages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pgtable.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "compat.h"
#include "tracer_memscan.h"

/* Pages asked of GUP at once. */
#define SCAN_BATCH	256
/* Pages kept before the array is merged rather than grown (1.5 MiB). */
#define SCAN_MERGE_MIN	65536
/* Tasks allowed to appear between counting them and collecting them. */
#define SCAN_TASK_SLACK	64
/* Comparisons between two chances to reschedule in a sort. */
#define SORT_RESCHED	1024

struct scan_task {
	struct task_struct *task;
	struct mm_struct *mm;		/* taken by scan_set(), maybe NULL */
	bool mm_seen;			/* another process of the set has it */
	pid_t tgid;
	char comm[TASK_COMM_LEN];
};

struct scan_page {
	struct page *page;
	unsigned long maps;		/* read-only mappings of it in the set */
	u32 hash;			/* 0 until group_pages() */
};

struct scan {
	struct page *batch[SCAN_BATCH];
	struct scan_page *pages;	/* read-only pages of the current set */
	size_t nr_pages, max_pages;
};

static hsiphash_key_t page_key;

static void release_pages_kept(struct scan *s)
{
	while (s->nr_pages)
		put_page(s->pages[--s->nr_pages].page);
}

/*
 * sort() never reschedules, and a snapshot sorts up to millions of entries
 * at once: the comparisons of scan_sort() do, every SORT_RESCHED of
 * them, counted in the sort's private word.
 */
static void sort_resched(const void *priv)
{
	unsigned int *calls = (unsigned int *)priv;

	if (!(++*calls % SORT_RESCHED))
		cond_resched();
}

static void scan_sort(void *base, size_t num, size_t size, cmp_r_func_t cmp)
{
	unsigned int calls = 0;

	sort_r(base, num, size, cmp, NULL, &calls);
}

/* By hash, then by page: by page alone before group_pages() hashes them. */
static int cmp_page(const void *a, const void *b, const void *priv)
{
	const struct scan_page *x = a, *y = b;

	sort_resched(priv);
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return 0;
}

/* One entry, and one reference, per page: its mappings are counted. */
static void merge_same_pages(struct scan *s)
{
	size_t i, n = 0;

	scan_sort(s->pages, s->nr_pages, sizeof(*s->pages), cmp_page);
	for (i = 0; i < s->nr_pages; i++) {
		if (!(i % SCAN_BATCH))
			cond_resched();
		if (n && s->pages[n - 1].page == s->pages[i].page) {
			s->pages[n - 1].maps += s->pages[i].maps;
			put_page(s->pages[i].page);
		} else {
			s->pages[n++] = s->pages[i];
		}
	}
	s->nr_pages = n;
}

static int reserve_pages(struct scan *s, size_t more)
{
	struct scan_page *p;
	size_t max;

	if (s->nr_pages + more <= s->max_pages)
		return 0;
	/* A large array grows only if merging left it over half full. */
	if (s->max_pages >= SCAN_MERGE_MIN) {
		merge_same_pages(s);
		if (2 * (s->nr_pages + more) <= s->max_pages)
			return 0;
	}
	max = max3(s->nr_pages + more, 2 * s->max_pages, (size_t)1024);
	p = kvmalloc_array(max, sizeof(*p), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!p)
		return -ENOMEM;
	if (s->nr_pages)
		memcpy(p, s->pages, s->nr_pages * sizeof(*p));
	kvfree(s->pages);
	s->pages = p;
	s->max_pages = max;
	return 0;
}

/*
 * Where the range from addr on has a page table, or a huge entry, again:
 * lets the scan jump over reserved, never touched space a page-table level
 * at a time instead of asking GUP page by page. Read without the page
 * table locks, like the snapshot it serves: tables under a VMA that is
 * still mapped are not freed while its mmap lock is held (the same rule
 * GUP's own walk relies on). A huge PUD (a 1 GiB page of device DAX) has
 * no PMD table under it: its page frame would be read as one.
 */
static unsigned long skip_empty(struct mm_struct *mm, unsigned long addr,
				unsigned long end)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pud_t *pud, pudval;
	p4d_t *p4d;
	pmd_t *pmd;

	if (pgd_none(READ_ONCE(*pgd)))
		return pgd_addr_end(addr, end);
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(READ_ONCE(*p4d)))
		return p4d_addr_end(addr, end);
	pud = pud_offset(p4d, addr);
	pudval = READ_ONCE(*pud);
	if (pud_none(pudval))
		return pud_addr_end(addr, end);
	if (pud_leaf(pudval) || !pud_present(pudval))
		return addr;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(READ_ONCE(*pmd)))
		return pmd_addr_end(addr, end);
	return addr;
}

#ifdef TRACER_HAVE_FOLL_NOFAULT
static long gup_present(struct mm_struct *mm, unsigned long addr,
			unsigned long nr, struct page **pages)
{
	return tracer_gup_remote(mm, addr, nr, FOLL_NOFAULT | FOLL_FORCE, pages);
}
#else
/* Whether @addr has a page in memory, read as skip_empty() reads. */
static bool page_present(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	pmd_t *pmd, pmdval;
	pud_t *pud, pudval;
	p4d_t *p4d;
	pte_t *pte;
	bool present;

	if (pgd_none(READ_ONCE(*pgd)))
		return false;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(READ_ONCE(*p4d)))
		return false;
	pud = pud_offset(p4d, addr);
	pudval = READ_ONCE(*pud);
	/* A huge PUD (DAX only: hugetlb VMAs are not scanned) is left out. */
	if (!pud_present(pudval) || pud_bad(pudval))
		return false;
	pmd = pmd_offset(pud, addr);
	pmdval = READ_ONCE(*pmd);
	if (!pmd_present(pmdval))
		return false;
	if (pmd_trans_huge(pmdval) || pmd_devmap(pmdval))
		return true;
	pte = pte_offset_map(pmd, addr);
	present = pte_present(ptep_get(pte));
	pte_unmap(pte);
	return present;
}

/*
 * Before 5.17 GUP cannot be told not to fault: it is asked only for the
 * leading pages of the range that are present. A page reclaimed between
 * the look and GUP is read back in, the one thing FOLL_NOFAULT would spare.
 */
static long gup_present(struct mm_struct *mm, unsigned long addr,
			unsigned long nr, struct page **pages)
{
	unsigned long n = 0;

	while (n < nr && page_present(mm, addr + (n << PAGE_SHIFT)))
		n++;
	return n ? tracer_gup_remote(mm, addr, n, FOLL_FORCE, pages) : 0;
}
#endif

static int scan_vma(struct scan *s, struct mm_struct *mm,
		    struct vm_area_struct *vma, struct tracer_memset *set)
{
	bool ro = !(vma->vm_flags & VM_WRITE);
	unsigned long addr = vma->vm_start;
	long got, i;

	while (addr < vma->vm_end) {
		unsigned long nr = min_t(unsigned long, SCAN_BATCH,
					 (vma->vm_end - addr) >> PAGE_SHIFT);

		if (ro && reserve_pages(s, nr))
			return -ENOMEM;
		got = gup_present(mm, addr, nr, s->batch);
		cond_resched();
		if (got <= 0) {
			/* Not present (or no page behind it). */
			if (fatal_signal_pending(current))
				return -EINTR;
			addr = max(addr + PAGE_SIZE,
				   skip_empty(mm, addr, vma->vm_end));
			continue;
		}
		set->valid += got;
		for (i = 0; i < got; i++) {
			if (ro)
				s->pages[s->nr_pages++] = (struct scan_page) {
					.page = s->batch[i],
					.maps = 1,
				};
			else
				put_page(s->batch[i]);
		}
		addr += got << PAGE_SHIFT;
	}
	return 0;
}

static int scan_mm(struct scan *s, struct mm_struct *mm,
		   struct tracer_memset *set)
{
	struct vm_area_struct *vma;
	int err = 0;

	VMA_ITERATOR(vmi, mm, 0);
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	for_each_vma(vmi, vma) {
		set->total += vma_pages(vma);
		if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) ||
		    is_vm_hugetlb_page(vma))
			continue;
		err = scan_vma(s, mm, vma, set);
		if (err)
			break;
	}
	mmap_read_unlock(mm);
	return err;
}

static bool pages_equal(struct page *a, struct page *b)
{
	void *pa, *pb;
	bool same;

	pa = kmap_local_page(a);
	pb = kmap_local_page(b);
	same = !memcmp(pa, pb, PAGE_SIZE);
	kunmap_local(pb);
	kunmap_local(pa);
	return same;
}

/*
 * Splits pages of one hash into classes of identical content: a class
 * mapped more than once (one page mapped twice included) is a group.
 */
static void group_run(struct scan_page *p, size_t n, struct tracer_memset *set)
{
	unsigned long maps;
	size_t same, k;

	while (n) {
		maps = p[0].maps;
		for (same = 1, k = 1; k < n; k++) {
			if (!(k % SCAN_BATCH))
				cond_resched();
			if (pages_equal(p[0].page, p[k].page)) {
				maps += p[k].maps;
				swap(p[same], p[k]);
				same++;
			}
		}
		if (maps > 1) {
			set->groups++;
			set->shared += maps;
		}
		p += same;
		n -= same;
		cond_resched();
	}
}

static void group_pages(struct scan *s, struct tracer_memset *set)
{
	size_t i, j;
	void *va;

	merge_same_pages(s);
	for (i = 0; i < s->nr_pages; i++) {
		va = kmap_local_page(s->pages[i].page);
		s->pages[i].hash = hsiphash(va, PAGE_SIZE, &page_key);
		kunmap_local(va);
		if (!(i % SCAN_BATCH))
			cond_resched();
	}
	scan_sort(s->pages, s->nr_pages, sizeof(*s->pages), cmp_page);
	for (i = 0; i < s->nr_pages; i = j) {
		for (j = i + 1; j < s->nr_pages &&
		     s->pages[j].hash == s->pages[i].hash; j++)
			;
		group_run(s->pages + i, j - i, set);
	}
}

/* A thread of @p's with an address space: the leader may have exited. */
static struct task_struct *thread_with_mm(struct task_struct *p)
{
	struct task_struct *t;

	if (p->flags & PF_KTHREAD)
		return NULL;
	for_each_thread(p, t)
		if (READ_ONCE(t->mm))
			return t;
	return NULL;
}

/*
 * Takes a reference to a thread with an address space (maybe) of every
 * process, which the process's name and TGID go with.
 */
static struct scan_task *collect_tasks(unsigned int *nr)
{
	struct scan_task *tasks;
	struct task_struct *p, *t;
	unsigned int n, max;

	for (;;) {
		max = SCAN_TASK_SLACK;
		rcu_read_lock();
		for_each_process(p)
			max++;
		rcu_read_unlock();
		tasks = kvmalloc_array(max, sizeof(*tasks), GFP_KERNEL);
		if (!tasks)
			return NULL;
		n = 0;
		rcu_read_lock();
		for_each_process(p) {
			t = thread_with_mm(p);
			if (!t)
				continue;
			if (n == max)
				break;
			get_task_struct(t);
			tasks[n].task = t;
			tasks[n].tgid = task_tgid_nr(p);
			get_task_comm(tasks[n].comm, p);
			n++;
		}
		rcu_read_unlock();
		if (n < max) {
			*nr = n;
			return tasks;
		}
		/* Forked faster than the slack: count again. */
		while (n)
			put_task_struct(tasks[--n].task);
		kvfree(tasks);
	}
}

static int cmp_task(const void *a, const void *b, const void *priv)
{
	const struct scan_task *x = a, *y = b;
	int c = strcmp(x->comm, y->comm);

	sort_resched(priv);
	if (c)
		return c;
	return x->tgid < y->tgid ? -1 : x->tgid > y->tgid;
}

static int cmp_task_mm(const void *a, const void *b, const void *priv)
{
	const struct scan_task *x = a, *y = b;

	sort_resched(priv);
	return x->mm < y->mm ? -1 : x->mm > y->mm;
}

/*
 * Fills set and its PIDs from tasks[0..n), all of the same name. Processes
 * that share an address space (a vfork() child before it execs, clone()
 * with CLONE_VM but not CLONE_THREAD) are all in the PIDs, and the address
 * space counts once: the figures are those of the set's distinct address
 * spaces. Their references are held until the set is done, so that an
 * address space freed meanwhile cannot come back at the same address as
 * another one.
 */
static int scan_set(struct scan *s, struct scan_task *tasks, unsigned int n,
		    struct tracer_memset *set, pid_t *pids)
{
	unsigned int i;
	int err = 0;

	memset(set, 0, sizeof(*set));
	strscpy(set->name, tasks[0].comm, sizeof(set->name));
	set->pids = pids;
	for (i = 0; i < n; i++)
		tasks[i].mm = get_task_mm(tasks[i].task);
	scan_sort(tasks, n, sizeof(*tasks), cmp_task_mm);
	for (i = 0; i < n; i++)
		tasks[i].mm_seen = i && tasks[i].mm == tasks[i - 1].mm;
	scan_sort(tasks, n, sizeof(*tasks), cmp_task);
	for (i = 0; i < n && !err; i++) {
		if (!tasks[i].mm)
			continue;	/* exited meanwhile */
		if (!tasks[i].mm_seen)
			err = scan_mm(s, tasks[i].mm, set);
		set->pids[set->nr_pids++] = tasks[i].tgid;
	}
	for (i = 0; i < n; i++)
		if (tasks[i].mm)
			mmput(tasks[i].mm);
	if (!err)
		group_pages(s, set);
	release_pages_kept(s);
	return err;
}

struct tracer_memsnap *tracer_memscan(void)
{
	struct tracer_memsnap *snap;
	struct scan_task *tasks;
	struct scan *s;
	unsigned int nr, i, j;
	int err = -ENOMEM;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	snap = kzalloc(sizeof(*snap), GFP_KERNEL);
	if (!s || !snap)
		goto out_free;
	tasks = collect_tasks(&nr);
	if (!tasks)
		goto out_free;
	snap->sets = kvmalloc_array(max(nr, 1U), sizeof(*snap->sets),
				    GFP_KERNEL);
	snap->pids = kvmalloc_array(max(nr, 1U), sizeof(*snap->pids),
				    GFP_KERNEL);
	if (!snap->sets || !snap->pids)
		goto out_tasks;
	scan_sort(tasks, nr, sizeof(*tasks), cmp_task);

	err = 0;
	for (i = 0; i < nr && !err; i = j) {
		struct tracer_memset *set = &snap->sets[snap->nr_sets];
		pid_t *pids = set == snap->sets ? snap->pids :
			      set[-1].pids + set[-1].nr_pids;

		for (j = i + 1; j < nr && !strcmp(tasks[j].comm, tasks[i].comm);
		     j++)
			;
		err = scan_set(s, tasks + i, j - i, set, pids);
		if (set->nr_pids)
			snap->nr_sets++;
	}

out_tasks:
	for (i = 0; i < nr; i++)
		put_task_struct(tasks[i].task);
	kvfree(tasks);
out_free:
	if (s)
		kvfree(s->pages);
	kfree(s);
	if (err) {
		tracer_memsnap_free(snap);
		return ERR_PTR(err);
	}
	return snap;
}

void tracer_memsnap_free(struct tracer_memsnap *snap)
{
	if (!snap)
		return;
	kvfree(snap->sets);
	kvfree(snap->pids);
	kfree(snap);
}

void tracer_memscan_init(void)
{
	get_random_bytes(&page_key, sizeof(page_key));
}

#ifdef TRACER_KUNIT
#include "tests/tracer_memscan_kunit.c"
#endif
