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
	ran meminfo-shared-mm-run tmem sharedmm
	ran meminfo-names-run tmem names
	meminfo_tracerctl
	if [ -d /sys/kernel/debug/failslab ]; then
		ran meminfo-enomem-run tmem enomem
	else
		echo "SKIP: meminfo-enomem: this kernel has no fault injection (failslab); the debug lane's has"
	fi
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
rc=0" tracerctl mem --pages -rn -o NAME,TOTAL,VALID,INVALID,SHARED,GROUPS,NPIDS,PIDS filter tm_ctl
	# jq -e succeeds on empty input: tracerctl's own failure must count.
	check meminfo-tracerctl-json sh -c "j=\$(tracerctl mem --pages -J filter tm_ctl) && echo \"\$j\" | jq -e '.memory | length == 1 and .[0].pids == [$h] and .[0].shared >= 2 and .[0].groups >= 1'"
	check meminfo-tracerctl-all sh -c 'tracerctl mem -rn -o NAME,PIDS | grep -qx "init 1"'
	is meminfo-tracerctl-del "rc=0" tracerctl mem del tm_ctl
	is meminfo-tracerctl-deleted "tracerctl: FILTER|tm_ctl: no such name in the snapshot (deleted, or no process had it at the last reset) (ESRCH)
rc=1" tracerctl mem filter tm_ctl
	is meminfo-tracerctl-long-name "tracerctl: FILTER|0123456789abcdef: invalid command or name (names have at most 15 characters) (EINVAL)
rc=1" tracerctl mem filter 0123456789abcdef
	is meminfo-tracerctl-not-root "tracerctl: cannot open /proc/memory_info: permission denied: it is root's
rc=1" tcheck as 1001 1001 tracerctl mem
	kill $h
	# A name with a newline and a comma: escaped by the kernel, read back.
	name=$(printf 'tm\nctl, x')
	tmem hold "$name" A &
	h=$!
	within 100 [ "$(cat /proc/$h/comm)" = "$name" ]
	echo RESET >/proc/memory_info
	check meminfo-tracerctl-escaped-name sh -c 'j=$(tracerctl mem -J filter "$1") && echo "$j" | jq -e --arg n "$1" ".memory | length == 1 and .[0].name == \$n"' sh "$name"
	kill $h
}

# Hundredths of a second since boot.
centis() {
	sed 's/ .*//; s/\.//' /proc/uptime
}

# meminfo_load_suite: the snapshot taken at load, on one vCPU, tracer not
# loaded. A holder of pages that are slow to scan makes the load's scan
# last seconds: loading does not wait for it, the file's first reader
# does (killably), unloading then waits for it, and a load killed while
# /dev/tracer is open leaves nothing behind.
meminfo_load_suite() {
	n=$(by_lane 2000000 400000)
	rm -f /tmp/slow.ready
	tmem slow tm_slow $n >/tmp/slow.ready &
	slow=$!
	check meminfo-load-slow-holder within 600 test -s /tmp/slow.ready
	insmod $M/tracer.ko
	t0=$(centis)
	echo RESET >/proc/memory_info
	reset=$(($(centis) - t0))
	rmmod tracer
	echo "INFO: meminfo: RESET with $n pages of tm_slow: ${reset}0 ms"
	# The checks of timing need a scan of seconds; the debug kernel's
	# (tinyconfig) scanned the holder in 190 ms.
	slow_scan=yes
	if [ $reset -lt 200 ]; then
		slow_scan=
		echo "SKIP: meminfo-load-timing: the holder's scan took ${reset}0 ms on this kernel, not the seconds that insmod-not-held, reader-waits and killed-reader need"
	fi

	t0=$(centis)
	insmod $M/tracer.ko
	load=$(($(centis) - t0))
	cat /proc/memory_info >/tmp/first.out 2>&1 &
	reader=$!
	sleep 1
	echo "INFO: meminfo: insmod took ${load}0 ms"
	if [ -n "$slow_scan" ]; then
		check meminfo-load-not-held-by-scan [ $((load * 4)) -lt $reset ]
		check meminfo-load-reader-waits kill -0 $reader
	fi
	wait $reader
	check meminfo-load-first-read [ "$(cat /tmp/first.out)" = "[SUCCESS]" ]
	check meminfo-load-unload rmmod tracer

	insmod $M/tracer.ko
	cat /proc/memory_info >/dev/null 2>&1 &
	reader=$!
	sleep 0.5
	kill -9 $reader
	t0=$(centis)
	wait $reader
	rc=$?
	[ -z "$slow_scan" ] ||
		check meminfo-load-killed-reader [ $rc = 137 -a $(($(centis) - t0)) -lt 100 ]
	check meminfo-load-unload-amid-scan rmmod tracer
	insmod $M/tracer.ko
	check meminfo-load-unload-at-once rmmod tracer

	# systemd-modules-load kills a modprobe that takes too long.
	reports=$(dmesg | grep -c 'BUG\|Oops\|WARNING\|general protection')
	insmod $M/tracer.ko 2>/dev/null &
	ins=$!
	within 600 test -e /dev/tracer
	sleep 100000 </dev/tracer &
	opener=$!
	within 50 [ "$(readlink /proc/$opener/fd/0)" = /dev/tracer ]
	kill -9 $ins 2>/dev/null
	wait $ins
	echo "INFO: meminfo: insmod killed with /dev/tracer open: rc=$?"
	kill $opener
	wait $opener
	sleep 1
	check meminfo-load-killed-with-device-open [ "$(dmesg | grep -c 'BUG\|Oops\|WARNING\|general protection')" = "$reports" ]
	if grep -q '^tracer ' /proc/modules; then
		check meminfo-load-killed-unload rmmod tracer
	else
		check meminfo-load-killed-no-device test ! -e /dev/tracer
	fi
	kill $slow
}
