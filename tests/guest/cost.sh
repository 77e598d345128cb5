#!/bin/sh
# Guest side of tests/cost.sh: instructions per kmalloc+kfree pair in each
# configuration, one line each: name median min max.
N=20000
for size in 64 4096; do
	insmod /modules/tracer_test.ko
	echo "COST: size=$size not-loaded $(tcheck cost $N $size)"
	insmod /modules/tracer.ko
	echo "COST: size=$size loaded-idle $(tcheck cost $N $size)"
	tcheck add 1
	echo "COST: size=$size armed-unregistered $(tcheck cost $N $size)"
	tcheck remove 1
	echo "COST: size=$size registered $(tcheck cost $N $size self)"
	rmmod tracer
	rmmod tracer_test
done
