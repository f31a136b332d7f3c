#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Records the replay test's captures from real Linux TCP: boots a target
# kernel in the VM, where scripts/guest/record-pcaps.sh runs one tcpdump per
# kind of session and prints each capture as base64 between markers on the
# TAP serial port. Here they are decoded and written, as tcpdump wrote them,
# to selftests/tcpsess/pcaps/. (Their locally sent segments carry partial
# checksums, veth's offload: the selftests' build makes them whole before
# replaying.) SOURCES there says how each was made; update its kernel and
# date lines from what this prints.
#
# usage: record-pcaps.sh [KVER]   (default: the newest target kernel)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$TCPSESS_ROOT"

kver=${1:-$(tcpsess_kernels | tail -n 1)}
dest=selftests/tcpsess/pcaps
out=$TCPSESS_BUILD/record
suite=$TCPSESS_BUILD/selftests/record

bash scripts/build.sh "$kver"
tcpsess_build_selftests >/dev/null
mkdir -p "$suite"
cp scripts/guest/record-pcaps.sh "$suite/"
echo "timeout=300" >"$suite/settings"
bash scripts/mkinitramfs.sh "$kver" "$TCPSESS_BUILD/$kver/initramfs.cpio"
# Only this run's initramfs needs the recorder.
rm -rf "$suite"

if ! bash scripts/vm-run.sh "$kver" "$TCPSESS_BUILD/$kver/initramfs.cpio" record \
	record-pcaps.sh "$out" 600; then
	sed 's/^/record: /' "$out/result" >&2
	grep '^# record:' "$out/tap.txt" >&2 || true
	tcpsess_die "recording failed; the kernel log is in $out/console.log"
fi

# The runner prefixes what the guest prints with "# ".
sed -n 's/^# //p' "$out/tap.txt" >"$out/guest.txt"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpsess-record.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
	$1 == "pcap-begin" { name = $2; file = dir "/" name ".b64"; next }
	$1 == "pcap-end" { close(file); print name; name = ""; next }
	$1 == "pcap-what" { next }
	name != "" { print >file }
' "$out/guest.txt" >"$tmp/names"
[ -s "$tmp/names" ] || tcpsess_die "no capture in $out/tap.txt"

mkdir -p "$dest"
while read -r name; do
	base64 -d "$tmp/$name.b64" >"$dest/$name.pcap"
	echo "$dest/$name.pcap: $(tshark -r "$dest/$name.pcap" 2>/dev/null | wc -l) packets," \
		"$(grep "^pcap-begin $name\$" -A1 "$out/guest.txt" | sed -n 's/^pcap-what //p')"
done <"$tmp/names"
sed -n 's/^pcap-\(kernel\|date\) /\1: /p' "$out/guest.txt"
