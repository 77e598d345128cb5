# Shared by tests/check.sh and tests/demo.sh (sourced, bash).

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The Debian kernel the guest boots and its module build tree: $KVER, or
# the newest that has both. Never the running kernel: the host's is not
# Debian's.
guest_kernel() {
	local v

	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
		return
	fi
	for v in $(ls /lib/modules | sort -rV); do
		if [ -f "/boot/vmlinuz-$v" ] && [ -e "/lib/modules/$v/build/Makefile" ]; then
			echo "$v"
			return
		fi
	done
	echo "no kernel with headers under /boot and /lib/modules" >&2
	return 1
}

# clear_dir DIR: removes what a run left in DIR, also one that was stopped
# midway: its guests (QEMU with DIR on its command line) are killed and
# whatever is mounted under DIR (a package root's /proc and read-only
# repository) is unmounted, deepest first; rm never crosses a mount point.
clear_dir() {
	local dir

	dir=$(realpath -m "$1")
	! pkill -f -- "qemu-system-x86_64 .*$dir/" || sleep 1
	findmnt -rn -o TARGET | grep -F "$dir/" | sort -r | xargs -r umount -l
	rm -rf --one-file-system "$dir"
}

# kbuild DIR KDIR ROOT [MAKE ARGS]: the modules of the kernel module
# source in DIR, built against KDIR; with ROOT (a build root of
# tests/kernels/root.sh, "" for none), inside it, with that suite's
# compiler, and KDIR is a path in ROOT. The .ko files are left in DIR.
kbuild() {
	local dir=$1 kdir=$2 root=$3 work rc=0

	shift 3
	if [ -z "$root" ]; then
		make -s -C "$kdir" M="$dir" "$@" modules
		return
	fi
	work=$(mktemp -d "$root/tmp/tracer-build.XXXXXX")
	cp -r "$dir/." "$work"
	# objtool reads /proc: mounted in a mount namespace of the build's own,
	# gone with it.
	unshare --mount sh -c 'mount -t proc proc "$1/proc" && shift && chroot "$@"' \
		sh "$root" "$root" make -s -C "$kdir" M="${work#"$root"}" "$@" modules &&
		cp "$work"/*.ko "$dir/" || rc=1
	rm -rf "$work"
	return $rc
}

# stage DIR KDIR MAIN [ROOT]: the guest's files: both modules built against
# KDIR (in copies of their sources under DIR/build, so that lanes for
# several kernels can build at once; inside ROOT if given, see kbuild), the
# test programs (64- and 32-bit, static: the guest has no libc), the guest
# scripts, MAIN as /tests/main.sh; with $stage_bench set, the bench-only
# modules of tests/bench too. The module is built with W=1; for a kernel
# with CONFIG_KUNIT, also with its KUnit suites, as tracer_kunit.ko
# (tests/guest/kunit.sh). With $stage_gcov set, the coverage variant
# (tests/coverage/): see stage_main.
stage() {
	local dir=$1 kdir=$2 main=$3 root=${4:-} cflags prog

	cflags="-O2 -Wall -Wextra -Wno-missing-field-initializers -static -pthread"
	rm -rf "$dir/build"
	mkdir -p "$dir/build/tests" "$dir/modules" "$dir/bin" "$dir/tests"
	cp -r "$top/src" "$dir/build/src"
	cp -r "$top/tests/module" "$dir/build/tests/module"
	kbuild "$dir/build/src" "$kdir" "$root" W=1 ${stage_gcov:+TRACER_GCOV=1} || return 1
	kbuild "$dir/build/tests/module" "$kdir" "$root" || return 1
	cp "$dir/build/src/tracer.ko" "$dir/build/tests/module/tracer_test.ko" "$dir/modules/"
	if grep -qx 'CONFIG_KUNIT=y' "$root$kdir/.config" 2>/dev/null; then
		cp -r "$top/src" "$dir/build/src-kunit"
		kbuild "$dir/build/src-kunit" "$kdir" "$root" W=1 TRACER_KUNIT=1 || return 1
		cp "$dir/build/src-kunit/tracer.ko" "$dir/modules/tracer_kunit.ko"
	fi
	if [ -n "${stage_bench:-}" ]; then
		cp -r "$top/tests/bench" "$dir/build/tests/bench"
		kbuild "$dir/build/tests/bench" "$kdir" "$root" || return 1
		cp "$dir"/build/tests/bench/*.ko "$dir/modules/"
		. "$top/tests/bench/bpftrace.sh"
		stage_bpftrace "$dir"
	fi
	for prog in tcheck tfuzz tmonitor; do
		gcc $cflags -o "$dir/bin/$prog" "$top/tests/progs/$prog.c"
		gcc -m32 $cflags -o "$dir/bin/${prog}32" "$top/tests/progs/$prog.c"
	done
	gcc $cflags -o "$dir/bin/tmem" "$top/tests/progs/tmem.c"
	gcc $cflags -o "$dir/bin/tfail" "$top/tests/progs/tfail.c"
	gcc $cflags -o "$dir/bin/tforks" "$top/tests/progs/tforks.c" "$top/tools/tracerctl/forks_record.c"
	gcc $cflags -o "$dir/bin/tctl" "$top/tests/progs/tctl.c"
	gcc $cflags -o "$dir/bin/tpromcheck" "$top/tests/progs/tpromcheck.c" -lm
	stage_tracerctl "$dir"
	cp "$top"/tests/guest/*.sh "$dir/tests/"
	stage_main "$dir" "$main"
	# make check-deep: the guest runs its larger sizes (by_depth). Not the
	# coverage variant: it measures which lines run, and the debug lane
	# beside it runs the larger sizes on the same kernel.
	# It fails every allocation of a load in turn, though (faults.sh).
	if [ -n "${TRACER_DEEP:-}" ] && [ -z "${stage_gcov:-}" ]; then
		touch "$dir/tests/deep"
	elif [ -n "${stage_gcov:-}" ]; then
		touch "$dir/tests/every-load"
	fi
}

# stage_main DIR MAIN: MAIN as the guest's /tests/main.sh; with $stage_gcov
# set, as /tests/suite.sh, run by tests/coverage/guest.sh, which then prints
# the module's gcov counts on the console.
stage_main() {
	if [ -n "${stage_gcov:-}" ]; then
		cp "$2" "$1/tests/suite.sh"
		cp "$top/tests/coverage/guest.sh" "$1/tests/main.sh"
	else
		cp "$2" "$1/tests/main.sh"
	fi
}

# stage_tracerctl DIR: tracerctl, built in a copy of its sources (lanes
# stage at once), and what its guest tests drive it with: tmux (a real
# terminal for top) and jq (the JSON parser). Dynamically linked (Debian
# ships no static libsmartcols): each with the libraries ldd lists and the
# loader, at their own paths; the terminfo entry of tmux's panes and the
# UTF-8 locale tmux insists on.
stage_tracerctl() {
	local dir=$1 t=$1/build/tracerctl f

	mkdir -p "$t/tools" "$t/src" "$dir/lib/terminfo/t"
	cp -r "$top/tools/tracerctl" "$t/tools/"
	cp -r "$top/src/uapi" "$t/src/"
	cp "$top/dkms.conf" "$t/"
	make -s -C "$t/tools/tracerctl" clean
	make -s -C "$t/tools/tracerctl" tracerctl
	cp "$t/tools/tracerctl/tracerctl" "$(command -v tmux)" "$(command -v jq)" "$dir/bin/"
	for f in $(ldd "$dir/bin/tracerctl" "$dir/bin/tmux" "$dir/bin/jq" |
		   grep -o '/[^ ]*' | grep -v ':$' | sort -u); do
		mkdir -p "$dir$(dirname "$f")"
		cp -L "$f" "$dir$f"
	done
	cp /lib/terminfo/t/tmux-256color "$dir/lib/terminfo/t/"
	mkdir -p "$dir/usr/lib/locale"
	cp -r /usr/lib/locale/C.utf8 "$dir/usr/lib/locale/"
}

# run_guest MAIN [tests/vm/run.sh options]: stage MAIN for Debian's kernel
# in a temporary folder, boot it, leave the console in "$out/console.log".
run_guest() {
	local main=$1

	shift
	"$top/scripts/deps.sh" build vm
	kver=$(guest_kernel)
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
	stage "$out/stage" "/lib/modules/$kver/build" "$main" >/dev/null
	"$top/tests/vm/run.sh" "$@" --kernel "/boot/vmlinuz-$kver" \
		--stage "$out/stage" --log "$out/console.log" >/dev/null
}
