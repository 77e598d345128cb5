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
	ran storm-run tcheck storm $(by_depth $(by_lane 100000 20000) 1000000) 100
}
