#!/bin/sh
# Guest side of tests/bench/run.sh (one vCPU, -icount shift=0): guest
# instructions per operation in each configuration, one line each:
# "BENCH: OP CONFIG median min max". Configurations: 0 tracer not loaded,
# 1 loaded with nothing registered, 2 loaded with $OTHERS other processes
# registered, 3 this task registered, 4 the seed's kretprobe design
# (seed_ref.ko, this task registered), 5 the same hooks with empty
# handlers (floor.ko: ftrace), 6 as 2 with a cgroup registered too (not
# this task's: the look-up a task in no registered cgroup pays), 7 this
# task's cgroup registered (this task not by PID), 8 to 11 bpftrace doing
# tracer's job (tests/bench/counts-*.bt): 8 with the best attachment of
# each probe, this task registered, 9 $OTHERS others registered, this
# task not, 10 and 11 the same with kprobes only; 12 the floor of kprobes
# (floor.ko kprobes=1), 13 as 3 with tracer's hooks on kprobes
# (kprobes_only=1). Also "BENCH-READ:"
# /proc/tracer read times, "BENCH-MEM:" memory per row and record,
# "FORK:" the fork watcher's cost, "MONITOR:" the lifecycle monitor's
# latency, "MEMINFO:" memory_info's RESET per page, "BENCH-BPF:" a
# workload's counts by tracer and by each bpftrace script at once.
N=${BENCH_N:-10000}
OTHERS=${BENCH_OTHERS:-10000}
READ_ROWS=${BENCH_READ_ROWS:-1000 10000 100000}
B=/modules

# $ops_pre: what runs tcheck (tbpf self: registered in bpftrace's map).
ops() {
	config=$1
	shift
	echo "BENCH: kmalloc64 $config $($ops_pre tcheck cost kmalloc $N 64 "$@")"
	echo "BENCH: const64 $config $($ops_pre tcheck cost const $N 64 "$@")"
	echo "BENCH: kmalloc4096 $config $($ops_pre tcheck cost kmalloc $N 4096 "$@")"
	echo "BENCH: schedule $config $($ops_pre tcheck cost schedule $N 0 "$@")"
	echo "BENCH: up+down $config $($ops_pre tcheck cost updown $N 0 "$@")"
	echo "BENCH: lock+unlock $config $($ops_pre tcheck cost lock $N 0 "$@")"
	echo "BENCH: syscalls $config $($ops_pre tcheck cost syscalls $N 0 "$@")"
}

insmod $B/tracer_test.ko
ops 0
echo "FORK: clone-einval 0 $(tforks cost 20000 einval)"
echo "FORK: fork 0 $(tforks cost 1000)"
insmod $B/tracer.ko
ops 1
ops 3 self

# others N [PROG]: N other tasks registered (sleeping threads of one
# process, PROG others N: tcheck's in tracer, tbpf's in bpftrace) until
# others_stop.
others() {
	: >/tmp/others
	${2:-tcheck} others "$1" >/tmp/others &
	others=$!
	while ! grep -q ready /tmp/others; do
		kill -0 $others 2>/dev/null || break
		sleep 1
	done
}
others_stop() {
	kill $others
	wait $others 2>/dev/null
}
# Their rows go with them.
rows_gone() {
	i=0
	while [ "$(sed -n 's/^rows: //p' /proc/tracer_status)" != 0 ] && [ $i -lt 30 ]; do
		sleep 1
		i=$((i + 1))
	done
	echo "BENCH-INFO: rows left after others: $(sed -n 's/^rows: //p' /proc/tracer_status)"
}

# /proc/tracer read at 1k, 10k and 100k rows: instructions per whole read.
echo 4194304 >/proc/sys/kernel/pid_max
echo 1000000 >/proc/sys/kernel/threads-max
echo 1000000 >/proc/sys/vm/max_map_count
for rows in $READ_ROWS; do
	others "$rows"
	echo "BENCH-READ: $(($(wc -l </proc/tracer) - 1)) rows $(tcheck readcost)"
	if [ "$rows" = "$OTHERS" ]; then
		ops 2
		# Memory: a row is an object of the tracer_row cache (maybe
		# merged with another of its size); records are fixed slots.
		slab=/sys/kernel/slab/tracer_row
		echo "BENCH-MEM: row object_size $(cat $slab/object_size) slab_size $(cat $slab/slab_size) cache $(basename "$(readlink -f $slab)")"
		echo "BENCH-MEM: records $(grep alloc_slots /proc/tracer_status) slot_bytes 32"
		cg=/sys/fs/cgroup
		mount -t cgroup2 cgroup2 $cg
		mkdir $cg/bench-other $cg/bench-self
		tcheck errno cgroup-add $cg/bench-other >/dev/null
		ops 6
		echo $$ >$cg/bench-self/cgroup.procs
		tcheck errno cgroup-add $cg/bench-self >/dev/null
		ops 7
		echo $$ >$cg/cgroup.procs
		tcheck errno cgroup-remove $cg/bench-self >/dev/null
		tcheck errno cgroup-remove $cg/bench-other >/dev/null
	fi
	others_stop
	rows_gone
