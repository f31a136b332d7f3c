#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs one kselftest collection inside the VM with the kernel's own runner,
# sends its TAP to the second serial port and returns the verdict.
suite=$1
tests=${2//,/ }
tap=/tmp/tap.txt
results=/dev/ttyS1

stty -F "$results" raw -echo 2>/dev/null

cd "/kselftest/$suite" || exit 1
export BASE_DIR=/kselftest
# shellcheck source=/dev/null
. /kselftest/kselftest/runner.sh
# shellcheck disable=SC2086
run_many $tests 2>&1 | tee "$tap" >"$results"

planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
passed=$(grep -c '^ok ' "$tap")
failed=$(grep -c '^not ok ' "$tap")

# Taint bits a healthy run never sets: bad page, die, warning, soft lockup.
tainted=$(cat /proc/sys/kernel/tainted)
bad_taint=$((tainted & ((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14))))
echo "# tainted=$tainted" >"$results"

[ -n "$planned" ] && [ "$passed" -eq "$planned" ] && [ "$failed" -eq 0 ] &&
	[ "$bad_taint" -eq 0 ]
