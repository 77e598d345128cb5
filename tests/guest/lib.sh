# Shared by the guest scripts (sourced, busybox sh).
M=/modules

check() {
	name=$1
	shift
	if out=$("$@" 2>&1); then
		echo "PASS: $name"
	else
		echo "FAIL: $name: $* said: $out"
	fi
}

# ran NAME CMD...: runs a program that prints its own results; a crash or
# an abort, which prints none, is a FAIL of its own.
ran() {
	name=$1
	shift
	"$@"
	rc=$?
	[ $rc -eq 0 ] || echo "FAIL: $name: $1 exited with rc=$rc"
}

# within TENTHS CMD...: CMD every 0.1 s until it succeeds, TENTHS tries at
# most; fails if it never did.
within() {
	local left=$1

	shift
	until "$@"; do
		left=$((left - 1))
		[ $left -gt 0 ] || return 1
		sleep 0.1
	done
}

# no_process NAME: no process of that name is left.
no_process() {
	! grep -qx "$1" /proc/[0-9]*/comm 2>/dev/null
}

# Waits up to 10 s for /proc/tracer_status to say "armed: $1".
armed_becomes() {
	within 100 grep -qx "armed: $1" /proc/tracer_status
}

# The lane, from the kernel's name: the debug kernel and its KCSAN variant
# are several times slower under TCG, so their runs are shorter (sizes are
# in the scripts).
case $(uname -r) in
*-tracer-debug | *-tracer-kcsan) LANE=debug ;;
*) LANE=debian ;;
esac

# by_depth CHECK DEEP: the size for make check, or for make check-deep.
by_depth() {
	if [ -e /tests/deep ]; then echo "$2"; else echo "$1"; fi
}

# by_lane DEBIAN DEBUG: the value for this lane.
by_lane() {
	if [ $LANE = debug ]; then echo "$2"; else echo "$1"; fi
}

# keeper_arm: a sleeping process, $keeper, registered: the hooks arm.
keeper_arm() {
	sleep 100000 &
	keeper=$!
	check keeper-registered tcheck add $keeper
	check keeper-armed armed_becomes yes
}

KMEMLEAK=/sys/kernel/debug/kmemleak

# Before loading anything: what the kernel leaked so far is not ours.
kmemleak_start() {
	[ -w $KMEMLEAK ] || return 0
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
}

# kmemleak_check NAME [FUNCTION WHY]: a leak report is a FAIL (objects the module still
# points to are not reported), its objects printed (tests/vm/check-log.sh fails them too). An
# object must be 5 s old to be reported: wait, then scan twice. With FUNCTION, objects
# allocated under it (in their backtrace) are a leak of the kernel's own, WHY: counted,
# and cleared when they are all there is.
kmemleak_check() {
	local known=0

	if [ ! -w $KMEMLEAK ]; then
		echo "SKIP: $1: this kernel has no kmemleak"
		return
	fi
	sleep 6
	echo scan >$KMEMLEAK
	sleep 1
	echo scan >$KMEMLEAK
	n=$(grep -c '^unreferenced object' $KMEMLEAK)
	[ -z "$2" ] || known=$(awk -v f="$2" '
		/^unreferenced object/ { k += hit; hit = 0 }
		index($0, " " f "+") { hit = 1 }
		END { print k + hit }' $KMEMLEAK)
	echo "INFO: $1: $n unreferenced objects"
	if [ "$n" = 0 ]; then
		echo "PASS: $1"
	elif [ "$n" = "$known" ]; then
		echo "INFO: $1: all $n allocated under $2: $3"
		echo "PASS: $1"
		echo clear >$KMEMLEAK
	else
		echo "FAIL: $1: $n unreferenced objects"
		cat $KMEMLEAK
	fi
}
