/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_ALLOCS_H
#define _TRACER_ALLOCS_H

#include <linux/types.h>

struct seq_file;
struct tracer_row;

int tracer_allocs_init(void);
void tracer_allocs_exit(void);
bool tracer_allocs_store(const void *ptr, size_t bytes, struct tracer_row *row,
			 unsigned long cgroups);
size_t tracer_allocs_take(const void *ptr);
void tracer_allocs_forget_cgroup(unsigned int slot);
void tracer_allocs_clear(void);
void tracer_allocs_show(struct seq_file *m);

#endif /* _TRACER_ALLOCS_H */
