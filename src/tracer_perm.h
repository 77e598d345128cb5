/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TRACER_PERM_H
#define _TRACER_PERM_H

#include <linux/types.h>
#include <linux/uidgid.h>

struct cred;
struct task_struct;

bool tracer_may_inspect(struct task_struct *task);
bool tracer_may_read_counts(const struct cred *cred, struct task_struct *task);
bool tracer_may_count_cgroup(const struct cred *cred, kuid_t owner);

#endif /* _TRACER_PERM_H */
