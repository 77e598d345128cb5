# Fault injection (sourced by unload.sh, busybox sh; needs lib.sh): the
# debug kernel's failslab and fail_page_alloc fail the allocations of the
# processes under test, never the rest of the guest (their task filter,
# make-it-fail; or fail-nth, one thread's N-th allocation). The stack
# trace filter, which would pick the module's own allocations, does not
# exist on x86_64: the module's allocations made in these processes'
# calls fail, and so do the kernel's own around them.
#
# Loading fails at each of the load's allocations in turn (tfail load):
# the module, loaded and unloaded on one vCPU, needs unload.sh's guest.
# Then the fuzzer, the stress and memory_info's commands run with
# allocations failing at random: every call succeeds or ends with a
# documented error, ENOMEM only where it allocates. Nothing leaks
# (kmemleak; but for the kernel's own leak under a failed
# kmem_cache_create(), see below) and the kernel reports nothing (tfail watch: a failed
# allocation may print a warning with a call trace, by design, so the
# console is spared them while this runs and tfail reads the log itself).

FAULTS=/sys/kernel/debug
# A budget the tests never use up: what is left of it counts the failures.
FAULTS_TIMES=1000000000

# faults_set KIND PERCENT: KIND (failslab or fail_page_alloc) fails this
# share of the allocations of make-it-fail tasks, of any order and gfp
# mask, silently; 0: only those fail-nth asks for. Another kind that is
# off fails none, fail-nth's included: "off" for PERCENT.
faults_set() {
	local d=$FAULTS/$1 p=$2

	[ "$p" = off ] && p=0
	echo "$p" >$d/probability
	echo 1 >$d/interval
	echo 0 >$d/space
	echo $FAULTS_TIMES >$d/times
	echo Y >$d/task-filter
	echo 0 >$d/verbose
	echo N >$d/ignore-gfp-wait
	if [ "$1" = failslab ]; then
		# No cache is marked for failslab: the filter lets none through.
		[ "$2" = off ] && echo Y >$d/cache-filter || echo N >$d/cache-filter
	else
		echo N >$d/ignore-gfp-highmem
		[ "$2" = off ] && echo 100 >$d/min-order || echo 0 >$d/min-order
	fi
}

faults_injected() {
	echo $((FAULTS_TIMES - $(cat $FAULTS/$1/times)))
}

# faults_random NAME CMD...: CMD (which prints "INFO: faults: NAME: N
# calls, ...") with both kinds failing 10 % of its make-it-fail tasks'
# allocations; the line gets the failures injected, which the kinds'
# debugfs times count.
faults_random() {
	local scenario=$1 t0 slab page rc

	shift
	faults_set failslab 10
	faults_set fail_page_alloc 10
	t0=$(date +%s)
	"$@" >/tmp/faults.out 2>&1
	rc=$?
	slab=$(faults_injected failslab)
	page=$(faults_injected fail_page_alloc)
	faults_set failslab off
	faults_set fail_page_alloc off
	sed "s/^\(INFO: faults: $scenario: [0-9]* calls\), /\1, $((slab + page)) injected failures (failslab $slab, fail_page_alloc $page: their debugfs times), /" /tmp/faults.out
	echo "INFO: faults: $scenario: $(($(date +%s) - t0)) s"
	[ $rc -eq 0 ] || echo "FAIL: faults-$scenario-run: $1 exited with rc=$rc"
	check faults-$scenario-injected [ $((slab + page)) -gt 0 ]
}

faults_suite() {
	local kind t0 watch loads

	if [ ! -d $FAULTS/failslab ] || [ ! -d $FAULTS/fail_page_alloc ] ||
	   [ ! -e /proc/self/fail-nth ]; then
		echo "SKIP: faults: this kernel has no failslab, fail_page_alloc and fail-nth (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_DEBUG_FS); the debug lane's has"
		return
	fi
	# Console at KERN_ERR and above (KASAN's reports): the allocation
	# failure warnings and their traces stay in the log, where tfail
	# watch checks every record.
	echo 4 >/proc/sys/kernel/printk
	tfail watch &
	watch=$!
	# fail_page_alloc's loads survive every failure (see tfail.c): fewer.
	for kind in failslab fail_page_alloc; do
		t0=$(date +%s)
		# Every N (0) in make check-deep, and in its coverage lane,
		# which must see each of the init's unwinding paths run: there
		# the allocation table is small enough for kvcalloc() to have
		# no vmalloc() to fall back on, so that one failure fails it.
		loads=$(by_depth $([ $kind = failslab ] && echo 24 || echo 8) 0)
		small=
		if [ -e /tests/every-load ]; then
			loads=0
			small=alloc_slots=64
		fi
		faults_set failslab off
		faults_set fail_page_alloc off
		faults_set $kind 0
		# 2 instances of the fork kretprobe, not 1024: each is one
		# more allocation at the same place, and one more load here.
		ran faults-load-$kind-run tfail load $kind $M/tracer.ko \
			"fork_maxactive=2${small:+ $small}" $loads
		echo "INFO: faults: load-$kind: $(($(date +%s) - t0)) s"
	done
	faults_set failslab off
	faults_set fail_page_alloc off

	check faults-load insmod $M/tracer.ko
	faults_random fuzz-faults tfuzz faults $(by_depth 3000 200000) 16 1 faults
	faults_random stress tcheck stress $(by_depth 10 60) 8 4 faults
	faults_random meminfo tmem faults $(by_depth 100 1000)
	check faults-unload rmmod tracer
	kill $watch
	wait $watch
	echo 5 >/proc/sys/kernel/printk
	kmemleak_check faults-kmemleak sysfs_slab_add "the kernel's (6.1's SLUB: when kobject_init_and_add() fails in sysfs_slab_add(), under a failed kmem_cache_create(), the kobject's name is not freed)"
}
