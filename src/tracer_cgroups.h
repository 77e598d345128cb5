/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_CGROUPS_H
#define _TRACER_CGROUPS_H

#include <linux/errno.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#include "tracer_counts.h"

#define TRACER_CGROUPS_HEADER \
	"CGROUP kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock held held_mem\n"

#ifdef CONFIG_CGROUPS
/* One bit of a mask per registered cgroup: the mask fits a word. */
#define TRACER_CGROUPS_MAX BITS_PER_LONG

/* Bit L: a registered cgroup is L levels below the root. */
extern unsigned long tracer_cg_levels;

int tracer_cgroups_add(int fd);
int tracer_cgroups_remove(int fd);
unsigned long __tracer_cgroups_current(unsigned long levels);

/* Inline: every counted call asks, and mostly no cgroup is registered. */
static inline unsigned long tracer_cgroups_current(void)
{
	unsigned long levels = READ_ONCE(tracer_cg_levels);

	return levels ? __tracer_cgroups_current(levels) : 0;
}

void tracer_cgroups_count(unsigned long cgroups, enum tracer_counter calls,
			  enum tracer_counter bytes, size_t size);
void tracer_cgroups_hold(unsigned long cgroups, int blocks, size_t bytes);
int tracer_cgroups_rows_show(struct seq_file *m, void *v);
void tracer_cgroups_show(struct seq_file *m);
void tracer_cgroups_exit(void);
#else
/* A kernel without cgroups: no cgroup is ever registered. */
static inline int tracer_cgroups_add(int fd) { return -EOPNOTSUPP; }
static inline int tracer_cgroups_remove(int fd) { return -EOPNOTSUPP; }
static inline unsigned long tracer_cgroups_current(void) { return 0; }
static inline void tracer_cgroups_count(unsigned long cgroups,
					enum tracer_counter calls,
					enum tracer_counter bytes, size_t size) {}
static inline void tracer_cgroups_hold(unsigned long cgroups, int blocks,
				       size_t bytes) {}
static inline int tracer_cgroups_rows_show(struct seq_file *m, void *v)
{
	seq_puts(m, TRACER_CGROUPS_HEADER);
	return 0;
}

static inline void tracer_cgroups_show(struct seq_file *m)
{
	seq_puts(m, "cgroups: 0\ncgroups_max: 0\n");
}

static inline void tracer_cgroups_exit(void) {}
#endif

#endif /* _TRACER_CGROUPS_H */
