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

# Waits up to 10 s for /proc/tracer_status to say "armed: $1".
armed_becomes() {
	i=0
	while ! grep -qx "armed: $1" /proc/tracer_status; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
