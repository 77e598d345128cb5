// SPDX-License-Identifier: GPL-2.0
/* 5.11: kmap_local_page(), which does not disable preemption. */
#include <linux/highmem.h>

void *tracer_probe(struct page *page);
void *tracer_probe(struct page *page)
{
	return kmap_local_page(page);
}
