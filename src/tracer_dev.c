// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/tracer: registration for counting by ioctl, the PID (or a cgroup
 * directory's descriptor) passed by value; and each open descriptor is a
 * lifecycle monitor (tracer_monitor.c): its watch ioctls take a struct
 * laid out alike for 32- and 64-bit callers.
 */
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>

#include "tracer_cgroups.h"
#include "tracer_dev.h"
#include "tracer_monitor.h"
#include "tracer_rows.h"
#include "uapi/tracer.h"

static long tracer_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	/* The low 32 bits: what a caller's int becomes, 32- or 64-bit. */
	pid_t pid = (pid_t)arg;

	switch (cmd) {
	case TRACER_ADD_PROCESS:
		return tracer_rows_add(pid, false);
	case TRACER_ADD_PROCESS_TREE:
		return tracer_rows_add(pid, true);
	case TRACER_REMOVE_PROCESS:
		return tracer_rows_remove(pid);
	case TRACER_ADD_CGROUP:
		return tracer_cgroups_add((int)arg);
	case TRACER_REMOVE_CGROUP:
		return tracer_cgroups_remove((int)arg);
	case TRACER_WATCH:
	case TRACER_UNWATCH:
		return tracer_monitor_ioctl(file, cmd, (void __user *)arg);
	default:
		return -ENOTTY;
	}
}

#ifdef CONFIG_COMPAT
/* Numbers pass as they are; a pointer needs widening. */
static long tracer_compat_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	if (cmd == TRACER_WATCH || cmd == TRACER_UNWATCH)
		arg = (unsigned long)compat_ptr(arg);
	return tracer_ioctl(file, cmd, arg);
}
#else
#define tracer_compat_ioctl NULL
#endif

static int tracer_open(struct inode *inode, struct file *file)
{
	return tracer_monitor_open(file);
}

static int tracer_release(struct inode *inode, struct file *file)
{
	tracer_monitor_release(file);
	return 0;
}

static ssize_t tracer_read(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos)
{
	return tracer_monitor_read(file, buf, count);
}

static const struct file_operations tracer_fops = {
	.owner = THIS_MODULE,
	.open = tracer_open,
	.release = tracer_release,
	.read = tracer_read,
	.poll = tracer_monitor_poll,
	.unlocked_ioctl = tracer_ioctl,
	.compat_ioctl = tracer_compat_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice tracer_miscdev = {
	.minor = TRACER_DEV_MINOR,
	.name = TRACER_DEV_NAME,
	.fops = &tracer_fops,
};

int tracer_dev_init(void)
{
	return misc_register(&tracer_miscdev);
}

void tracer_dev_exit(void)
{
	misc_deregister(&tracer_miscdev);
}
