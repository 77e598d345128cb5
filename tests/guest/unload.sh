#!/bin/sh
# Disarming and unloading under load, in a one-vCPU guest of the host's
# QEMU: hooks armed and disarmed while threads call traced functions,
# unload while registered threads keep calling, and load/unload cycles
# with a registered process calling away; and fault injection (faults.sh).
# On two vCPUs the host's QEMU 7.2 crashes here and trixie's 10.0 runs it
# clean (docs/ARCHITECTURE.md); one vCPU of the host's QEMU keeps make
# check to one guest per kind.
. /tests/lib.sh

kmemleak_start
check unload-lane-load-helper insmod $M/tracer_test.ko
check unload-lane-load insmod $M/tracer.ko

# spin N: PID of a registered process whose N threads call away; through a
# file, as the process keeps the standard output of tcheck open.
spin() {
	tcheck spin "$1" >/tmp/spin.pid && cat /tmp/spin.pid
}

# The hooks disarm when the last registered process exits.
check idle-disarmed armed_becomes no
keeper_arm
kill $keeper
check exit-disarms armed_becomes no

# Arm and disarm while 8 unregistered threads call away.
tcheck spin 8 >/tmp/spin.pid
busy=$(cat /tmp/spin.pid)
tcheck remove "$busy"
n=$(by_depth 5 20)
ok=0
for i in $(seq $n); do
	sleep 100000 &
	target=$!
	tcheck add $target && armed_becomes yes || break
	kill $target
	armed_becomes no || break
	ok=$((ok + 1))
done
check arm-disarm-under-load [ $ok -eq $n ]
echo "INFO: armed and disarmed $ok times under load"
kill -9 "$busy"

# Unload while registered threads keep calling every traced function.
pid=$(spin 8)
check spin-registered grep -q "^$pid " /proc/tracer
check spin-armed armed_becomes yes
sleep 2
check unload-while-running rmmod tracer
kill -9 "$pid"

# A cgroup arms the hooks as a process does, and unload drops it while its
# threads call away.
. /tests/cgroups.sh
if root=$(cgroup_root 2>/dev/null); then
	check cgroup-unload-load insmod $M/tracer.ko
	mkdir -p $root/tt-unload
	tcheck spin 8 >/tmp/spin.pid
	pid=$(cat /tmp/spin.pid)
	tcheck remove "$pid"
	echo "$pid" >$root/tt-unload/cgroup.procs
	check cgroup-unload-add [ "$(tcheck errno cgroup-add $root/tt-unload)" = 0 ]
	check cgroup-arms armed_becomes yes
	check cgroup-counts-threads awk '$1 == "/tt-unload" && $6 > 0 { ok = 1 } END { exit !ok }' /proc/tracer_cgroups
	check cgroup-unload-remove [ "$(tcheck errno cgroup-remove $root/tt-unload)" = 0 ]
	check cgroup-remove-disarms armed_becomes no
	tcheck errno cgroup-add $root/tt-unload >/dev/null
	sleep 2
	check cgroup-unload-while-running rmmod tracer
	kill -9 "$pid"
	sleep 1
	rmdir $root/tt-unload
else
	echo "SKIP: cgroup-unload: this kernel has no cgroup v2"
fi

# Unload amid the stress of main.sh: rmmod is refused while the stress
# holds /dev/tracer open for a batch, so it is retried.
check stress-load insmod $M/tracer.ko
rm -f /tmp/stress.exact
tcheck stress $(by_lane 20 30) 16 8 unload &
stress=$!
i=0
while [ ! -e /tmp/stress.exact ] && [ $i -lt 600 ]; do
	sleep 1
	i=$((i + 1))
done
sleep 3
i=0
while ! rmmod tracer 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 1000 ] || break
done
check unload-amid-stress [ $i -lt 1000 ]
echo "INFO: unload amid stress: rmmod refused $i times (device open) first"
wait $stress
check stress-after-unload [ $? -eq 0 ]

# A tiny allocation table: one bucket of 8 slots for 1000 kept blocks.
check overflow-load insmod $M/tracer.ko alloc_slots=8
ran overflow-run tcheck overflow 1000
lost=$(sed -n 's/^alloc_records_lost: //p' /proc/tracer_status)
check overflow-lost-counted [ "${lost:-0}" -gt 0 ]
echo "INFO: overflow: alloc_records_lost $lost"
check overflow-unload rmmod tracer

# The largest monitor queue, 16384 records (1.9 MiB), holds them all, and
# takes no high-order block: as one slab object it would be made of blocks
# of 512 pages, which a fragmented machine may not have.
check monitor-max-queue-load insmod $M/tracer.ko monitor_queue=16384
check monitor-max-queue-status grep -qx 'monitor: open 0 watches 0 queue 16384' /proc/tracer_status
# Filling it takes 33,000 forks: a minute on Debian's kernels (make
# check-deep), tens of minutes under KASAN and lockdep. Otherwise a watch
# takes the queue.
if [ $LANE = debug ]; then
	echo "SKIP: monitor-max-queue-loss: its 33,000 forks are too slow on the debug kernel; the Debian lanes of make check-deep run it, here a watch takes the queue"
fi
if [ $LANE = debian ] && [ -e /tests/deep ]; then
	ran monitor-max-queue-loss-run tmonitor monitor-max-queue loss
else
	ran monitor-max-queue-stop-run tmonitor monitor-max-queue stop
fi
if [ -r /proc/slabinfo ]; then
	# No object of tracer's caches spans more than a page (objsize, field 4).
	check monitor-queue-no-large-slab sh -c "! awk '\$1 ~ /^tracer/ && \$4 > 4096 { print; bad = 1 } END { exit !bad }' /proc/slabinfo"
else
	echo "SKIP: monitor-queue-no-large-slab: this kernel has no /proc/slabinfo"
fi
check monitor-max-queue-unload rmmod tracer

# Load/unload cycles, each with a registered process calling away.
start=$(date +%s)
n=$(by_depth 20 100)
ok=0
for i in $(seq $n); do
	insmod $M/tracer.ko || break
	pid=$(spin 2) || break
	rmmod tracer || break
	kill -9 "$pid"
	ok=$((ok + 1))
done
check load-unload-cycles [ $ok -eq $n ]
echo "INFO: $ok load/unload cycles in $(($(date +%s) - start)) s"
. /tests/forks.sh
forks_reload_suite
. /tests/meminfo.sh
meminfo_load_suite
. /tests/faults.sh
faults_suite
check unload-lane-helper-unload rmmod tracer_test
check unload-lane-proc-gone test ! -e /proc/tracer -a ! -e /proc/tracer_status -a ! -e /proc/memory_info
check unload-lane-dev-gone test ! -e /dev/tracer
. /tests/tracerctl.sh
tracerctl_unloaded_suite
. /tests/kunit.sh
kunit_suite
kmemleak_check unload-lane-kmemleak-after-unload
