# SPDX-License-Identifier: GPL-2.0
# tracer: build the module for an installed kernel, try it in a VM, test it.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules

# Builds against Debian's kernel and runs it in a throwaway QEMU guest.
demo:
	tests/demo.sh

check:
	tests/check.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src clean 2>/dev/null || \
		rm -f src/*.o src/*.ko src/*.mod* src/.*.cmd src/Module.symvers src/modules.order
	rm -rf tests/out

.PHONY: all module demo check clean
