#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: on a fresh machine, sets up, builds, boots the newest target
# kernel with tcpsess and shows it tracking real traffic.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TCPSESS_ROOT"

echo "Setting up (packages, kernels; the first run takes a few minutes)..."
bash scripts/setup.sh
kver=$(tcpsess_kernels | tail -n 1)
echo "Building tcpsess for $kver..."
bash scripts/build.sh "$kver"
tcpsess_build_selftests >/dev/null
mkdir -p "$TCPSESS_BUILD/selftests/demo"
cp scripts/guest/demo.sh "$TCPSESS_BUILD/selftests/demo/"
echo "timeout=300" >"$TCPSESS_BUILD/selftests/demo/settings"
bash scripts/mkinitramfs.sh "$kver" "$TCPSESS_BUILD/$kver/initramfs.cpio"

echo "Booting $kver under QEMU (TCG, two CPUs)..."
out=$TCPSESS_BUILD/demo
status=0
bash scripts/vm-run.sh "$kver" "$TCPSESS_BUILD/$kver/initramfs.cpio" demo demo.sh \
	"$out" 600 || status=$?
# The guest's runner prefixes what the demo prints with "# ".
sed -n 's/^# //p' "$out/tap.txt" | grep -v '^timeout set to\|^selftests: \|^tainted='
if [ "$status" -ne 0 ]; then
	sed 's/^/demo: /' "$out/result" >&2
	echo "demo: the kernel log is in $out/console.log" >&2
fi
exit "$status"
