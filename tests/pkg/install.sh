#!/bin/bash
# A real install of tracer-dkms and tracer-utils into a Debian root of
# SUITE (tests/pkg/root.sh) with apt, and that root booted with its own
# kernel and systemd (guest-check.sh), as a sysadmin would see it:
#   bookworm  install; the security archive's kernel upgrade; the release
#             upgrade to trixie, as an unattended full-upgrade runs it;
#             purge
#   trixie    install; its real-time kernel, which DKMS skips, booted;
#             purge; then "make install" and "make uninstall" of SRC
#   sid       install; purge
# PASS:/FAIL: lines named pkg-SUITE-...
# Usage: tests/pkg/install.sh SUITE TRACER-DKMS.DEB TRACER-UTILS.DEB TCHECK SRC OUTDIR
set -uo pipefail

[ $# -eq 6 ] || { echo "usage: $0 SUITE TRACER-DKMS.DEB TRACER-UTILS.DEB TCHECK SRC OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
suite=$1 deb=$2 utils=$3 tcheck=$4 src=$5 out=$6
root=$out/root

. "$here/lib.sh"
. "$here/../lib.sh"

in_root() {
	chroot "$root" env DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"
}

# The local repositories, each at /srv/repo/NAME, read-only.
mount_root() {
	local repo

	mount -t proc proc "$root/proc"
	for repo in "${repos[@]}"; do
		mkdir -p "$root/srv/repo/${repo##*/}"
		mount --bind -o ro "$repo" "$root/srv/repo/${repo##*/}"
	done
}

umount_root() {
	local repo

	umount "$root/proc" 2>/dev/null
	for repo in "${repos[@]}"; do
		umount "$root/srv/repo/${repo##*/}" 2>/dev/null
	done
	return 0
}

# sources REPO...: the root's apt sources are these local repositories.
sources() {
	local r

	for r in "$@"; do
		echo "deb [trusted=yes] file:/srv/repo/$r ./"
	done >"$root/etc/apt/sources.list"
}

# The kernels that DKMS built tracer for, as "dkms status" tells.
built_for() {
	in_root dkms status tracer | sed -n 's|^tracer/[^,]*, \([^,]*\), .*: installed$|\1|p'
}

# The newest kernel release installed in the root whose name matches RE.
kernel_of() {
	ls "$root/boot" | sed -n 's/^vmlinuz-//p' | grep -E -- "$1" | sort -V | tail -n 1
}

# test_module KERNEL: tracer's test module (tests/module), built in the
# root against KERNEL's headers, for the exact counts of guest-check.sh.
test_module() {
	local dir=$out/test-module

	rm -rf "$dir"
	cp -r "$here/../module" "$dir"
	mkdir -p "$root/usr/local/lib/pkgtest"
	kbuild "$dir" "/usr/src/linux-headers-$1" "$root" &&
		cp "$dir/tracer_test.ko" "$root/usr/local/lib/pkgtest/$1.ko"
}

# boot NAME KERNEL: the root as a disk, booted with KERNEL and systemd.
# A kernel that dies before systemd starts the check (TCG has crashed
# 7.x while it patched its own text) is booted once more.
boot() {
	local name=$1 kernel=$2 img=$out/disk.img start=$SECONDS try
	local log=$out/console-$name.log

	if [ "$name" != trixie-rt ] && ! test_module "$kernel" >"$out/test-module-$name.log" 2>&1; then
		echo "FAIL: pkg-$name-test-module: see $out/test-module-$name.log"
	fi
	umount_root
	for try in 1 2; do
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
			-append "root=/dev/vda rw console=ttyS0 panic=-1 loglevel=5 systemd.show_status=false pkgtest.name=$name pkgtest.kernel=$kernel" \
			</dev/null 2>&1 | tr -d '\r' | sed 's/\x1b[]P][^\x1b]*\x1b\\//g; s/\x1b\[[0-9;?!>]*[A-Za-z]//g' >"$log"
		grep -aq 'TRACER-PKG-START' "$log" && break
		[ $try = 2 ] || {
			mv "$log" "$log.boot1"
			echo "INFO: pkg-$name: the kernel died before the check began; booted again (first log: $log.boot1)"
		}
	done
	rm -f "$img"
	# systemd may have left a terminal query on the line.
	grep -aoE '(PASS|FAIL|SKIP|INFO): .*' "$log"
	"$here/../vm/check-log.sh" "$log"
	grep -aq 'TRACER-PKG-DONE' "$log" ||
		echo "FAIL: pkg-$name-boot: no TRACER-PKG-DONE marker (log: $log)"
	echo "INFO: pkg-$name: boot and checks took $((SECONDS - start)) s"
	rm -rf "$root/usr/local/lib/pkgtest"
	mount_root
}

# step NAME COMMAND...: result, and the time it took.
step() {
	local t0=$SECONDS

	result "$@"
	echo "INFO: pkg-$1: $((SECONDS - t0)) s"
}

one_kernel() {
	echo "built for: ${1:-none}"
	[ -n "$1" ] && [ "$(wc -w <<<"$1")" = 1 ]
}

# built_for_all KERNEL...: DKMS has tracer installed for each KERNEL.
built_for_all() {
	local have k

	have=$(built_for)
	echo "built for: $(echo $have)"
	for k in "$@"; do
		grep -qx "$k" <<<"$have" || return 1
	done
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
# Other packages' files may have the word in their names (pahole's
# ctracer).
purged() {
	local left

	left=$(cd "$root" && find . -xdev -name '*tracer*' ! -path './tmp/src/*' |
		while read -r f; do
			in_root dpkg -S "${f#.}" >/dev/null 2>&1 || echo "$f"
		done)
	echo "left behind: ${left:-nothing}"
	[ -z "$left" ] && ! in_root dpkg-query -W tracer-dkms tracer-utils
}

# install_tracer [PACKAGE...]: tracer's packages with the suite's kernel
# and headers, as README's Install section says, and alice in the group.
install_tracer() {
	cp "$deb" "$utils" "$root/tmp/"
	in_root sh -c "apt-get -q update && apt-get -q -y install \
		/tmp/${deb##*/} /tmp/${utils##*/} linux-image-amd64 linux-headers-amd64 $* &&
		usermod -a -G tracer alice"
	local rc=$?
	rm "$root/tmp/${deb##*/}" "$root/tmp/${utils##*/}"
	return $rc
}

# The release upgrade as Debian's release notes give it, unattended:
# no question asked, changed configuration files kept.
release_upgrade() {
	local opts="-q -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold"

	in_root sh -c "apt-get -q update && apt-get $opts upgrade --without-new-pkgs &&
		apt-get $opts full-upgrade"
}

# The group and its member, as the install left them.
group_kept() {
	in_root getent group tracer
	in_root getent group tracer | grep -qE '^tracer:x:[0-9]+:(.*,)?alice(,.*)?$'
}

# The real-time kernel: apt succeeds and DKMS says in its own words that
# it skipped tracer; nothing is built for it.
rt_skipped() {
	in_root apt-get -q -y install linux-image-rt-amd64 linux-headers-rt-amd64 || return 1
	built_for | grep -- '-rt-' && return 1
	return 0
}

cache=$("$here/root.sh" "$suite") || { echo "FAIL: pkg-$suite-root: tests/pkg/root.sh $suite failed"; exit 1; }
repos=("$cache"/repo/*)
# Debian 12's release upgrade goes to Debian 13's packages.
if [ "$suite" = bookworm ]; then
	next=$("$here/root.sh" trixie) || { echo "FAIL: pkg-$suite-root: tests/pkg/root.sh trixie failed"; exit 1; }
	repos+=("$next/repo/trixie")
fi
version=$(dpkg-deb -f "$deb" Version)
clear_dir "$root"
mkdir -p "$root"
tar -C "$root" -xf "$cache/base.tar"
trap umount_root EXIT
mount_root

# What the test adds to the root: its users (alice in the group, bob and
# carol not), their login shells, its boot-time check, tcheck.
for user in alice bob carol; do
	in_root useradd -m -s /bin/bash $user
done
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
# A root thrown away after the test need not survive a power cut: dpkg
# skips its fsync()s.
echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/pkgtest-unsafe-io"
# The guest's initramfs needs only its disk and file system: with those
# modules alone it is made in seconds rather than a minute per kernel.
mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
echo MODULES=list >"$root/etc/initramfs-tools/conf.d/pkgtest"
cat >"$root/etc/initramfs-tools/hooks/pkgtest" <<'HOOK'
#!/bin/sh
[ "$1" = prereqs ] && exit 0
. /usr/share/initramfs-tools/hook-functions
manual_add_modules virtio_pci virtio_blk ext4 crc32c_generic
HOOK
chmod 755 "$root/etc/initramfs-tools/hooks/pkgtest"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

sources "$suite"
step $suite-install install_tracer
first=$(built_for)
result $suite-dkms-built-at-install one_kernel "$first"

case $suite in
bookworm)
	result bookworm-skips-kernel-without-kprobes skips_unsupported nokprobes grep -v '^CONFIG_KPROBES='
	result bookworm-skips-kernel-without-ftrace skips_unsupported noftrace grep -v '^CONFIG_FUNCTION_TRACER='
	result bookworm-skips-preempt-rt-kernel skips_unsupported rt sed '$a CONFIG_PREEMPT_RT=y'
	boot bookworm-install "$first"

	sources bookworm security
	step bookworm-upgrade in_root sh -c 'apt-get -q update && apt-get -q -y full-upgrade'
	new=$(built_for | grep -vx "$first")
	result bookworm-dkms-built-at-upgrade one_kernel "$new"
	boot bookworm-upgrade "$new"

	sources trixie
	step bookworm-release-upgrade release_upgrade
	k13=$(kernel_of '^6\.12\.')
	result bookworm-release-upgrade-dkms-built built_for_all "$first" "$new" "$k13"
	result bookworm-release-upgrade-group-kept group_kept
	boot bookworm-trixie "$k13"
	;;
trixie)
	boot trixie-install "$first"
	step trixie-rt-kernel-skipped rt_skipped
	# dkms' own words, in the output of apt.
	result trixie-rt-dkms-says-skipped grep -E "^Autoinstall on .*-rt-amd64 was skipped for module\(s\) tracer\.$" \
		"$out/trixie-rt-kernel-skipped.log"
	boot trixie-rt "$(kernel_of -rt-)"
	;;
sid)
	boot sid-install "$first"
	;;
esac

result $suite-purge in_root apt-get -q -y purge tracer-dkms tracer-utils
result $suite-purge-leaves-nothing purged

if [ "$suite" = trixie ]; then
	# A checkout's install builds tracerctl too: its build dependencies first.
	cp -a "$src" "$root/tmp/src"
	result trixie-make-install-deps in_root apt-get -q -y install gcc libsmartcols-dev libncurses-dev pkg-config
	result trixie-make-install in_root make -C /tmp/src install KVER="$first"
	result trixie-make-install-built one_kernel "$(built_for)"
	result trixie-make-uninstall in_root make -C /tmp/src uninstall
	result trixie-make-uninstall-leaves-nothing purged
fi
umount_root
rm -rf --one-file-system "$root"
