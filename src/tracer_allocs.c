// SPDX-License-Identifier: GPL-2.0
/*
 * Outstanding allocations of registered processes: address -> bytes
 * requested, so that kfree can report the bytes it gives back.
 *
 * The probes cannot allocate (the kmalloc probe would recurse), so this is
 * a fixed table allocated at load time: an address hashes to a bucket of
 * TRACER_ALLOC_WAYS slots whose addresses fill one cache line, so a lookup
 * reads one line. Slots are claimed and released with cmpxchg on the
 * address, so no lock is taken. When the bucket is full the record is
 * dropped and counted as lost: its kfree then reports 0 bytes.
 */
#include <linux/cache.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "tracer_allocs.h"

#define TRACER_ALLOC_WAYS (SMP_CACHE_BYTES / sizeof(unsigned long))

struct tracer_alloc_bucket {
	unsigned long ptr[TRACER_ALLOC_WAYS];	/* 0: free */
	unsigned long bytes[TRACER_ALLOC_WAYS];
};

static unsigned int alloc_slots = 65536;
module_param(alloc_slots, uint, 0444);
MODULE_PARM_DESC(alloc_slots,
		 "Outstanding allocations remembered for kfree_mem (rounded up to a power of two)");

static struct tracer_alloc_bucket *buckets;
static unsigned int buckets_bits;
static atomic_long_t allocs_lost = ATOMIC_LONG_INIT(0);

static struct tracer_alloc_bucket *alloc_bucket(unsigned long ptr)
{
	return &buckets[hash_long(ptr, buckets_bits)];
}

/*
 * Remembers that @ptr holds @bytes. Returns false if that very record was
 * there already: the same allocation told twice, or a block whose free was
 * not seen allocated again with the same size.
 */
bool tracer_allocs_store(const void *ptr, size_t bytes)
{
	unsigned long p = (unsigned long)ptr;
	struct tracer_alloc_bucket *b;
	unsigned int i;

	if (ZERO_OR_NULL_PTR(ptr))
		return true;

	b = alloc_bucket(p);
	/* A record left by a free we could not see: this is the same block. */
	for (i = 0; i < TRACER_ALLOC_WAYS; i++) {
		if (READ_ONCE(b->ptr[i]) == p)
			return xchg(&b->bytes[i], bytes) != bytes;
	}
	for (i = 0; i < TRACER_ALLOC_WAYS; i++) {
		if (!READ_ONCE(b->ptr[i]) && !cmpxchg(&b->ptr[i], 0, p)) {
			/* Published before kmalloc returns: a kfree comes later. */
			WRITE_ONCE(b->bytes[i], bytes);
			return true;
		}
	}
	atomic_long_inc(&allocs_lost);
	return true;
}

/* Forget the record of @ptr and return its bytes (0 when there is none). */
size_t tracer_allocs_take(const void *ptr)
{
	unsigned long p = (unsigned long)ptr;
	struct tracer_alloc_bucket *b;
	unsigned long bytes;
	unsigned int i;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;

	b = alloc_bucket(p);
	for (i = 0; i < TRACER_ALLOC_WAYS; i++) {
		if (READ_ONCE(b->ptr[i]) != p)
			continue;
		bytes = READ_ONCE(b->bytes[i]);
		if (cmpxchg(&b->ptr[i], p, 0) == p)
			return bytes;
	}
	return 0;
}

/* Only while no probe runs: records go stale once frees are not seen. */
void tracer_allocs_clear(void)
{
	memset(buckets, 0, sizeof(*buckets) << buckets_bits);
}

void tracer_allocs_show(struct seq_file *m)
{
	unsigned long used = 0;
	unsigned int i, w;

	for (i = 0; i < 1U << buckets_bits; i++)
		for (w = 0; w < TRACER_ALLOC_WAYS; w++)
			used += !!READ_ONCE(buckets[i].ptr[w]);
	seq_printf(m, "alloc_records: %lu\nalloc_slots: %lu\nalloc_records_lost: %ld\n",
		   used, TRACER_ALLOC_WAYS << buckets_bits,
		   atomic_long_read(&allocs_lost));
}

int tracer_allocs_init(void)
{
	if (alloc_slots > 1U << 24)
		return -EINVAL;
	/* At least 2 buckets: hash_long() cannot make 0 bits. */
	buckets_bits = order_base_2(max_t(unsigned long, 2,
					  DIV_ROUND_UP(alloc_slots, TRACER_ALLOC_WAYS)));
	buckets = kvcalloc(1U << buckets_bits, sizeof(*buckets), GFP_KERNEL);
	return buckets ? 0 : -ENOMEM;
}

void tracer_allocs_exit(void)
{
	kvfree(buckets);
}
