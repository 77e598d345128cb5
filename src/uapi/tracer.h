/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * tracer: per-process counts of kernel operations.
 *
 * User-space interface of /dev/tracer (misc character device 10:42).
 * The PID is the ioctl argument itself, passed by value:
 *
 *	ioctl(fd, TRACER_ADD_PROCESS, pid);
 *
 * Errors (errno): EINVAL for a PID <= 0, ESRCH for a PID that names no
 * live process or thread, EEXIST when it is registered already, ENOENT
 * when TRACER_REMOVE_PROCESS names a PID that is not registered, ENOMEM,
 * and ENOTTY for an unknown request.
 */
#ifndef _UAPI_LINUX_TRACER_H
#define _UAPI_LINUX_TRACER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define TRACER_DEV_MINOR	42
#define TRACER_DEV_NAME		"tracer"

/* The original tracer.h spelled these with pid_t: the numbers are equal. */
#define TRACER_ADD_PROCESS	_IOW(_IOC_WRITE, 42, __kernel_pid_t)
#define TRACER_REMOVE_PROCESS	_IOW(_IOC_WRITE, 43, __kernel_pid_t)

#endif /* _UAPI_LINUX_TRACER_H */
