#!/bin/bash
# Boot a kernel under QEMU (TCG) with busybox, tests/vm/init and a staged
# tree as initramfs; print the guest's PASS/FAIL/SKIP lines and the kernel
# problems found in its console log. Exit 1 if anything failed.
set -euo pipefail

usage() {
	echo "usage: $0 --kernel VMLINUZ --stage DIR --log FILE [--mem MB] [--smp N]" \
	     "[--timeout SECONDS] [--icount] [--append \"KERNEL ARGS\"] [--lane NAME]" \
	     "[--qemu-root DIR]" >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
kernel='' stage='' log='' mem=2048 smp=2 timeout=900 icount='' append='' lane='' qroot=''
while [ $# -gt 0 ]; do
	case $1 in
	--kernel)  kernel=${2:?}; shift ;;
	--stage)   stage=${2:?}; shift ;;
	--log)     log=${2:?}; shift ;;
	--mem)     mem=${2:?}; shift ;;
	--smp)     smp=${2:?}; shift ;;
	--timeout) timeout=${2:?}; shift ;;
	--append)  append=${2?}; shift ;;
	--icount)  icount=1 ;;
	--lane)    lane=${2:?}; shift ;;
	--qemu-root) qroot=${2:?}; shift ;;
	*)         usage ;;
	esac
	shift
done
[ -f "$kernel" ] && [ -d "$stage" ] && [ -n "$log" ] || usage
[ -z "$qroot" ] || [ -x "$qroot/usr/bin/qemu-system-x86_64" ] || usage
"$here/../../scripts/deps.sh" vm

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# busybox --install (in init) does not create the directories it links into.
root=$tmp/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp}
cp /bin/busybox "$root/bin/busybox"
cp -a "$stage/." "$root/"
install -m 755 "$here/init" "$root/init"
(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) |
	gzip >"$tmp/initrd.gz"

# KVM hangs on these hosts: TCG. No NIC: no test needs one, its ROM only
# adds console noise. No 5-level paging (la57): an interrupt that came
# while identify_cpu() re-read the boot CPU's features made the debug
# kernel's KASAN report a wild access to a 5-level direct-map address,
# before any test ran (seen once; real machines rarely have LA57).
boot=$tmp
launch=()
if [ -n "$qroot" ]; then
	# Another suite's QEMU (tests/vm/qemu-trixie.sh), run in its root with
	# its libraries and firmware; the kernel and initramfs are bind-mounted
	# at /mnt there, in a mount namespace of this guest's own. Each of
	# unshare, sh and chroot execs the next: timeout signals QEMU itself.
	cp "$kernel" "$tmp/vmlinuz"
	kernel=/mnt/vmlinuz boot=/mnt
	launch=(unshare --mount sh -c 'mount --bind "$1" "$2/mnt" &&
		mount -t proc proc "$2/proc" && shift && exec chroot "$@"' sh "$tmp" "$qroot")
fi
# Named by its log: a later run finds a guest it left by its directory
# (clear_dir in tests/lib.sh).
qemu=("${launch[@]}" qemu-system-x86_64 -name "tracer-guest:$(realpath -m "$log")"
      -accel tcg -cpu max,la57=off -m "$mem" -nographic -no-reboot -nic none)
if [ -n "$icount" ]; then
	# One guest nanosecond per instruction: repeatable timings, one vCPU only.
	qemu+=(-icount shift=0 -smp 1)
else
	qemu+=(-smp "$smp")
fi
# loglevel=5, not 4: WARN() and lockdep reports are KERN_WARNING (4) and
# must reach the console for check-log.sh to see them.
qemu+=(-kernel "$kernel" -initrd "$boot/initrd.gz"
       -append "console=ttyS0 panic=-1 loglevel=5 rdinit=/init $append")

sink=/dev/null
[ "${TRACER_VM_VERBOSE:-0}" = 1 ] && sink=/dev/stderr
mkdir -p "$(dirname "$log")"
# A kernel that dies before init starts has run none of our code (TCG
# has crashed Debian's 7.2 that way, patching its own text at boot): that
# boot is kept aside and the guest booted once more, and said so.
reboots=0
while :; do
	qrc=0
	timeout -k 10 "$timeout" "${qemu[@]}" </dev/null | tee "$log" >"$sink" || qrc=$?
	grep -aq 'TRACER-VM-INIT' "$log" || [ $reboots -ge 1 ] || [ $qrc -eq 124 ] || {
		mv "$log" "$log.boot$((reboots += 1))"
		continue
	}
	break
done
why="QEMU exited with rc=$qrc: crash or early stop?"
[ $qrc -ne 124 ] || why="QEMU killed after the ${timeout}s timeout"

{
	[ $reboots -eq 0 ] ||
		echo "INFO: vm-boot: the kernel stopped before init started, booted again (first boot: $log.boot1)"
	tr -d '\r' <"$log" | grep -aE '^(PASS|FAIL|SKIP): ' || true
	"$here/check-log.sh" "$log" || true
	# panic=-1 with -no-reboot also ends QEMU cleanly: only the marker
	# tells a finished run from a crash or a timeout.
	grep -aq 'TRACER-VM-DONE rc=' "$log" ||
		echo "FAIL: vm-boot: no TRACER-VM-DONE marker, $why (log: $log)"
} | if [ -n "$lane" ]; then
	# "PASS: name" becomes "PASS: LANE: name": each lane's results apart.
	sed -E "s/^(PASS|FAIL|SKIP): /\1: $lane: /"
else
	cat
fi | tee "$tmp/results"
! grep -q '^FAIL: ' "$tmp/results"
