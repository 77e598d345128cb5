#!/bin/sh
# The VM test suite on several CPUs, run by the guest's init (staged as
# /tests/main.sh). Every "PASS: name", "FAIL: name: why" or "SKIP: name: why"
# line is a result.
#
# Under QEMU's TCG a kprobe must not be removed while another vCPU runs its
# function (docs/ARCHITECTURE.md): here a sleeping keeper process stays
# registered, so the hooks are armed once, while nothing runs, and stay
# armed. Arming and disarming under load, and unloading under load, run in
# a one-vCPU guest: tests/guest/unload.sh.

. /tests/lib.sh

kmemleak_start
check load insmod $M/tracer.ko
check load-test-helper insmod $M/tracer_test.ko
check dev-tracer-10-42 [ "$(stat -c %t:%T /dev/tracer)" = a:2a ]
check proc-header grep -q "^PID  *kmalloc  *kfree  *kmalloc_mem  *kfree_mem  *sched  *up  *down  *lock  *unlock$" /proc/tracer
check idle-disarmed armed_becomes no
sleep 100000 &
keeper=$!
check keeper-registered tcheck add $keeper
check keeper-armed armed_becomes yes

ran abi64-run tcheck abi
ran abi32-run tcheck32 abi
ran counts-run tcheck counts
ran lifecycle-run tcheck lifecycle
. /tests/perm.sh
. /tests/forks.sh
forks_suite
. /tests/meminfo.sh
meminfo_suite
. /tests/tracerctl.sh
tracerctl_suite
start=$(date +%s)
n=$(by_lane 10000 2000)
ran many-run tcheck many $n
echo "INFO: $n processes forked, registered, read, killed in $(($(date +%s) - start)) s"

# Hostile input (the user's run is in perm.sh), 64- and 32-bit.
ran fuzz-root-run tfuzz root $(by_lane 500000 100000) 16
ran fuzz-root32-run tfuzz32 root32 $(by_lane 100000 20000) 8
# Stress: see tcheck.c; unloading amid it is in unload.sh.
ran stress-run tcheck stress $(by_lane 30 20) 24 8
ran storm-run tcheck storm 100000 100
kill $keeper
check idle-after-tests-disarmed armed_becomes no
sed 's/^/INFO: status: /' /proc/tracer_status

echo "SKIP: unload-and-disarm-under-load-smp: removing any kprobe while another vCPU runs its function crashes this QEMU TCG guest, even for a one-kprobe module (docs/ARCHITECTURE.md); run on one vCPU in tests/guest/unload.sh"

# Unload once disarmed: no code of a running function is patched then.
check unload-idle rmmod tracer
check unloaded-proc-gone test ! -e /proc/tracer -a ! -e /proc/tracer_status -a ! -e /proc/memory_info
check unloaded-dev-gone test ! -e /dev/tracer
tracerctl_unloaded_suite
check unload-test-helper rmmod tracer_test
kmemleak_check kmemleak-after-unload
