#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: builds tcpsess and the benchmark for one kernel, boots it once
# under QEMU and measures no tracker, tcpsess and conntrack side by side,
# interleaved (see Documentation/benchmarks.md). Prints the table, the targets
# and a final "BENCH-JSON {...}" line on stdout; progress goes to stderr.
#
# usage: bench.sh [--smoke]
#   --smoke              tiny counts, one repetition, a few minutes: proves
#                        the benchmark still runs and reports every figure
#                        (make check runs it); fails otherwise
#   TCPSESS_BENCH_KVER   the kernel (default: the newest target kernel)
#   TCPSESS_BENCH_REPS   repetitions (default: 5, smoke 1)
#   TCPSESS_BENCH_CLOCK  icount (default; one vCPU on 6.1): the guest's clock
#                        counts the instructions it runs, so no load on the
#                        host can change a figure; real: plain TCG, host time
#   TCPSESS_BENCH_PROFILE=1  also profile the flood in each configuration
#                        with perf inside the VM, and print the profiles
set -uo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TCPSESS_ROOT" || exit 1

smoke=0
case ${1:-} in
--smoke) smoke=1 ;;
"") ;;
*) tcpsess_die "usage: bench.sh [--smoke]" ;;
esac

say()
{
	echo "bench: $*" >&2
}

# Building is quiet unless it fails.
quietly()
{
	local log

	log=$(mktemp "${TMPDIR:-/tmp}/tcpsess-bench.XXXXXX")
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		rm -f "$log"
		tcpsess_die "bench: failed: $*"
	fi
	rm -f "$log"
}

say "setting up"
quietly bash scripts/setup.sh
kver=${TCPSESS_BENCH_KVER:-$(tcpsess_kernels | tail -n 1)}
[ -n "$kver" ] || tcpsess_die "no target kernel"
initrd=$TCPSESS_BUILD/$kver/initramfs.cpio
say "building tcpsess and the benchmark for $kver"
quietly bash scripts/build.sh "$kver"
quietly tcpsess_build_selftests
suite=$TCPSESS_BUILD/selftests/bench
quietly make -C tools/bench OUTPUT="$suite"
rm -f "$suite/perf"
[ "${TCPSESS_BENCH_PROFILE:-0}" != 1 ] || cp /usr/bin/perf "$suite/perf"
quietly bash scripts/mkinitramfs.sh "$kver" "$initrd"

# 1,000,000 sessions need a few hundred MB; slab_nomerge keeps the module's
# slab cache on a line of its own in /proc/slabinfo.
mem=3072
append="slab_nomerge bench_smoke=$smoke bench_profile=${TCPSESS_BENCH_PROFILE:-0}"
[ -z "${TCPSESS_BENCH_REPS:-}" ] || append+=" bench_reps=$TCPSESS_BENCH_REPS"
# With -icount, guest time is instructions x 2^shift ns. Both vCPUs then
# take turns on one host thread, so the guest's whole work is what counts.
# Debian's 6.1 never brings up its second CPU under QEMU 7.2's -icount, so
# it gets one: the flood's poller then shares the flood's CPU, in every
# configuration alike. TCPSESS_BENCH_CLOCK=real keeps two on the host's
# clock.
icount_shift=2
clock=${TCPSESS_BENCH_CLOCK:-icount}
smp=2
case $clock in
icount)
	qemu_args="-icount shift=$icount_shift"
	case $kver in
	6.1.*) smp=1 ;;
	esac
	;;
real) qemu_args="" icount_shift="" ;;
*) tcpsess_die "TCPSESS_BENCH_CLOCK must be icount or real" ;;
esac
vm="QEMU TCG, $smp vCPUs, $mem MB, clock: $clock"
if [ "$smoke" = 1 ]; then
	out=$TCPSESS_BUILD/bench-smoke limit=900
	say "booting $kver for a smoke run ($vm)"
else
	out=$TCPSESS_BUILD/bench limit=3600
	say "booting $kver ($vm); 5 to 20 minutes"
fi
mkdir -p "$out"
rm -f "$out/console.log"

TCPSESS_VM_MEM=$mem TCPSESS_VM_SMP=$smp TCPSESS_VM_APPEND=$append TCPSESS_VM_QEMU_ARGS=$qemu_args \
	bash scripts/vm-run.sh "$kver" "$initrd" bench bench.sh "$out" "$limit" >&2 &
vm=$!
# Progress as the guest reports it, through the kernel log: the runner's
# output reaches the second serial port only in blocks.
tail -F -n +1 --pid="$vm" "$out/console.log" 2>/dev/null | tr -d '\r' |
	sed -un 's/^\[[^]]*\] bench: /bench: /p' >&2 &
follower=$!
status=0
wait "$vm" || status=$?
wait "$follower"

if [ "$status" -ne 0 ]; then
	sed -n 's/^# bench: FAIL/bench: FAIL/p; s/^# bench:   /bench:   /p' \
		"$out/tap.txt" >&2
	sed 's/^/bench: /' "$out/result" >&2
	say "the kernel log is in $out/console.log, the guest's output in $out/tap.txt"
	exit 1
fi
sed -n 's/^# profile: /profile: /p' "$out/tap.txt"
report=$({
	echo "clock ${icount_shift:-real}"
	sed -n 's/^# BENCH //p' "$out/tap.txt"
} | bash scripts/bench-report.sh "$(date -u '+%Y-%m-%d %H:%M UTC')")
echo "$report"
if [ "$smoke" = 1 ] && ! bash scripts/bench-report.sh --check <<<"$report" >&2; then
	say "smoke run: the report is incomplete"
	exit 1
fi
