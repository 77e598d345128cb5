// SPDX-License-Identifier: GPL-2.0
/* Compiles everywhere: the feature probes can compile at all. */
#include <linux/module.h>

unsigned int tracer_probe(const struct module *mod);
unsigned int tracer_probe(const struct module *mod)
{
	return module_refcount((struct module *)mod);
}
