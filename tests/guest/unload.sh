#!/bin/sh
# Disarming and unloading under load, in a one-vCPU guest (see main.sh for
# why): hooks armed and disarmed while threads call traced functions,
# unload while registered threads keep calling, and load/unload cycles
# with a registered process calling away.
. /tests/lib.sh

check unload-lane-load-helper insmod $M/tracer_test.ko
check unload-lane-load insmod $M/tracer.ko

# spin N: PID of a registered process whose N threads call away; through a
# file, as the process keeps the standard output of tcheck open.
spin() {
	tcheck spin "$1" >/tmp/spin.pid && cat /tmp/spin.pid
}

# Arm and disarm 20 times while 8 unregistered threads call away.
tcheck spin 8 >/tmp/spin.pid
busy=$(cat /tmp/spin.pid)
tcheck remove "$busy"
ok=0
for i in $(seq 20); do
	sleep 100000 &
	target=$!
	tcheck add $target && armed_becomes yes || break
	kill $target
	armed_becomes no || break
	ok=$((ok + 1))
done
check arm-disarm-under-load-20 [ $ok -eq 20 ]
kill -9 "$busy"

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
. /tests/forks.sh
forks_reload_suite
check unload-lane-helper-unload rmmod tracer_test
check unload-lane-proc-gone test ! -e /proc/tracer -a ! -e /proc/tracer_status
check unload-lane-dev-gone test ! -e /dev/tracer
