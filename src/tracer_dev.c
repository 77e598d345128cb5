// SPDX-License-Identifier: GPL-2.0
/* /dev/tracer: registration by ioctl, the PID passed by value. */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "tracer.h"
#include "uapi/tracer.h"

static long tracer_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	/* The low 32 bits: what a caller's int becomes, 32- or 64-bit. */
	pid_t pid = (pid_t)arg;

	switch (cmd) {
	case TRACER_ADD_PROCESS:
		return tracer_rows_add(pid);
	case TRACER_REMOVE_PROCESS:
		return tracer_rows_remove(pid);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations tracer_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = tracer_ioctl,
	/* The argument is a number, not a pointer: no translation. */
	.compat_ioctl = tracer_ioctl,
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
