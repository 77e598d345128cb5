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
		ran monitor$bits-loss-run $prog monitor$bits loss
		ran monitor$bits-counts-run $prog monitor$bits counts
	done
	check monitor-core-dumped sh -c 'ls /tmp/core.* >/dev/null'
	rm -f /tmp/core.*
	ran monitor-many-run tmonitor monitor many 1000 10
	check monitor-all-freed grep -qE '^monitor: open [0-9]+ watches 0 queue 1024$' /proc/tracer_status
}
