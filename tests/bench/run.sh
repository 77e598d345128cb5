#!/bin/bash
# make bench: what tracer costs per operation, in guest instructions, next
# to the seed's design and the bare hooks. The guest runs under QEMU
# -icount shift=0 -smp 1 (one guest nanosecond per instruction), so the
# figures repeat on a loaded host. Results go to tests/out/bench/.
# Usage: tests/bench/run.sh [--from CONSOLE_LOG] [--docs]
#   --from: format an earlier run's console log instead of running one;
#   --docs: also write the table and plot into docs/.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

from='' docs=''
while [ $# -gt 0 ]; do
	case $1 in
	--from) from=${2:?}; shift ;;
	--docs) docs=1 ;;
	*) echo "usage: $0 [--from CONSOLE_LOG] [--docs]" >&2; exit 2 ;;
	esac
	shift
done

res=$top/tests/out/bench
if [ -z "$from" ]; then
	stage_bench=1
	run_guest "$top/tests/guest/bench.sh" --icount --timeout 3600 --mem 6144 || true
	# After the run: make check starts by emptying tests/out.
	mkdir -p "$res"
	tr -d '\r' <"$out/console.log" >"$res/console.log"
	echo "kernel $kver" >"$res/kernel"
	from=$res/console.log
fi
mkdir -p "$res"
exec "$top/tests/bench/report.sh" "$from" "$res" ${docs:+"$top/docs"}
