# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared by make check and make check-debug: TAP results, quiet steps, and
# running the tcpsess selftest collection in a VM. Sourced after lib.sh.

logdir=$TCPSESS_BUILD/check
n=0 passed=0 failed=0 skipped=0
mkdir -p "$logdir"

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

# Tests that skip by design on a kernel that cannot run them: the KCSAN
# test anywhere but on the KCSAN kernel. Any other skip is a test that did
# not run (a tool or a kernel feature missing from the VM), and fails.
KCSAN_ONLY_TESTS="lockless_read_test.sh"

# Turns one VM run's TAP into results of ours, one per guest test.
report_vm_tests()	# KVER OUTDIR MAY_SKIP
{
	local kver=$1 out=$2 may_skip=" $3 " line name

	sed 's/^/# /' "$out/tap.txt"
	while read -r line; do
		name=${line#*selftests: }
		name=${name%% # *}
		case $line in
		"ok "*"# SKIP"*)
			if [[ $may_skip == *" ${name##*: } "* ]]; then
				tap_result skip "$kver: $name"
			else
				tap_result fail "$kver: $name (skipped, so it did not run)"
			fi ;;
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

# Boots one kernel on the tcpsess collection and reports each test; only
# the tests named in MAY_SKIP (default: KCSAN_ONLY_TESTS) may skip.
vm_suite()	# KVER TESTS [MEMORY_MB] [TIME_LIMIT_S] [PER_TEST_LIMIT_S] [MAY_SKIP]
{
	local kver=$1 tests=$2 mem=${3:-1024} limit=${4:-1200} append=
	local may_skip=${6-$KCSAN_ONLY_TESTS}
	local initrd=$TCPSESS_BUILD/$1/initramfs.cpio out=$logdir/vm-$1-tcpsess

	step "initramfs for $kver" bash scripts/mkinitramfs.sh "$kver" "$initrd" ||
		return 1
	echo "# booting $kver for the tcpsess selftests"
	[ -z "${5:-}" ] || append="ksft_timeout=$5"
	TCPSESS_VM_MEM=$mem TCPSESS_VM_APPEND=$append bash scripts/vm-run.sh \
		"$kver" "$initrd" tcpsess "$tests" "$out" "$limit"
	report_vm_tests "$kver" "$out" "$may_skip"
	if [ "$(cat "$out/result")" = pass ]; then
		tap_result ok "$kver: VM run clean (verdict, TAP, kernel log)"
	else
		sed 's/^/# /' "$out/result"
		grep -aE -A20 'WARNING:|BUG:|Oops|Kernel panic|KASAN|kmemleak' \
			"$out/console.log" | head -n 80 | sed 's/^/# /'
		tap_result fail "$kver: VM run clean (verdict, TAP, kernel log)"
	fi
}

# Outside tools too big for the VM (promtool, tshark) judge, on the host,
# what the tests left in $TCPSESS_ARTIFACTS: each scripts/referee/NAME.sh
# takes the run's artifacts directory and fails if its files are missing.
run_referees()	# KVER ARTIFACTS_DIR
{
	local referee

	for referee in scripts/referee/*.sh; do
		[ -e "$referee" ] || continue
		step "$1: referee $(basename "$referee" .sh)" bash "$referee" "$2"
	done
}

# Tests whose referee is an outside tool's reading of the same traffic
# (conntrack's table, tshark's, nfdump's, Zeek's conventions): they check
# what tcpsess and its client make of TCP, which no debug option changes,
# and take a fifth of the debug kernel's time; every code path of the
# module they reach, the other tests reach too (the events and their
# counters: tcpsessctl_test.sh and update_test.sh; ipfix_flood_test.sh's
# 51000 flushed sessions, event_order_test.sh's and stress_test.sh's).
DEBUG_SKIPPED_TESTS="conntrack_test.sh replay_test.sh zeek_test.sh
	ipfix_test.sh ipfix_records_test.sh ipfix_flood_test.sh metrics_test.sh"

# The collection again on a kernel built to catch what Debian's let pass:
# KASAN, UBSAN, kmemleak, lockdep, PROVE_RCU, sleeping in atomic context,
# per-CPU access with preemption on, list corruption. The kernel is built
# once (about 6 minutes) and cached outside the repository. Everything runs
# a few times slower there: more memory for KASAN's shadow, and room in
# every limit. The module is a test build there, with race windows
# (module/race.h), so that event_order_test.sh stages its races rather
# than hoping for them; Debian's kernels get the module as shipped.
debug_suite()	# TESTS
{
	local dkver tests=,$1, name

	step "debug kernel: built (cached after the first time)" \
		bash -c "bash scripts/debug-kernel.sh >'$logdir/debug-kver'" ||
		return 1
	dkver=$(cat "$logdir/debug-kver")
	echo "# debug kernel: $dkver"
	for name in $DEBUG_SKIPPED_TESTS; do
		tests=${tests/,$name,/,}
	done
	tests=${tests#,}
	tests=${tests%,}
	step "build $dkver: tcpsess.ko with race windows, W=1, no warnings" \
		env TCPSESS_RACE_WINDOWS=1 bash scripts/build.sh "$dkver" &&
		vm_suite "$dkver" "$tests" 1536 3600 1800 "$KCSAN_ONLY_TESTS"
}

# The tests that make tcpsess's code meet itself on two CPUs: segments of
# one session from both, walkers beside the packet path, a growing table,
# floods, races held open, the lockless read, UPDATEs sent from the GC's
# walk beside the packet path, everything at once. The
# others add nothing the KCSAN kernel could see, only time.
KCSAN_TESTS=traffic_test.sh,netlink_test,pickup_test.sh,proc_churn_test.sh,table_growth_test.sh,event_order_test.sh,lockless_read_test.sh,update_test.sh,stress_test.sh

# Those tests once more on a kernel with the data race detector, which
# instruments tcpsess alone (debug-kernel.sh): a race between two of its
# accesses, one of them plain, is a splat and fails the run. Built once
# (about 6 minutes) and cached like the debug kernel.
kcsan_suite()
{
	local kkver

	step "KCSAN kernel: built (cached after the first time)" \
		bash -c "bash scripts/debug-kernel.sh kcsan >'$logdir/kcsan-kver'" ||
		return 1
	kkver=$(cat "$logdir/kcsan-kver")
	echo "# KCSAN kernel: $kkver"
	step "build $kkver: tcpsess.ko with race windows, W=1, no warnings" \
		env TCPSESS_RACE_WINDOWS=1 bash scripts/build.sh "$kkver" &&
		vm_suite "$kkver" "$KCSAN_TESTS" 1024 2400 900 ""
}

# Installs what the machine lacks; without it nothing else can run.
setup_or_bail_out()
{
	step "setup: packages, kernels, kselftest framework" bash scripts/setup.sh &&
		return 0
	echo "Bail out! setup failed"
	tap_summary
	exit 1
}

# The selftest collections, assembled where the initramfs takes them from.
build_selftests()
{
	step "build: selftests" tcpsess_build_selftests
}

# Ends the TAP stream: the plan, the summary line, and the exit status.
tap_summary()
{
	local summary="$passed passed, $failed failed"

	echo "1..$n"
	[ "$skipped" -eq 0 ] || summary+=", $skipped skipped"
	echo "$summary"
	[ "$failed" -eq 0 ]
}
