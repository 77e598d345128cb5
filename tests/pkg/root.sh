#!/bin/bash
# Print the folder of a cached Debian root for the package lane, made once
# per suite: base.tar (debootstrap: systemd, udev, apt) and repo/, local
# apt repositories of what the lane installs there, as a sysadmin's apt
# would download it from Debian:
#   bookworm  repo/bookworm: the release's kernel, headers and dkms;
#             repo/security: the newer kernel of the kernel upgrade test
#   trixie    repo/trixie: the same for Debian 13 with its security archive,
#             its real-time kernel (which DKMS skips) and what "make
#             install" needs; and what the bookworm root, once upgraded
#             to its security kernel, downloads for the release upgrade
#   sid       repo/sid: the same as bookworm's for sid
# The key is this script: change it and the roots are made anew.
# Usage: tests/pkg/root.sh SUITE   (bookworm, trixie or sid)
set -euo pipefail

suite=${1:?usage: $0 bookworm|trixie|sid}
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
# What install.sh installs: the kernel and its headers (so that DKMS
# builds), dkms, and what tracer-utils links with beyond the base system.
common="linux-image-amd64 linux-headers-amd64 dkms libncursesw6"
packages=$common
case $suite in
bookworm | sid) ;;
trixie) packages+=" linux-image-rt-amd64 linux-headers-rt-amd64 gcc libsmartcols-dev libncurses-dev pkg-config" ;;
*) echo "root.sh: no package root for suite '$suite'" >&2; exit 2 ;;
esac

key=$(sha256sum "$0" | cut -c1-12)
base=${XDG_CACHE_HOME:-$HOME/.cache}/tracer
cache=$base/pkgroot-$suite-$key
mkdir -p "$base"
# One maker per suite; a second caller waits and reuses the root.
exec 9>"$base/pkgroot-$suite.lock"
flock 9
if [ -f "$cache/done" ]; then
	echo "$cache"
	exit 0
fi
# The release upgrade starts from the bookworm root.
[ "$suite" != trixie ] || old=$("$0" bookworm)

# Roots made by older versions of this script are of no more use.
rm -rf "$base/pkgroot-$suite"-*/
mkdir -p "$cache/repo"
root=$cache/root
cleanup() {
	umount "$root/srv/repo" "$root/proc" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT
start=$SECONDS

# sources FILE LINE...: the root's apt sources, then its package lists.
sources() {
	printf '%s\n' "$@" >"$root/etc/apt/sources.list"
	chroot "$root" apt-get -q update >&2
}

# save NAME: what apt downloaded, into the repository repo/NAME.
save() {
	local dir=$cache/repo/$1 deb

	mkdir -p "$dir"
	for deb in "$root"/var/cache/apt/archives/*.deb; do
		[ -e "$dir/${deb##*/}" ] || mv "$deb" "$dir/"
	done
	rm -f "$root"/var/cache/apt/archives/*.deb
	(cd "$dir" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
}

in_root() {
	chroot "$root" env DEBIAN_FRONTEND=noninteractive "$@" >&2
}

echo "root.sh: debootstrap $suite into $cache (once)" >&2
debootstrap --variant=minbase --include=systemd-sysv,udev,kmod \
	"$suite" "$root" "$mirror" >&2
printf 'APT::Install-Recommends "false";\n' >"$root/etc/apt/apt.conf.d/90no-recommends"
# The mirror may serve a snapshot whose Release files are past their date.
printf 'Acquire::Check-Valid-Until "false";\n' >"$root/etc/apt/apt.conf.d/90no-valid-until"
tar -C "$root" -cf "$cache/base.tar" .
mount -t proc proc "$root/proc"

case $suite in
bookworm)
	sources "deb $mirror bookworm main"
	in_root apt-get -q -y --download-only install $packages
	save bookworm
	sources "deb $mirror bookworm main" "deb $security bookworm-security main"
	in_root apt-get -q -y --download-only install $packages
	save security
	# security/ keeps only what bookworm/ does not have.
	for deb in "$cache"/repo/security/*.deb; do
		[ ! -e "$cache/repo/bookworm/${deb##*/}" ] || rm "$deb"
	done
	(cd "$cache/repo/security" && dpkg-scanpackages -m . /dev/null >Packages 2>/dev/null)
	;;
trixie)
	sources "deb $mirror trixie main" "deb $security trixie-security main"
	in_root apt-get -q -y --download-only install $packages
	save trixie
	# The bookworm root as install.sh leaves it before its release
	# upgrade: the packages installed, then the security kernel.
	umount "$root/proc"
	rm -rf "$root"
	mkdir -p "$root"
	tar -C "$root" -xf "$old/base.tar"
	mount -t proc proc "$root/proc"
	mkdir -p "$root/srv/repo"
	mount --bind -o ro "$old/repo" "$root/srv/repo"
	sources "deb [trusted=yes] file:/srv/repo/bookworm ./"
	in_root apt-get -q -y install $common
	sources "deb [trusted=yes] file:/srv/repo/bookworm ./" \
		"deb [trusted=yes] file:/srv/repo/security ./"
	in_root apt-get -q -y full-upgrade
	rm -f "$root"/var/cache/apt/archives/*.deb
	sources "deb $mirror trixie main" "deb $security trixie-security main"
	in_root apt-get -q -y --download-only full-upgrade
	save trixie
	;;
sid)
	sources "deb $mirror sid main"
	in_root apt-get -q -y --download-only install $packages
	save sid
	;;
esac
touch "$cache/done"
echo "root.sh: $suite ready in $((SECONDS - start)) s" >&2
echo "$cache"
