// SPDX-License-Identifier: GPL-2.0
/* 5.14 renamed task_struct::state to __state. */
#include <linux/sched.h>

unsigned int tracer_probe(struct task_struct *t);
unsigned int tracer_probe(struct task_struct *t)
{
	return READ_ONCE(t->__state);
}
