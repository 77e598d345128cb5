#!/bin/bash
# Builds the debug kernel of the second test lane (lockdep, KASAN,
# kmemleak...) from Debian's linux-source and tests/debug-kernel/debug.config,
# once per source version and fragment, under
# ~/.cache/tracer/debug-kernel-<key>. Prints that directory: it holds
# arch/x86/boot/bzImage and is the module build tree (KDIR) for it.
# Progress and the build log go to stderr.
#
# build.sh VARIANT: the same with tests/debug-kernel/VARIANT.config merged
# after debug.config (its lines win), under VARIANT-kernel-<key>, the key
# from both fragments; e.g. kcsan (KCSAN instead of KASAN and kmemleak).
# Each variant keeps to its own directories and lock.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragments=("$here/debug.config")
name=debug-kernel
if [ $# -gt 0 ]; then
	[ -f "$here/$1.config" ] || { echo "build.sh: no $here/$1.config" >&2; exit 2; }
	fragments+=("$here/$1.config")
	name=$1-kernel
fi
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tracer
"$here/../../scripts/deps.sh" kernel >&2

tarball=$(ls /usr/src/linux-source-*.tar.xz | sort -V | tail -n 1)
pkg=$(basename "$tarball" .tar.xz)
ver=$(dpkg-query -W -f='${Version}' "$pkg")
key=$( { echo "$pkg $ver"; cat "${fragments[@]}"; } | sha256sum | cut -c1-12)
src=$cache/$pkg-$ver
out=$cache/$name-$key
mkdir -p "$cache"

# One build at a time per variant; a second caller waits and reuses it.
exec 9>"$cache/$name.lock"
flock 9

if [ ! -f "$src/Makefile" ]; then
	echo "build.sh: unpacking $tarball" >&2
	# Aside, then renamed: never a half-unpacked tree under the real name.
	# Another variant may have unpacked it meanwhile: -T never moves
	# into its tree, and this copy goes.
	new=$(mktemp -d "$src.XXXXXX")
	tar -xJf "$tarball" -C "$new" --strip-components=1
	mv -T "$new" "$src" 2>/dev/null || rm -rf "$new"
fi

if [ -f "$out/.tracer-built" ]; then
	echo "$out"
	exit 0
fi

start=$SECONDS
echo "build.sh: building $pkg $ver + ${fragments[*]##*/} in $out" >&2
# This variant's kernels of older sources or fragments are of no more use.
rm -rf "$cache/$name"-*/
mkdir -p "$out"
make -s -C "$src" O="$out" tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${fragments[@]}" >/dev/null
make -s -C "$src" O="$out" olddefconfig >&2

# Kconfig silently drops what it cannot satisfy: refuse such a kernel.
# Each option's line from the last fragment that sets it must be there;
# "is not set" holds also when Kconfig left the option out (its
# dependencies are off, as KASAN_GENERIC's without KASAN).
declare -A want=()
opts=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) opt=${line%%=*} ;;
	"# CONFIG_"*" is not set") opt=${line#\# } opt=${opt% is not set} ;;
	*) continue ;;
	esac
	[ -n "${want[$opt]:-}" ] || opts+=("$opt")
	want[$opt]=$line
done < <(cat "${fragments[@]}")
bad=0
for opt in "${opts[@]}"; do
	case ${want[$opt]} in
	"#"*) ! grep -q "^$opt=" "$out/.config" ;;
	*) grep -qxF "${want[$opt]}" "$out/.config" ;;
	esac || {
		echo "build.sh: ${want[$opt]} did not survive olddefconfig" >&2
		bad=1
	}
done
[ $bad -eq 0 ] || exit 1

# vmlinux, bzImage and Module.symvers: all an external module build needs.
make -C "$src" O="$out" -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 || {
	tail -30 "$out/build.log" >&2
	exit 1
}
touch "$out/.tracer-built"
echo "build.sh: built in $((SECONDS - start)) s" >&2
echo "$out"
