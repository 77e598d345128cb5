// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the allocation table, included at the end of
 * tracer_allocs.c when built with TRACER_KUNIT=1 (src/Kbuild says why).
 * Each case has a table of its own, of two buckets, and a row of its own:
 * the module's table is never touched. Addresses are never dereferenced.
 */
#include <kunit/test.h>

struct allocs_kunit {
	struct alloc_table t;
	struct tracer_row row;
};

static int allocs_kunit_init(struct kunit *test)
{
	struct allocs_kunit *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	if (!k)
		return -ENOMEM;
	/* The reference a registered row's table holds: never dropped. */
	atomic_set(&k->row.refs, 1);
	if (table_init(&k->t, TRACER_ALLOC_WAYS))
		return -ENOMEM;
	test->priv = k;
	return 0;
}

static void allocs_kunit_exit(struct kunit *test)
{
	struct allocs_kunit *k = test->priv;

	table_free(&k->t);
}

/* As in the probes: the cgroup slots are read under RCU-sched. */
static bool ak_store(struct allocs_kunit *k, unsigned long p, size_t bytes,
		     bool row, unsigned long cgroups)
{
	bool fresh;

	preempt_disable();
	fresh = table_store(&k->t, (const void *)p, bytes,
			    row ? &k->row : NULL, cgroups);
	preempt_enable();
	return fresh;
}

static size_t ak_take(struct allocs_kunit *k, unsigned long p)
{
	size_t bytes;

	preempt_disable();
	bytes = table_take(&k->t, (const void *)p);
	preempt_enable();
	return bytes;
}

/* The @n-th address (from 0) that hashes to bucket @bucket. */
static unsigned long ak_addr(const struct alloc_table *t, unsigned int bucket,
			     unsigned int n)
{
	unsigned long p;

	for (p = PAGE_OFFSET + 64;; p += 64)
		if (alloc_hash(t, p) == bucket && !n--)
			return p;
}

/* The cgroup slots of @p's record. */
static unsigned long ak_cgroups(const struct alloc_table *t, unsigned long p)
{
	const struct tracer_alloc_bucket *b = &t->buckets[alloc_hash(t, p)];
	int i = slot_find(b, p);

	return i < 0 ? ~0UL : READ_ONCE(b->cgroups[i]);
}

/*
 * The row's holdings, and each bucket's count, which between calls is
 * its records exactly: a take in a bucket counted empty reads nothing.
 */
static void ak_expect_held(struct kunit *test, struct allocs_kunit *k,
			   s64 blocks, s64 bytes)
{
	unsigned int i, w;
	int n;

	for (i = 0; i < 1U << k->t.bits; i++) {
		for (n = 0, w = 0; w < TRACER_ALLOC_WAYS; w++)
			n += !!k->t.buckets[i].ptr[w];
		KUNIT_EXPECT_EQ(test, atomic_read(&k->t.used[i]), n);
	}
	KUNIT_EXPECT_EQ(test, atomic64_read(&k->row.counts.held), blocks);
	KUNIT_EXPECT_EQ(test, atomic64_read(&k->row.counts.held_mem), bytes);
	/* The table's reference and one per record. */
	KUNIT_EXPECT_EQ(test, atomic_read(&k->row.refs), 1 + (int)blocks);
}

static void allocs_store_take(struct kunit *test)
{
	struct allocs_kunit *k = test->priv;
	unsigned long p = ak_addr(&k->t, 0, 0), q = ak_addr(&k->t, 0, 1);

	KUNIT_EXPECT_TRUE(test, ak_store(k, p, 100, true, 0));
	KUNIT_EXPECT_TRUE(test, ak_store(k, q, 24, true, 0));
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 2UL);
	ak_expect_held(test, k, 2, 124);
	KUNIT_EXPECT_EQ(test, ak_take(k, p), (size_t)100);
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 1UL);
	ak_expect_held(test, k, 1, 24);
	/* A second free of the same block, or one never seen allocated. */
	KUNIT_EXPECT_EQ(test, ak_take(k, p), (size_t)0);
	KUNIT_EXPECT_EQ(test, ak_take(k, ak_addr(&k->t, 1, 0)), (size_t)0);
	KUNIT_EXPECT_EQ(test, ak_take(k, q), (size_t)24);
	ak_expect_held(test, k, 0, 0);
	/* kmalloc(0) and failures are not recorded, kfree(NULL) finds none. */
	KUNIT_EXPECT_TRUE(test, ak_store(k, (unsigned long)ZERO_SIZE_PTR, 0,
					 true, 0));
	KUNIT_EXPECT_TRUE(test, ak_store(k, 0, 8, true, 0));
	KUNIT_EXPECT_EQ(test, ak_take(k, 0), (size_t)0);
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 0UL);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&k->t.lost), 0L);
	ak_expect_held(test, k, 0, 0);
}

