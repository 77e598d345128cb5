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

# KCSAN (the kcsan lane's kernel) reports races all over the core kernel,
# which are not ours to fix. The rule: a KCSAN report (its "BUG: KCSAN:"
# line to the "=====" line that closes it) is a problem only if one of its
# frames is in our modules ("[tracer]", "[tracer_test]"); the others are
# taken out of the log and only counted, in an INFO line.
log=$(tr -d '\r' <"$1" | awk '
	/BUG: KCSAN: / { inside = 1; ours = 0; head = $0; next }
	inside && /\[tracer(_test)?\]$/ { ours = 1 }
	inside && /^(\[[^]]*\] *)*=====/ {
		inside = 0
		if (ours) { print head; n_ours++ } else n_core++
		next
	}
	inside { next }
	# A KCSAN kernel: its boot warning (the info lines are not on the console).
	/^(\[[^]]*\] *)*kcsan: / { kcsan = 1 }
	{ print }
	END {
		# A report cut short (the guest stopped mid-way) counts too.
		if (inside) { if (ours) { print head; n_ours++ } else n_core++ }
		if (kcsan || n_core || n_ours)
			printf "INFO: kcsan: %d reports in the kernel'"'"'s own code, %s in tracer\n",
				n_core, n_ours ? n_ours : "none"
	}')
grep -a '^INFO: kcsan: ' <<<"$log" || true

max=20
hits=$(grep -aE "$re" <<<"$log" || true)
[ -n "$hits" ] || exit 0

n=$(wc -l <<<"$hits")
head -n $max <<<"$hits" | sed 's/^/FAIL: kernel-log: /'
[ "$n" -le $max ] || echo "FAIL: kernel-log: $((n - max)) more problem lines in $1"
exit 1
