/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_MONITOR_H
#define _TRACER_MONITOR_H

#include <linux/types.h>

struct file;
struct poll_table_struct;
struct seq_file;
struct task_struct;

int tracer_monitor_init(void);
void tracer_monitor_exit(void);
int tracer_monitor_open(struct file *file);
void tracer_monitor_release(struct file *file);
long tracer_monitor_ioctl(struct file *file, unsigned int cmd,
			  void __user *arg);
ssize_t tracer_monitor_read(struct file *file, char __user *buf, size_t count);
__poll_t tracer_monitor_poll(struct file *file, struct poll_table_struct *pt);
void tracer_monitor_show(struct seq_file *m);
void tracer_monitor_task_fork(struct task_struct *parent,
			      struct task_struct *child, bool thread);
void tracer_monitor_task_exec(struct task_struct *task, pid_t old_pid);
void tracer_monitor_task_exit(struct task_struct *task, bool ended);

#endif /* _TRACER_MONITOR_H */
