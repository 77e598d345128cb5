# /proc/memory_info's guest tests (sourced, busybox sh; needs lib.sh).

# meminfo_suite: with tracer loaded (several vCPUs welcome).
meminfo_suite() {
	check meminfo-root-only [ "$(stat -c %a /proc/memory_info)" = 600 ]
	check meminfo-load-snapshot grep -qx '\[SUCCESS\]' /proc/memory_info
	check meminfo-echo-cat sh -c 'echo ALL >/proc/memory_info && grep -q "^init, total: [1-9][0-9]*, valid: [1-9][0-9]*, invalid: [0-9]*, may_be_shared: [0-9]*, nb_group: [0-9]*, pid(1): 1$" /proc/memory_info'
	check meminfo-no-kernel-threads sh -c '! grep -q "^kthreadd, " /proc/memory_info'
	check meminfo-echo-error sh -c '! echo NOPE >/proc/memory_info && [ "$(cat /proc/memory_info)" = "[ERROR]: Invalid argument" ]'
	check meminfo-error-logged sh -c 'dmesg | grep -q "tracer: \[ERROR\]: Invalid argument"'
	ran meminfo-scenarios-run tmem scenarios
	ran meminfo-errors-run tmem errors
	ran meminfo-exiting-run tmem exiting $(by_lane 200 50)
	ran meminfo-big-run tmem big $(by_lane 400 150)
	ran meminfo-torn-run tmem torn $(by_lane 10 10)
	meminfo_tracerctl
	echo "SKIP: meminfo-enomem: no kernel of the test lanes has fault injection (CONFIG_FAULT_INJECTION) to make its allocations fail; the ENOMEM paths are read, not run"
}

# tracerctl mem against the module: the kernel's own figures, every verb,
# the errors in words.
meminfo_tracerctl() {
	. /tests/tracerctl.sh
	tmem hold tm_ctl AAB. &
	h=$!
	i=0
	while [ "$(cat /proc/$h/comm)" != tm_ctl ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	is meminfo-tracerctl-reset "rc=0" tracerctl mem reset
	echo "FILTER|tm_ctl" >/proc/memory_info
	want=$(sed -n 's/^tm_ctl, total: \([0-9]*\), valid: \([0-9]*\), invalid: \([0-9]*\), may_be_shared: \([0-9]*\), nb_group: \([0-9]*\), pid(1): \([0-9]*\)$/tm_ctl \1 \2 \3 \4 \5 1 \6/p' /proc/memory_info)
	is meminfo-tracerctl-filter "$want
rc=0" tracerctl mem -rn -o NAME,TOTAL,VALID,INVALID,SHARED,GROUPS,NPIDS,PIDS filter tm_ctl
	check meminfo-tracerctl-json sh -c "tracerctl mem -J filter tm_ctl | jq -e '.memory | length == 1 and .[0].pids == [$h] and .[0].shared >= 2 and .[0].groups >= 1'"
	check meminfo-tracerctl-all sh -c 'tracerctl mem -rn -o NAME,PIDS | grep -qx "init 1"'
	is meminfo-tracerctl-del "rc=0" tracerctl mem del tm_ctl
	is meminfo-tracerctl-deleted "tracerctl: FILTER|tm_ctl: no such name in the snapshot (deleted, or no process had it at the last reset) (ESRCH)
rc=1" tracerctl mem filter tm_ctl
	is meminfo-tracerctl-long-name "tracerctl: FILTER|0123456789abcdef: invalid command or name (names have at most 15 characters) (EINVAL)
rc=1" tracerctl mem filter 0123456789abcdef
	is meminfo-tracerctl-not-root "tracerctl: cannot open /proc/memory_info: permission denied: it is root's
rc=1" tcheck as 1001 1001 tracerctl mem
	kill $h
}
