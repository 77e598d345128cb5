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

echo "### tracerctl show (the same through the tool: sizes for people)"
sh -c 'sleep 1; ls -lR /sys >/dev/null 2>&1; sleep 600' &
worker=$!
tracerctl add $worker
sleep 3
tracerctl show
echo "### tracerctl status"
tracerctl status
echo "### tracerctl watch --tree: a shell that forks a child (exit 3), then execs"
sh -c 'sleep 1; (sleep 0.2; exit 3) & wait; exec sleep 0.3' &
tree=$!
tracerctl watch --tree $tree
echo "### tracerctl wait: any process, not only a child"
sleep 0.5 &
napper=$!
(sleep 0.2; kill $worker) &
tracerctl wait $napper $worker || true
echo "### tracerctl run --follow -- sh -c 'ls / >/dev/null; true'"
tracerctl run --follow -o PID,COMMAND,KMALLOC,KMALLOC_MEM,SCHED -- sh -c 'ls / >/dev/null; true'
echo "### tracerctl mem filter sh (the snapshot of load time: /proc/memory_info)"
tracerctl mem reset
tracerctl mem filter sh
echo "### echo 'FILTER|sh' >/proc/memory_info; cat /proc/memory_info"
echo 'FILTER|sh' >/proc/memory_info
cat /proc/memory_info
echo "### tracerctl forks (the last 4 process creations)"
tracerctl forks | tail -n 4
rmmod tracer
echo "PASS: demo"
