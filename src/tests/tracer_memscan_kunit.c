// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of /proc/memory_info's grouping, included at the end of
 * tracer_memscan.c when built with TRACER_KUNIT=1 (src/Kbuild says why).
 * Each case makes pages of its own contents and lists them as a scan of
 * one set's read-only mappings would have kept them (a page once per
 * mapping, a reference each), then groups them: no process is scanned.
 */
#include <kunit/test.h>

#define MK_PAGES 16

struct memscan_kunit {
	struct scan s;
	struct scan_page entries[2 * MK_PAGES];
	struct page *pages[MK_PAGES];	/* a reference of ours each */
	unsigned int nr_pages;
	struct tracer_memset set;
};

static int memscan_kunit_init(struct kunit *test)
{
	struct memscan_kunit *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	if (!k)
		return -ENOMEM;
	k->s.pages = k->entries;
	k->s.max_pages = ARRAY_SIZE(k->entries);
	test->priv = k;
	return 0;
}

static void memscan_kunit_exit(struct kunit *test)
{
	struct memscan_kunit *k = test->priv;

	release_pages_kept(&k->s);
	while (k->nr_pages)
		__free_page(k->pages[--k->nr_pages]);
}

/* A page of @fill bytes but its last, @last. */
static struct page *mk_page(struct kunit *test, u8 fill, u8 last)
{
	struct memscan_kunit *k = test->priv;
	struct page *page;
	u8 *va;

	KUNIT_ASSERT_LT(test, k->nr_pages, (unsigned int)MK_PAGES);
	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	k->pages[k->nr_pages++] = page;
	va = kmap_local_page(page);
	memset(va, fill, PAGE_SIZE - 1);
	va[PAGE_SIZE - 1] = last;
	kunmap_local(va);
	return page;
}

/* A read-only mapping of @page, as scan_vma() keeps it. */
static void mk_map(struct kunit *test, struct page *page)
{
	struct memscan_kunit *k = test->priv;

	KUNIT_ASSERT_LT(test, k->s.nr_pages, k->s.max_pages);
	get_page(page);
	k->s.pages[k->s.nr_pages++] = (struct scan_page) {
		.page = page,
		.maps = 1,
	};
}

/* Pages of the contents in @spec, a letter each: the same letter, the same contents. */
static void mk_pages(struct kunit *test, const char *spec)
{
	for (; *spec; spec++)
		mk_map(test, mk_page(test, *spec, *spec));
}

static void mk_expect_groups(struct kunit *test, u64 shared, u64 groups)
{
	struct memscan_kunit *k = test->priv;

	KUNIT_EXPECT_EQ(test, k->set.shared, shared);
	KUNIT_EXPECT_EQ(test, k->set.groups, groups);
}

/* README's scenario of tmem: {A, A, F, F, unique}, 4 pages in 2 groups. */
static void memscan_identical_pages(struct kunit *test)
{
	struct memscan_kunit *k = test->priv;

	mk_pages(test, "AAFFU");
	group_pages(&k->s, &k->set);
	mk_expect_groups(test, 4, 2);
	KUNIT_EXPECT_EQ(test, k->s.nr_pages, (size_t)5);
}

/* Two processes, {A, B} and {B, A, B}: 5 pages in 2 groups. */
static void memscan_two_processes(struct kunit *test)
{
	struct memscan_kunit *k = test->priv;

	mk_pages(test, "ABBAB");
	group_pages(&k->s, &k->set);
	mk_expect_groups(test, 5, 2);
}

/*
 * A page mapped several times is one entry holding one reference, its
 * mappings counted: mapped twice alone, it is a group.
 */
static void memscan_same_page_merged(struct kunit *test)
{
	struct memscan_kunit *k = test->priv;
	struct page *p = mk_page(test, 'P', 'P'), *q = mk_page(test, 'Q', 'Q');
	struct page *q2 = mk_page(test, 'Q', 'Q'), *u = mk_page(test, 'U', 'U');

	mk_map(test, p);
	mk_map(test, q);
	mk_map(test, p);
	mk_map(test, u);
	mk_map(test, q2);
	mk_map(test, q);
	mk_map(test, p);
	KUNIT_EXPECT_EQ(test, page_count(p), 4);
	group_pages(&k->s, &k->set);
	mk_expect_groups(test, 6, 2);
	KUNIT_EXPECT_EQ(test, k->s.nr_pages, (size_t)4);
	KUNIT_EXPECT_EQ(test, page_count(p), 2);
	KUNIT_EXPECT_EQ(test, page_count(q), 2);
	KUNIT_EXPECT_EQ(test, page_count(q2), 2);
	KUNIT_EXPECT_EQ(test, page_count(u), 2);
	release_pages_kept(&k->s);
	KUNIT_EXPECT_EQ(test, page_count(p), 1);
	KUNIT_EXPECT_EQ(test, page_count(q), 1);
}

/*
 * Pages of one hash are compared byte by byte: with every hash forced
 * equal, only identical pages group, down to their last byte.
 */
static void memscan_hash_collisions(struct kunit *test)
{
	struct memscan_kunit *k = test->priv;
	size_t i;

	mk_pages(test, "ABUBVBA");
	mk_map(test, mk_page(test, 0, 1));
	mk_map(test, mk_page(test, 0, 2));
	mk_map(test, mk_page(test, 0, 3));
	mk_map(test, mk_page(test, 0, 3));
	for (i = 0; i < k->s.nr_pages; i++)
		k->s.pages[i].hash = 42;
	group_run(k->s.pages, k->s.nr_pages, &k->set);
	/* {A, A}, {B, B, B}, {0...3, 0...3} */
	mk_expect_groups(test, 7, 3);
}

static struct kunit_case memscan_kunit_cases[] = {
	KUNIT_CASE(memscan_identical_pages),
	KUNIT_CASE(memscan_two_processes),
	KUNIT_CASE(memscan_same_page_merged),
	KUNIT_CASE(memscan_hash_collisions),
	{}
};

static struct kunit_suite memscan_kunit_suite = {
	.name = "tracer-memscan",
	.init = memscan_kunit_init,
	.exit = memscan_kunit_exit,
	.test_cases = memscan_kunit_cases,
};

kunit_test_suite(memscan_kunit_suite);
