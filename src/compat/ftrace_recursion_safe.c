// SPDX-License-Identifier: GPL-2.0
/*
 * Before 5.11 an ftrace callback that handles recursion itself says so;
 * without the flag, ftrace calls it through a recursion guard.
 */
#include <linux/ftrace.h>

unsigned long tracer_probe = FTRACE_OPS_FL_RECURSION_SAFE;
