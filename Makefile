# SPDX-License-Identifier: GPL-2.0
# tracer: build the module, install it through DKMS, package it, test it.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr
INCLUDEDIR ?= $(PREFIX)/include
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
OUT ?= out

# dkms.conf holds the version; tests/pkg/version.sh checks the others.
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC = $(PREFIX)/src/tracer-$(VERSION)
TARBALL = $(OUT)/tracer-$(VERSION).tar.gz

all: module

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules

# What the tracer-dkms package ships; DESTDIR stages it for a package.
install-files:
	install -d $(DESTDIR)$(DKMS_SRC)/uapi $(DESTDIR)$(DKMS_SRC)/compat
	install -m 644 dkms.conf src/Kbuild src/compat.mk src/*.c src/*.h $(DESTDIR)$(DKMS_SRC)/
	install -m 644 src/uapi/tracer.h $(DESTDIR)$(DKMS_SRC)/uapi/
	install -m 644 src/compat/*.c $(DESTDIR)$(DKMS_SRC)/compat/
	install -D -m 644 udev/99-tracer.rules $(DESTDIR)$(UDEVRULESDIR)/99-tracer.rules
	install -D -m 644 modules-load.d/tracer.conf $(DESTDIR)$(MODULESLOADDIR)/tracer.conf
	install -D -m 644 sysusers.d/tracer.conf $(DESTDIR)$(SYSUSERSDIR)/tracer.conf

# From a checkout, as the packages' scripts do: the group, then DKMS
# builds and installs the module for KVER (it rebuilds it for new kernels).
install: install-files install-tools
	systemd-sysusers tracer.conf 2>/dev/null || getent group tracer >/dev/null || \
		groupadd --system tracer
	dkms status -m tracer -v $(VERSION) | grep -q . || dkms add -m tracer -v $(VERSION)
	dkms install -m tracer -v $(VERSION) -k $(KVER)
	udevadm control --reload 2>/dev/null || true

uninstall:
	dkms remove -m tracer -v $(VERSION) --all 2>/dev/null || true
	$(MAKE) -C tools/tracerctl uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	rm -rf $(DESTDIR)$(DKMS_SRC)
	rm -f $(DESTDIR)$(UDEVRULESDIR)/99-tracer.rules \
		$(DESTDIR)$(MODULESLOADDIR)/tracer.conf $(DESTDIR)$(SYSUSERSDIR)/tracer.conf

# tracerctl, its man pages and bash completion (what tracer-utils ships):
# /usr/bin/tracerctl, man1/tracerctl.1, man4/tracer.4, bash-completion.
# "make install" installs them too.
tools:
	$(MAKE) -C tools/tracerctl

install-tools:
	$(MAKE) -C tools/tracerctl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# The ioctl header for user programs: #include <linux/tracer.h>.
install-headers:
	install -D -m 644 src/uapi/tracer.h $(DESTDIR)$(INCLUDEDIR)/linux/tracer.h

# A release tarball of the committed tree.
dist:
	mkdir -p $(OUT)
	git archive --format=tar.gz --prefix=tracer-$(VERSION)/ -o $(TARBALL) HEAD

# Source and binary packages, built from the release tarball.
deb: dist
	rm -rf $(OUT)/deb
	mkdir -p $(OUT)/deb
	tar -xzf $(TARBALL) -C $(OUT)/deb
	cd $(OUT)/deb/tracer-$(VERSION) && dpkg-buildpackage -us -uc

rpm: dist
	rm -rf $(OUT)/rpm
	# --nodeps: Debian's rpm database knows nothing of what dpkg installed.
	rpmbuild -ba --nodeps --define "_topdir $(abspath $(OUT))/rpm" \
		--define "_sourcedir $(abspath $(OUT))" rpm/tracer.spec

# Builds against Debian's kernel and runs it in a throwaway QEMU guest.
demo:
	tests/demo.sh

check:
	tests/check.sh

# check with the sizes that do not fit its time budget (README.md, "Test").
check-deep:
	TRACER_DEEP=1 tests/check.sh

# Overhead per operation in a one-vCPU -icount guest (docs/BENCHMARKS.md);
# not part of check. BENCH_DOCS=1 also rewrites the figures in docs/.
bench:
	scripts/deps.sh bench
	tests/bench/run.sh $(if $(BENCH_DOCS),--docs)

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src clean 2>/dev/null || \
		rm -f src/*.o src/*.ko src/*.mod* src/.*.cmd src/Module.symvers src/modules.order
	$(MAKE) -C tools/tracerctl clean
	rm -rf tests/out $(OUT)

.PHONY: all module install-files tools install-tools install uninstall install-headers dist deb rpm demo check check-deep bench clean
