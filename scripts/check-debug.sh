#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the tcpsess selftest collection on a kernel built to
# catch what Debian's kernels let pass: KASAN, UBSAN, kmemleak, lockdep,
# PROVE_RCU, sleeping in atomic context, list corruption. The kernel is
# built once (about 20 minutes) and cached outside the repository. Prints
# TAP and ends with "N passed, N failed", like make check.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/tap.sh"
cd "$TCPSESS_ROOT" || exit 1

echo "TAP version 13"
setup_or_bail_out
if ! build_selftests; then
	tap_summary
	exit 1
fi
if ! step "debug kernel: built (cached after the first time)" \
	bash -c "bash scripts/debug-kernel.sh >'$logdir/debug-kver'"; then
	tap_summary
	exit 1
fi
dkver=$(cat "$logdir/debug-kver")
echo "# debug kernel: $dkver"
tests=$(make -s -C selftests/tcpsess list | tr ' ' ',')
# Everything runs several times slower here: more memory for KASAN's
# shadow, and room in every limit.
step "build $dkver: tcpsess.ko, W=1, no warnings" bash scripts/build.sh "$dkver" &&
	vm_suite "$dkver" "$tests" 1536 3600 1800
tap_summary
