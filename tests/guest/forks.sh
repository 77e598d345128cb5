# The fork watcher's guest tests (sourced, busybox sh; needs lib.sh).

# forks_suite: with tracer loaded as it is (several vCPUs welcome).
forks_suite() {
	check forks-proc-root-only [ "$(stat -c %a /proc/tracer_forks)" = 400 ]
	check forks-header grep -qE '^# size 4096 last [0-9]+ overwritten [0-9]+ missed 0$' /proc/tracer_forks
	tforks records
	tforks concurrent 200 5
	check forks-status grep -qE '^forks: size 4096 last [0-9]+ overwritten [0-9]+ missed 0 maxactive 1024$' /proc/tracer_status
}

# forks_reload_suite: reloads tracer with small limits; one vCPU only, as
# it unloads while processes are being created (see main.sh).
forks_reload_suite() {
	check forks-small-load insmod $M/tracer.ko fork_records=64
	tforks overwrite 200 1
	check forks-small-unload rmmod tracer
	check forks-maxactive-load insmod $M/tracer.ko fork_maxactive=2
	tforks missed 8
	check forks-missed-in-status grep -qE '^forks: .* missed [1-9][0-9]* maxactive 2$' /proc/tracer_status
	check forks-maxactive-unload rmmod tracer
	check forks-bad-size-refused sh -c "! insmod $M/tracer.ko fork_records=1"
	# Unload and load again while processes are created all along.
	tforks cost 1000000 >/dev/null &
	storm=$!
	ok=0
	for i in $(seq 10); do
		insmod $M/tracer.ko && sleep 0.2 && rmmod tracer || break
		ok=$((ok + 1))
	done
	kill $storm
	check forks-load-unload-under-forks-10 [ $ok -eq 10 ]
}
