#!/bin/bash
# Does this QEMU survive the kernel patching text that another vCPU runs?
# Boots Debian's kernel on two vCPUs with kprobe_smp.ko (guest.sh): 30
# removals of an ftrace-based kprobe on mutex_lock and 30 of an int3 one,
# while kthreads on every vCPU call it. QEMU 7.2's TCG crashed at the first
# (docs/ARCHITECTURE.md). Not part of make check: a check of the emulator.
# Usage: tests/vm/kprobe-smp/run.sh --log FILE [tests/vm/run.sh options,
#        e.g. --qemu-root "$(tests/vm/qemu-trixie.sh)"]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../lib.sh"
"$top/scripts/deps.sh" build vm
kver=$(guest_kernel)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/build" "$tmp/stage/modules" "$tmp/stage/tests"
cp "$here/Kbuild" "$here/kprobe_smp.c" "$tmp/build/"
kbuild "$tmp/build" "/lib/modules/$kver/build" ""
cp "$tmp/build/kprobe_smp.ko" "$tmp/stage/modules/"
cp "$here/guest.sh" "$tmp/stage/tests/main.sh"
"$top/tests/vm/run.sh" --kernel "/boot/vmlinuz-$kver" --stage "$tmp/stage" \
	--smp 2 --timeout 600 "$@"
