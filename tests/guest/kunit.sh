# The module's KUnit suites (src/tests/) (sourced, busybox sh; needs
# lib.sh). They are in a tracer.ko built with TRACER_KUNIT=1, which
# tests/lib.sh stages as tracer_kunit.ko for a kernel with CONFIG_KUNIT
# only. The suites run as it loads; its init then arms the fork probe, so
# unload.sh loads and removes it, in the one-vCPU guest. Each case's KTAP
# line in the kernel log becomes a result, "kunit-SUITE-CASE".

# kunit_results: the results of the KTAP lines of the kernel log after its
# last "tracer-kunit: start"; a case's diagnostics are its FAIL's reason, a
# suite that reports fewer cases than its plan a FAIL of its own.
kunit_results() {
	dmesg | sed 's/^\[[^]]*\] //' >/tmp/kunit.log
	from=$(grep -n '^tracer-kunit: start$' /tmp/kunit.log | tail -n 1 | cut -d: -f1)
	tail -n +$((${from:-0} + 1)) /tmp/kunit.log | awk '
		/^    # Subtest: / { suite = $3; plan = cases = 0; why = ""; next }
		/^    1\.\.[0-9]+$/ { plan = substr($1, 4); next }
		/^    (not )?ok [0-9]+ / {
			ok = $1 == "ok"
			i = ok ? 3 : 4
			if ($i == "-")
				i++
			name = "kunit-" suite "-" $i
			cases++
			if (/ # SKIP/) {
				sub(/.* # SKIP */, "")
				print "SKIP: " name ": " $0
			} else if (ok) {
				print "PASS: " name
			} else {
				print "FAIL: " name ": " substr(why, 1, 400)
			}
			why = ""
			next
		}
		/^(not )?ok [0-9]+ / && suite != "" {
			nsuites++
			if (cases != plan)
				print "FAIL: kunit-" suite ": " cases " of " plan " cases reported"
			suite = ""
			next
		}
		suite != "" {
			sub(/^ +/, "")
			why = why == "" ? $0 : why " / " $0
		}
		END {
			if (suite != "")
				print "FAIL: kunit-" suite ": the suite did not end (" cases " of " plan " cases reported)"
			if (!nsuites)
				print "FAIL: kunit: no KTAP suite in the kernel log"
		}'
}

# kunit_suite: with tracer not loaded.
kunit_suite() {
	if [ ! -e $M/tracer_kunit.ko ]; then
		echo "SKIP: kunit: this kernel has no CONFIG_KUNIT"
		return
	fi
	echo "tracer-kunit: start" >/dev/kmsg
	start=$(date +%s)
	check kunit-load insmod $M/tracer_kunit.ko
	kunit_results
	check kunit-unload rmmod tracer
	echo "INFO: kunit: loaded, ran and unloaded in $(($(date +%s) - start)) s"
}
