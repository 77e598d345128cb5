#!/bin/bash
# tracer-forks on recorded input: the table, --json and --follow with a
# gap. PASS:/FAIL: lines.
set -uo pipefail
cd "$(dirname "$0")"
export TZ=UTC
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# result NAME WANT GOT
result() {
	if [ "$2" = "$3" ]; then
		echo "PASS: $1"
	else
		echo "FAIL: $1:"
		diff <(echo "$2") <(echo "$3") | sed 's/^/    /'
	fi
}

result cli-table "$(cat testdata/forks.table)" \
	"$(./tracer-forks testdata/forks.txt 2>&1)"
result cli-json "$(cat testdata/forks.json)" \
	"$(./tracer-forks --json testdata/forks.txt 2>/dev/null | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin), sort_keys=True))')"

# --follow: records appended later are printed once, a gap is reported.
head -3 testdata/forks.txt >"$tmp/live"
./tracer-forks --follow --interval 0.05 "$tmp/live" >"$tmp/out" 2>&1 &
follower=$!
sleep 0.5
sed -n '4,6p' testdata/forks.txt >>"$tmp/live"
sleep 0.5
kill $follower
wait $follower 2>/dev/null
result cli-follow "$(cat testdata/forks.follow)" "$(cat "$tmp/out")"

result cli-bad-input "tracer-forks: 1 lines not understood in $tmp/bad" \
	"$(echo 'not a record' >"$tmp/bad"; ./tracer-forks "$tmp/bad" 2>&1)"
