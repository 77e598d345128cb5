#!/bin/bash
# The one version number: dkms.conf's, which debian/changelog, the RPM
# spec and the module's TRACER_VERSION must repeat. Usage: version.sh [TOP]
set -euo pipefail

top=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
want=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
declare -A got=(
	[debian/changelog]=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
	[rpm/tracer.spec]=$(sed -n 's/^Version: *//p' "$top/rpm/tracer.spec")
	[src/tracer.h]=$(sed -n 's/^#define TRACER_VERSION "\(.*\)"$/\1/p' "$top/src/tracer.h")
)
rc=0
for file in "${!got[@]}"; do
	if [ "${got[$file]}" != "$want" ]; then
		echo "$file has version '${got[$file]}', dkms.conf has '$want'"
		rc=1
	fi
done
[ $rc -ne 0 ] || echo "version $want everywhere"
exit $rc
