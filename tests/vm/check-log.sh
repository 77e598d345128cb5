#!/bin/bash
# Report kernel problems (warnings, oopses, lockdep, KASAN, ...) found in a
# guest console log, one FAIL line each. Exit 1 if there is any.
# Usage: tests/vm/check-log.sh LOG
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 LOG" >&2; exit 2; }

# Matched at the start of the kernel's message, after the "[ time]" prefix
# and the prefix some reports carry ("BUG: sleeping function ...",
# "rcu: INFO: ...", "kmemleak: unreferenced ..."), so that test output
# naming a problem ("PASS: no WARNING") is not taken for one. The taint
# notes of unsigned out-of-tree modules match none of these.
re='^(\[[^]]*\] *)*((BUG|WARNING|rcu|kmemleak): )?'
re+='(WARNING:|BUG:|Oops|general protection fault|Kernel panic|kernel BUG at'
re+='|possible recursive locking|possible circular locking'
re+='|inconsistent lock state|suspicious RCU usage'
re+='|INFO: task .* blocked|INFO: rcu_.*stall|KASAN:|UBSAN:'
re+='|unreferenced object|Call Trace:|list_add corruption|list_del corruption'
re+='|refcount_t:|sleeping function called from invalid context)'

max=20
hits=$(tr -d '\r' <"$1" | grep -aE "$re" || true)
[ -n "$hits" ] || exit 0

n=$(wc -l <<<"$hits")
head -n $max <<<"$hits" | sed 's/^/FAIL: kernel-log: /'
[ "$n" -le $max ] || echo "FAIL: kernel-log: $((n - max)) more problem lines in $1"
exit 1
