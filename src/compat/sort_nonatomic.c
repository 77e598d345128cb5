// SPDX-License-Identifier: GPL-2.0
/* 6.15: sort_nonatomic(), a sort() that calls cond_resched(). */
#include <linux/sort.h>

void tracer_probe(int *base, size_t num, cmp_func_t cmp);
void tracer_probe(int *base, size_t num, cmp_func_t cmp)
{
	sort_nonatomic(base, num, sizeof(*base), cmp, NULL);
}
