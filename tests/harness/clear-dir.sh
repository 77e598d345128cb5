#!/bin/bash
# What a make check stopped midway leaves, made for real in a scratch
# directory, then cleared as the next run clears tests/out (clear_dir of
# tests/lib.sh): a package root with /proc mounted and a repository
# bind-mounted read-only, and a guest still running. PASS/FAIL lines.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"

# expect NAME WHY CMD...
expect() {
	local name=$1 why=$2

	shift 2
	if "$@"; then echo "PASS: harness-$name"; else echo "FAIL: harness-$name: $why"; fi
}

tmp=$(mktemp -d)
out=$tmp/out
repo=$tmp/repo
root=$out/pkg-x/install/root
mkdir -p "$repo" "$root/proc" "$root/srv/repo/repo" "$out/k6.1"
echo kept >"$repo/sentinel"
mount -t proc proc "$root/proc" &&
	mount --bind -o ro "$repo" "$root/srv/repo/repo" || {
	echo "SKIP: harness-clear-dir: cannot mount here (not root?)"
	rm -rf --one-file-system "$tmp"
	exit 0
}
# A guest of that run: a process named as QEMU with the directory in its
# command line, as tests/vm/run.sh names its guests by their log.
(exec -a "qemu-system-x86_64 -name tracer-guest:$out/k6.1/console-smp.log" sleep 600) &
guest=$!
sleep 0.2

clear_dir "$out"

sleep 0.5
expect clear-dir-guest-killed "the stopped run's guest still runs" \
	sh -c "! kill -0 $guest 2>/dev/null"
expect clear-dir-unmounted "mounts left under $out" \
	sh -c "! findmnt -rn -o TARGET | grep -qF '$out/'"
expect clear-dir-removed "$out is still there" test ! -e "$out"
expect clear-dir-bind-source-kept "rm went through the bind mount into $repo" \
	grep -qx kept "$repo/sentinel"

kill $guest 2>/dev/null
findmnt -rn -o TARGET | grep -F "$tmp/" | sort -r | xargs -r umount -l
rm -rf --one-file-system "$tmp"
