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

/* The columns of /proc/tracer after the PID, in order. */
enum tracer_counter {
	TRACER_KMALLOC,
	TRACER_KFREE,
	TRACER_KMALLOC_MEM,
	TRACER_KFREE_MEM,
	TRACER_SCHED,
	TRACER_UP,
	TRACER_DOWN,
	TRACER_LOCK,
	TRACER_UNLOCK,
	TRACER_NR_COUNTERS
};

/*
 * One registered process (keyed by its TGID) or thread (keyed by its TID),
 * by global PID number. Probes find rows under RCU and only touch the
 * atomic counters; the row lock guards the table itself.
 */
struct tracer_row {
	struct hlist_node node;
	struct rcu_head rcu;
	struct pid *pid;
	pid_t nr;
	bool follow;		/* its new processes (threads) get rows */
	atomic64_t count[TRACER_NR_COUNTERS];
};

/* tracer_rows.c */
int tracer_rows_init(void);
void tracer_rows_exit(void);
int tracer_rows_add(pid_t vnr, bool follow);
int tracer_rows_remove(pid_t vnr);
void tracer_rows_task_fork(struct task_struct *parent,
			   struct task_struct *child);
void tracer_rows_task_exit(struct task_struct *task);
void tracer_rows_task_exec(struct task_struct *task, pid_t old_pid);
bool tracer_rows_counts(pid_t nr, u64 *counts);
void tracer_rows_show(struct seq_file *m);
struct tracer_row *tracer_row_current(void);
struct tracer_row *tracer_rows_seek(loff_t *cursor);
unsigned int tracer_rows_count(void);

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
int tracer_probes_get(void);
void tracer_probes_hold(void);
void tracer_probes_put(void);
struct tracepoint *tracer_tracepoint(const char *name);
void tracer_probes_show(struct seq_file *m);

/* tracer_forks.c */
int tracer_forks_init(void);
void tracer_forks_exit(void);
void tracer_forks_show(struct seq_file *m);

/* tracer_monitor.c */
struct file;
struct poll_table_struct;
int tracer_monitor_init(void);
void tracer_monitor_exit(void);
int tracer_monitor_open(struct file *file);
void tracer_monitor_release(struct file *file);
long tracer_monitor_ioctl(struct file *file, unsigned int cmd,
			  void __user *arg);
ssize_t tracer_monitor_read(struct file *file, char __user *buf, size_t count);
__poll_t tracer_monitor_poll(struct file *file, struct poll_table_struct *pt);
void tracer_monitor_show(struct seq_file *m);
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
bool tracer_may_inspect(struct task_struct *task, bool audit);
struct cred;
bool tracer_may_read_counts(const struct cred *cred, struct task_struct *task);

/* tracer_proc.c */
int tracer_proc_init(void);
void tracer_proc_exit(void);

/* tracer_dev.c */
int tracer_dev_init(void);
void tracer_dev_exit(void);

#endif /* _TRACER_H */
