#!/bin/bash
# Print the folder of a cached Debian 12 root for the install test, made
# once: base.tar (debootstrap: systemd, udev, apt) and two local apt
# repositories, bookworm/ (the release's kernel, headers and dkms) and
# security/ (the newer kernel that the upgrade test installs). The key
# is this script itself: change it and the cache is made anew.
set -euo pipefail

mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
# tracer-utils needs libncursesw6; "make install" builds it from a checkout.
packages="linux-image-amd64 linux-headers-amd64 dkms libncursesw6 gcc libsmartcols-dev libncurses-dev pkg-config"

key=$(sha256sum "$0" | cut -c1-12)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tracer/pkgroot-$key
if [ -f "$cache/done" ]; then
	echo "$cache"
	exit 0
fi

# Roots made by older versions of this script are of no more use.
rm -rf "${cache%-*}"-*
mkdir -p "$cache"
root=$cache/root
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT

echo "root.sh: debootstrap bookworm into $cache (once)" >&2
debootstrap --variant=minbase --include=systemd-sysv,udev,kmod \
	bookworm "$root" "$mirror" >&2
printf 'APT::Install-Recommends "false";\n' >"$root/etc/apt/apt.conf.d/90no-recommends"
tar -C "$root" -cf "$cache/base.tar" .

# download DIR: the packages apt would now install, saved in a repository.
download() {
	local dir=$cache/$1

	chroot "$root" apt-get -q update >&2
	chroot "$root" apt-get -q -y --download-only install $packages >&2
	mkdir -p "$dir"
	mv "$root"/var/cache/apt/archives/*.deb "$dir/"
	(cd "$dir" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
}

mount -t proc proc "$root/proc"
echo "deb $mirror bookworm main" >"$root/etc/apt/sources.list"
download bookworm
echo "deb $security bookworm-security main" >>"$root/etc/apt/sources.list"
download security
# security/ keeps only what bookworm/ does not have.
for deb in "$cache"/security/*.deb; do
	[ ! -e "$cache/bookworm/${deb##*/}" ] || rm "$deb"
done
(cd "$cache/security" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
touch "$cache/done"
echo "$cache"
