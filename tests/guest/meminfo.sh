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
	echo "SKIP: meminfo-enomem: neither kernel has fault injection (CONFIG_FAULT_INJECTION) to make its allocations fail; the ENOMEM paths are read, not run"
}
