#!/bin/bash
# Runs at boot in the installed Debian root (tracer-pkgtest.service): what
# a sysadmin sees after "apt install tracer-dkms" and a reboot. Prints
# PASS:/FAIL: lines on the serial console, then powers off.
exec >/dev/ttyS0 2>&1

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

udevadm settle --timeout=60
echo
check kernel "$(uname -r)" "$want_kernel"
check loaded-by-modules-load \
	"$(journalctl -b -o cat -t systemd-modules-load | grep -c "^Inserted module 'tracer'")" 1
check module-path "$(modinfo -n tracer)" "/lib/modules/$want_kernel/updates/dkms/tracer.ko"
check module-version "$(cat /sys/module/tracer/version)" "$(dpkg-query -W -f='${Version}' tracer-dkms)"
check device "$(stat -c '%F %t:%T %U:%G %a' /dev/tracer)" "character special file a:2a root:tracer 660"
check group-is-system "$(getent group tracer | awk -F: '$3 < 1000 { print "yes" }')" yes

# alice is in the group, bob is not. alice's shell forks and waits 50
# times once it is registered: kmalloc and schedule calls it makes.
as alice sh -c 'sleep 3; for i in $(seq 50); do /bin/true; done; sleep 600' &
pid=$!
check member-registers "$( (as alice tcheck add $pid) 2>&1; echo rc=$?)" rc=0
check non-member-refused "$( (as bob tcheck add $pid) 2>&1; echo rc=$?)" \
	"FAIL: setup: /dev/tracer: Permission denied
rc=1"
# Group membership opens the device, not other users' processes.
as bob sleep 600 &
bobs=$!
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
# tracer-utils: the same row and the module's state through tracerctl.
check tracerctl-status "$( (as alice tracerctl status -n -r -o DATA) | head -2 | tr '\n' ' ')" \
	"loaded $(dpkg-query -W -f='${Version}' tracer-utils) "
check tracerctl-show "$( (as alice tracerctl show -n -r -o PID,COMMAND $pid); echo rc=$?)" \
	"$pid sh
rc=0"
kill $pid

echo "TRACER-PKG-DONE"
systemctl poweroff --no-block
