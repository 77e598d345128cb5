#!/bin/bash
# Formats the console log of a bench guest (tests/guest/bench.sh): prints
# the table and the targets, writes RES/results.txt, RES/table.md and
# RES/overhead.png; with DOCS, also the table and plot into DOCS/.
# Usage: tests/bench/report.sh CONSOLE_LOG RES [DOCS]
set -euo pipefail
log=$1 res=$2 docs=${3:-}
top=$(cd "$(dirname "$0")/../.." && pwd)

sed -n 's/^BENCH: //p' "$log" >"$res/results.txt"
[ -s "$res/results.txt" ] || { echo "bench: no results in $log" >&2; exit 1; }

names='0 not loaded|1 loaded, nothing registered|2 loaded, others registered|3 this task registered|4 seed design (kretprobes)|5 floor (empty hooks)|6 as 2, and a cgroup registered|7 cgroup of this task registered|8 bpftrace, best attachments, this task registered|9 bpftrace, best attachments, others registered|10 bpftrace, kprobes, this task registered|11 bpftrace, kprobes, others registered|12 floor of kprobes (empty)|13 as 3, tracer on kprobes (kprobes_only=1)'
# Markdown rows: operation, configuration, median, added over config 0, min, max.
awk -v names="$names" '
BEGIN { split(names, name, "|") }
{ op = $1; c = $2; med[op, c] = $3; lo[op, c] = $4; hi[op, c] = $5
  if (!(op in seen)) { seen[op] = 1; ops[++nops] = op } }
END {
	print "| operation | configuration | instructions per op | added | min | max |"
	print "|---|---|---:|---:|---:|---:|"
	for (i = 1; i <= nops; i++) {
		op = ops[i]
		for (c = 0; c <= 13; c++) {
			if (!((op, c) in med)) continue
			add = c ? sprintf("%.1f", med[op, c] - med[op, 0]) : ""
			printf "| %s | %s | %.1f | %s | %.1f | %.1f |\n", c ? "" : op,
				name[c + 1], med[op, c], add, lo[op, c], hi[op, c]
		}
	}
}' "$res/results.txt" >"$res/table.md"

# Targets: configs 1 and 2 at most 1.25 x the floor's added cost; config 3
# at most a third of the seed's per kmalloc+kfree, nothing missed; config
# 3 at most half of bpftrace's best script with this task registered (8).
awk '
{ med[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; ops[++n] = $1 } }
END {
	for (i = 1; i <= n; i++) {
		op = ops[i]; base = med[op, 0]; fl = med[op, 5] - base
		for (c = 1; c <= 2; c++) {
			if (!((op, c) in med)) continue
			a = med[op, c] - base
			printf "target: %s config %d added %.1f, floor %.1f: %s\n", op, c, a, fl,
				(a <= 1.25 * fl + 0.5 ? "met" : sprintf("NOT met (%.2f x floor)", (fl > 0 ? a / fl : 0)))
		}
		if (op ~ /^(schedule|up\+down|lock\+unlock)$/ && ((op, 3) in med) && ((op, 12) in med))
			printf "target: %s config 3 added %.1f, kprobe floor %.1f: %s\n", op,
				med[op, 3] - base, med[op, 12] - base,
				(med[op, 3] < med[op, 12] ? "met (below)" : "NOT met")
		if (((op, 6) in med) && ((op, 2) in med))
			printf "cgroup look-up: %s config 6 adds %.1f over config 2 (a task in no registered cgroup)\n",
				op, med[op, 6] - med[op, 2]
		if (op ~ /^kmalloc/ && ((op, 3) in med) && ((op, 4) in med)) {
			a = med[op, 3] - base; s = med[op, 4] - base
			printf "target: %s config 3 added %.1f, seed %.1f: %s (%.2f x seed)\n", op, a, s,
				(a <= s / 3 ? "met" : "NOT met"), (s > 0 ? a / s : 0)
		}
		if (((op, 3) in med) && ((op, 8) in med)) {
			a = med[op, 3] - base; b = med[op, 8] - base
			printf "target: %s config 3 added %.1f, bpftrace best %.1f: %s (%.2f x bpftrace)\n", op, a, b,
				(a <= b / 2 ? "met" : "NOT met"), (b > 0 ? a / b : 0)
		}
	}
}' "$res/results.txt" >"$res/targets.txt"
# Missed events, /proc/tracer read times, memory, the fork watcher.
{
	sed -n 's/^BENCH-MISSED: \(.*\)/seed design missed: \1/p' "$log"
	sed -n 's/^BENCH-TRACER-MISSED: \(.*\)/tracer missed: \1/p' "$log"
	sed -n 's/^BENCH-BPF-INFO: /bpftrace: /p' "$log"
	awk '/^BENCH-BPF: / { printf "bpftrace %s: %s tracer %s bpftrace %s: %s\n", $2, $3, $4, $5,
		($4 != "" && $4 == $5 ? "equal" : "NOT equal") }' "$log"
	awk '/^BENCH-READ: / { printf "read /proc/tracer: %s rows: %s instructions (min %s max %s), %.0f per row\n", $2, $4, $5, $6, $2 ? $4 / $2 : 0 }' "$log"
	sed -n 's/^BENCH-MEM: /memory: /p' "$log"
	awk '/^FORK: / { v[$2, $3] = $4; if (!($2 in s)) { s[$2] = 1; o[++n] = $2 } }
	END { for (i = 1; i <= n; i++) printf "fork watcher: %s: %s without tracer, %s loaded, added %.1f\n", o[i], v[o[i], 0], v[o[i], 1], v[o[i], 1] - v[o[i], 0] }' "$log"
	awk '/^MONITOR: / { printf "monitor: %s %s: median %s (min %s max %s)\n", $2, $3, $4, $5, $6 }' "$log"
	awk '/^MEMINFO: / { printf "memory_info RESET, %s pages of kind %s: %s per page (RESET %s without them, %s with)\n", $3, $2, $6, $4, $5 }
	/^MEMINFO-LARGEST: / { printf "memory_info largest snapshot: %s processes, %s pages of kind %s: RESET %s (%s per page)\n", $2, $4, $3, $6, $7 }' "$log"
} >"$res/extra.txt"

