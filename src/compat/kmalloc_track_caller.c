// SPDX-License-Identifier: GPL-2.0
/*
 * Before 6.1 kmalloc_track_caller() (kstrdup, kmemdup...) called a function
 * of its own, not __kmalloc_node_track_caller().
 */
#include <linux/slab.h>

void *tracer_probe(void);
void *tracer_probe(void)
{
	return __kmalloc_track_caller(1, GFP_KERNEL, 0);
}
