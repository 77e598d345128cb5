#!/bin/bash
# Print the folder of a cached Debian 13 (trixie) root with trixie's QEMU
# installed (10.0 where this host's Debian 12 has 7.2), made once by
# debootstrap: tests/vm/run.sh --qemu-root runs the guest with it, in that
# root. Two-vCPU TCG guests of QEMU 7.2 crash when a kprobe is removed
# while the other vCPU runs its function (docs/ARCHITECTURE.md).
# The folder holds root/ and version (qemu-system-x86's version).
# The key is this script: change it and the root is made anew.
# Usage: tests/vm/qemu-trixie.sh
set -euo pipefail

mirror=http://deb.debian.org/debian
key=$(sha256sum "$0" | cut -c1-12)
base=${XDG_CACHE_HOME:-$HOME/.cache}/tracer
cache=$base/qemu-trixie-$key
"$(dirname "$0")/../../scripts/deps.sh" pkg >&2

mkdir -p "$base"
# One maker; a second caller waits and reuses the root.
exec 9>"$base/qemu-trixie.lock"
flock 9
if [ -f "$cache/done" ]; then
	echo "$cache"
	exit 0
fi

# Roots made by older versions of this script are of no more use.
rm -rf "$base"/qemu-trixie-*/
mkdir -p "$cache"
root=$cache/root
start=$SECONDS
echo "qemu-trixie.sh: debootstrap trixie into $cache (once)" >&2
debootstrap --variant=minbase --include=qemu-system-x86 trixie "$root" "$mirror" >&2
chroot "$root" apt-get clean
chroot "$root" dpkg-query -W -f='${Version}\n' qemu-system-x86 >"$cache/version"
touch "$cache/done"
echo "qemu-trixie.sh: QEMU $(cat "$cache/version") ready in $((SECONDS - start)) s" >&2
echo "$cache"
