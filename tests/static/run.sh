#!/bin/bash
# Static checks of the module's C sources in SRC_DIR and its subfolders:
# checkpatch --strict, sparse, a W=1 build and cppcheck. One PASS, FAIL or
# SKIP line per check, findings indented under FAIL; exit 1 if any failed.
set -euo pipefail

usage() { echo "usage: $0 [--kdir BUILD_DIR] SRC_DIR" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
kdir=
if [ "${1:-}" = --kdir ]; then
	[ $# -ge 2 ] || usage
	kdir=$(realpath -m "$2")
	shift 2
fi
[ $# -eq 1 ] && [ -d "$1" ] || usage
src=$(cd "$1" && pwd)
# A tool that cannot be installed is reported as SKIP below.
"$here/../../scripts/deps.sh" build static || echo "$0: some tools are missing" >&2
# The newest installed headers: the running kernel need not be Debian's.
[ -n "$kdir" ] || kdir=$(ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n 1)

# Untranslated messages for the greps below; kbuild unexports LC_ALL, so
# the compiler under it goes by the other two.
export LC_ALL=C LC_MESSAGES=C LANG=C

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$src"
# *.mod.c is written by kbuild, not by us.
mapfile -t files < <(find . -name '*.[ch]' ! -name '*.mod.c' -printf '%P\n' | sort)
mapfile -t cfiles < <(printf '%s\n' "${files[@]}" | grep '\.c$' || true)
[ ${#cfiles[@]} -gt 0 ] || { echo "$0: no .c files in $src" >&2; exit 2; }

failed=0
# result NAME FINDINGS: PASS if there are none, else FAIL with them indented.
result() {
	if [ -z "$2" ]; then
		echo "PASS: static-$1"
	else
		echo "FAIL: static-$1"
		sed 's/^/    /' <<<"$2"
		failed=1
	fi
}

# Prints the path of the checkpatch.pl of Debian's linux-source, unpacked once
# per source version into a cache outside the work tree; nothing if absent.
checkpatch_pl() {
	local tarball ver dir new
	tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
	[ -n "$tarball" ] || return 0
	ver=$(dpkg-query -W -f='${Version}' "$(basename "$tarball" .tar.xz)")
	dir=${XDG_CACHE_HOME:-$HOME/.cache}/tracer/checkpatch-$ver
	if [ ! -f "$dir/checkpatch.pl" ]; then
		mkdir -p "$(dirname "$dir")"
		# Unpacked aside, then renamed: an interrupted or concurrent run
		# never leaves a half-filled cache.
		new=$(mktemp -d "$dir.XXXXXX")
		tar -xJf "$tarball" -C "$new" --strip-components=2 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch'
		mv -T "$new" "$dir" 2>/dev/null || rm -rf "$new"
	fi
	echo "$dir/checkpatch.pl"
}

checkpatch=$(checkpatch_pl)
if [ -z "$checkpatch" ]; then
	echo "SKIP: static-checkpatch: no /usr/src/linux-source-*.tar.xz (scripts/deps.sh static)"
else
	# --no-tree: SRC_DIR is not a kernel tree. The "total:" lines only count.
	# compat.h alone may name the APIs that newer ones deprecated: it gives
	# the new names their old meaning on the kernels that lack them.
	result checkpatch "$( {
		perl "$checkpatch" --strict --no-tree --terse --show-types \
			-f $(printf '%s\n' "${files[@]}" | grep -vx compat.h) 2>&1
		[ ! -f compat.h ] || perl "$checkpatch" --strict --no-tree --terse \
			--show-types --ignore DEPRECATED_API -f compat.h 2>&1
	} | grep -v '^total: ' || true)"
fi

if [ ! -f "$kdir/Makefile" ]; then
	why="no kernel build tree at ${kdir:-/lib/modules/*/build} (scripts/deps.sh build)"
	echo "SKIP: static-sparse: $why"
	echo "SKIP: static-W1: $why"
else
	# Built in a copy: whoever builds in SRC_DIR meanwhile keeps their tree.
	work=$tmp/src
	cp -a "$src/." "$work"
	kmake() { make -C "$kdir" M="$work" -j"$(nproc)" "$@" 2>&1 || true; }
	# Compiler and sparse lines about our files, make's failures, modpost.
	findings() {
		grep -E "^$work/.*: (warning|error):|\*\*\*|^WARNING: modpost" |
			sed "s|$work/||g; s|$work|.|g" || true
	}
	# The files that include a KUnit suite (src/Kbuild), compiled with it
	# too: only compiled, as linking it needs a kernel with CONFIG_KUNIT.
	mapfile -t kunit < <(grep -l '^#ifdef TRACER_KUNIT' -- *.c | sed 's/\.c$/.o/')
	kunit_make() {
		[ ${#kunit[@]} -eq 0 ] || kmake W=1 TRACER_KUNIT=1 "$@" "${kunit[@]}"
	}
	# Objects copied from SRC_DIR would spare files from being compiled.
	kmake clean >/dev/null
	w1=$( { kmake W=1 modules; kunit_make; } | findings)
	if command -v sparse >/dev/null; then
		# Same flags as the W=1 builds, so that only the files of the
		# suites are compiled again, and only sparse speaks.
		result sparse "$( {
			kmake W=1 C=2 CHECK=sparse modules
			kunit_make C=2 CHECK=sparse
		} | findings)"
	else
		echo "SKIP: static-sparse: sparse not installed (scripts/deps.sh static)"
	fi
	result W1 "$w1"
fi

if command -v cppcheck >/dev/null; then
	opts=(
		--enable=warning,style,performance,portability --std=c11
		--quiet --template='{file}:{line}: {severity}:{id}: {message}'
		# A reviewed false positive is silenced where it is.
		--inline-suppr
		# No kernel headers (slow, and cppcheck misreads them): the
		# configuration our sources test, and the kernel macros whose
		# absence would derail its data flow.
		-D__KERNEL__ -D__GNUC__ --include="$here/cppcheck-kernel.h"
		# Kernel style often declares locals at the top of a function.
		--suppress=variableScope
	)
	result cppcheck "$(cppcheck "${opts[@]}" "${cfiles[@]}" 2>&1)"
else
	echo "SKIP: static-cppcheck: cppcheck not installed (scripts/deps.sh static)"
fi

exit $failed
