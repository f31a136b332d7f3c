# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# Shared by the host-side scripts: where things are, which kernels we target.

TCPSESS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TCPSESS_BUILD=${TCPSESS_BUILD:-$TCPSESS_ROOT/build}
# Outside the repository so that a fresh clone reuses what was extracted.
TCPSESS_CACHE=${TCPSESS_CACHE:-/var/cache/tcpsess}

# The kselftest framework and checkpatch come from this source package.
TCPSESS_SOURCE_PKG=linux-source-6.12

# Resolve a kernel metapackage to the ABI it currently pulls in, so that a
# Debian point release never leaves us testing a kernel nobody installs.
tcpsess_kernel_of_metapackage()
{
	dpkg-query -W -f='${Depends}' "$1" 2>/dev/null |
		grep -o 'linux-image-[^ ,]*' | head -n 1 | sed 's/^linux-image-//'
}

# The target kernels, oldest first; TCPSESS_KERNELS overrides the list.
tcpsess_kernels()
{
	local meta kver

	if [ -n "${TCPSESS_KERNELS:-}" ]; then
		echo "$TCPSESS_KERNELS"
		return
	fi
	for meta in linux-image-amd64 linux-image-6.12-amd64; do
		kver=$(tcpsess_kernel_of_metapackage "$meta")
		[ -n "$kver" ] || { echo "error: $meta is not installed" >&2; return 1; }
		echo "$kver"
	done
}

tcpsess_kdir()
{
	echo "/lib/modules/$1/build"
}

# Kernels we built ourselves (the debug kernel) keep their image in the cache.
tcpsess_vmlinuz()
{
	if [ -e "$TCPSESS_CACHE/kernels/$1/vmlinuz" ]; then
		echo "$TCPSESS_CACHE/kernels/$1/vmlinuz"
	else
		echo "/boot/vmlinuz-$1"
	fi
}

# Where the kernel's own selftest framework and checkpatch were extracted.
tcpsess_ksrc()
{
	echo "$TCPSESS_CACHE/$TCPSESS_SOURCE_PKG"
}

# promtool, Prometheus' linter: the machine's own, or the one setup.sh
# extracts.
tcpsess_promtool()
{
	command -v promtool 2>/dev/null || echo "$TCPSESS_CACHE/promtool/promtool"
}

# Builds the selftest collections with the kernel's lib.mk, objects in
# $TCPSESS_BUILD/obj, and installs each afresh where the initramfs takes it
# from: $TCPSESS_BUILD/selftests/NAME.
tcpsess_build_selftests()
{
	local ksft suite

	ksft=$(tcpsess_ksrc)/tools/testing/selftests
	for suite in tcpsess harness; do
		rm -rf "$TCPSESS_BUILD/selftests/$suite"
		make -C "$TCPSESS_ROOT/selftests/$suite" KSFT_DIR="$ksft" \
			OUTPUT="$TCPSESS_BUILD/obj/selftests/$suite" \
			INSTALL_PATH="$TCPSESS_BUILD/selftests/$suite" install ||
			return 1
	done
}

tcpsess_die()
{
	echo "error: $*" >&2
	exit 1
}
