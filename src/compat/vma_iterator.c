// SPDX-License-Identifier: GPL-2.0
/* 6.1: VMAs in a maple tree, walked with an iterator. */
#include <linux/mm.h>

unsigned long tracer_probe(struct mm_struct *mm);
unsigned long tracer_probe(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long n = 0;

	VMA_ITERATOR(vmi, mm, 0);
	for_each_vma(vmi, vma)
		n++;
	return n;
}
