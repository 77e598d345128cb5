#!/bin/bash
# make check: static checks, then the VM suite on every Debian kernel, each
# in a lane of its own: k6.1 (this Debian's kernel), k5.10 (bullseye),
# k6.12 (trixie) and k7.2 (sid), each built against its own headers in a
# root of its suite (tests/kernels/root.sh), and the debug kernel of
# tests/debug-kernel/ (lockdep, KASAN, kmemleak...) built from Debian's
# source; both cached. And the package lanes (tests/pkg/): the packages
# installed with apt into a Debian root of pkg-bookworm, pkg-trixie or
# pkg-sid, booted. make check-deep (TRACER_DEEP=1) adds the kcsan lane: the
# debug kernel with KCSAN instead of KASAN (build.sh kcsan) running
# tests/guest/kcsan.sh. Two lanes run at a time (one per core). Every
# result is a PASS:/FAIL:/SKIP: line, VM results prefixed with their lane;
# the last line counts them.
# TRACER_LANES="debug pkg-bookworm k6.1 k5.10 k6.12 pkg-trixie k7.2 pkg-sid"
# (the default; check-deep's has coverage and kcsan after debug) picks
# lanes; "pkg" stands for the three package lanes. TRACER_DEEP=1 (make
# check-deep): larger sizes, the kcsan lane and the coverage lane: the
# debug lane's guests with tracer.ko built for gcov, their counts merged
# into each source file's line and branch coverage (tests/coverage/).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

"$top/scripts/deps.sh" build vm static kernel pkg || exit 1
kver=$(guest_kernel) || exit 1
kdir=/lib/modules/$kver/build
out=${TRACER_TEST_OUT:-$top/tests/out}
lanes=$(for l in ${TRACER_LANES:-debug ${TRACER_DEEP:+coverage kcsan} pkg-bookworm k6.1 k5.10 k6.12 pkg-trixie k7.2 pkg-sid}; do
	[ "$l" = pkg ] && echo pkg-bookworm pkg-trixie pkg-sid || echo "$l"
done | xargs)
clear_dir "$out"
mkdir -p "$out"
start=$SECONDS

# The Debian suite whose kernel each lane boots, after this one's.
declare -A suites=([k5.10]=bullseye [k6.12]=trixie [k7.2]=sid)

# lane NAME VMLINUZ KDIR ROOT MAIN-TIMEOUT UNLOAD-TIMEOUT [MAIN]: both
# guests on one kernel, its modules built in ROOT ("" for this machine),
# results in $out/NAME/results.txt. MAIN (tests/guest/main.sh if not
# given) runs in the first; no UNLOAD-TIMEOUT (""), no second guest. With
# $stage_gcov set (the coverage lane), the coverage variant (stage in
# tests/lib.sh), and its figures at the end.
lane() {
	local name=$1 kernel=$2 kdir=$3 root=$4 dir=$out/$1 t0=$SECONDS

	mkdir -p "$dir"
	{
		# The two-vCPU guest disarms and unloads: trixie's QEMU, as the
		# host's 7.2 crashes there (tests/guest/main.sh).
		if ! qemu=$("$top/tests/vm/qemu-trixie.sh" 2>>"$dir/qemu.log"); then
			echo "FAIL: $name: qemu-trixie: see $dir/qemu.log"
			tail -20 "$dir/qemu.log"
		elif stage "$dir/stage" "$kdir" "${7:-$top/tests/guest/main.sh}" "$root" \
			>"$dir/build.log" 2>&1; then
			echo "PASS: $name: build"
			# W=1: the compiler's warnings about our code on this kernel.
			if grep -E '^[^ ]*/src/[^ ]*: (warning|error):' "$dir/build.log"; then
				echo "FAIL: $name: build-W1: warnings above (see $dir/build.log)"
			else
				echo "PASS: $name: build-W1"
			fi
			grep -E '^INFO: ' "$dir/build.log" | sed "s/^INFO: /INFO: $name: /"
			"$top/tests/vm/run.sh" --lane "$name" --kernel "$kernel" \
				--qemu-root "$qemu/root" --stage "$dir/stage" \
				--log "$dir/console-smp.log" --timeout "$5"
			# Unloading under load: one vCPU, see tests/guest/unload.sh.
			if [ -n "$6" ]; then
				stage_main "$dir/stage" "$top/tests/guest/unload.sh"
				"$top/tests/vm/run.sh" --lane "$name" --kernel "$kernel" --smp 1 \
					--stage "$dir/stage" --log "$dir/console-unload.log" --timeout "$6"
			fi
			cat "$dir"/console-*.log | tr -d '\r' | grep -a '^INFO: ' |
				sed "s/^INFO: /INFO: $name: /"
			[ -z "${stage_gcov:-}" ] ||
				"$top/tests/coverage/report.sh" "$dir" "$kdir" 2>"$dir/report.log"
		else
			echo "FAIL: $name: build: see $dir/build.log"
			tail -20 "$dir/build.log"
		fi
		echo "INFO: $name: lane took $((SECONDS - t0)) s"
	} >"$dir/results.txt"
}

