#!/bin/sh
# Guest side of tests/bench/run.sh (one vCPU, -icount shift=0): guest
# instructions per operation in each configuration, one line each:
# "BENCH: OP CONFIG median min max". Configurations: 0 tracer not loaded,
# 1 loaded with nothing registered, 2 loaded with $OTHERS other processes
# registered, 3 this task registered, 4 the seed's kretprobe design
# (seed_ref.ko, this task registered), 5 the same hooks with empty
# handlers (floor.ko).
N=${BENCH_N:-10000}
OTHERS=${BENCH_OTHERS:-10000}
B=/modules

ops() {
	config=$1
	shift
	echo "BENCH: kmalloc64 $config $(tcheck cost kmalloc $N 64 "$@")"
	echo "BENCH: kmalloc4096 $config $(tcheck cost kmalloc $N 4096 "$@")"
	echo "BENCH: schedule $config $(tcheck cost schedule $N 0 "$@")"
	echo "BENCH: up+down $config $(tcheck cost updown $N 0 "$@")"
	echo "BENCH: lock+unlock $config $(tcheck cost lock $N 0 "$@")"
	echo "BENCH: syscalls $config $(tcheck cost syscalls $N 0 "$@")"
}

insmod $B/tracer_test.ko
ops 0
insmod $B/tracer.ko
ops 1
ops 3 self
if [ "$OTHERS" -gt 0 ]; then
	: >/tmp/others
	tcheck others "$OTHERS" >/tmp/others &
	others=$!
	while ! grep -q ready /tmp/others; do
		kill -0 $others 2>/dev/null || break
		sleep 1
	done
	echo "BENCH-INFO: rows $(($(wc -l </proc/tracer) - 1))"
	ops 2
	kill $others
	wait $others 2>/dev/null
fi
rmmod tracer

insmod $B/seed_ref.ko
ops 4 self
rmmod seed_ref
dmesg | sed -n 's/.*seed_ref: missed \(.*\)/BENCH-MISSED: \1/p'

insmod $B/floor.ko
ops 5
rmmod floor
rmmod tracer_test
