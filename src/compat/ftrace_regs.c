// SPDX-License-Identifier: GPL-2.0
/* 5.11: ftrace callbacks are handed struct ftrace_regs, not pt_regs. */
#include <linux/ftrace.h>

void tracer_probe(unsigned long ip, unsigned long parent_ip,
		  struct ftrace_ops *op, struct ftrace_regs *fregs);
ftrace_func_t tracer_probe_func = tracer_probe;
