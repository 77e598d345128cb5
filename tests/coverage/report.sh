#!/bin/bash
# The coverage lane's figures (make check-deep, tests/check.sh): decodes the
# gcov counts that tests/coverage/guest.sh printed on each guest's console,
# merges both guests' with lcov and prints the line and branch coverage of
# each source file of tracer.ko as INFO lines. Leaves in DIR: coverage.info
# (lcov's tracefile of our sources), summary.tsv (file, lines hit, lines,
# branches hit, branches), uncovered.txt (the lines never run and the
# branches never taken, with their source), meta.txt (what was measured),
# html/ (genhtml). tests/coverage/docs.sh writes docs/RELIABILITY.md from
# them.
# Usage: tests/coverage/report.sh DIR KDIR
#   DIR: the lane's directory (stage/, console-smp.log, console-unload.log);
#   KDIR: the debug kernel's build tree the module was built against.
set -uo pipefail

[ $# -eq 2 ] || { echo "usage: $0 DIR KDIR" >&2; exit 2; }
dir=$1 kdir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$dir/stage/build/src
"$top/scripts/deps.sh" coverage >&2 || { echo "FAIL: coverage: deps: lcov could not be installed"; exit 1; }
rc=0
# Branches are off by default in lcov 1.x.
lcov=(lcov --quiet --rc lcov_branch_coverage=1)

mapfile -t gcno < <(cd "$build" && ls -- *.gcno 2>/dev/null)
if [ ${#gcno[@]} -eq 0 ]; then
	echo "FAIL: coverage: build: no .gcno in $build (not the coverage variant?)"
	exit 1
fi

# decode GUEST: the console log's files into DIR/gcda-GUEST beside copies of
# the .gcno files (gcov reads both from one folder), each checked against
# the MD5 the guest printed; then its tracefile DIR/GUEST.info.
decode() {
	local g=$1 out=$dir/gcda-$1 name sum bad=0 missing=() n

	rm -rf "$out"
	mkdir -p "$out"
	tr -d '\r' <"$dir/console-$g.log" | awk -v out="$out" '
		/^TRACER-GCDA-BEGIN / { f = out "/" $2 ".b64"; sums = sums $2 " " $3 "\n"; printf "" >f; next }
		/^TRACER-GCDA-END/ { close(f); f = ""; next }
		/^TRACER-GCDA / && f != "" { print substr($0, 13) >>f }
		END { printf "%s", sums >(out "/sums") }'
	while read -r name sum; do
		if ! base64 -d "$out/$name.b64" >"$out/$name" 2>/dev/null ||
		   [ "$(md5sum <"$out/$name" | cut -d' ' -f1)" != "$sum" ]; then
			echo "FAIL: coverage: gcov-data-$g: $name arrived damaged (a kernel message within its lines?)"
			rm -f "$out/$name"
			bad=1
		fi
		rm -f "$out/$name.b64"
	done <"$out/sums"
	for name in "${gcno[@]}"; do
		if [ -f "$out/${name%.gcno}.gcda" ]; then
			cp "$build/$name" "$out/"
		else
			missing+=("${name%.gcno}.gcda")
		fi
	done
	n=$(ls "$out"/*.gcda 2>/dev/null | wc -l)
	if [ ${#missing[@]} -gt 0 ]; then
		echo "FAIL: coverage: gcov-data-$g: no counts for ${missing[*]} in $dir/console-$g.log"
		bad=1
	elif [ $bad -eq 0 ]; then
		echo "PASS: coverage: gcov-data-$g"
	fi
	[ "$n" -gt 0 ] || return 1
	"${lcov[@]}" --capture --directory "$out" --output-file "$dir/$g.info" \
		>>"$dir/lcov.log" 2>&1 || {
		echo "FAIL: coverage: lcov-$g: lcov --capture failed (see $dir/lcov.log)"
		return 1
	}
	return $bad
}

infos=()
for g in smp unload; do
	decode $g || rc=1
	[ ! -s "$dir/$g.info" ] || infos+=(-a "$dir/$g.info")
done
[ ${#infos[@]} -gt 0 ] || exit 1
# Both guests' counts added up, then only our sources: the kernel's
# headers' inline functions are counted too, and are not ours.
if ! "${lcov[@]}" "${infos[@]}" -o "$dir/all.info" >>"$dir/lcov.log" 2>&1 ||
   ! "${lcov[@]}" --extract "$dir/all.info" "$build/*" -o "$dir/coverage.info" \
	>>"$dir/lcov.log" 2>&1; then
	echo "FAIL: coverage: lcov-merge: see $dir/lcov.log"
	exit 1
fi

# Per file, from the tracefile's own records (DA: line,count; BRDA:
# line,block,branch,taken with "-" for a block never reached): the figures,
# and the lines never run as ranges (lines that carry no code between them
# join a range) with their source, and the branches never taken of lines
# that did run.
awk -v build="$build/" -v sum="$dir/summary.tsv" -v unc="$dir/uncovered.txt" '
function flush(   i, l, first, last, n, text) {
	if (file == "") return
	printf "src/%s\t%d\t%d\t%d\t%d\n", file, lh, lf, bh, bf >sum
	if (nz == 0 && nb == 0) return
	printf "src/%s: %d lines never run, %d branches never taken\n", file, lf - lh, bf - bh >unc
	for (i = 1; i <= nz; i++) {
		first = zero[i]
		while (i < nz && next_da[zero[i]] == zero[i + 1]) i++
		last = zero[i]
		printf "  lines %d-%d:\n", first, last >unc
		for (l = first; l <= last; l++)
			printf "    %5d  %s\n", l, src[l] >unc
	}
	for (i = 1; i <= nb; i++) {
		l = brl[i]
		printf "  line %d: %d of its %d branches never taken: %s\n", l, brn[l], brt[l], src[l] >unc
	}
	print "" >unc
}
/^SF:/ {
	flush()
	path = substr($0, 4); file = path; sub("^" build, "", file)
	lh = lf = bh = bf = nz = nb = prev = 0
	delete zero; delete next_da; delete src; delete brn; delete brt; delete brl
	n = 0
	while ((getline s <path) > 0) src[++n] = s
	close(path)
	next
}
/^DA:/ {
	split(substr($0, 4), a, ",")
	lf++
	if (a[2] > 0) lh++; else zero[++nz] = a[1] + 0
	if (prev) next_da[prev] = a[1] + 0
	prev = a[1] + 0
	next
}
/^BRDA:/ {
	split(substr($0, 6), a, ",")
	bf++
	l = a[1] + 0
	brt[l]++
	if (a[4] != "-" && a[4] > 0) { bh++; next }
	# "-": the line never ran, and is in a range above.
	if (a[4] == "-") next
	if (!(l in brn)) brl[++nb] = l
	brn[l]++
	next
}
END { flush() }' "$dir/coverage.info"

sort -o "$dir/summary.tsv" "$dir/summary.tsv"
awk -F'\t' '
function pct(h, t) { return t ? sprintf("%.1f%%", 100 * h / t) : "-" }
{
	printf "INFO: coverage: %s lines %s (%d/%d) branches %s (%d/%d)\n", $1,
		pct($2, $3), $2, $3, pct($4, $5), $4, $5
	lh += $2; lf += $3; bh += $4; bf += $5
}
END {
	printf "INFO: coverage: total lines %s (%d/%d) branches %s (%d/%d)\n",
		pct(lh, lf), lh, lf, pct(bh, bf), bh, bf
}' "$dir/summary.tsv"

{
	echo "date $(date -u +%F)"
	commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
	[ -z "$(git -C "$top" status --porcelain -- src 2>/dev/null)" ] || commit="$commit with uncommitted changes in src/"
	echo "commit $commit"
	echo "kernel $(cat "$kdir/include/config/kernel.release"), built from Debian's linux-source-6.1 $(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) with tests/debug-kernel/debug.config"
	echo "compiler $(gcc --version | head -n 1)"
} >"$dir/meta.txt"

if genhtml --quiet --branch-coverage -o "$dir/html" "$dir/coverage.info" >>"$dir/lcov.log" 2>&1; then
	echo "INFO: coverage: per line in $dir/html/index.html, uncovered lines in $dir/uncovered.txt"
else
	echo "INFO: coverage: genhtml failed (see $dir/lcov.log); uncovered lines in $dir/uncovered.txt"
fi
exit $rc
