#!/bin/sh
# The kcsan lane's guest (make check-deep, tests/check.sh), on the KCSAN
# kernel (tests/debug-kernel/kcsan.config): the parts of main.sh that run
# the module's code on both vCPUs at once, for KCSAN to catch its races:
# the fork ring, the monitor, hostile input and stress. tests/vm/check-log.sh
# fails a KCSAN report with a frame in tracer. Like main.sh, the hooks
# stay armed until the guest powers off.

. /tests/lib.sh
. /tests/forks.sh
. /tests/monitor.sh
. /tests/stress.sh

KCSAN=/sys/kernel/debug/kcsan

# No KCSAN, no verdict: a FAIL, not a silent pass.
check kcsan-enabled grep -qx 'enabled: 1' $KCSAN
check load insmod $M/tracer.ko
check load-test-helper insmod $M/tracer_test.ko
keeper_arm
forks_suite
monitor_suite
stress_suite
sed 's/^/INFO: status: /' /proc/tracer_status
# Its counters: accesses watched (setup_watchpoints), races seen, reported.
grep -E '^[a-z_]+: ' $KCSAN | sed 's/^/INFO: kcsan-counters: /'
