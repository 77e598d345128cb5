# Hostile input and stress (sourced, busybox sh; needs lib.sh), with tracer
# loaded and armed (several vCPUs welcome): main.sh, and kcsan.sh for races.

stress_suite() {
	# Hostile input (the user's run is in perm.sh), 64- and 32-bit.
	ran fuzz-root-run tfuzz root $(by_depth $(by_lane 50000 20000) 1000000) 16
	ran fuzz-root32-run tfuzz32 root32 $(by_depth $(by_lane 20000 5000) $(by_lane 200000 100000)) 8
	# Stress: see tcheck.c; unloading amid it is in unload.sh. make
	# check-deep: 63 processes of 8 threads (and 4 of 8 counted exactly)
	# for 60 s.
	ran stress-run tcheck stress $(by_depth "$(by_lane 15 8) 24 8" "$(by_lane 60 30) 63 8")
	stress_killed
	ran storm-run tcheck storm $(by_depth $(by_lane 100000 20000) 1000000) 100
}

# tcheck killed amid its stress takes its children with it: none is left
# looping, registered, with the test module's device open (the modules
# could not unload), and their rows go as they exit.
stress_killed() {
	local rows pid

	rows=$(wc -l </proc/tracer)
	rm -f /tmp/stress.exact
	tcheck stress 3600 4 2 >/dev/null &
	pid=$!
	check stress-killed-started within 3000 test -e /tmp/stress.exact
	kill -9 $pid
	wait $pid
	check stress-killed-children-gone within 100 no_process tcheck
	check stress-killed-rows-gone within 100 proc_lines_are $rows
}

proc_lines_are() {
	[ "$(wc -l </proc/tracer)" -eq "$1" ]
}
