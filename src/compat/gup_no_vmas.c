// SPDX-License-Identifier: GPL-2.0
/* 6.5 removed the vmas argument of get_user_pages_remote(). */
#include <linux/mm.h>

long tracer_probe(struct mm_struct *mm, struct page **pages);
long tracer_probe(struct mm_struct *mm, struct page **pages)
{
	return get_user_pages_remote(mm, 0, 1, 0, pages, NULL);
}
