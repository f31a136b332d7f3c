#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: only the debug-kernel stages of make check (the tcpsess
# selftest collection on a KASAN/kmemleak/lockdep kernel and on a KCSAN
# kernel: debug_suite and kcsan_suite in tap.sh). Prints TAP and ends with
# "N passed, N failed", like make check.
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
tests=$(make -s -C selftests/tcpsess list | tr ' ' ',')
debug_suite "$tests"
kcsan_suite
tap_summary
