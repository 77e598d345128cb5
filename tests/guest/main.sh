#!/bin/sh
# The VM test suite on several CPUs, run by the guest's init (staged as
# /tests/main.sh). Every "PASS: name", "FAIL: name: why" or "SKIP: name: why"
# line is a result.
#
# A sleeping keeper process stays registered, so the hooks are armed once,
# early, and stay armed through the suite; at its end the keeper exits and
# the modules unload while kernel threads on the other vCPU run the probed
# functions. This needs trixie's QEMU (tests/check.sh): the host's 7.2
# crashes when a kprobe is removed while another vCPU runs its function
# (docs/ARCHITECTURE.md). Arming, disarming and unloading under load run
# on one vCPU: tests/guest/unload.sh.

. /tests/lib.sh

kmemleak_start
check load insmod $M/tracer.ko
check load-test-helper insmod $M/tracer_test.ko
check dev-tracer-10-42 [ "$(stat -c %t:%T /dev/tracer)" = a:2a ]
check proc-header grep -q "^PID  *kmalloc  *kfree  *kmalloc_mem  *kfree_mem  *sched  *up  *down  *lock  *unlock$" /proc/tracer
check idle-disarmed armed_becomes no
# Every counted function on ftrace (the kprobe fallback is below).
check hooks-on-ftrace sh -c '! grep -q "^probe: kprobe" /proc/tracer_status &&
	[ $(grep -c "^probe: ftrace " /proc/tracer_status) -ge 8 ]'
keeper_arm

ran abi64-run tcheck abi
ran abi32-run tcheck32 abi
ran counts-run tcheck counts
. /tests/cgroups.sh
cgroups_suite
. /tests/lifecycle.sh
lifecycle_suite
. /tests/perm.sh
. /tests/forks.sh
forks_suite
. /tests/monitor.sh
monitor_suite
monitor_tracerctl_suite
. /tests/meminfo.sh
meminfo_suite
. /tests/tracerctl.sh
tracerctl_suite
start=$(date +%s)
n=$(by_depth $(by_lane 2000 500) $(by_lane 100000 10000))
# At most 2,000 alive at once: the guest's memory and pid_max hold that.
ran many-run tcheck many $n 2000
echo "INFO: $n processes forked, registered, read, killed, 2000 at a time at most, in $(($(date +%s) - start)) s"

. /tests/stress.sh
stress_suite
sed 's/^/INFO: status: /' /proc/tracer_status

# Disarm and unload with the other vCPU busy in the probed functions:
# some kernel thread always is in schedule() or mutex_lock().
kill $keeper
check disarm-smp armed_becomes no
check unload-smp rmmod tracer

# The fallback where ftrace cannot hook: kprobes alone, exact all the same.
check load-kprobes-only insmod $M/tracer.ko kprobes_only=1
check hooks-on-kprobes sh -c '! grep -q "^probe: ftrace" /proc/tracer_status &&
	grep -q "^probe: kprobe schedule missed 0$" /proc/tracer_status'
tcheck sizes | sed -E "s/^(PASS|FAIL|SKIP): /\1: kprobes-only-/"
check unload-kprobes-only rmmod tracer
check unload-smp-helper rmmod tracer_test
kmemleak_check kmemleak-after-suite
