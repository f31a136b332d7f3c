#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: on a fresh machine, installs what is missing, builds for every
# target kernel, runs the unit tests and lint, then the selftests inside a VM
# per kernel, and proves the VM harness still catches failure. Prints TAP
# and ends with "N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TCPSESS_ROOT" || exit 1

logdir=$TCPSESS_BUILD/check
ksft=$(tcpsess_ksrc)/tools/testing/selftests
n=0 passed=0 failed=0 skipped=0

tap_result()	# STATUS(ok|fail|skip) DESCRIPTION
{
	n=$((n + 1))
	case $1 in
	ok) passed=$((passed + 1)); echo "ok $n - $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n - $2 # SKIP" ;;
	*) failed=$((failed + 1)); echo "not ok $n - $2" ;;
	esac
}

# Runs a command quietly; its output is shown only when it fails.
step()		# DESCRIPTION COMMAND...
{
	local desc=$1 log

	shift
	log=$logdir/$(echo "$desc" | tr -c 'A-Za-z0-9.\n-' '_').log
	if "$@" >"$log" 2>&1; then
		tap_result ok "$desc"
		return 0
	fi
	tail -n 60 "$log" | sed 's/^/# /'
	tap_result fail "$desc"
	return 1
}

# Turns one VM run's TAP into results of ours, one per guest test.
report_vm_tests()	# KVER OUTDIR
{
	local kver=$1 out=$2 line name

	sed 's/^/# /' "$out/tap.txt"
	while read -r line; do
		name=${line#*selftests: }
		name=${name%% # *}
		case $line in
		"ok "*"# SKIP"*) tap_result skip "$kver: $name" ;;
		"ok "*) tap_result ok "$kver: $name" ;;
		"not ok "*) tap_result fail "$kver: $name" ;;
		esac
	done < <(grep -E '^(not )?ok ' "$out/tap.txt")
}

# A VM run that must fail, for the reason given by a pattern in its result.
harness_expects_failure()	# KVER INITRD TEST PATTERN [LIMIT]
{
	local kver=$1 initrd=$2 test=$3 pattern=$4 limit=${5:-180}
	local out=$logdir/vm-$kver-harness-$test

	if bash scripts/vm-run.sh "$kver" "$initrd" harness "$test" "$out" "$limit"; then
		echo "the harness passed a run that had to fail"
		return 1
	fi
	cat "$out/result"
	grep -qE "$pattern" "$out/result"
}

mkdir -p "$logdir"
echo "TAP version 13"
if ! step "setup: packages, kernels, kselftest framework" bash scripts/setup.sh; then
	echo "Bail out! setup failed"
	echo "0 passed, 1 failed"
	exit 1
fi
mapfile -t kernels < <(tcpsess_kernels)
echo "# kernels: ${kernels[*]}"

declare -A built
for kver in "${kernels[@]}"; do
	step "build $kver: tcpsess.ko, W=1, no warnings" bash scripts/build.sh "$kver" &&
		built[$kver]=1
done

selftests_ok=1
step "build: selftests" bash -c "
	make -C selftests/tcpsess KSFT_DIR='$ksft' OUTPUT='$TCPSESS_BUILD/selftests/tcpsess' &&
	make -C selftests/harness OUTPUT='$TCPSESS_BUILD/selftests/harness'" ||
	selftests_ok=0

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

# Boots one kernel on the tcpsess collection and reports each test.
vm_suite()	# KVER [MEMORY_MB] [TIME_LIMIT_S]
{
	local kver=$1 mem=${2:-1024} limit=${3:-1200}
	local initrd=$TCPSESS_BUILD/$1/initramfs.cpio out=$logdir/vm-$1-tcpsess

	step "initramfs for $kver" bash scripts/mkinitramfs.sh "$kver" "$initrd" ||
		return 1
	echo "# booting $kver for the tcpsess selftests"
	TCPSESS_VM_MEM=$mem bash scripts/vm-run.sh "$kver" "$initrd" tcpsess \
		"$tests" "$out" "$limit"
	report_vm_tests "$kver" "$out"
	if [ "$(cat "$out/result")" = pass ]; then
		tap_result ok "$kver: VM run clean (verdict, TAP, kernel log)"
	else
		sed 's/^/# /' "$out/result"
		grep -aE -A20 'WARNING:|BUG:|Oops|Kernel panic|KASAN|kmemleak' \
			"$out/console.log" | head -n 80 | sed 's/^/# /'
		tap_result fail "$kver: VM run clean (verdict, TAP, kernel log)"
	fi
}

tests=$(make -s -C selftests/tcpsess list | tr ' ' ',')
for kver in "${kernels[@]}"; do
	if [ -z "${built[$kver]:-}" ] || [ "$selftests_ok" -eq 0 ]; then
		tap_result fail "$kver: VM selftests (not built)"
		continue
	fi
	vm_suite "$kver" || continue
	initrd=$TCPSESS_BUILD/$kver/initramfs.cpio

	# The harness must tell a passing run from a failing one.
	step "$kver: harness passes a passing test" bash scripts/vm-run.sh \
		"$kver" "$initrd" harness passes.sh "$logdir/vm-$kver-harness-pass" 180
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

# The same suite on a kernel built to catch what the others let pass:
# KASAN, kmemleak, lockdep, PROVE_RCU, sleeping in atomic context, list
# corruption. Built once and cached. Opt-in (TCPSESS_DEBUG=1) until its
# running time inside CI's limit is measured from a fresh machine.
if [ "${TCPSESS_DEBUG:-0}" != 0 ]; then
	if step "debug kernel: built (cached after the first time)" \
		bash -c "bash scripts/debug-kernel.sh >'$logdir/debug-kver'"; then
		dkver=$(cat "$logdir/debug-kver")
		step "build $dkver: tcpsess.ko, W=1, no warnings" \
			bash scripts/build.sh "$dkver" &&
			vm_suite "$dkver" 1536 3600
	fi
fi

echo "1..$n"
summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary+=", $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
