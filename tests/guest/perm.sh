# The permission model (sourced by main.sh, tracer loaded): the device as
# the packages set it up (root:tracer 0660, here group 1000), users 1001
# and 1002 in that group, 1003 not. Each case allowed and refused.
T=1000 A=1001 B=1002 C=1003

# as USER CMD...: CMD as USER, in its own group and the device's.
as() {
	u=$1
	shift
	tcheck as $u $u,$T "$@"
}
# errno_is WANT USER CALL...: what tcheck errno CALL says, as USER.
errno_is() {
	want=$1
	u=$2
	shift 2
	got=$(as $u tcheck errno "$@")
	[ "$got" = "$want" ] || { echo "got $got, want $want"; return 1; }
}
# shows USER PID: whether USER's /proc/tracer has PID's row.
shows() {
	as $1 cat /proc/tracer | grep -q "^$2 "
}
# The PIDs of the rows of /proc/tracer on the standard input.
pids() {
	sed 1d | cut -d' ' -f1 | sort -n | tr '\n' ' '
}

chgrp $T /dev/tracer
chmod 0660 /dev/tracer

# Not through as(): $! must be the PID that becomes the sleep.
tcheck as $A $A,$T sleep 100000 &
pa=$!
tcheck as $B $B,$T sleep 100000 &
pb=$!
tcheck as $A $A,$T tcheck undumpable &
pu=$!
sleep 100000 &
proot=$!
# Wait for the children to be what they run as.
sleep 1

check perm-group-member-opens errno_is 0 $A open
check perm-non-member-refused-open sh -c "[ \"\$(tcheck as $C $C tcheck errno open)\" = EACCES ]"
check perm-same-uid-add errno_is 0 $A add $pa
check perm-same-uid-sees-row shows $A $pa
check perm-other-uid-hidden-row eval "! shows $B $pa"
check perm-root-sees-row grep -q "^$pa " /proc/tracer
check perm-other-uid-add-refused errno_is EPERM $B add $pa
check perm-other-uid-remove-refused errno_is EPERM $B remove $pa
check perm-other-uid-add-own errno_is 0 $B add $pb
# A descriptor shows its opener's rows, whoever reads it: one a user opened,
# passed to a set-user-ID program; one root opened, inherited by a user.
check perm-user-opened-root-reads [ "$(tcheck opened-by $A $A,$T /proc/tracer | pids)" = "$pa " ]
check perm-root-opened-user-reads [ "$(as $B cat </proc/tracer | pids)" = "$(pids </proc/tracer)" ]
check perm-root-process-refused errno_is EPERM $A add $proot
check perm-kernel-thread-refused errno_is EPERM $A add 2
check perm-undumpable-refused errno_is EPERM $A add $pu
check perm-same-uid-remove errno_is 0 $A remove $pa
check perm-root-add-other errno_is 0 0 add $pa
check perm-root-add-undumpable errno_is 0 0 add $pu
check perm-root-remove-other errno_is 0 0 remove $pa
check perm-root-remove-undumpable errno_is 0 0 remove $pu
check perm-same-uid-remove-own errno_is 0 $B remove $pb
kill $pa $pb $pu $proot

# Counts in a monitor's exit records: only what its opener may inspect.
cp "$(command -v tmonitor)" /tmp/tmonitor-suid
chmod 4755 /tmp/tmonitor-suid
ran perm-monitor-counts-run as $A tmonitor perm private /tmp/tmonitor-suid
rm -f /tmp/tmonitor-suid

# Hostile input from a user of the device's group, then as root below.
ran fuzz-user-run tcheck as $A $A,$T tfuzz user $(by_lane 100000 20000) 8
chmod 0600 /dev/tracer
chgrp 0 /dev/tracer
