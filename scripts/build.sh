#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds tcpsess.ko and the harness's throwaway module for one kernel with
# W=1, each in its own copy of the tree so kernels never share objects.
# Any compiler warning fails the build.
#
# usage: [TCPSESS_RACE_WINDOWS=1] build.sh KVER
#
# TCPSESS_RACE_WINDOWS=1 builds tcpsess.ko for tests only, with the race
# windows of module/race.h that event_order_test.sh holds open.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=$1
kdir=$(tcpsess_kdir "$kver")
out=$TCPSESS_BUILD/$kver
log=$out/build.log
race=()
[ "${TCPSESS_RACE_WINDOWS:-0}" = 1 ] && race=(TCPSESS_RACE_WINDOWS=1)

mkdir -p "$out/src" "$out/harness"
cp -a "$TCPSESS_ROOT"/{Kbuild,module,include} "$out/src/"
cp -a "$TCPSESS_ROOT"/selftests/harness/warn_module/. "$out/harness/"

: >"$log"
for dir in "$out/src" "$out/harness"; do
	if ! make -C "$kdir" M="$dir" W=1 "${race[@]}" modules >>"$log" 2>&1; then
		cat "$log" >&2
		tcpsess_die "build for $kver failed"
	fi
done
if grep -E 'warning:|error:' "$log" >&2; then
	tcpsess_die "build for $kver has warnings"
fi
