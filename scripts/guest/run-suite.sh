#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs one kselftest collection inside the VM with the kernel's own runner,
# sends its TAP to the second serial port and returns the verdict.
suite=$1
tests=${2//,/ }
tap=/tmp/tap.txt
results=/dev/ttyS1
# Files a test leaves for a referee on the host (a capture, an exposition
# that a tool too big for the initramfs must judge) go to the third port.
artifacts_port=/dev/ttyS2
export TCPSESS_ARTIFACTS=/tmp/artifacts

stty -F "$results" raw -echo 2>/dev/null
stty -F "$artifacts_port" raw -echo 2>/dev/null
mkdir -p "$TCPSESS_ARTIFACTS"

# On a kmemleak kernel, forget what boot left behind: only the tests count.
kmemleak=/sys/kernel/debug/kmemleak
if [ -w $kmemleak ]; then
	echo scan >$kmemleak
	echo clear >$kmemleak
fi

cd "/kselftest/$suite" || exit 1
export BASE_DIR=/kselftest
# A debug kernel runs several times slower: the host may stretch the limit
# each test's settings file gives (ksft_timeout=SECONDS on the command line).
if [ -n "${ksft_timeout:-}" ]; then
	export kselftest_override_timeout=$ksft_timeout
fi
# shellcheck source=/dev/null
. /kselftest/kselftest/runner.sh
# The runner writes to a file, streamed to the host as it grows: a process
# a test left behind may hold the runner's output open, and must not be able
# to stall the suite the way it would stall a pipe.
: >"$tap"
# Not a job of this shell: run_many ends by waiting for all of those.
(tail -f -n +1 "$tap" >"$results" & echo $! >/tmp/streamer.pid)
# shellcheck disable=SC2086
run_many $tests >>"$tap" 2>&1
sleep 1
kill "$(cat /tmp/streamer.pid)"

# base64, because a serial line is no place for binary; the host decodes.
if [ -n "$(ls -A "$TCPSESS_ARTIFACTS")" ]; then
	tar -cf - -C "$TCPSESS_ARTIFACTS" . | base64 >"$artifacts_port"
fi

planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n 1)
passed=$(grep -c '^ok ' "$tap")
failed=$(grep -c '^not ok ' "$tap")

leaks=0
if [ -w $kmemleak ]; then
	# An object must be 5 s old before kmemleak may call it leaked.
	sleep 6
	echo scan >$kmemleak
	leaks=$(grep -c '^unreferenced object' $kmemleak)
	echo "# kmemleak: $leaks new suspected leaks" >"$results"
	sed 's/^/# /' $kmemleak | head -n 100 >"$results"
fi

# Taint bits a healthy run never sets: bad page, die, warning, soft lockup.
tainted=$(cat /proc/sys/kernel/tainted)
bad_taint=$((tainted & ((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14))))
echo "# tainted=$tainted" >"$results"

[ -n "$planned" ] && [ "$passed" -eq "$planned" ] && [ "$failed" -eq 0 ] &&
	[ "$bad_taint" -eq 0 ] && [ "$leaks" -eq 0 ]
