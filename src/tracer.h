/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_H
#define _TRACER_H

#include <linux/atomic.h>
#include <linux/pid.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#define TRACER_VERSION "0.1.0"

/* tracer_allocs.c */
int tracer_allocs_init(void);
void tracer_allocs_exit(void);
bool tracer_allocs_store(const void *ptr, size_t bytes);
size_t tracer_allocs_take(const void *ptr);
void tracer_allocs_clear(void);
void tracer_allocs_show(struct seq_file *m);

/* tracer_probes.c */
int tracer_probes_init(void);
void tracer_probes_exit(void);
void tracer_probes_show(struct seq_file *m);

/* tracer_forks.c */
int tracer_forks_init(void);
void tracer_forks_exit(void);
void tracer_forks_show(struct seq_file *m);

/* tracer_memscan.c: one snapshot of /proc/memory_info, sets by name. */
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

/* tracer_meminfo.c */
int tracer_meminfo_init(void);
void tracer_meminfo_exit(void);

/* tracer_perm.c */
bool tracer_may_inspect(struct task_struct *task);
struct cred;
bool tracer_may_read_counts(const struct cred *cred, struct task_struct *task);

/* tracer_proc.c */
int tracer_proc_init(void);
void tracer_proc_exit(void);

/* tracer_dev.c */
int tracer_dev_init(void);
void tracer_dev_exit(void);

#endif /* _TRACER_H */
