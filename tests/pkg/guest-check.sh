#!/bin/bash
# Runs at boot in the installed Debian root (pkgtest.service): what a
# sysadmin sees after "apt install tracer-dkms" and a reboot, and what a
# member of group tracer sees from their own login shell. On a kernel
# that DKMS skipped (pkgtest.name=*-rt): that the module is absent and
# tracerctl says why. PASS:/FAIL: lines on the serial console, then it
# powers off.
exec >/dev/ttyS0 2>&1
echo "TRACER-PKG-START"

# From the kernel command line: the boot's name and the kernel it expects.
for arg in $(cat /proc/cmdline); do
	case $arg in
	pkgtest.name=*)   name=${arg#*=} ;;
	pkgtest.kernel=*) want_kernel=${arg#*=} ;;
	esac
done

check() {
	local what=$1 got=$2 want=$3

	if [ "$got" = "$want" ]; then
		echo "PASS: pkg-$name-$what"
	else
		echo "FAIL: pkg-$name-$what: got '$got', want '$want'"
	fi
}

# as USER COMMAND...: replaces the calling shell, so call it in a subshell,
# "(as ...)" or "as ... &": then $! is the command's own PID.
as() {
	local user=$1

	shift
	exec setpriv --reuid="$user" --regid="$user" --init-groups "$@"
}

# exec_done PID COMMAND: waits until PID has become COMMAND (it runs as
# its user from then on, and only then may they register it).
exec_done() {
	local i

	for i in $(seq 100); do
		[ "$(cat /proc/$1/comm 2>/dev/null)" = "$2" ] && return
		sleep 0.1
	done
}

# login USER COMMAND: COMMAND in USER's login shell, with the PATH and
# groups their login gives them.
login() {
	su -l "$1" -c "$2"
}

finish() {
	echo "TRACER-PKG-DONE"
	systemctl poweroff --no-block
	exit 0
}

udevadm settle --timeout=60
echo
check kernel "$(uname -r)" "$want_kernel"
check modules-load-ok "$(systemctl is-failed systemd-modules-load.service)" active
check tracerctl-in-login-path "$(login alice 'command -v tracerctl')" /usr/bin/tracerctl

case $name in
*-rt)
	# DKMS built nothing for this kernel: modprobe would fail, and
	# tracerctl says why instead of suggesting it.
	check rt-no-module "$(test -e /sys/module/tracer && echo loaded || echo absent)" absent
	check rt-tracerctl-says-why "$(login alice 'tracerctl show; echo rc=$?' 2>&1)" \
		"tracerctl: the tracer module is not loaded, and cannot be on this kernel: $want_kernel is a real-time (PREEMPT_RT) kernel, which tracer does not support, so DKMS did not build it; boot a kernel that is not real-time (Debian's linux-image-amd64) to use tracer
rc=3"
	finish
	;;
esac

check loaded-by-modules-load \
	"$(journalctl -b -o cat -t systemd-modules-load | grep -c "^Inserted module 'tracer'")" 1
# Compressed as the kernel's own modules are, by dkms from 3.1.
check module-path "$(modinfo -n tracer | sed -E 's/\.(xz|zst|gz)$//')" \
	"/lib/modules/$want_kernel/updates/dkms/tracer.ko"
check module-version "$(cat /sys/module/tracer/version)" "$(dpkg-query -W -f='${Version}' tracer-dkms)"
check device "$(stat -c '%F %t:%T %U:%G %a' /dev/tracer)" "character special file a:2a root:tracer 660"
check group-is-system "$(getent group tracer | awk -F: '$3 < 1000 { print "yes" }')" yes

# Exact counts: tracer's test module, built for this kernel, makes a
# member's registered processes call kmalloc, schedule, up/down and
# mutex_lock a known number of times (tcheck sizes).
insmod "/usr/local/lib/pkgtest/$want_kernel.ko"
udevadm settle --timeout=60
chmod 666 /dev/tracer_test
as alice tcheck sizes | sed -E "s/^(PASS|FAIL|SKIP): /\1: pkg-$name-exact-/"
rmmod tracer_test

