#!/bin/bash
# Install the Debian packages the build and test lanes need, only those missing.
# Usage: scripts/deps.sh [build|vm|static|kernel|pkg|bench|coverage]...   (no group: all of them)
set -euo pipefail

declare -A groups=(
	# libsmartcols-dev, libncurses-dev and pkg-config: tools/tracerctl; its
	# unit tests parse JSON with python3, drive top in tmux, load the zsh and
	# fish completions and render the man page.
	[build]="gcc make linux-headers-amd64 kmod libsmartcols-dev libncurses-dev pkg-config python3 tmux zsh fish man-db groff-base"
	# gcc-multilib and libc6-dev-i386 build the 32-bit test programs (compat ioctl).
	# tmux and jq drive and check tracerctl in the guests (tests/guest/tracerctl.sh).
	[vm]="qemu-system-x86 busybox-static cpio linux-image-amd64 gcc-multilib libc6-dev-i386 tmux jq"
	# linux-source-6.1 provides checkpatch.pl, which needs perl and xz to unpack.
	[static]="sparse cppcheck linux-source-6.1 xz-utils perl"
	# The debug kernel of the second lane (tests/debug-kernel/build.sh).
	[kernel]="gcc make linux-source-6.1 xz-utils perl bc flex bison libelf-dev libssl-dev"
	# Building, linting and installing the packages (tests/pkg/).
	[pkg]="git debhelper dh-dkms dkms lintian rpm rpmlint debootstrap dpkg-dev e2fsprogs"
	# make bench: its plot (the lanes come from build and vm), and bpftrace,
	# staged into the bench guest with its libraries (tests/bench/bpftrace.sh).
	[bench]="gnuplot-nox bsdextrautils bpftrace"
	# make check-deep's coverage lane: gcov (gcc's) read by lcov, which
	# also merges the guests' counts and writes the HTML report.
	[coverage]="gcc lcov"
)

[ $# -gt 0 ] || set -- build vm static kernel pkg bench coverage

# Lanes start at once and may each call this: one apt at a time.
exec 9>/run/lock/tracer-deps.lock
flock 9

missing=()
for group in "$@"; do
	[ -n "${groups[$group]:-}" ] || { echo "deps.sh: unknown group '$group'" >&2; exit 2; }
	for pkg in ${groups[$group]}; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		[ "$status" = "install ok installed" ] || missing+=("$pkg")
	done
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps.sh: installing ${missing[*]}" >&2
# Progress goes to stderr so callers can keep stdout for test results.
apt-get update >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
