#!/bin/sh
# Guest side of tests/cost.sh: instructions per kmalloc+kfree pair in each
# configuration, one line each: name median min max. Size 0 is the
# constant-size kmalloc(64), which does not go through __kmalloc.
N=20000
for size in 64 0 4096; do
	kind=size=$size
	[ "$size" != 0 ] || kind=const64
	insmod /modules/tracer_test.ko
	echo "COST: $kind not-loaded $(tcheck cost $N $size)"
	insmod /modules/tracer.ko
	echo "COST: $kind loaded-idle $(tcheck cost $N $size)"
	tcheck add 1
	echo "COST: $kind armed-unregistered $(tcheck cost $N $size)"
	tcheck remove 1
	echo "COST: $kind registered $(tcheck cost $N $size self)"
	rmmod tracer
	rmmod tracer_test
done

# Process creation: instructions per fork() + _exit() + waitpid(), with
# and without the fork watcher (armed whenever tracer is loaded), twice in
# turn, as a fork's cost drifts by more than the watcher's; and per clone()
# failing with EINVAL, which measures the hook with little else around it.
for round in 1 2; do
	echo "COST: fork not-loaded $(tforks cost 1000)"
	insmod /modules/tracer.ko
	echo "COST: fork loaded $(tforks cost 1000)"
	rmmod tracer
done
echo "COST: clone-einval not-loaded $(tforks cost 20000 einval)"
insmod /modules/tracer.ko
echo "COST: clone-einval loaded $(tforks cost 20000 einval)"
rmmod tracer
