#!/bin/bash
# A package lane of make check: the packages (build.sh), made once for
# all the lanes that run at the same time, then their install into a
# root of SUITE (install.sh).
# Usage: tests/pkg/run.sh BUILD-DIR SUITE OUTDIR
set -uo pipefail

[ $# -eq 3 ] || { echo "usage: $0 BUILD-DIR SUITE OUTDIR" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=$1 suite=$2 out=$3
start=$SECONDS
"$here/../../scripts/deps.sh" build vm pkg >&2 || exit 1
rm -rf --one-file-system "$out"
mkdir -p "$out" "$build"

# The first lane builds; the others wait for it, and report its failure.
exec 8>"$build.lock"
flock 8
if [ ! -e "$build/tried" ]; then
	touch "$build/tried"
	"$here/build.sh" "$build"
fi
flock -u 8
if [ ! -f "$build/packages" ]; then
	echo "FAIL: pkg-$suite: no packages to install (see the lane that built them)"
	exit 1
fi
read -r deb udeb tcheck src <"$build/packages"
"$here/install.sh" "$suite" "$deb" "$udeb" "$tcheck" "$src" "$out"
echo "INFO: pkg-$suite: lane took $((SECONDS - start)) s"
