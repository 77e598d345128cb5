# SPDX-License-Identifier: GPL-2.0
# tracer: build the module for an installed kernel, try it in a VM, test it.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
INCLUDEDIR ?= $(PREFIX)/include

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules

# The ioctl header for user programs: #include <linux/tracer.h>.
install-headers:
	install -D -m 644 src/uapi/tracer.h $(DESTDIR)$(INCLUDEDIR)/linux/tracer.h

# Builds against Debian's kernel and runs it in a throwaway QEMU guest.
demo:
	tests/demo.sh

check:
	tests/check.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src clean 2>/dev/null || \
		rm -f src/*.o src/*.ko src/*.mod* src/.*.cmd src/Module.symvers src/modules.order
	rm -rf tests/out

.PHONY: all module install-headers demo check clean
