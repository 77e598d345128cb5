# SPDX-License-Identifier: GPL-2.0
# What differs between the kernels tracer builds for is found by compiling
# each compat/<feature>.c against the headers and configuration of the
# kernel being built for, with its compiler and flags, as kbuild's own
# cc-option does: each one that compiles defines TRACER_HAVE_<FEATURE> for
# compat.h. Version numbers would lie: distribution kernels backport. Only
# when compiling (kbuild reads this file for "clean" too).
# Included by Kbuild (and by the bench modules' Kbuild, which share compat.h).
ifneq ($(filter %/Makefile.build,$(MAKEFILE_LIST)),)
tracer-dir := $(realpath $(dir $(lastword $(MAKEFILE_LIST))))
tracer-cc = $(CC) $(NOSTDINC_FLAGS) $(LINUXINCLUDE) \
	    -include $(srctree)/include/linux/compiler_types.h \
	    $(KBUILD_CPPFLAGS) $(KBUILD_CFLAGS) $(KBUILD_CFLAGS_MODULE) \
	    -DKBUILD_MODNAME='"tracer"' -DKBUILD_BASENAME='"compat"' \
	    -Werror -fsyntax-only

# A probe that cannot compile at all would make every feature look absent
# and pick the wrong branch of each: stop instead.
ifneq ($(shell $(tracer-cc) $(tracer-dir)/compat/base.c >/dev/null 2>&1 && echo y),y)
$(error tracer: a probe of the kernel's headers does not compile: \
	$(shell $(tracer-cc) $(tracer-dir)/compat/base.c 2>&1 | grep -m 3 error))
endif

# All at once (each is a compiler run): the names of those that compile.
tracer-have := $(shell \
	for f in $(filter-out %/base.c,$(wildcard $(tracer-dir)/compat/*.c)); do \
		{ $(tracer-cc) $$f >/dev/null 2>&1 && basename $$f .c | tr a-z A-Z; } & \
	done; wait)
ccflags-y += $(addprefix -DTRACER_HAVE_,$(tracer-have))
endif
