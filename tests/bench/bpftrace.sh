# Sourced by tests/lib.sh's stage for make bench: stage_bpftrace DIR puts
# bpftrace into the bench guest, with the libraries ldd lists (LLVM and
# clang among them) and the loader at their own paths, as stage_tracerctl
# does for tracerctl; the scripts as /bench/*.bt, and tbpf, which fills
# their registered set (built with stage's $cflags).
stage_bpftrace() {
	local dir=$1 f

	"$top/scripts/deps.sh" bench
	mkdir -p "$dir/bench"
	cp "$top"/tests/bench/*.bt "$dir/bench/"
	gcc $cflags -o "$dir/bin/tbpf" "$top/tests/bench/tbpf.c"
	cp "$(command -v bpftrace)" "$dir/bin/"
	for f in $(ldd "$dir/bin/bpftrace" | grep -o '/[^ ]*' | grep -v ':$' | sort -u); do
		mkdir -p "$dir$(dirname "$f")"
		cp -L "$f" "$dir$f"
	done
}