echo "tracer bench: guest instructions per operation (median of 9 runs; min, max)"
[ -f "$res/kernel" ] && cat "$res/kernel"
column -t -s '|' -o '|' "$res/table.md" | sed 's/^|//; s/|$//'
cat "$res/targets.txt" "$res/extra.txt"

# The plot: added instructions per operation, one bar per configuration.
if command -v gnuplot >/dev/null; then
	awk '{ med[$1, $2] = $3; if (!($1 in seen)) { seen[$1] = 1; ops[++n] = $1 } }
	END { for (i = 1; i <= n; i++) { op = ops[i]; printf "%s", op
		for (c = 1; c <= 13; c++) printf " %s", ((op, c) in med) ? med[op, c] - med[op, 0] : "NaN"
		print "" } }' "$res/results.txt" >"$res/plot.dat"
	gnuplot <<-GP
	set terminal png size 1250,560
	set output "$res/overhead.png"
	set title "tracer: instructions added per operation (QEMU -icount, median of 9)"
	set ylabel "guest instructions added over no module"
	set style data histograms
	set style histogram clustered gap 1
	set style fill solid 0.8 border -1
	set key outside right top
	set grid ytics
	set yrange [0:*]
	plot "$res/plot.dat" using 2:xtic(1) title "1 loaded, idle" lc rgb "#9400d3", \
	     "" using 3 title "2 others registered" lc rgb "#009e73", \
	     "" using 4 title "3 registered" lc rgb "#56b4e9", \
	     "" using 5 title "4 seed design" lc rgb "#e69f00", \
	     "" using 6 title "5 floor (ftrace)" lc rgb "#f0e442", \
	     "" using 7 title "6 as 2, and a cgroup" lc rgb "#0072b2", \
	     "" using 8 title "7 cgroup registered" lc rgb "#e51e10", \
	     "" using 9 title "8 bpftrace best" lc rgb "#000000", \
	     "" using 10 title "9 bpftrace best, others" lc rgb "#999999", \
	     "" using 11 title "10 bpftrace kprobes" lc rgb "#8b4513", \
	     "" using 12 title "11 bpftrace kprobes, others" lc rgb "#ff69b4", \
	     "" using 13 title "12 floor of kprobes" lc rgb "#808000", \
	     "" using 14 title "13 tracer on kprobes" lc rgb "#00ced1"
	GP
else
	echo "bench: no gnuplot (scripts/deps.sh bench): no plot" >&2
fi

if [ -n "$docs" ]; then
	[ -f "$res/overhead.png" ] && cp "$res/overhead.png" "$docs/bench-overhead.png"
	# The table between the markers of docs/BENCHMARKS.md.
	awk -v table="$res/table.md" '
	/<!-- bench-table -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
	/<!-- \/bench-table -->/ { skip = 0 }
	!skip' "$docs/BENCHMARKS.md" >"$res/BENCHMARKS.md"
	# And the bpftrace scripts measured, as they are.
	for bt in "$top"/tests/bench/counts-*.bt; do
		printf '\n`tests/bench/%s`:\n\n```\n' "${bt##*/}"
		cat "$bt"
		printf '```\n'
	done >"$res/scripts.md"
	awk -v scripts="$res/scripts.md" '
	/<!-- bench-scripts -->/ { print; while ((getline l < scripts) > 0) print l; skip = 1; next }
	/<!-- \/bench-scripts -->/ { skip = 0 }
	!skip' "$res/BENCHMARKS.md" >"$docs/BENCHMARKS.md"
fi
