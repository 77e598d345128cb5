# The lifecycle hooks' guest tests (sourced, busybox sh; needs lib.sh), on
# several vCPUs with tracer and tracer_test loaded and a process registered.

lifecycle_suite() {
	ran lifecycle-run tcheck lifecycle
	exit_lock_check
}

# Exits of processes nobody registered take no lock of tracer's: the debug
# kernel's lock_stat counts the acquisitions of rows_lock meanwhile.
exit_lock_check() {
	if [ ! -w /proc/lock_stat ]; then
		echo "SKIP: exit-takes-no-rows-lock: this kernel has no lock_stat (the debug lane's has)"
		return
	fi
	echo 1 >/proc/sys/kernel/lock_stat
	echo 0 >/proc/lock_stat
	i=0
	while [ $i -lt 500 ]; do
		(:)
		i=$((i + 1))
	done
	n=$(awk '$1 == "rows_lock:" { print $9 }' /proc/lock_stat)
	echo 0 >/proc/sys/kernel/lock_stat
	echo "INFO: rows_lock taken ${n:-0} times during 500 forks and exits of unregistered processes"
	check exit-takes-no-rows-lock [ "${n:-0}" -eq 0 ]
}
