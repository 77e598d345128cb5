// SPDX-License-Identifier: GPL-2.0
/*
 * Bench-only: the seed assignment's design, as a reference to measure
 * tracer against. A kretprobe (maxactive 32) on each function; the
 * handlers look the current PID up in a hash table under one spinlock;
 * kmalloc's return handler keeps an (address, size) record in a list per
 * process, allocated with GFP_ATOMIC, which kfree's handler searches.
 * /dev/tracer (10:42) takes TRACER_ADD_PROCESS / TRACER_REMOVE_PROCESS.
 * Missed hits are printed at unload: "seed_ref: missed FUNCTION N".
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/kprobes.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "../../src/compat.h"
#include "../../src/uapi/tracer.h"

enum { C_KMALLOC, C_KFREE, C_KMALLOC_MEM, C_KFREE_MEM, C_SCHED, C_UP, C_DOWN,
	C_LOCK, C_UNLOCK, C_NR };

struct ref_alloc {
	struct list_head node;
	unsigned long addr;
	size_t size;
};

struct ref_proc {
	struct hlist_node node;
	pid_t pid;
	unsigned long count[C_NR];
	struct list_head allocs;
};

static DEFINE_HASHTABLE(procs, 8);
/* kfree() calls made by kfree's own handler: missed by its kretprobe. */
static atomic_t own_frees = ATOMIC_INIT(0);
static DEFINE_SPINLOCK(procs_lock);

/* Under procs_lock. */
static struct ref_proc *ref_find(pid_t pid)
{
	struct ref_proc *p;

	hash_for_each_possible(procs, p, node, pid)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void ref_count(int c)
{
	struct ref_proc *p;
	unsigned long flags;

	spin_lock_irqsave(&procs_lock, flags);
	p = ref_find(current->pid);
	if (p)
		p->count[c]++;
	spin_unlock_irqrestore(&procs_lock, flags);
}

static int kmalloc_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(size_t *)ri->data = regs_get_kernel_argument(regs, 0);
	return 0;
}

static int kmalloc_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long addr = regs_return_value(regs), flags;
	size_t size = *(size_t *)ri->data;
	struct ref_alloc *a;
	struct ref_proc *p;

	spin_lock_irqsave(&procs_lock, flags);
	p = ref_find(current->pid);
	if (p) {
		p->count[C_KMALLOC]++;
		p->count[C_KMALLOC_MEM] += size;
		/* Not counted: this kmalloc's kretprobe is running. */
		a = kmalloc(sizeof(*a), GFP_ATOMIC);
		if (a) {
			a->addr = addr;
			a->size = size;
			list_add(&a->node, &p->allocs);
		}
	}
	spin_unlock_irqrestore(&procs_lock, flags);
	return 0;
}

static int kfree_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long addr = regs_get_kernel_argument(regs, 0), flags;
	struct ref_alloc *a, *found = NULL;
	struct ref_proc *p;

	spin_lock_irqsave(&procs_lock, flags);
	p = ref_find(current->pid);
	if (p) {
		p->count[C_KFREE]++;
		list_for_each_entry(a, &p->allocs, node) {
			if (a->addr == addr) {
				p->count[C_KFREE_MEM] += a->size;
				list_del(&a->node);
				found = a;
				break;
			}
		}
	}
	spin_unlock_irqrestore(&procs_lock, flags);
	if (found) {
		atomic_inc(&own_frees);
		kfree(found);
	}
	return 0;
}

static int sched_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	ref_count(C_SCHED);
	return 0;
}

static int up_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	ref_count(C_UP);
	return 0;
}

static int down_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	ref_count(C_DOWN);
	return 0;
}

static int lock_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	ref_count(C_LOCK);
	return 0;
}

static int unlock_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	ref_count(C_UNLOCK);
	return 0;
}

#define REF_PROBE(sym, entry, ret, size)				\
	{ .kp.symbol_name = (sym), .entry_handler = (entry),		\
	  .handler = (ret), .data_size = (size), .maxactive = 32 }

static struct kretprobe probes[] = {
	REF_PROBE(TRACER_SYM(TRACER_FN_KMALLOC), kmalloc_entry, kmalloc_ret, sizeof(size_t)),
	REF_PROBE("kfree", kfree_entry, NULL, 0),
	REF_PROBE("schedule", sched_entry, NULL, 0),
	REF_PROBE("up", up_entry, NULL, 0),
	REF_PROBE("down_interruptible", down_entry, NULL, 0),
	REF_PROBE(TRACER_SYM(TRACER_FN_MUTEX_LOCK), lock_entry, NULL, 0),
	REF_PROBE("mutex_unlock", unlock_entry, NULL, 0),
};

static void ref_free(struct ref_proc *p)
{
	struct ref_alloc *a, *tmp;

	list_for_each_entry_safe(a, tmp, &p->allocs, node)
		kfree(a);
	kfree(p);
}

static long ref_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct ref_proc *p, *new;
	pid_t pid = arg;

	switch (cmd) {
	case TRACER_ADD_PROCESS:
		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new)
			return -ENOMEM;
		new->pid = pid;
		INIT_LIST_HEAD(&new->allocs);
		spin_lock_irq(&procs_lock);
		p = ref_find(pid);
		if (!p)
			hash_add(procs, &new->node, pid);
		spin_unlock_irq(&procs_lock);
		if (p)
			kfree(new);
		return p ? -EEXIST : 0;
	case TRACER_REMOVE_PROCESS:
		spin_lock_irq(&procs_lock);
		p = ref_find(pid);
		if (p)
			hash_del(&p->node);
		spin_unlock_irq(&procs_lock);
		if (!p)
			return -ESRCH;
		ref_free(p);
		return 0;
	}
	return -ENOTTY;
}

static const struct file_operations ref_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = ref_ioctl,
};

static struct miscdevice ref_dev = {
	.minor = TRACER_DEV_MINOR,
	.name = TRACER_DEV_NAME,
	.fops = &ref_fops,
};

static int __init ref_init(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		err = register_kretprobe(&probes[i]);
		if (err)
			goto undo;
	}
	err = misc_register(&ref_dev);
	if (!err)
		return 0;
undo:
	while (i--)
		unregister_kretprobe(&probes[i]);
	return err;
}

static void __exit ref_exit(void)
{
	struct hlist_node *tmp;
	struct ref_proc *p;
	unsigned int i;

	misc_deregister(&ref_dev);
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		unregister_kretprobe(&probes[i]);
		pr_info("missed %s %d\n", probes[i].kp.symbol_name,
			probes[i].nmissed + (int)probes[i].kp.nmissed);
	}
	pr_info("missed own-kfree %d\n", atomic_read(&own_frees));
	hash_for_each_safe(procs, i, tmp, p, node)
		ref_free(p);
}

module_init(ref_init);
module_exit(ref_exit);
MODULE_DESCRIPTION("tracer bench: the seed's kretprobe design");
MODULE_LICENSE("GPL");
