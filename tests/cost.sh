#!/bin/bash
# Cost of tracer per kmalloc+kfree, in guest instructions: the guest runs
# under QEMU -icount shift=0 (one guest nanosecond per instruction), so the
# figures repeat on a loaded host. Prints: size, configuration, median,
# min, max (instructions per pair, median of 9 runs of 20,000 pairs);
# const64 is kmalloc(64) with a constant size, which skips __kmalloc; fork
# is fork() + _exit() + waitpid() (instructions per creation).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run_guest "$top/tests/guest/cost.sh" --icount
echo "kernel $kver, instructions per kmalloc+kfree pair (median min max):"
tr -d '\r' <"$out/console.log" | sed -n 's/^COST: //p' |
	awk '{ printf "%-10s %-20s %8s %8s %8s\n", $1, $2, $3, $4, $5 }'
