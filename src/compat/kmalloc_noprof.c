// SPDX-License-Identifier: GPL-2.0
/* 6.10: allocation profiling renamed the out-of-line kmalloc functions. */
#include <linux/slab.h>

void *tracer_probe(void);
void *tracer_probe(void)
{
	return __kmalloc_noprof(1, GFP_KERNEL);
}