# alice is in the group, bob is not. alice's shell forks and waits 50
# times once it is registered: kmalloc and schedule calls it makes.
as alice sh -c 'sleep 3; for i in $(seq 50); do /bin/true; done; sleep 600' &
pid=$!
exec_done $pid sh
check member-registers "$( (as alice tcheck add $pid) 2>&1; echo rc=$?)" rc=0
check non-member-refused "$( (as bob tcheck add $pid) 2>&1; echo rc=$?)" \
	"FAIL: setup: /dev/tracer: Permission denied
rc=1"
# Group membership opens the device, not other users' processes.
as bob sleep 600 &
bobs=$!
exec_done $bobs sleep
check member-refused-others "$( (as alice tcheck add $bobs) 2>&1; echo rc=$?)" \
	"add: Operation not permitted
rc=1"
kill $bobs
row=''
for _ in $(seq 120); do
	row=$(awk -v pid=$pid '$1 == pid' /proc/tracer)
	[ -n "$row" ] && [ "$(awk '{ print $6 }' <<<"$row")" -ge 50 ] && break
	sleep 1
done
echo "INFO: pkg-$name /proc/tracer row: $row"
check proc-row "$(awk '$2 > 0 && $4 > 0 && $6 >= 50 { print "counted" }' <<<"$row")" counted

# tracer-utils, as alice from her login shell: the module's state, the
# same row.
check tracerctl-status "$(login alice 'tracerctl status -n -r -o DATA' | head -2 | tr '\n' ' ')" \
	"loaded $(dpkg-query -W -f='${Version}' tracer-utils) "
check tracerctl-show "$(login alice "tracerctl show -n -r -o PID,COMMAND $pid; echo rc=\$?")" \
	"$pid sh
rc=0"
kill $pid

# What a user not in the group reads, and one added to it while logged in.
sleep 600 &
mine=$!
check tracerctl-non-member "$(login bob "tracerctl add $mine; echo rc=\$?" 2>&1)" \
	"tracerctl: cannot open /dev/tracer: permission denied: root and the members of group 'tracer' may open it; an administrator adds you with 'usermod -a -G tracer bob', then you log in again
rc=1"
usermod -a -G tracer carol
check tracerctl-member-not-yet-in-session \
	"$(setpriv --reuid=carol --regid=carol --clear-groups tracerctl add $mine 2>&1; echo rc=$?)" \
	"tracerctl: cannot open /dev/tracer: permission denied: you were added to group 'tracer' after this session began; log in again (or run 'newgrp tracer') to use it
rc=1"
kill $mine
as carol sleep 600 &
carols=$!
exec_done $carols sleep
check tracerctl-member-after-login "$(login carol "tracerctl add $carols >/dev/null; tracerctl show -n -r -o PID $carols")" "$carols"
kill $carols

# A whole service, registered by its unit's name: its processes counted as
# they come and go, what it holds, and the row gone with the cgroup when
# systemd removes it (a restart makes a new one).
unit_row() {
	tracerctl show --cgroups -n -r --bytes -o CGROUP,KMALLOC,HELD,HELD_BLOCKS |
		awk '$1 == "/system.slice/tracer-work.service"'
}
# The row, if it is still there after 6 s (the module polls each second).
unit_row_gone() {
	local row

	for _ in $(seq 30); do
		row=$(unit_row)
		[ -z "$row" ] && return
		sleep 0.2
	done
	echo "$row"
}
systemd-run --quiet --unit=tracer-work sh -c 'while :; do cat /proc/version >/dev/null; sleep 0.2; done'
check unit-add "$(tracerctl add --unit tracer-work 2>&1; echo rc=$?)" rc=0
sleep 3
row=$(unit_row)
echo "INFO: pkg-$name tracerctl show --cgroups: $row"
check unit-counted "$(awk '$2 > 10 && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { print "counted" }' <<<"$row")" counted
check unit-in-status "$(sed -n 's/^cgroups: //p' /proc/tracer_status)" 1
systemctl restart tracer-work
check unit-restart-new-cgroup "$(unit_row_gone)" ""
check unit-add-again "$(tracerctl add --unit tracer-work 2>&1; echo rc=$?)" rc=0
systemctl stop tracer-work
check unit-stopped-row-gone "$(unit_row_gone)" ""
finish
