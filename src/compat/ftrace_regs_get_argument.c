// SPDX-License-Identifier: GPL-2.0
/* 6.5: an ftrace callback's argument registers, read without pt_regs. */
#include <linux/ftrace.h>

unsigned long tracer_probe(struct ftrace_regs *fregs);
unsigned long tracer_probe(struct ftrace_regs *fregs)
{
	return ftrace_regs_get_argument(fregs, 0);
}
