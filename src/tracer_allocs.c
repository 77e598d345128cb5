// SPDX-License-Identifier: GPL-2.0
/*
 * Outstanding allocations of registered processes and cgroups: address ->
 * bytes requested, so that kfree can report the bytes it gives back, and
 * the rows the block counts in, so that each row knows what it holds.
 *
 * The probes cannot allocate (the kmalloc probe would recurse), so this is
 * a fixed table allocated at load time: an address hashes to a bucket of
 * TRACER_ALLOC_WAYS slots whose addresses fill one cache line, so a lookup
 * reads one line. Slots are claimed and released with cmpxchg on the
 * address, so no lock is taken; the rest of a record is written by the
 * allocation that claimed it, before kmalloc returns the block, and read
 * by the free that releases it. When the bucket is full the record is
 * dropped and counted as lost: its kfree then reports 0 bytes, and no row
 * holds it.
 *
 * Most blocks freed were never recorded (their task is not registered),
 * and each bucket has a count beside the table: a bucket counted empty
 * holds no record, which one word tells without reading its line.
 *
 * A record holds a reference on its process (or thread) row, which may be
 * unlinked meanwhile, and the set of cgroup slots (tracer_cgroups.c) its
 * block counts in: a slot is emptied in every record before it is used
 * again.
 */
#include <linux/cache.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "tracer_allocs.h"
#include "tracer_cgroups.h"
#include "tracer_rows.h"

#define TRACER_ALLOC_WAYS (SMP_CACHE_BYTES / sizeof(unsigned long))

struct tracer_alloc_bucket {
	unsigned long ptr[TRACER_ALLOC_WAYS];	/* 0: free */
	unsigned long bytes[TRACER_ALLOC_WAYS];
	struct tracer_row *row[TRACER_ALLOC_WAYS];
	unsigned long cgroups[TRACER_ALLOC_WAYS];	/* bit: cgroup slot */
};

static unsigned int alloc_slots = 65536;
module_param(alloc_slots, uint, 0444);
MODULE_PARM_DESC(alloc_slots,
		 "Outstanding allocations remembered for kfree_mem (rounded up to a power of two)");

/*
 * The module's table is the one instance; the KUnit tests make their own.
 * The exported functions pass its constant address to always inlined
 * bodies, so the probes read its fields as plain globals.
 */
struct alloc_table {
	struct tracer_alloc_bucket *buckets;
	/*
	 * Records in each bucket, or more: raised before a slot is claimed,
	 * lowered after it is released. A block's record is stored before
	 * kmalloc returns it, so whoever frees the block sees the raise.
	 */
	atomic_t *used;
	unsigned int bits;
	atomic_long_t lost;
};

static struct alloc_table allocs = { .lost = ATOMIC_LONG_INIT(0) };

static __always_inline unsigned long
alloc_hash(const struct alloc_table *t, unsigned long ptr)
{
	return hash_long(ptr, t->bits);
}

/* The slot of @p in @b, or -1: an address has one record at most. */
static __always_inline int slot_find(const struct tracer_alloc_bucket *b,
				     unsigned long p)
{
	int i;

	for (i = 0; i < TRACER_ALLOC_WAYS; i++)
		if (READ_ONCE(b->ptr[i]) == p)
			return i;
	return -1;
}

static void record_fill(struct tracer_alloc_bucket *b, unsigned int i,
			size_t bytes, struct tracer_row *row,
			unsigned long cgroups)
{
	row = row ? tracer_row_get(row) : NULL;
	WRITE_ONCE(b->bytes[i], bytes);
	WRITE_ONCE(b->row[i], row);
	WRITE_ONCE(b->cgroups[i], cgroups);
	if (row)
		tracer_counts_hold(&row->counts, 1, bytes);
	if (cgroups)
		tracer_cgroups_hold(cgroups, 1, bytes);
}

/* The block is given back, or was without our seeing it. */
static void record_release(size_t bytes, struct tracer_row *row,
			   unsigned long cgroups)
{
	if (row) {
		tracer_counts_hold(&row->counts, -1, bytes);
		tracer_row_put(row);
	}
	if (cgroups)
		tracer_cgroups_hold(cgroups, -1, bytes);
}

static __always_inline bool table_store(struct alloc_table *t, const void *ptr,
					size_t bytes, struct tracer_row *row,
					unsigned long cgroups)
{
	unsigned long p = (unsigned long)ptr, h;
	struct tracer_alloc_bucket *b;
	unsigned int i;
	int old_slot;

	if (ZERO_OR_NULL_PTR(ptr))
		return true;

	h = alloc_hash(t, p);
	b = &t->buckets[h];
	/*
	 * A record left by a free we could not see: the block is this one
	 * now. Nobody else can free or allocate it meanwhile.
	 */
	old_slot = atomic_read(&t->used[h]) ? slot_find(b, p) : -1;
	if (old_slot >= 0) {
		size_t old = READ_ONCE(b->bytes[old_slot]);

		record_release(old, READ_ONCE(b->row[old_slot]),
			       READ_ONCE(b->cgroups[old_slot]));
		record_fill(b, old_slot, bytes, row, cgroups);
		return old != bytes;
	}
	/* Ordered before the claim by cmpxchg(), which is fully ordered. */
	atomic_inc(&t->used[h]);
	for (i = 0; i < TRACER_ALLOC_WAYS; i++) {
		if (!READ_ONCE(b->ptr[i]) && !cmpxchg(&b->ptr[i], 0, p)) {
			record_fill(b, i, bytes, row, cgroups);
			return true;
		}
	}
	atomic_dec(&t->used[h]);
	atomic_long_inc(&t->lost);
	return true;
}

