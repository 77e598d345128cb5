#!/bin/sh
# The VM test suite, run by the guest's init (staged as /tests/main.sh).
# Every "PASS: name", "FAIL: name: why" or "SKIP: name: why" line is a result.

M=/modules

check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		echo "PASS: $name"
	else
		echo "FAIL: $name: $* said: $out"
	fi
}

# Waits up to 10 s for /proc/tracer_status to say "armed: $1".
armed_becomes() {
	i=0
	while ! grep -qx "armed: $1" /proc/tracer_status; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

check load insmod $M/tracer.ko
check load-test-helper insmod $M/tracer_test.ko
check dev-tracer-10-42 [ "$(stat -c %t:%T /dev/tracer)" = a:2a ]
check proc-header grep -q "^PID  *kmalloc  *kfree  *kmalloc_mem  *kfree_mem  *sched  *up  *down  *lock  *unlock$" /proc/tracer
check idle-disarmed armed_becomes no

tcheck abi
tcheck32 abi
tcheck counts
tcheck lifecycle
start=$(date +%s)
tcheck many 10000
echo "INFO: 10000 processes forked, registered, read, killed in $(($(date +%s) - start)) s"
check idle-after-tests-disarmed armed_becomes no
sed 's/^/INFO: status: /' /proc/tracer_status

# spin N: PID of a registered process whose N threads call away; through a
# file, as the process keeps the standard output of tcheck open.
spin() {
	tcheck spin "$1" >/tmp/spin.pid && cat /tmp/spin.pid
}

# Unload while registered threads keep calling every traced function.
pid=$(spin 8)
check spin-registered grep -q "^$pid " /proc/tracer
check spin-armed armed_becomes yes
sleep 2
check unload-while-running rmmod tracer
kill -9 "$pid"

# Load/unload cycles, each with a registered process calling away.
start=$(date +%s)
ok=0
for i in $(seq 50); do
	insmod $M/tracer.ko || break
	pid=$(spin 2) || break
	rmmod tracer || break
	kill -9 "$pid"
	ok=$((ok + 1))
done
check load-unload-50 [ $ok -eq 50 ]
echo "INFO: 50 load/unload cycles in $(($(date +%s) - start)) s"
check unload-test-helper rmmod tracer_test
check unloaded-proc-gone test ! -e /proc/tracer -a ! -e /proc/tracer_status
check unloaded-dev-gone test ! -e /dev/tracer
