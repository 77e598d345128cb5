// SPDX-License-Identifier: GPL-2.0
/* 6.17: system_wq is deprecated for system_dfl_wq and system_percpu_wq. */
#include <linux/workqueue.h>

bool tracer_probe(struct work_struct *w);
bool tracer_probe(struct work_struct *w)
{
	return queue_work(system_dfl_wq, w);
}
