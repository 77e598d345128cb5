#!/bin/bash
# make check: static checks, then the VM suite on Debian's kernel. Every
# result is a PASS:/FAIL:/SKIP: line; the last line counts them.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh" build vm static pkg || exit 1
kver=$(guest_kernel) || exit 1
kdir=/lib/modules/$kver/build
out=${TRACER_TEST_OUT:-$top/tests/out}
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS

{
	"$top/tests/static/run.sh" --kdir "$kdir" "$top/src"
	make -s -C "$top/tools/tracer-forks" check ||
		echo "FAIL: tracer-forks: make -C tools/tracer-forks check failed"
	if stage "$out/stage" "$kdir" "$top/tests/guest/main.sh" >"$out/build.log" 2>&1; then
		echo "PASS: build"
		grep -E '^INFO: ' "$out/build.log"
		"$top/tests/vm/run.sh" --kernel "/boot/vmlinuz-$kver" \
			--stage "$out/stage" --log "$out/console-smp.log" --timeout 1800
		# Unloading under load needs a one-vCPU guest: see tests/guest/main.sh.
		cp "$top/tests/guest/unload.sh" "$out/stage/tests/main.sh"
		"$top/tests/vm/run.sh" --kernel "/boot/vmlinuz-$kver" --smp 1 \
			--stage "$out/stage" --log "$out/console-unload.log" --timeout 900
		cat "$out"/console-*.log | tr -d '\r' | grep -a '^INFO: '
	else
		echo "FAIL: build: see $out/build.log"
		tail -20 "$out/build.log"
	fi
	"$top/tests/pkg/run.sh" "$out/pkg"
} | tee "$out/results.txt"

passed=$(grep -c '^PASS: ' "$out/results.txt")
failed=$(grep -c '^FAIL: ' "$out/results.txt")
skipped=$(grep -c '^SKIP: ' "$out/results.txt")
echo "kernel $kver, $((SECONDS - start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
