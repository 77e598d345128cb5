// SPDX-License-Identifier: GPL-2.0
/*
 * A check of the emulator, not of tracer (tests/vm/kprobe-smp/run.sh): a
 * kthread on every CPU calls mutex_lock() nonstop while the loader adds a
 * kprobe on it and removes it again, cycles times. Each removal patches
 * the text that the other CPU runs: with offset=0 an ftrace site, past it
 * an int3 probe, optimized into a jump while it waits.
 */
#include <linux/delay.h>
#include <linux/kprobes.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>

static int cycles = 20;
module_param(cycles, int, 0444);
static uint offset;
module_param(offset, uint, 0444);

static DEFINE_MUTEX(busy_lock);
static atomic_long_t hits;

static int count_hit(struct kprobe *p, struct pt_regs *regs)
{
	atomic_long_inc(&hits);
	return 0;
}

static int spin(void *unused)
{
	while (!kthread_should_stop()) {
		mutex_lock(&busy_lock);
		mutex_unlock(&busy_lock);
		cond_resched();
	}
	return 0;
}

static int __init kprobe_smp_init(void)
{
	struct task_struct **spinners;
	struct kprobe kp;
	int cpu, i, err = 0;
	long before;

	spinners = kcalloc(nr_cpu_ids, sizeof(*spinners), GFP_KERNEL);
	if (!spinners)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		spinners[cpu] = kthread_run_on_cpu(spin, NULL, cpu, "kprobe_smp/%u");
		if (IS_ERR(spinners[cpu])) {
			err = PTR_ERR(spinners[cpu]);
			spinners[cpu] = NULL;
			goto stop;
		}
	}
	for (i = 0; i < cycles; i++) {
		kp = (struct kprobe){ .symbol_name = "mutex_lock", .offset = offset,
				      .pre_handler = count_hit };
		err = register_kprobe(&kp);
		if (err)
			break;
		before = atomic_long_read(&hits);
		msleep(50);
		unregister_kprobe(&kp);
		/* A probe that was never hit tested no live patching. */
		if (atomic_long_read(&hits) == before) {
			err = -EAGAIN;
			break;
		}
	}
	pr_info("kprobe_smp: offset %u: %d removals, %ld hits, err %d\n",
		offset, i, atomic_long_read(&hits), err);
stop:
	for_each_online_cpu(cpu)
		if (spinners[cpu])
			kthread_stop(spinners[cpu]);
	kfree(spinners);
	return err;
}
module_init(kprobe_smp_init);

/* All was done at load: an exit, so that the guest can load it again. */
static void __exit kprobe_smp_exit(void)
{
}
module_exit(kprobe_smp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Removes a kprobe while other CPUs run its function");
