// SPDX-License-Identifier: GPL-2.0
/* 6.1: one kmalloc event for every variant, with the node. */
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

static void probe(void *data, unsigned long call_site, const void *ptr,
		  size_t bytes_req, size_t bytes_alloc, gfp_t gfp_flags,
		  int node)
{
}

void tracer_probe(void);
void tracer_probe(void)
{
	check_trace_callback_type_kmalloc(probe);
}
