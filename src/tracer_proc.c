// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/tracer: a header, then one row per registered process, PIDs as
 * seen from the PID namespace of this procfs mount (rows outside it are
 * not shown), like /proc itself, and only the rows of processes whoever
 * opened the file may inspect (tracer_perm.c): counts of other users'
 * processes are theirs, and a descriptor passed to a set-user-ID program
 * shows it no more.
 * /proc/tracer_held: the same rows, what each holds (tracer_counts.h).
 * /proc/tracer_cgroups: the registered cgroups' rows (tracer_cgroups.c).
 * /proc/tracer_status: what is hooked, what was lost, key: value lines.
 *
 * The seq_file position of a row is its table cursor + 1 (0 is the
 * header), so every read() resumes where the previous one stopped and
 * reading 100,000 rows stays linear. A row added or removed in a bucket
 * between two read() calls can make another row of that bucket show
 * twice or not at all in that pass; rows never show torn.
 */
#include <linux/fs.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "tracer.h"
#include "tracer_allocs.h"
#include "tracer_cgroups.h"
#include "tracer_forks.h"
#include "tracer_lifecycle.h"
#include "tracer_monitor.h"
#include "tracer_perm.h"
#include "tracer_probes.h"
#include "tracer_proc.h"
#include "tracer_rows.h"

#define TRACER_PROC_ROWS	"tracer"
#define TRACER_PROC_HELD	"tracer_held"
#define TRACER_PROC_CGROUPS	"tracer_cgroups"
#define TRACER_PROC_STATUS	"tracer_status"

static void *rows_at(loff_t *pos)
{
	loff_t cursor = *pos - 1;
	struct tracer_row *row = tracer_rows_seek(&cursor);

	*pos = cursor + 1;
	return row;
}

static void *rows_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return *pos ? rows_at(pos) : SEQ_START_TOKEN;
}

static void *rows_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return rows_at(pos);
}

static void rows_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

/* The PID of @row for this file's reader, 0 if the row is not shown. */
static pid_t row_visible(struct seq_file *m, const struct tracer_row *row)
{
	pid_t nr = pid_nr_ns(row->pid, proc_pid_ns(file_inode(m->file)->i_sb));
	struct task_struct *task = pid_task(row->pid, PIDTYPE_PID);

	if (!nr || !task || !tracer_may_read_counts(m->file->f_cred, task))
		return 0;
	return nr;
}

static int rows_show(struct seq_file *m, void *v)
{
	const struct tracer_row *row = v;
	u64 c[TRACER_NR_COUNTERS];
	pid_t nr;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "PID     kmalloc  kfree    kmalloc_mem  kfree_mem    sched    up       down     lock     unlock\n");
		return 0;
	}
	nr = row_visible(m, row);
	if (!nr)
		return SEQ_SKIP;
	tracer_counts_read(&row->counts, c);
	seq_printf(m, "%-7d %-8llu %-8llu %-12llu %-12llu %-8llu %-8llu %-8llu %-8llu %llu\n",
		   nr, c[TRACER_KMALLOC], c[TRACER_KFREE],
		   c[TRACER_KMALLOC_MEM], c[TRACER_KFREE_MEM], c[TRACER_SCHED],
		   c[TRACER_UP], c[TRACER_DOWN], c[TRACER_LOCK],
		   c[TRACER_UNLOCK]);
	return 0;
}

static int held_show(struct seq_file *m, void *v)
{
	const struct tracer_row *row = v;
	pid_t nr;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, "PID     held     held_mem\n");
		return 0;
	}
	nr = row_visible(m, row);
	if (!nr)
		return SEQ_SKIP;
	seq_printf(m, "%-7d %-8lld %lld\n", nr,
		   (s64)atomic64_read(&row->counts.held),
		   (s64)atomic64_read(&row->counts.held_mem));
	return 0;
}

static const struct seq_operations rows_seq_ops = {
	.start = rows_start,
	.next = rows_next,
	.stop = rows_stop,
	.show = rows_show,
};

static const struct seq_operations held_seq_ops = {
	.start = rows_start,
	.next = rows_next,
	.stop = rows_stop,
	.show = held_show,
};

static int status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "version: %s\nrows: %u\n", TRACER_VERSION,
		   tracer_rows_count());
	tracer_allocs_show(m);
	tracer_probes_show(m);
	tracer_lifecycle_show(m);
	tracer_forks_show(m);
	tracer_rows_show(m);
	tracer_cgroups_show(m);
	tracer_monitor_show(m);
	return 0;
}

int tracer_proc_init(void)
{
	if (!proc_create_seq(TRACER_PROC_ROWS, 0444, NULL, &rows_seq_ops))
		return -ENOMEM;
	if (!proc_create_seq(TRACER_PROC_HELD, 0444, NULL, &held_seq_ops))
		goto out_rows;
	if (!proc_create_single(TRACER_PROC_CGROUPS, 0444, NULL,
				tracer_cgroups_rows_show))
		goto out_held;
	if (!proc_create_single(TRACER_PROC_STATUS, 0444, NULL, status_show))
		goto out_cgroups;
	return 0;

out_cgroups:
	remove_proc_entry(TRACER_PROC_CGROUPS, NULL);
out_held:
	remove_proc_entry(TRACER_PROC_HELD, NULL);
out_rows:
	remove_proc_entry(TRACER_PROC_ROWS, NULL);
	return -ENOMEM;
}

void tracer_proc_exit(void)
{
	remove_proc_entry(TRACER_PROC_STATUS, NULL);
	remove_proc_entry(TRACER_PROC_CGROUPS, NULL);
	remove_proc_entry(TRACER_PROC_HELD, NULL);
	remove_proc_entry(TRACER_PROC_ROWS, NULL);
}
