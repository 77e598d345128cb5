#!/bin/bash
# make demo: build tracer, boot it in a throwaway VM, register a busy
# process and show /proc/tracer. Nothing on the host is touched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh" build vm
kver=$(guest_kernel)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "Building tracer for Debian's kernel $kver and booting it under QEMU..."
stage "$out/stage" "/lib/modules/$kver/build" "$top/tests/guest/demo.sh"
rc=0
"$top/tests/vm/run.sh" --kernel "/boot/vmlinuz-$kver" --stage "$out/stage" \
	--log "$out/console.log" >/dev/null || rc=$?
tr -d '\r' <"$out/console.log" | sed -n '/^### insmod/,/^PASS: demo/p'
exit $rc
