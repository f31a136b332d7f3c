#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots one kernel under QEMU (TCG, two CPUs unless TCPSESS_VM_SMP says),
# runs one selftest collection and judges the run. It passes only when all
# three agree:
#  - the guest wrote a passing verdict to isa-debug-exit (a panic, reboot
#    or hang never does: the kernel boots with panic_on_warn=1 and
#    panic=-1, and QEMU with -no-reboot);
#  - the TAP on the second serial port has every planned test "ok";
#  - the kernel log on the first serial port has no splat.
#
# usage: vm-run.sh KVER INITRAMFS SUITE TESTS OUTDIR [TIMEOUT]
#   TESTS is comma-separated; OUTDIR receives console.log, tap.txt, result,
#   and artifacts/: what the tests left in $TCPSESS_ARTIFACTS for the host.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kver=$1 initrd=$2 suite=$3 tests=$4 outdir=$5 limit=${6:-1200}
vmlinuz=${TCPSESS_VMLINUZ:-$(tcpsess_vmlinuz "$kver")}
mem=${TCPSESS_VM_MEM:-1024}
smp=${TCPSESS_VM_SMP:-2}
# More QEMU options, split on spaces (the benchmark's -icount).
read -ra qemu_extra <<<"${TCPSESS_VM_QEMU_ARGS:-}"

# What the kernel prints when something went wrong, whatever the config.
splat_pattern='WARNING:|BUG:|Oops|KASAN|UBSAN|general protection fault|Kernel panic|kernel BUG|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|RCU detected stall|rcu_sched self-detected stall|soft lockup|hung_task|kmemleak: [0-9]+ new suspected|Call Trace:'

mkdir -p "$outdir"
rm -rf "$outdir"/{console.log,tap.raw,tap.txt,result,artifacts.b64,artifacts}

started=$SECONDS
timeout -k 10 "$limit" qemu-system-x86_64 \
	-accel tcg -cpu max -smp "$smp" -m "$mem" \
	-nodefaults -display none -monitor none -no-reboot \
	-kernel "$vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 panic_on_warn=1 oops=panic loglevel=7 ${TCPSESS_VM_APPEND:-} ksft_suite=$suite ksft_tests=$tests" \
	-serial "file:$outdir/console.log" -serial "file:$outdir/tap.raw" \
	-serial "file:$outdir/artifacts.b64" \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 "${qemu_extra[@]}"
qemu_rc=$?
# Judged by the clock too: how timeout reports a kill varies with how it runs.
[ $((SECONDS - started)) -lt "$limit" ] || qemu_rc=124

tr -d '\r' <"$outdir/tap.raw" >"$outdir/tap.txt" 2>/dev/null
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$outdir/tap.txt" | head -n 1)
passed=$(grep -c '^ok ' "$outdir/tap.txt")
failed=$(grep -c '^not ok ' "$outdir/tap.txt")

reasons=()
# What the tests left for the host's referees (scripts/referee/).
mkdir -p "$outdir/artifacts"
if [ -s "$outdir/artifacts.b64" ] &&
	! base64 -di "$outdir/artifacts.b64" | tar -x -C "$outdir/artifacts"; then
	reasons+=("artifacts from the guest do not decode")
fi
case $qemu_rc in
33) ;;
35) reasons+=("guest verdict: fail") ;;
124|137) reasons+=("guest hung: killed after ${limit}s") ;;
*) reasons+=("no guest verdict (QEMU exit $qemu_rc: panic, reboot or crash)") ;;
esac
if [ -z "$planned" ]; then
	reasons+=("no TAP plan from the guest")
elif [ "$failed" -gt 0 ] || [ "$passed" -ne "$planned" ]; then
	reasons+=("TAP: $passed of $planned ok, $failed not ok")
fi
splat=$(grep -aE "$splat_pattern" "$outdir/console.log" | head -n 5)
[ -z "$splat" ] || reasons+=("kernel log splat: $(echo "$splat" | head -n 1)")

if [ ${#reasons[@]} -eq 0 ]; then
	echo "pass" >"$outdir/result"
	exit 0
fi
printf 'fail: %s\n' "${reasons[@]}" >"$outdir/result"
exit 1
