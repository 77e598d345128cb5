#!/bin/bash
# make demo: build tracer, boot it in a throwaway VM, register a busy
# process and show /proc/tracer, then tracerctl, the lifecycle monitor and
# memory_info at work. Nothing on the host is touched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

echo "Building tracer for Debian's kernel and booting it under QEMU..."
rc=0
run_guest "$top/tests/guest/demo.sh" || rc=$?
tr -d '\r' <"$out/console.log" | sed -n '/^### insmod/,/^PASS: demo/p'
exit $rc
