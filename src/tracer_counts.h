/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_COUNTS_H
#define _TRACER_COUNTS_H

#include <linux/atomic.h>
#include <linux/types.h>

/* The columns of /proc/tracer after the PID, in order. */
enum tracer_counter {
	TRACER_KMALLOC,
	TRACER_KFREE,
	TRACER_KMALLOC_MEM,
	TRACER_KFREE_MEM,
	TRACER_SCHED,
	TRACER_UP,
	TRACER_DOWN,
	TRACER_LOCK,
	TRACER_UNLOCK,
	TRACER_NR_COUNTERS
};

/*
 * What a row counts, process, thread or cgroup alike. held and held_mem
 * are the blocks (and bytes requested) its tasks allocated that the
 * allocation table still holds: nobody has freed them yet.
 */
struct tracer_counts {
	atomic64_t count[TRACER_NR_COUNTERS];
	atomic64_t held;
	atomic64_t held_mem;
};

static inline void tracer_counts_add(struct tracer_counts *c,
				     enum tracer_counter calls,
				     enum tracer_counter bytes, size_t size)
{
	atomic64_inc(&c->count[calls]);
	if (size)
		atomic64_add(size, &c->count[bytes]);
}

/* @blocks is 1 for a block kept, -1 for one given back. */
static inline void tracer_counts_hold(struct tracer_counts *c, int blocks,
				      size_t bytes)
{
	atomic64_add(blocks, &c->held);
	atomic64_add(blocks * (s64)bytes, &c->held_mem);
}

static inline void tracer_counts_read(const struct tracer_counts *c,
				      u64 *counts)
{
	int i;

	for (i = 0; i < TRACER_NR_COUNTERS; i++)
		counts[i] = atomic64_read(&c->count[i]);
}

#endif /* _TRACER_COUNTS_H */
