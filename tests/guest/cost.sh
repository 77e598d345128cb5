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
