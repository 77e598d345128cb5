/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_CGROUPS_H
#define _TRACER_CGROUPS_H

#include <linux/types.h>

#include "tracer_counts.h"

struct seq_file;

/* One bit of a mask per registered cgroup: the mask fits a word. */
#define TRACER_CGROUPS_MAX BITS_PER_LONG

int tracer_cgroups_add(int fd);
int tracer_cgroups_remove(int fd);
unsigned long tracer_cgroups_current(void);
void tracer_cgroups_count(unsigned long cgroups, enum tracer_counter calls,
			  enum tracer_counter bytes, size_t size);
void tracer_cgroups_hold(unsigned long cgroups, int blocks, size_t bytes);
int tracer_cgroups_rows_show(struct seq_file *m, void *v);
void tracer_cgroups_show(struct seq_file *m);
void tracer_cgroups_exit(void);

#endif /* _TRACER_CGROUPS_H */
