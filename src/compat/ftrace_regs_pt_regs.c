// SPDX-License-Identifier: GPL-2.0
/*
 * Before ftrace_regs became opaque (6.13) and had accessors, architectures
 * whose ftrace saves the argument registers in a pt_regs (x86) made
 * struct ftrace_regs that pt_regs, as the later generic accessor reads.
 */
#include <linux/ftrace.h>

struct pt_regs *tracer_probe(struct ftrace_regs *fregs);
struct pt_regs *tracer_probe(struct ftrace_regs *fregs)
{
	return &fregs->regs;
}
