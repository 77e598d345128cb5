#!/bin/bash
# A real install of tracer-dkms and tracer-utils: into a Debian 12 root (tests/pkg/root.sh)
# with apt, then that root booted with its own kernel and systemd; then a
# kernel upgrade, a boot of the new kernel, and a purge; last, "make
# install" and "make uninstall" of the checkout SRC. PASS:/FAIL: lines.
# Usage: tests/pkg/install.sh TRACER-DKMS.DEB TRACER-UTILS.DEB TCHECK SRC OUTDIR
set -uo pipefail

[ $# -eq 5 ] || { echo "usage: $0 TRACER-DKMS.DEB TRACER-UTILS.DEB TCHECK SRC OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
deb=$1 utils=$2 tcheck=$3 src=$4 out=$5
root=$out/root

. "$here/lib.sh"

in_root() {
	chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

mount_root() {
	mount -t proc proc "$root/proc"
	mkdir -p "$root/srv/repo"
	mount --bind -o ro "$cache" "$root/srv/repo"
}

umount_root() {
	umount "$root/proc" "$root/srv/repo" 2>/dev/null
	return 0
}

# The kernels that DKMS built tracer for, as "dkms status" tells.
built_for() {
	in_root dkms status tracer | sed -n 's|^tracer/[^,]*, \([^,]*\), .*: installed$|\1|p'
}

# boot NAME KERNEL: the root as a disk, booted with KERNEL and systemd.
boot() {
	local name=$1 kernel=$2 img=$out/disk.img start=$SECONDS
	local log=$out/console-$name.log

	umount_root
	rm -f "$img"
	if ! mkfs.ext4 -q -F -L root -d "$root" "$img" 3G >/dev/null; then
		echo "FAIL: pkg-$name-boot: mkfs.ext4 could not make the disk"
		mount_root
		return
	fi
	timeout -k 10 900 qemu-system-x86_64 -accel tcg,thread=single -cpu max,la57=off \
		-m 2048 -smp 1 -nographic -no-reboot -nic none \
		-drive file="$img",format=raw,if=virtio \
		-kernel "$root/boot/vmlinuz-$kernel" -initrd "$root/boot/initrd.img-$kernel" \
		-append "root=/dev/vda rw console=ttyS0 panic=-1 loglevel=5 pkgtest.name=$name pkgtest.kernel=$kernel" \
		</dev/null >"$log" 2>&1
	rm -f "$img"
	tr -d '\r' <"$log" | grep -aE '^(PASS|FAIL|SKIP|INFO): '
	"$here/../vm/check-log.sh" "$log"
	grep -aq '^TRACER-PKG-DONE' "$log" ||
		echo "FAIL: pkg-$name-boot: no TRACER-PKG-DONE marker (log: $log)"
	echo "INFO: pkg-$name: boot and checks took $((SECONDS - start)) s"
	mount_root
}

one_kernel() {
	echo "built for: ${1:-none}"
	[ -n "$1" ] && [ "$(wc -w <<<"$1")" = 1 ]
}

# DKMS skips (exit 77), rather than fail, a kernel NAME whose .config is
# the installed one's passed through COMMAND (kprobes taken out, PREEMPT_RT
# put in).
skips_unsupported() {
	local name=$1 headers

	shift
	headers=$(ls -d "$root"/usr/src/linux-headers-*-amd64 | head -1)
	mkdir -p "$root/tmp/$name"
	"$@" <"$headers/.config" >"$root/tmp/$name/.config"
	in_root dkms build -m tracer -v "$version" -k "6.1.0-$name" \
		--kernelsourcedir "/tmp/$name"
	[ $? -eq 77 ]
}

# After a purge: no file of tracer's anywhere, no dkms tree, no package.
purged() {
	local left

	left=$(cd "$root" && find . -xdev -name '*tracer*' ! -path './tmp/src/*')
	echo "left behind: ${left:-nothing}"
	[ -z "$left" ] && ! in_root dpkg-query -W tracer-dkms tracer-utils
}

cache=$("$here/root.sh") || { echo "FAIL: pkg-root: tests/pkg/root.sh failed"; exit 1; }
version=$(dpkg-deb -f "$deb" Version)
umount_root 2>/dev/null
rm -rf "$root"
mkdir -p "$root"
tar -C "$root" -xf "$cache/base.tar"
trap umount_root EXIT
mount_root

# What the test adds to the root: its users, its boot-time check, tcheck.
in_root useradd -m alice
in_root useradd -m bob
install -m 755 "$tcheck" "$root/usr/local/bin/tcheck"
install -m 755 "$here/guest-check.sh" "$root/usr/local/sbin/pkgtest"
cat >"$root/etc/systemd/system/pkgtest.service" <<'UNIT'
[Unit]
Description=tracer package test
After=systemd-modules-load.service systemd-udevd.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/pkgtest
UNIT
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
# A getty on the serial console would hang up the test's output there.
ln -s /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
ln -s ../pkgtest.service "$root/etc/systemd/system/multi-user.target.wants/"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp "$deb" "$utils" "$root/tmp/"

echo "deb [trusted=yes] file:/srv/repo/bookworm ./" >"$root/etc/apt/sources.list"
start=$SECONDS
result install in_root sh -c "apt-get -q update && apt-get -q -y install \
	/tmp/${deb##*/} /tmp/${utils##*/} linux-image-amd64 linux-headers-amd64 &&
	usermod -a -G tracer alice"
rm "$root/tmp/${deb##*/}" "$root/tmp/${utils##*/}"
echo "INFO: pkg-install: apt install took $((SECONDS - start)) s"
old=$(built_for)
result dkms-built-at-install one_kernel "$old"
result skips-kernel-without-kprobes skips_unsupported nokprobes grep -v '^CONFIG_KPROBES='
result skips-preempt-rt-kernel skips_unsupported rt sed '$a CONFIG_PREEMPT_RT=y'
boot install "$old"

echo "deb [trusted=yes] file:/srv/repo/security ./" >>"$root/etc/apt/sources.list"
start=$SECONDS
result upgrade in_root sh -c 'apt-get -q update && apt-get -q -y full-upgrade'
echo "INFO: pkg-upgrade: apt full-upgrade took $((SECONDS - start)) s"
new=$(built_for | grep -vx "$old")
result dkms-built-at-upgrade one_kernel "$new"
boot upgrade "$new"

result purge in_root apt-get -q -y purge tracer-dkms tracer-utils
result purge-leaves-nothing purged

# A checkout's install builds tracerctl too: its build dependencies first.
cp -a "$src" "$root/tmp/src"
result make-install-deps in_root apt-get -q -y install gcc libsmartcols-dev libncurses-dev pkg-config
result make-install in_root make -C /tmp/src install KVER="$new"
result make-install-built one_kernel "$(built_for)"
result make-uninstall in_root make -C /tmp/src uninstall
result make-uninstall-leaves-nothing purged
umount_root
rm -rf "$root"