/*
 * Remembers that @ptr holds @bytes, allocated by a task counting in @row
 * (may be NULL) and in the cgroup slots @cgroups. Returns false if a
 * record of the same size was there already: the same allocation told
 * twice, or a block whose free was not seen allocated again with the same
 * size.
 */
bool tracer_allocs_store(const void *ptr, size_t bytes, struct tracer_row *row,
			 unsigned long cgroups)
{
	return table_store(&allocs, ptr, bytes, row, cgroups);
}

static __always_inline size_t table_take(struct alloc_table *t,
					 const void *ptr)
{
	unsigned long p = (unsigned long)ptr, cgroups, h;
	struct tracer_alloc_bucket *b;
	struct tracer_row *row;
	unsigned long bytes;
	int i;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;

	h = alloc_hash(t, p);
	if (!atomic_read(&t->used[h]))
		return 0;
	b = &t->buckets[h];
	i = slot_find(b, p);
	if (i < 0)
		return 0;
	bytes = READ_ONCE(b->bytes[i]);
	row = READ_ONCE(b->row[i]);
	cgroups = READ_ONCE(b->cgroups[i]);
	/* Only a stale record's free and a new allocation race for it. */
	if (cmpxchg(&b->ptr[i], p, 0) != p)
		return 0;
	atomic_dec(&t->used[h]);
	record_release(bytes, row, cgroups);
	return bytes;
}

/* Forget the record of @ptr and return its bytes (0 when there is none). */
size_t tracer_allocs_take(const void *ptr)
{
	return table_take(&allocs, ptr);
}

static void table_forget_cgroup(struct alloc_table *t, unsigned int slot)
{
	unsigned int i, w;

	for (i = 0; i < 1U << t->bits; i++) {
		for (w = 0; w < TRACER_ALLOC_WAYS; w++)
			clear_bit(slot, &t->buckets[i].cgroups[w]);
		cond_resched();
	}
}

/*
 * Cgroup slot @slot is no longer published and no probe sees it any more
 * (a grace period passed): no record may name it when it is used again.
 * A record being filled meanwhile cannot name it either, and the atomic
 * bit operation cannot undo that write.
 */
void tracer_allocs_forget_cgroup(unsigned int slot)
{
	table_forget_cgroup(&allocs, slot);
}

static void table_clear(struct alloc_table *t)
{
	struct tracer_alloc_bucket *b;
	unsigned int i, w;

	for (i = 0; i < 1U << t->bits; i++) {
		b = &t->buckets[i];
		for (w = 0; w < TRACER_ALLOC_WAYS; w++)
			if (b->ptr[w])
				record_release(b->bytes[w], b->row[w],
					       b->cgroups[w]);
	}
	memset(t->buckets, 0, sizeof(*t->buckets) << t->bits);
	memset(t->used, 0, sizeof(*t->used) << t->bits);
}

/* Only while no probe runs: records go stale once frees are not seen. */
void tracer_allocs_clear(void)
{
	table_clear(&allocs);
}

static unsigned long table_used(const struct alloc_table *t)
{
	unsigned long used = 0;
	unsigned int i, w;

	for (i = 0; i < 1U << t->bits; i++)
		for (w = 0; w < TRACER_ALLOC_WAYS; w++)
			used += !!READ_ONCE(t->buckets[i].ptr[w]);
	return used;
}

void tracer_allocs_show(struct seq_file *m)
{
	seq_printf(m, "alloc_records: %lu\nalloc_slots: %lu\nalloc_records_lost: %ld\n",
		   table_used(&allocs), TRACER_ALLOC_WAYS << allocs.bits,
		   atomic_long_read(&allocs.lost));
}

/* A table of @slots records at least, rounded up to a power of two. */
static int table_init(struct alloc_table *t, unsigned int slots)
{
	/* At least 2 buckets: hash_long() cannot make 0 bits. */
	t->bits = order_base_2(max_t(unsigned long, 2,
				     DIV_ROUND_UP(slots, TRACER_ALLOC_WAYS)));
	t->buckets = kvcalloc(1U << t->bits, sizeof(*t->buckets), GFP_KERNEL);
	t->used = kvcalloc(1U << t->bits, sizeof(*t->used), GFP_KERNEL);
	if (t->buckets && t->used)
		return 0;
	kvfree(t->buckets);
	kvfree(t->used);
	return -ENOMEM;
}

static void table_free(struct alloc_table *t)
{
	kvfree(t->buckets);
	kvfree(t->used);
}

int tracer_allocs_init(void)
{
	if (alloc_slots > 1U << 24)
		return -EINVAL;
	return table_init(&allocs, alloc_slots);
}

void tracer_allocs_exit(void)
{
	table_free(&allocs);
}

#ifdef TRACER_KUNIT
#include "tests/tracer_allocs_kunit.c"
#endif