done
# Missed events of this task's hooks (configuration 3 and the rest).
sed -n 's/^probe: kprobe \(.*\) missed \(.*\)/BENCH-TRACER-MISSED: \1 \2/p' /proc/tracer_status

# Process creation (the fork watcher is armed whenever tracer is
# loaded): per fork() + _exit() + waitpid(), and per clone() failing with
# EINVAL, which is the hook with little else around it.
echo "FORK: clone-einval 1 $(tforks cost 20000 einval)"
echo "FORK: fork 1 $(tforks cost 1000)"
# The lifecycle monitor: from a target's _exit() to its monitor running
# again, through read() and through a queued signal (MONITOR: lines).
tmonitor bench latency 1000
tmonitor bench latency 1000 signal

# /proc/memory_info: RESET's cost per page scanned, by kind of page (one
# process of 20,000 pages), then the largest snapshot tried (64 processes
# of 4,000 read-only pages of one content, one name).
for kind in same unique rw absent zero; do
	echo "MEMINFO: $(tmem cost $kind 1 20000)"
done
echo "MEMINFO-LARGEST: 64 $(tmem cost same 64 4000)"
rmmod tracer

insmod $B/seed_ref.ko
ops 4 self
rmmod seed_ref
dmesg | sed -n 's/.*seed_ref: missed \(.*\)/BENCH-MISSED: \1/p'

insmod $B/floor.ko
ops 5
rmmod floor

# The mechanism tracer falls back to: its hooks on kprobes (this task
# registered), and the floor of empty kprobes on the same functions.
insmod $B/tracer.ko kprobes_only=1
ops 13 self
rmmod tracer
insmod $B/floor.ko kprobes=1
ops 12
rmmod floor

# bpftrace: what it needs, and room in its maps for $OTHERS registered
# threads and the blocks of the registered. Its own runtime tests' hook
# says on stderr when every probe is attached (LLVM compiles first).
mount -t tracefs tracefs /sys/kernel/tracing
ulimit -l unlimited
export BPFTRACE_MAP_KEYS_MAX=$((OTHERS + 65536))
export __BPFTRACE_NOTIFY_PROBES_ATTACHED=1
echo "BENCH-BPF-INFO: $(bpftrace --version), bpf_jit_enable $(cat /proc/sys/net/core/bpf_jit_enable)"

# bpf_run SCRIPT CONFIG_SELF CONFIG_OTHERS
bpf_run() {
	bpftrace /bench/counts-$1.bt >/tmp/bpf.out 2>/tmp/bpf.err &
	bpf=$!
	t=$(date +%s)
	while ! grep -q NOTIFY_PROBES_ATTACHED /tmp/bpf.err; do
		if ! kill -0 $bpf 2>/dev/null; then
			echo "BENCH-BPF-INFO: $1: bpftrace failed: $(cat /tmp/bpf.err)"
			return
		fi
		sleep 1
	done
	echo "BENCH-BPF-INFO: $1: $(head -1 /tmp/bpf.out) all attached after $(($(date +%s) - t)) s:" \
		$(grep '^[a-z]' /bench/counts-$1.bt | grep -o '[a-z]*:[a-z0-9_:]*')
	bpf_check
	ops_pre="tbpf self"
	ops $2
	ops_pre=
	others "$OTHERS" tbpf
	ops $3
	others_stop
	kill -INT $bpf
	wait $bpf
	exec 8>&-
	wait $work
	# /proc/tracer's columns beside the maps of the same names.
	for col in kmalloc kfree kmalloc_mem kfree_mem sched up down lock unlock; do
		echo "BENCH-BPF: $1 $col $(awk -v c=$col '
			NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
			NR == 2 { print $k }' /tmp/row) $(
			sed -n "s/^@$col\[$work\]: //p" /tmp/bpf.out)"
	done
}

# bpf_check: a workload that waits (registered in tracer and in bpftrace
# meanwhile), makes the bench's operations and kmalloc(0) 1,000 times
# each, waits; its row is read while it waits, and it ends once bpftrace
# has printed its maps (its exit would count in them: bpftrace's counts
# end later).
bpf_check() {
	insmod $B/tracer.ko
	rm -f /tmp/go
	mkfifo /tmp/go
	tbpf work 1000 </tmp/go >/tmp/work &
	work=$!
	exec 8>/tmp/go
	while ! grep -q ready /tmp/work; do
		sleep 1
	done
	tcheck add $work
	tbpf add $work
	echo go >&8
	while ! grep -q done /tmp/work; do
		sleep 1
	done
	{ head -1 /proc/tracer; grep "^$work " /proc/tracer; } >/tmp/row
	tcheck remove $work
	rmmod tracer
}

bpf_run best 8 9
bpf_run kprobe 10 11
rmmod tracer_test
