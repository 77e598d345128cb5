#!/bin/bash
# Writes the coverage lane's figures (tests/coverage/report.sh) into
# docs/RELIABILITY.md, between its markers: the table of line and branch
# coverage per source file with the date, commit and kernel measured, and
# the lines never run per file (the first line of each range; the whole of
# them in DIR/uncovered.txt).
# Usage: tests/coverage/docs.sh [DIR]   (default: tests/out/coverage, as
# make check-deep leaves it)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$top/tests/out/coverage}
doc=$top/docs/RELIABILITY.md
for f in summary.tsv uncovered.txt meta.txt; do
	[ -f "$dir/$f" ] || { echo "$0: no $dir/$f: run the coverage lane first" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

{
	sed -n 's/^date //p; s/^commit //p; s/^kernel //p; s/^compiler //p' "$dir/meta.txt" |
		paste -sd '|' | awk -F'|' '{ printf "Measured %s on commit %s; kernel %s; %s.\n\n", $1, $2, $3, $4 }'
	echo "| file | lines run | line coverage | branches taken | branch coverage |"
	echo "|---|---:|---:|---:|---:|"
	awk -F'\t' '
	function pct(h, t) { return t ? sprintf("%.1f%%", 100 * h / t) : "-" }
	{
		printf "| %s | %d of %d | %s | %d of %d | %s |\n", $1, $2, $3, pct($2, $3), $4, $5, pct($4, $5)
		lh += $2; lf += $3; bh += $4; bf += $5
	}
	END { printf "| total | %d of %d | %s | %d of %d | %s |\n", lh, lf, pct(lh, lf), bh, bf, pct(bh, bf) }' \
		"$dir/summary.tsv"
} >"$tmp/table.md"

# "src/x.c: N lines never run, ..." then "  lines A-B:" and their source:
# an item per file with such lines, under it one per range with its first
# line of code (a line each: lintian refuses lines of over 512 characters
# in the source package).
awk '
/^src\// { file = $1; sub(/:$/, "", file); shown = 0; next }
/^  lines / { r = $2; sub(/:$/, "", r); want = 1; next }
want && /^    / {
	code = $0; sub(/^ +[0-9]+  /, "", code); gsub(/^[ \t]+|[ \t]+$/, "", code)
	if (code == "" || code ~ /^(\/\*|\*|\/\/)/) next
	gsub(/`/, "", code)
	if (r ~ /^([0-9]+)-([0-9]+)$/) { split(r, p, "-"); if (p[1] == p[2]) r = p[1] }
	if (!shown++) print "- `" file "`:"
	print "  - " r " `" code "`"; want = 0
	next
}' "$dir/uncovered.txt" >"$tmp/uncovered.md"
[ -s "$tmp/uncovered.md" ] || echo "None." >"$tmp/uncovered.md"

awk -v table="$tmp/table.md" -v unc="$tmp/uncovered.md" '
/<!-- coverage-table -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
/<!-- coverage-uncovered -->/ { print; while ((getline l < unc) > 0) print l; skip = 1; next }
/<!-- \/coverage-(table|uncovered) -->/ { skip = 0 }
!skip' "$doc" >"$tmp/RELIABILITY.md"
cp "$tmp/RELIABILITY.md" "$doc"
