#!/bin/bash
# Builds the debug kernel of the second test lane (lockdep, KASAN,
# kmemleak...) from Debian's linux-source and tests/debug-kernel/debug.config,
# once per source version and fragment, under
# ~/.cache/tracer/debug-kernel-<key>. Prints that directory: it holds
# arch/x86/boot/bzImage and is the module build tree (KDIR) for it.
# Progress and the build log go to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tracer
"$here/../../scripts/deps.sh" kernel >&2

tarball=$(ls /usr/src/linux-source-*.tar.xz | sort -V | tail -n 1)
pkg=$(basename "$tarball" .tar.xz)
ver=$(dpkg-query -W -f='${Version}' "$pkg")
key=$( { echo "$pkg $ver"; cat "$fragment"; } | sha256sum | cut -c1-12)
src=$cache/$pkg-$ver
out=$cache/debug-kernel-$key
mkdir -p "$cache"

# One build at a time per cache; a second caller waits and reuses it.
exec 9>"$cache/debug-kernel.lock"
flock 9

if [ ! -f "$src/Makefile" ]; then
	echo "build.sh: unpacking $tarball" >&2
	# Aside, then renamed: never a half-unpacked tree under the real name.
	new=$(mktemp -d "$src.XXXXXX")
	tar -xJf "$tarball" -C "$new" --strip-components=1
	mv "$new" "$src"
fi

if [ -f "$out/.tracer-built" ]; then
	echo "$out"
	exit 0
fi

start=$SECONDS
echo "build.sh: building $pkg $ver + debug.config in $out" >&2
# Kernels of older sources or fragments are of no more use.
rm -rf "$cache"/debug-kernel-*/
mkdir -p "$out"
make -s -C "$src" O="$out" tinyconfig >&2
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
make -s -C "$src" O="$out" olddefconfig >&2

# Kconfig silently drops what it cannot satisfy: refuse such a kernel.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF "$want" "$out/.config"; then
		echo "build.sh: $want did not survive olddefconfig" >&2
		bad=1
	fi
done <"$fragment"
[ $bad -eq 0 ] || exit 1

# vmlinux, bzImage and Module.symvers: all an external module build needs.
make -C "$src" O="$out" -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 || {
	tail -30 "$out/build.log" >&2
	exit 1
}
touch "$out/.tracer-built"
echo "build.sh: built in $((SECONDS - start)) s" >&2
echo "$out"
