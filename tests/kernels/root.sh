#!/bin/bash
# Print the folder of a cached build root for one Debian suite's kernel,
# made once by debootstrap: that suite's compiler and linux-headers-amd64,
# so that modules are built against the kernel's own headers with the
# compiler it was built with (sid's 7.2 needs gcc-16 and sid's glibc), and
# the matching vmlinuz beside it. The folder holds:
#   root/     the suite's root; its /lib/modules/$(cat kver)/build is KDIR
#   vmlinuz   the kernel of linux-image-$(cat kver)
#   kver      the kernel release, e.g. 6.12.57+deb13-amd64
# The key is the suite and this script: change it and the root is made anew.
# Usage: tests/kernels/root.sh SUITE   (bullseye, trixie, sid...)
set -euo pipefail

suite=${1:?usage: $0 SUITE}
mirror=http://deb.debian.org/debian
key=$( { echo "$suite"; cat "$0"; } | sha256sum | cut -c1-12)
base=${XDG_CACHE_HOME:-$HOME/.cache}/tracer
cache=$base/kroot-$suite-$key
"$(dirname "$0")/../../scripts/deps.sh" pkg >&2

mkdir -p "$base"
# One maker per suite; a second caller waits and reuses the root.
exec 9>"$base/kroot-$suite.lock"
flock 9
if [ -f "$cache/done" ]; then
	echo "$cache"
	exit 0
fi

# Roots made by older versions of this script are of no more use.
rm -rf "$base/kroot-$suite"-*/
mkdir -p "$cache"
root=$cache/root
trap 'umount "$root/proc" 2>/dev/null || true' EXIT

start=$SECONDS
echo "root.sh: debootstrap $suite into $cache (once)" >&2
debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2
printf 'APT::Install-Recommends "false";\n' >"$root/etc/apt/apt.conf.d/90no-recommends"
# The mirror may serve a snapshot whose Release files are past their date.
printf 'Acquire::Check-Valid-Until "false";\n' >"$root/etc/apt/apt.conf.d/90no-valid-until"
mount -t proc proc "$root/proc"
chroot "$root" apt-get -q update >&2
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -q -y install \
	build-essential linux-headers-amd64 >&2

kver=$(cd "$root/lib/modules" && ls -d *-amd64 | sort -V | tail -n 1)
# build is an absolute link, to be followed inside the root.
chroot "$root" test -e "/lib/modules/$kver/build/Makefile" || {
	echo "root.sh: no module build tree for $kver in $suite" >&2
	exit 1
}
# The image only for its vmlinuz: the guest boots it with an initramfs of
# ours, and installing the package would run initramfs-tools for nothing.
# From 7.x the image package is empty and the kernel is in linux-binary-*.
chroot "$root" sh -c "mkdir -p /tmp/image && cd /tmp/image &&
	apt-get -q download linux-image-$kver \$(apt-cache depends linux-image-$kver |
		grep -o 'linux-binary-$kver[^ ]*' | sort -u)" >&2
for deb in "$root"/tmp/image/*.deb; do
	dpkg-deb -x "$deb" "$root/tmp/image/x"
done
find "$root/tmp/image/x" -type f -name 'vmlinuz*' -exec mv {} "$cache/vmlinuz" \;
rm -rf "$root/tmp/image"
[ -f "$cache/vmlinuz" ] || { echo "root.sh: no vmlinuz in linux-image-$kver" >&2; exit 1; }
chroot "$root" apt-get clean
echo "$kver" >"$cache/kver"
touch "$cache/done"
echo "root.sh: $suite $kver ready in $((SECONDS - start)) s" >&2
echo "$cache"
