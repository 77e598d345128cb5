/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_MEMSCAN_H
#define _TRACER_MEMSCAN_H

#include <linux/sched.h>
#include <linux/types.h>

/* One snapshot of /proc/memory_info, sets by name. */
struct tracer_memset {
	char name[TASK_COMM_LEN];
	u64 total, valid, shared, groups;
	unsigned int nr_pids;
	pid_t *pids;		/* ascending, in the snapshot's pool */
	bool deleted;
};

struct tracer_memsnap {
	unsigned int nr_sets;
	struct tracer_memset *sets;
	pid_t *pids;
};

void tracer_memscan_init(void);
struct tracer_memsnap *tracer_memscan(void);
void tracer_memsnap_free(struct tracer_memsnap *snap);

#endif /* _TRACER_MEMSCAN_H */
