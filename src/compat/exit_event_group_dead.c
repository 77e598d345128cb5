// SPDX-License-Identifier: GPL-2.0
/* 6.16: the sched_process_exit event says whether the group is dead. */
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

static void probe(void *data, struct task_struct *p, bool group_dead)
{
}

void tracer_probe(void);
void tracer_probe(void)
{
	check_trace_callback_type_sched_process_exit(probe);
}
