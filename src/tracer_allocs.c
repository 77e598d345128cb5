// SPDX-License-Identifier: GPL-2.0
/*
 * Outstanding allocations of registered processes: address -> bytes
 * requested, so that kfree can report the bytes it gives back.
 *
 * The probes cannot allocate (the kmalloc probe would recurse), so this is
 * a fixed open-addressing table allocated at load time. An address lives
 * in one of TRACER_ALLOC_WINDOW slots after its hash; slots are claimed
 * and released with cmpxchg on the address, so no lock is taken. When the
 * window is full the record is dropped and counted as lost: its kfree then
 * reports 0 bytes.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "tracer.h"

#define TRACER_ALLOC_WINDOW 8

struct tracer_alloc {
	unsigned long ptr;	/* 0: free */
	unsigned long bytes;
};

static unsigned int alloc_slots = 65536;
module_param(alloc_slots, uint, 0444);
MODULE_PARM_DESC(alloc_slots,
		 "Outstanding allocations remembered for kfree_mem (rounded up to a power of two)");

static struct tracer_alloc *allocs;
static unsigned int allocs_bits;
static atomic_long_t allocs_lost = ATOMIC_LONG_INIT(0);

static struct tracer_alloc *alloc_slot(unsigned long ptr, unsigned int i)
{
	return &allocs[(hash_long(ptr, allocs_bits) + i) &
		       ((1U << allocs_bits) - 1)];
}

void tracer_allocs_store(const void *ptr, size_t bytes)
{
	unsigned long p = (unsigned long)ptr;
	struct tracer_alloc *a;
	unsigned int i;

	if (ZERO_OR_NULL_PTR(ptr))
		return;

	/* A record left by a free we could not see: this is the same block. */
	for (i = 0; i < TRACER_ALLOC_WINDOW; i++) {
		a = alloc_slot(p, i);
		if (READ_ONCE(a->ptr) == p) {
			WRITE_ONCE(a->bytes, bytes);
			return;
		}
	}
	for (i = 0; i < TRACER_ALLOC_WINDOW; i++) {
		a = alloc_slot(p, i);
		if (!READ_ONCE(a->ptr) && !cmpxchg(&a->ptr, 0, p)) {
			/* Published before kmalloc returns: a kfree comes later. */
			WRITE_ONCE(a->bytes, bytes);
			return;
		}
	}
	atomic_long_inc(&allocs_lost);
}

/* Forget the record of @ptr and return its bytes (0 when there is none). */
size_t tracer_allocs_take(const void *ptr)
{
	unsigned long p = (unsigned long)ptr;
	struct tracer_alloc *a;
	unsigned long bytes;
	unsigned int i;

	if (ZERO_OR_NULL_PTR(ptr))
		return 0;

	for (i = 0; i < TRACER_ALLOC_WINDOW; i++) {
		a = alloc_slot(p, i);
		if (READ_ONCE(a->ptr) != p)
			continue;
		bytes = READ_ONCE(a->bytes);
		if (cmpxchg(&a->ptr, p, 0) == p)
			return bytes;
	}
	return 0;
}

/* Only while no probe runs: records go stale once frees are not seen. */
void tracer_allocs_clear(void)
{
	memset(allocs, 0, sizeof(*allocs) << allocs_bits);
}

void tracer_allocs_show(struct seq_file *m)
{
	unsigned long used = 0;
	unsigned int i;

	for (i = 0; i < 1U << allocs_bits; i++)
		used += !!READ_ONCE(allocs[i].ptr);
	seq_printf(m, "alloc_records: %lu\nalloc_slots: %u\nalloc_records_lost: %ld\n",
		   used, 1U << allocs_bits, atomic_long_read(&allocs_lost));
}

int tracer_allocs_init(void)
{
	if (alloc_slots > 1U << 24)
		return -EINVAL;
	allocs_bits = order_base_2(max(alloc_slots, TRACER_ALLOC_WINDOW));
	allocs = kvcalloc(1U << allocs_bits, sizeof(*allocs), GFP_KERNEL);
	return allocs ? 0 : -ENOMEM;
}

void tracer_allocs_exit(void)
{
	kvfree(allocs);
}
