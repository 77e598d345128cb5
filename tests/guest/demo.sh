#!/bin/sh
# make demo, inside the throwaway guest (staged as /tests/main.sh).
set -e
echo "### insmod tracer.ko"
insmod /modules/tracer.ko
ls -l /dev/tracer
echo "### a busy process: a shell walking /sys in a loop"
sh -c 'while :; do ls -R /sys >/dev/null 2>&1; done' &
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
kill $busy
wait $busy 2>/dev/null || true
sleep 1
echo "### after the busy process exited"
cat /proc/tracer
rmmod tracer
echo "PASS: demo"
