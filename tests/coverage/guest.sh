#!/bin/sh
# The coverage lane's /tests/main.sh (staged by stage_main in tests/lib.sh):
# runs the suite staged as /tests/suite.sh, then prints the gcov counts of
# tracer.ko on the console, the guest's only way out. gcov keeps the counts
# of an unloaded module (gcov_persist, on by default), so the suites need
# not leave it loaded. Each file: a BEGIN line with its name and MD5, its
# base64 lines, an END line; tests/coverage/report.sh decodes them. Each
# line carries the marker: a kernel message printed amid them is skipped,
# one printed within a line spoils the file's MD5, which the host checks.

sh /tests/suite.sh
rc=$?

gcov=/sys/kernel/debug/gcov
n=0
for f in $(find $gcov -name '*.gcda' 2>/dev/null); do
	# debugfs gives these files no size: read them whole, then encode.
	cat "$f" >/tmp/gcda || continue
	echo "TRACER-GCDA-BEGIN $(basename "$f") $(md5sum </tmp/gcda | cut -d' ' -f1)"
	base64 /tmp/gcda | sed 's/^/TRACER-GCDA /'
	echo "TRACER-GCDA-END"
	n=$((n + 1))
done
[ $n -gt 0 ] || echo "FAIL: gcov-data: no .gcda file under $gcov (debugfs, CONFIG_GCOV_KERNEL?)"
exit $rc
