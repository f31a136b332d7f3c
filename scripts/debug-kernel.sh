#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the debug kernel (KASAN, KMEMLEAK, lockdep, PROVE_RCU, ...) from
# Debian's linux-source-6.12, once: the build is cached outside the repo,
# keyed by the source version and every input of the configuration. It is
# registered like an installed kernel (/lib/modules/KVER/build), so the
# other scripts build for it and boot it as they do Debian's kernels.
#
# usage: debug-kernel.sh    prints the debug kernel's release on stdout
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src_pkg=linux-source-6.12
# Bump when the way the kernel is built changes (not its configuration,
# which is hashed as it is).
recipe=2
version=$(dpkg-query -W -f='${Version}' "$src_pkg")
key=$( { echo "$recipe $version"; cat "$TCPSESS_ROOT/scripts/debug.config" \
	"$TCPSESS_ROOT/selftests/tcpsess/config"; } | sha256sum | cut -c1-16)
dir=$TCPSESS_CACHE/debug-kernel/$key
out=$dir/build

if [ ! -e "$dir/done" ]; then
	echo "# debug kernel $key: building from $src_pkg $version (about 20 minutes)" >&2
	rm -rf "$dir"
	mkdir -p "$dir"
	tar -xJf "/usr/src/$src_pkg.tar.xz" -C "$dir"
	srcdir=$dir/$src_pkg
	# allnoconfig with the fragments as its answers, so nothing else needs
	# resolving afterwards; ours last: it builds in what the selftests'
	# fragment makes modules.
	mkdir -p "$out"
	(cd "$srcdir" && scripts/kconfig/merge_config.sh -n -O "$out" \
		"$TCPSESS_ROOT/selftests/tcpsess/config" \
		"$TCPSESS_ROOT/scripts/debug.config") >/dev/null
	# Every option we asked for must have survived its dependencies.
	grep -oE '^CONFIG_[A-Z0-9_]+=y' "$TCPSESS_ROOT/scripts/debug.config" |
		while read -r opt; do
			grep -qx "$opt" "$out/.config" ||
				tcpsess_die "debug kernel: $opt did not stick (check its dependencies)"
		done
	nice make -s -C "$srcdir" O="$out" -j"$(nproc)" all >&2
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
