#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Installs what a fresh Debian 12 machine lacks for building and testing
# tcpsess, extracts the kernel's kselftest framework and checkpatch, and
# promtool.
# Idempotent and quiet: a second run only checks.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

packages=(
	# kernels and headers under test
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# kselftest framework, checkpatch, debug configs
	linux-source-6.1 linux-source-6.12
	# build and lint; the debug kernel; the fuzzer
	build-essential sparse shellcheck libmnl-dev pkg-config
	flex bison bc libelf-dev libssl-dev
	clang libclang-rt-14-dev
	# the VM and what goes into its initramfs
	qemu-system-x86 busybox-static iproute2 kmod cpio xz-utils zstd
	coreutils bash
	# lib.mk's install assembles the selftest collections with it
	rsync
	# captures (recorded, rewritten, replayed, read independently), the
	# conntrack differential, the benchmark's load generators
	tcpdump tcpreplay tshark conntrack nftables iperf3 netsniff-ng
	# the IPFIX export's collector, and offloads off for exact captures
	nfdump ethtool
)

missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
		grep -q 'install ok installed' || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || tcpsess_die "need root to install: ${missing[*]}"
	echo "# setup: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" \
		>"${TMPDIR:-/tmp}/tcpsess-apt.log" 2>&1 ||
		{ tail -n 30 "${TMPDIR:-/tmp}/tcpsess-apt.log" >&2; exit 1; }
fi

# Extract only the files we use from the source tarball, keyed by the
# package version so that an upgrade re-extracts, and by the list itself so
# that a file added to it is extracted on a machine already set up.
ksrc=$(tcpsess_ksrc)
version=$(dpkg-query -W -f='${Version}' "$TCPSESS_SOURCE_PKG")
ksrc_files=(
	# the kselftest framework: headers, lib.mk and the runner it calls
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest
	tools/testing/selftests/lib.mk
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)
[ "$(cat "$ksrc/.version" 2>/dev/null)" = "$version" ] || rm -rf "$ksrc"
extract=()
for f in "${ksrc_files[@]}"; do
	[ -e "$ksrc/$f" ] || extract+=("$TCPSESS_SOURCE_PKG/$f")
done
if [ ${#extract[@]} -gt 0 ]; then
	echo "# setup: extracting kselftest and checkpatch from $TCPSESS_SOURCE_PKG $version"
	mkdir -p "$ksrc"
	tar -xJf "/usr/src/$TCPSESS_SOURCE_PKG.tar.xz" -C "$ksrc" \
		--strip-components=1 "${extract[@]}"
	echo "$version" >"$ksrc/.version"
fi

# promtool judges the metrics (the client's unit tests, the promtool
# referee). Installing Debian's prometheus package would also enable and,
# where systemd runs, start a Prometheus server: take only the one binary.
promtool=$(tcpsess_promtool)
if [ ! -x "$promtool" ]; then
	echo "# setup: extracting promtool from Debian's prometheus package"
	deb=$(mktemp -d)
	log=${TMPDIR:-/tmp}/tcpsess-apt.log
	{ (cd "$deb" && apt-get download prometheus) ||
		{ apt-get update -qq && (cd "$deb" && apt-get download prometheus); }
	} >"$log" 2>&1 || { tail -n 30 "$log" >&2; rm -rf "$deb"; exit 1; }
	dpkg-deb --fsys-tarfile "$deb"/prometheus_*.deb |
		tar -x -C "$deb" ./usr/bin/promtool
	mkdir -p "$(dirname "$promtool")"
	mv "$deb/usr/bin/promtool" "$promtool"
	rm -rf "$deb"
fi

for kver in $(tcpsess_kernels); do
	[ -r "/boot/vmlinuz-$kver" ] || tcpsess_die "missing /boot/vmlinuz-$kver"
	[ -d "$(tcpsess_kdir "$kver")" ] || tcpsess_die "missing headers for $kver"
done
