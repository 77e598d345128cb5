#!/bin/bash
# The packages of the package lanes: one version everywhere, the .deb and
# .rpm built from a clean checkout, lintian and rpmlint clean, exactly the
# expected files; tcheck for the installed roots. Leaves in OUTDIR the
# file "packages": the paths of the tracer-dkms and tracer-utils .debs and
# of tcheck, and the checkout they were built from.
# Usage: tests/pkg/build.sh OUTDIR
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$1
mkdir -p "$out"

. "$here/lib.sh"

# contents FILE LISTING: the package's files (mode, owner, path) as expected.
contents() {
	diff -u <(sed "s/@VERSION@/$version/g" "$here/$1") <(sort -k3 "$2")
}

src=$out/src
git clone -q "$top" "$src"
echo "INFO: pkg: packages of commit $(git -C "$src" rev-parse --short HEAD)"
start=$SECONDS
result version "$here/version.sh" "$src"
result deb-build make -C "$src" deb
result rpm-build make -C "$src" rpm
echo "INFO: pkg: both packages built in $((SECONDS - start)) s"

deb=$(ls "$src"/out/deb/tracer-dkms_*_all.deb 2>/dev/null)
rpm=$(ls "$src"/out/rpm/RPMS/noarch/tracer-dkms-*.noarch.rpm 2>/dev/null)
udeb=$(ls "$src"/out/deb/tracer-utils_*_amd64.deb 2>/dev/null)
urpm=$(ls "$src"/out/rpm/RPMS/x86_64/tracer-utils-[0-9]*.x86_64.rpm 2>/dev/null)
# One version everywhere (pkg-version above): the package's own will do.
version=$(dpkg-deb -f "$deb" Version)
# Lintian's tags go to stdout; its note about running as root to stderr.
result lintian sh -c "lintian --pedantic -I -E \
	$src/out/deb/*.changes 2>/dev/null | tee /dev/stderr | { ! grep -q .; }"
result rpmlint rpmlint -c "$src/rpm/rpmlint.toml" "$rpm" "$urpm" "$src"/out/rpm/SRPMS/*.src.rpm
for p in dkms utils; do
	[ $p = dkms ] && d=$deb r=$rpm || d=$udeb r=$urpm
	dpkg-deb -c "$d" | awk '{ sub(/^\./, "", $6); print $1, $2, $6 }' >"$out/$p-deb-files"
	# The build ID in the path of the binary's link changes with its code.
	rpm -qplv "$r" | awk '{ print $1, $3 "/" $4, $9 }' |
		sed -E 's|/\.build-id/[0-9a-f]{2}(/[0-9a-f]+)?$|/.build-id/ID|' >"$out/$p-rpm-files"
	result $p-deb-contents contents tracer-$p.deb.txt "$out/$p-deb-files"
	result $p-rpm-contents contents tracer-$p.rpm.txt "$out/$p-rpm-files"
done

gcc -O2 -static -o "$out/tcheck" "$top/tests/progs/tcheck.c" || exit 1
[ -f "$deb" ] && [ -f "$udeb" ] || exit 1
echo "$deb $udeb $out/tcheck $src" >"$out/packages"
