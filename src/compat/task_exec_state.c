// SPDX-License-Identifier: GPL-2.0
/*
 * 7.x keeps dumpability, and the user namespace it is judged in, in the
 * task's exec state instead of its mm.
 */
#include <linux/sched.h>
#include <linux/sched/exec_state.h>

bool tracer_probe(struct task_struct *t);
bool tracer_probe(struct task_struct *t)
{
	return rcu_dereference_raw(t->exec_state)->dumpable == TASK_DUMPABLE_OWNER;
}