/* A record whose free was not seen: the next allocation of it replaces it. */
static void allocs_stale(struct kunit *test)
{
	struct allocs_kunit *k = test->priv;
	unsigned long p = ak_addr(&k->t, 1, 0);

	KUNIT_EXPECT_TRUE(test, ak_store(k, p, 100, true, 0));
	/* The same size again: told twice, says store. */
	KUNIT_EXPECT_FALSE(test, ak_store(k, p, 100, true, 0));
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 1UL);
	ak_expect_held(test, k, 1, 100);
	/* Another size, by a task of no row: the row no longer holds it. */
	KUNIT_EXPECT_TRUE(test, ak_store(k, p, 40, false, 0));
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 1UL);
	ak_expect_held(test, k, 0, 0);
	KUNIT_EXPECT_EQ(test, ak_take(k, p), (size_t)40);
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 0UL);
}

/* A full bucket drops the record and counts it; other buckets still take. */
static void allocs_full_bucket(struct kunit *test)
{
	struct allocs_kunit *k = test->priv;
	unsigned long extra = ak_addr(&k->t, 0, TRACER_ALLOC_WAYS);
	unsigned int i;

	for (i = 0; i < TRACER_ALLOC_WAYS; i++)
		KUNIT_EXPECT_TRUE(test, ak_store(k, ak_addr(&k->t, 0, i),
						 i + 1, true, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&k->t.lost), 0L);
	KUNIT_EXPECT_TRUE(test, ak_store(k, extra, 1000, true, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&k->t.lost), 1L);
	KUNIT_EXPECT_EQ(test, table_used(&k->t), (unsigned long)TRACER_ALLOC_WAYS);
	ak_expect_held(test, k, TRACER_ALLOC_WAYS,
		       TRACER_ALLOC_WAYS * (TRACER_ALLOC_WAYS + 1) / 2);
	/* Its kfree reports 0 bytes, and no row held it. */
	KUNIT_EXPECT_EQ(test, ak_take(k, extra), (size_t)0);
	KUNIT_EXPECT_TRUE(test, ak_store(k, ak_addr(&k->t, 1, 0), 7, true, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&k->t.lost), 1L);
	/* A slot freed takes the next one. */
	KUNIT_EXPECT_EQ(test, ak_take(k, ak_addr(&k->t, 0, 2)), (size_t)3);
	KUNIT_EXPECT_TRUE(test, ak_store(k, extra, 1000, true, 0));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&k->t.lost), 1L);
	KUNIT_EXPECT_EQ(test, ak_take(k, extra), (size_t)1000);
	table_clear(&k->t);
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 0UL);
	ak_expect_held(test, k, 0, 0);
}

/* A cgroup slot to be used again leaves every record, and only it. */
static void allocs_forget_cgroup(struct kunit *test)
{
	struct allocs_kunit *k = test->priv;
	unsigned long p = ak_addr(&k->t, 0, 0), q = ak_addr(&k->t, 1, 0);
	unsigned long r = ak_addr(&k->t, 1, 1);

	ak_store(k, p, 10, true, BIT(3) | BIT(5));
	ak_store(k, q, 20, false, BIT(3));
	ak_store(k, r, 30, true, BIT(0) | BIT(BITS_PER_LONG - 1));
	table_forget_cgroup(&k->t, 3);
	KUNIT_EXPECT_EQ(test, ak_cgroups(&k->t, p), BIT(5));
	KUNIT_EXPECT_EQ(test, ak_cgroups(&k->t, q), 0UL);
	KUNIT_EXPECT_EQ(test, ak_cgroups(&k->t, r),
			BIT(0) | BIT(BITS_PER_LONG - 1));
	table_forget_cgroup(&k->t, BITS_PER_LONG - 1);
	KUNIT_EXPECT_EQ(test, ak_cgroups(&k->t, r), BIT(0));
	/* The records themselves stay. */
	KUNIT_EXPECT_EQ(test, table_used(&k->t), 3UL);
	ak_expect_held(test, k, 2, 40);
	KUNIT_EXPECT_EQ(test, ak_take(k, p), (size_t)10);
	KUNIT_EXPECT_EQ(test, ak_take(k, q), (size_t)20);
	KUNIT_EXPECT_EQ(test, ak_take(k, r), (size_t)30);
	ak_expect_held(test, k, 0, 0);
}

static struct kunit_case allocs_kunit_cases[] = {
	KUNIT_CASE(allocs_store_take),
	KUNIT_CASE(allocs_stale),
	KUNIT_CASE(allocs_full_bucket),
	KUNIT_CASE(allocs_forget_cgroup),
	{}
};

static struct kunit_suite allocs_kunit_suite = {
	.name = "tracer-allocs",
	.init = allocs_kunit_init,
	.exit = allocs_kunit_exit,
	.test_cases = allocs_kunit_cases,
};

kunit_test_suite(allocs_kunit_suite);