# debug_lane NAME VARIANT LANE-ARGS...: a lane on a kernel of
# tests/debug-kernel/ (build.sh VARIANT, "" for the debug kernel itself),
# built first (minutes, once per fragment; the debug and coverage lanes
# share it); LANE-ARGS are lane's from
# MAIN-TIMEOUT on.
debug_lane() {
	local name=$1 variant=$2 t0=$SECONDS dk

	shift 2
	mkdir -p "$out/$name"
	if dk=$("$top/tests/debug-kernel/build.sh" $variant 2>"$out/$name/kernel-build.log"); then
		echo "INFO: $name: kernel ready in $((SECONDS - t0)) s ($dk)" >"$out/$name/kernel.txt"
		lane "$name" "$dk/arch/x86/boot/bzImage" "$dk" "" "$@"
		cat "$out/$name/kernel.txt" >>"$out/$name/results.txt"
	else
		{
			echo "FAIL: $name: kernel-build: see $out/$name/kernel-build.log"
			tail -20 "$out/$name/kernel-build.log"
		} >"$out/$name/results.txt"
	fi
}

# A lane for another suite's kernel waits for its root, made (or found
# cached) by the fetch started at the beginning.
suite_lane() {
	local name=$1 cache

	mkdir -p "$out/$name"
	if cache=$("$top/tests/kernels/root.sh" "${suites[$name]}" 2>>"$out/$name/root.log"); then
		lane "$name" "$cache/vmlinuz" "/lib/modules/$(cat "$cache/kver")/build" \
			"$cache/root" 1800 900
		echo "INFO: $name: kernel $(cat "$cache/kver") of ${suites[$name]}" \
			>>"$out/$name/results.txt"
	else
		{
			echo "FAIL: $name: root: see $out/$name/root.log"
			tail -20 "$out/$name/root.log"
		} >"$out/$name/results.txt"
	fi
}

# checkpatch, sparse, cppcheck, W=1 (tests/static/), the harness's own
# clean-up (tests/harness/) and tracerctl's unit tests: results in
# $out/static/results.txt.
static_lane() {
	mkdir -p "$out/static"
	{
		"$top/tests/static/run.sh" --kdir "$kdir" "$top/src"
		"$top/tests/harness/clear-dir.sh"
		make -s -C "$top/tools/tracerctl" check 2>&1 |
			sed -E 's/^(PASS|FAIL|SKIP): /\1: tracerctl: /'
		[ "${PIPESTATUS[0]}" -eq 0 ] ||
			echo "FAIL: tracerctl: make -C tools/tracerctl check failed"
	} >"$out/static/results.txt" 2>"$out/static/log"
}

# A package lane: its results in $out/pkg-SUITE/results.txt.
pkg_lane() {
	mkdir -p "$out/$1"
	"$top/tests/pkg/run.sh" "$out/pkg-build" "${1#pkg-}" "$out/$1/install" \
		>"$out/$1/results.txt" 2>"$out/$1/lane.log"
}

{
	# The roots download while the first lanes run.
	for l in $lanes; do
		mkdir -p "$out/$l"
		if [ -n "${suites[$l]:-}" ]; then
			"$top/tests/kernels/root.sh" "${suites[$l]}" >/dev/null 2>"$out/$l/root.log" &
		elif [ "${l#pkg-}" != "$l" ]; then
			"$top/tests/pkg/root.sh" "${l#pkg-}" >/dev/null 2>"$out/$l/root.log" &
		fi
	done
	"$top/tests/vm/qemu-trixie.sh" >/dev/null 2>"$out/qemu-trixie.log" &
	# Two lanes at a time: each guest keeps a core busy; the static checks
	# are a lane too, so that the other core does not wait for them.
	slots=()
	for l in static $lanes; do
		while [ ${#slots[@]} -ge 2 ]; do
			wait -n "${slots[@]}"
			alive=()
			for p in "${slots[@]}"; do
				! kill -0 "$p" 2>/dev/null || alive+=("$p")
			done
			slots=("${alive[@]}")
		done
		echo "check.sh: lane $l starts at $((SECONDS - start)) s" >&2
		case $l in
		static) static_lane & ;;
		k6.1)   lane k6.1 "/boot/vmlinuz-$kver" "$kdir" "" 1800 900 & ;;
		debug)  debug_lane debug "" 3600 2400 & ;;
		coverage) stage_gcov=1 debug_lane coverage "" 3600 2400 & ;;
		# Races only: the suites with both vCPUs in the module (one guest).
		kcsan)  debug_lane kcsan kcsan 7200 "" "$top/tests/guest/kcsan.sh" & ;;
		pkg-*)  pkg_lane "$l" & ;;
		*)
			if [ -n "${suites[$l]:-}" ]; then
				suite_lane "$l" &
			else
				echo "FAIL: lanes: unknown lane $l"
				continue
			fi
			;;
		esac
		slots+=($!)
	done
	wait
	for l in static $lanes; do
		cat "$out/$l/results.txt" 2>/dev/null
	done
} | tee "$out/results.txt"

passed=$(grep -c '^PASS: ' "$out/results.txt")
failed=$(grep -c '^FAIL: ' "$out/results.txt")
skipped=$(grep -c '^SKIP: ' "$out/results.txt")
echo "lanes: $lanes${TRACER_DEEP:+ (make check-deep sizes)}; $((SECONDS - start)) s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
