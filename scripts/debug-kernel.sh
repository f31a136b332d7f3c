#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds a debug kernel from Debian's linux-source-6.12, once: the build is
# cached outside the repo, keyed by the source version and every input of
# the configuration. It is registered like an installed kernel
# (/lib/modules/KVER/build), so the other scripts build for it and boot it
# as they do Debian's kernels. Two flavours:
#   debug  KASAN, UBSAN, kmemleak, lockdep, PROVE_RCU, ... (debug.config)
#   kcsan  the data race detector, which excludes KASAN (debug.config, then
#          kcsan.config). Only modules built for it are instrumented: the
#          kernel's own benign races would drown tcpsess's.
#
# usage: debug-kernel.sh [debug|kcsan]    prints the kernel's release
set -euo pipefail
. "$(dirname "$0")/lib.sh"

flavour=${1:-debug}
src_pkg=linux-source-6.12
# Bump when the way the kernel is built changes (not its configuration,
# which is hashed as it is).
recipe=2
fragments=("$TCPSESS_ROOT/selftests/tcpsess/config" "$TCPSESS_ROOT/scripts/debug.config")
make_args=()
case $flavour in
debug) ;;
kcsan)
	fragments+=("$TCPSESS_ROOT/scripts/kcsan.config")
	# On the command line, it overrides every directory's own setting.
	make_args+=(KCSAN_SANITIZE=n)
	;;
*) tcpsess_die "debug-kernel.sh: no flavour $flavour" ;;
esac
version=$(dpkg-query -W -f='${Version}' "$src_pkg")
# The debug flavour's key predates flavours: it hashes what it always did.
key=$( { echo "$recipe $version ${make_args[*]}" | sed 's/ $//'
	 cat "${fragments[@]:1}" "${fragments[0]}"; } | sha256sum | cut -c1-16)
dir=$TCPSESS_CACHE/debug-kernel/$key
out=$dir/build

if [ ! -e "$dir/done" ]; then
	echo "# $flavour kernel $key: building from $src_pkg $version (5 to 10 minutes)" >&2
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xJf "/usr/src/$src_pkg.tar.xz" -C "$dir"
	srcdir=$dir/$src_pkg
	# allnoconfig with the fragments as its answers, so nothing else needs
	# resolving afterwards; ours after the selftests': they build in what
	# the selftests' fragment makes modules.
	mkdir -p "$out"
	(cd "$srcdir" && scripts/kconfig/merge_config.sh -n -O "$out" \
		"${fragments[@]}") >/dev/null
	# Every option we asked for must have survived its dependencies; a
	# later fragment may take back an earlier one's.
	for frag in "${fragments[@]:1}"; do
		grep -oE '^CONFIG_[A-Z0-9_]+=y' "$frag" || true
	done | while read -r opt; do
		grep -qx "# ${opt%=y} is not set" "${fragments[@]:2}" /dev/null &&
			continue
		grep -qx "$opt" "$out/.config" ||
			tcpsess_die "$flavour kernel: $opt did not stick (check its dependencies)"
	done
	nice make -s -C "$srcdir" O="$out" -j"$(nproc)" "${make_args[@]}" all >&2
	touch "$dir/done"
fi

kver=$(make -s -C "$dir/$src_pkg" O="$out" kernelrelease)
# Registered where the other scripts look for a kernel.
mkdir -p "/lib/modules/$kver" "$TCPSESS_CACHE/kernels/$kver"
ln -sfn "$out" "/lib/modules/$kver/build"
cp "$out/modules.order" "$out/modules.builtin" "$out/modules.builtin.modinfo" \
	"/lib/modules/$kver/"
depmod "$kver"
ln -sfn "$out/arch/x86/boot/bzImage" "$TCPSESS_CACHE/kernels/$kver/vmlinuz"
echo "$kver"
