#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: on a fresh machine, installs what is missing, builds for every
# target kernel, runs the unit tests and lint, then the selftests inside a VM
# per kernel, proves the VM harness still catches failure, and runs the
# selftests once more on the debug kernel and again on the KCSAN kernel
# (TCPSESS_CHECK_DEBUG=0 skips those two stages, for a quick local run; CI
# never does). Prints TAP and ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/tap.sh"
cd "$TCPSESS_ROOT" || exit 1

ksft=$(tcpsess_ksrc)/tools/testing/selftests
echo "TAP version 13"
setup_or_bail_out
mapfile -t kernels < <(tcpsess_kernels)
echo "# kernels: ${kernels[*]}"

declare -A built
for kver in "${kernels[@]}"; do
	step "build $kver: tcpsess.ko, W=1, no warnings" bash scripts/build.sh "$kver" &&
		built[$kver]=1
done

selftests_ok=1
build_selftests || selftests_ok=0

if step "build: unit tests" make -C tests/unit KSFT_DIR="$ksft" \
	OUTPUT="$TCPSESS_BUILD/unit"; then
	for t in $(make -s -C tests/unit list); do
		step "unit: $t" "$TCPSESS_BUILD/unit/$t"
	done
fi

step "unit: tcpsessctl" make -C tools/tcpsessctl check KSFT_DIR="$ksft" \
	OUTPUT="$TCPSESS_BUILD/tcpsessctl"

step "fuzz: state machine invariants, ${TCPSESS_FUZZ_SECONDS:-60} s" \
	make -C tests/fuzz run OUTPUT="$TCPSESS_BUILD/fuzz" \
	FUZZ_SECONDS="${TCPSESS_FUZZ_SECONDS:-60}"

step "lint: checkpatch --strict" bash scripts/lint.sh checkpatch
for kver in "${kernels[@]}"; do
	step "lint: sparse C=2 on $kver" bash scripts/lint.sh sparse "$kver"
done
step "lint: shellcheck" bash scripts/lint.sh shellcheck

tests=$(make -s -C selftests/tcpsess list | tr ' ' ',')
for kver in "${kernels[@]}"; do
	if [ -z "${built[$kver]:-}" ] || [ "$selftests_ok" -eq 0 ]; then
		tap_result fail "$kver: VM selftests (not built)"
		continue
	fi
	vm_suite "$kver" "$tests" || continue
	initrd=$TCPSESS_BUILD/$kver/initramfs.cpio
	run_referees "$kver" "$logdir/vm-$kver-tcpsess/artifacts"

	# The harness must tell a passing run from a failing one.
	step "$kver: harness passes a passing test" bash scripts/vm-run.sh \
		"$kver" "$initrd" harness passes.sh "$logdir/vm-$kver-harness-pass" 180
	step "$kver: harness brings a test's files out intact" bash -c \
		"cd '$logdir/vm-$kver-harness-pass/artifacts/harness' && sha256sum -c bytes.sha256"
	step "$kver: harness fails a failing test" harness_expects_failure \
		"$kver" "$initrd" expected_fail.sh 'guest verdict: fail'
	step "$kver: harness fails a run whose kernel WARNs" harness_expects_failure \
		"$kver" "$initrd" warn_on.sh 'kernel log splat'
done

# The host's time limit is the same code for every kernel: prove it once.
kver=${kernels[-1]}
step "$kver: harness kills and fails a hung guest" harness_expects_failure \
	"$kver" "$TCPSESS_BUILD/$kver/initramfs.cpio" hang.sh 'guest hung' 40

# make bench is not part of make check (it takes a quarter of an hour), but
# a run with tiny counts is, so that the benchmark never rots: it must boot,
# measure every configuration and report every figure, without a splat.
step "bench: smoke run on $kver" env TCPSESS_BENCH_KVER="$kver" \
	bash scripts/bench.sh --smoke

if [ "${TCPSESS_CHECK_DEBUG:-1}" = 0 ]; then
	tap_result skip "debug kernels: the selftests (TCPSESS_CHECK_DEBUG=0)"
elif [ "$selftests_ok" -eq 0 ]; then
	tap_result fail "debug kernels: the selftests (not built)"
else
	debug_suite "$tests"
	kcsan_suite
fi

tap_summary
