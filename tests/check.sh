#!/bin/bash
# make check: static checks, then the VM suite in two lanes: Debian's
# kernel, and the debug kernel of tests/debug-kernel/ (lockdep, KASAN,
# kmemleak...), built once and cached. The lanes run side by side. Then
# the package lane (tests/pkg/). Every result is a PASS:/FAIL:/SKIP: line,
# VM results prefixed with their lane; the last line counts them.
# TRACER_LANES="debian debug pkg" (the default) picks the lanes.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh" build vm static kernel pkg || exit 1
kver=$(guest_kernel) || exit 1
kdir=/lib/modules/$kver/build
out=${TRACER_TEST_OUT:-$top/tests/out}
lanes=${TRACER_LANES:-debian debug pkg}
rm -rf "$out"
mkdir -p "$out"
start=$SECONDS

# lane NAME VMLINUZ KDIR MAIN-TIMEOUT UNLOAD-TIMEOUT: both guests on one
# kernel, results in $out/NAME/results.txt.
lane() {
	local name=$1 kernel=$2 kdir=$3 dir=$out/$1 t0=$SECONDS

	mkdir -p "$dir"
	{
		if stage "$dir/stage" "$kdir" "$top/tests/guest/main.sh" >"$dir/build.log" 2>&1; then
			echo "PASS: $name: build"
			grep -E '^INFO: ' "$dir/build.log" | sed "s/^INFO: /INFO: $name: /"
			"$top/tests/vm/run.sh" --lane "$name" --kernel "$kernel" \
				--stage "$dir/stage" --log "$dir/console-smp.log" --timeout "$4"
			# Unloading under load needs a one-vCPU guest: see tests/guest/main.sh.
			cp "$top/tests/guest/unload.sh" "$dir/stage/tests/main.sh"
			"$top/tests/vm/run.sh" --lane "$name" --kernel "$kernel" --smp 1 \
				--stage "$dir/stage" --log "$dir/console-unload.log" --timeout "$5"
			cat "$dir"/console-*.log | tr -d '\r' | grep -a '^INFO: ' |
				sed "s/^INFO: /INFO: $name: /"
		else
			echo "FAIL: $name: build: see $dir/build.log"
			tail -20 "$dir/build.log"
		fi
		echo "INFO: $name: lane took $((SECONDS - t0)) s"
	} >"$dir/results.txt"
}

# The debug lane builds its kernel first (minutes, once per fragment).
debug_lane() {
	local t0=$SECONDS dk

	mkdir -p "$out/debug"
	if dk=$("$top/tests/debug-kernel/build.sh" 2>"$out/debug/kernel-build.log"); then
		echo "INFO: debug: kernel ready in $((SECONDS - t0)) s ($dk)" >"$out/debug/kernel.txt"
		lane debug "$dk/arch/x86/boot/bzImage" "$dk" 3600 2400
		cat "$out/debug/kernel.txt" >>"$out/debug/results.txt"
	else
		{
			echo "FAIL: debug: kernel-build: see $out/debug/kernel-build.log"
			tail -20 "$out/debug/kernel-build.log"
		} >"$out/debug/results.txt"
	fi
}

{
	"$top/tests/static/run.sh" --kdir "$kdir" "$top/src"
	make -s -C "$top/tools/tracerctl" check 2>&1 |
		sed -E 's/^(PASS|FAIL|SKIP): /\1: tracerctl: /'
	[ "${PIPESTATUS[0]}" -eq 0 ] ||
		echo "FAIL: tracerctl: make -C tools/tracerctl check failed"
	for l in $lanes; do
		case $l in
		debian) lane debian "/boot/vmlinuz-$kver" "$kdir" 1800 900 & ;;
		debug)  debug_lane & ;;
		pkg)    ;;
		*)      echo "FAIL: lanes: unknown lane $l" ;;
		esac
	done
	wait
	for l in $lanes; do
		cat "$out/$l/results.txt" 2>/dev/null
	done
	# The packages, built and installed in a booted Debian root: after the
	# VM lanes, which keep both cores busy.
	case " $lanes " in
	*" pkg "*) "$top/tests/pkg/run.sh" "$out/pkg" ;;
	esac
} | tee "$out/results.txt"

passed=$(grep -c '^PASS: ' "$out/results.txt")
failed=$(grep -c '^FAIL: ' "$out/results.txt")
skipped=$(grep -c '^SKIP: ' "$out/results.txt")
echo "kernel $kver and the debug kernel, $((SECONDS - start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
