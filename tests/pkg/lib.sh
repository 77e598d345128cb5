# Shared by tests/pkg/run.sh and tests/pkg/install.sh (sourced, bash).

# result NAME COMMAND...: PASS or FAIL line for COMMAND, whose output goes
# to "$out/NAME.log" (its tail is shown on failure).
result() {
	local name=$1

	shift
	if "$@" >"$out/$name.log" 2>&1; then
		echo "PASS: pkg-$name"
	else
		echo "FAIL: pkg-$name: see $out/$name.log"
		tail -5 "$out/$name.log"
		return 1
	fi
}
