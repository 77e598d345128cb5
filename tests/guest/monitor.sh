# The lifecycle monitor's guest tests (sourced, busybox sh; needs lib.sh).

# monitor_suite: with tracer and tracer_test loaded (several vCPUs welcome).
monitor_suite() {
	# Core dumps go to a file: the guest sets up no core handler.
	echo /tmp/core.%p >/proc/sys/kernel/core_pattern
	check monitor-status grep -qE '^monitor: open [0-9]+ watches 0 queue 1024$' /proc/tracer_status
	for bits in 64 32; do
		prog=tmonitor
		[ $bits = 64 ] || prog=tmonitor32
		ran monitor$bits-events-run $prog monitor$bits events $(by_lane 40 5)
		ran monitor$bits-stop-run $prog monitor$bits stop
		ran monitor$bits-errors-run $prog monitor$bits errors
		# The 32-bit records' loss on the debug kernel: a minute,
		# make check-deep only; Debian's kernels run it in seconds.
		if [ $bits = 64 ] || [ $LANE = debian ] || [ -e /tests/deep ]; then
			ran monitor$bits-loss-run $prog monitor$bits loss
		fi
		ran monitor$bits-counts-run $prog monitor$bits counts
	done
	ran monitor-mt-exit-run tmonitor monitor mt-exit $(by_lane 30 10)
	check monitor-core-dumped sh -c 'ls /tmp/core.* >/dev/null'
	rm -f /tmp/core.*
	ran monitor-many-run tmonitor monitor many 1000 10
	check monitor-all-freed grep -qE '^monitor: open [0-9]+ watches 0 queue 1024$' /proc/tracer_status
}

# monitor_tracerctl_suite: tracerctl wait, watch and run (tracer_test loaded).
monitor_tracerctl_suite() {
	# run: exact counts of a known workload, the command's exit status.
	out=$(tracerctl run -rn -o UP,DOWN -- tmonitor x work 11 2 2>&1; echo "rc=$?")
	check tracerctl-run-counts [ "$out" = "11 11
rc=3" ]
	out=$(tracerctl run --follow -rn -o UP,DOWN -- tmonitor x work 13 2 2>&1; echo "rc=$?")
	check tracerctl-run-follow-counts [ "$out" = "13 13
13 13
13 13
rc=3" ]
	# Children that do not exec run under their parent's name.
	out=$(tracerctl run --follow -rn -o PID,COMMAND -- tmonitor x work 1 2 2>&1; echo "rc=$?")
	check tracerctl-run-follow-names sh -c "echo '$out' | awk '\$2 == \"tmonitor\" { n++ } END { exit n != 3 }'"
	out=$(tracerctl run -- /nonexistent 2>&1; echo "rc=$?")
	check tracerctl-run-not-found sh -c "echo '$out' | grep -q '^rc=127$'"

	# wait: a process that is not its child, killed.
	sleep 1000 &
	s=$!
	tracerctl wait $s >/tmp/wait.out 2>&1 &
	w=$!
	watches_become 1
	kill -KILL $s
	wait $w
	rc=$?
	check tracerctl-wait-killed [ "$(cat /tmp/wait.out) rc=$rc" = "$s killed by SIGKILL rc=137" ]
	out=$(tracerctl wait 999999 2>&1; echo "rc=$?")
	check tracerctl-wait-no-such [ "$out" = "tracerctl: wait 999999: no such process (ESRCH)
rc=125" ]

	# watch --tree: a shell's subshell forked, then both exit.
	rm -f /tmp/go
	mkfifo /tmp/go
	sh -c 'read x </tmp/go; (exit 3); exit 4' &
	s=$!
	tracerctl watch --tree -e fork,exit -J $s >/tmp/watch.out 2>&1 &
	w=$!
	watches_become 1
	echo >/tmp/go
	wait $w
	check tracerctl-watch-tree-json [ "$(jq -c -s '[.[] | [.event, .target == '$s', .status]]' /tmp/watch.out)" = \
		'[["fork",true,null],["exit",false,"exited 3"],["exit",true,"exited 4"]]' ]
	rm -f /tmp/go /tmp/wait.out /tmp/watch.out
}

# watches_become N: waits up to 10 s for N watches in /proc/tracer_status.
watches_become() {
	within 100 grep -q "^monitor: open [0-9]* watches $1 " /proc/tracer_status
}
