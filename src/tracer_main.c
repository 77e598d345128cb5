// SPDX-License-Identifier: GPL-2.0
/*
 * tracer: per-process counts of kmalloc/kfree (calls and bytes), schedule,
 * up, down_interruptible, mutex_lock and mutex_unlock, for the processes
 * registered through /dev/tracer, shown in /proc/tracer; every process
 * creation, in /proc/tracer_forks; the forks, execs and exits of watched
 * processes, told to the monitors watching them; and per process name,
 * page counts and identical read-only pages, in /proc/memory_info.
 */
#include <linux/module.h>

#include "tracer.h"
#include "tracer_allocs.h"
#include "tracer_cgroups.h"
#include "tracer_dev.h"
#include "tracer_forks.h"
#include "tracer_lifecycle.h"
#include "tracer_meminfo.h"
#include "tracer_monitor.h"
#include "tracer_probes.h"
#include "tracer_proc.h"
#include "tracer_rows.h"

/*
 * The probes take spinlocks with preemption disabled; on a real-time kernel
 * those are sleeping locks. dkms.conf skips such kernels before this.
 */
#ifdef CONFIG_PREEMPT_RT
#error "tracer does not support PREEMPT_RT: its probes take spinlocks, which sleep there"
#endif

/*
 * What users can open comes last: the /proc files after the state they
 * read, /dev/tracer after everything, and nothing can fail after it. A
 * failed init frees the module whatever references its files took while
 * it ran (do_init_module() does not wait for them): a proc file is revoked
 * by its removal, but a descriptor of the device would outlive the caches
 * and the text its release() needs.
 */
static int __init tracer_init(void)
{
	int err;

	err = tracer_forks_init();
	if (err)
		return err;
	err = tracer_allocs_init();
	if (err)
		goto out_forks;
	err = tracer_rows_init();
	if (err)
		goto out_allocs;
	err = tracer_probes_init();
	if (err)
		goto out_rows;
	err = tracer_monitor_init();
	if (err)
		goto out_probes;
	err = tracer_lifecycle_init();
	if (err)
		goto out_monitor;
	err = tracer_meminfo_init();
	if (err)
		goto out_lifecycle;
	err = tracer_proc_init();
	if (err)
		goto out_meminfo;
	err = tracer_dev_init();
	if (err)
		goto out_proc;
	return 0;

out_proc:
	tracer_proc_exit();
out_meminfo:
	tracer_meminfo_exit();
out_lifecycle:
	tracer_lifecycle_exit();
out_monitor:
	tracer_monitor_exit();
out_probes:
	tracer_probes_exit();
out_rows:
	tracer_rows_exit();
out_allocs:
	tracer_allocs_exit();
out_forks:
	tracer_forks_exit();
	return err;
}

static void __exit tracer_exit(void)
{
	tracer_dev_exit();
	tracer_proc_exit();
	tracer_meminfo_exit();
	tracer_lifecycle_exit();
	tracer_monitor_exit();
	tracer_cgroups_exit();
	tracer_probes_exit();
	tracer_rows_exit();
	tracer_allocs_exit();
	tracer_forks_exit();
}

module_init(tracer_init);
module_exit(tracer_exit);

MODULE_DESCRIPTION("Per-process counts of kernel operations");
MODULE_AUTHOR("The tracer developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(TRACER_VERSION);
