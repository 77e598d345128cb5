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
 * live process or thread, EPERM when the caller may not inspect that
 * process (below), EEXIST when it is registered already, ENOENT when
 * TRACER_REMOVE_PROCESS names a PID that is not registered, ENOMEM,
 * ENODEV when the hooks cannot be armed (the module is being unloaded),
 * and ENOTTY for an unknown request.
 *
 * Permissions: who may open the device is its mode's business (root only,
 * or the group the packages give it). A caller may then add or remove
 * only processes it could read with ptrace (PTRACE_MODE_READ_REALCREDS):
 * its own, those whose user and group IDs all equal its real ones and
 * that are not set-user-ID, or any with CAP_SYS_PTRACE. /proc/tracer
 * shows a reader only the rows of the processes it may inspect.
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
