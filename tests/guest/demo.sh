#!/bin/sh
# make demo, inside the throwaway guest (staged as /tests/main.sh).
set -e
echo "### insmod tracer.ko"
insmod /modules/tracer.ko
ls -l /dev/tracer
echo "### a busy process: ls -lR over /sys and /proc"
ls -lR /sys /proc /sys /proc /sys /proc >/dev/null 2>&1 &
busy=$!
tcheck add $busy
echo "### registered $busy; kernel thread kthreadd (2) too"
tcheck add 2
sleep 3
echo "### cat /proc/tracer"
cat /proc/tracer
sleep 2
echo "### two seconds later"
cat /proc/tracer
echo "### cat /proc/tracer_status"
cat /proc/tracer_status
kill $busy 2>/dev/null || true
wait $busy 2>/dev/null || true
sleep 1
echo "### after the busy process ended"
cat /proc/tracer
rmmod tracer
echo "PASS: demo"
