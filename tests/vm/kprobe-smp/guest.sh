#!/bin/sh
# The guest of tests/vm/kprobe-smp/run.sh: kprobe_smp.ko loaded 3 times per
# kind of probe, each load adding and removing it 10 times while every
# vCPU calls its function. A crash ends the guest before TRACER-VM-DONE.
for offset in 0 5; do
	ok=0
	for i in 1 2 3; do
		insmod /modules/kprobe_smp.ko cycles=10 offset=$offset || break
		rmmod kprobe_smp || break
		ok=$((ok + 1))
	done
	dmesg | grep -o "kprobe_smp: offset $offset: .*" | sed 's/^/INFO: /'
	if [ $ok -eq 3 ]; then
		echo "PASS: kprobe-removal-smp-offset-$offset"
	else
		echo "FAIL: kprobe-removal-smp-offset-$offset: load $((ok + 1)) failed"
	fi
done
