#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Builds the test VM's initramfs for one kernel: busybox, the real tools the
# tests call (with their shared libraries), the kernel modules they need,
# tcpsess.ko and the built selftests.
#
# usage: mkinitramfs.sh KVER OUTPUT.cpio
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=$1
output=$2
root=$(mktemp -d "${TMPDIR:-/tmp}/tcpsess-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"

# Tools called by full path inside the guest; busybox provides the rest.
guest_binaries=(
	/usr/bin/bash /usr/bin/timeout /usr/bin/kmod /usr/bin/stty
	/usr/sbin/ip /usr/bin/ss /usr/bin/setpriv /usr/bin/unshare
	/usr/bin/tcpdump /usr/bin/tcpreplay
	/usr/sbin/nft /usr/sbin/conntrack
	/usr/bin/iperf3 /usr/sbin/trafgen
	/usr/bin/nfcapd /usr/bin/nfdump /usr/sbin/ethtool
)
# Kernel modules the tests load, with their dependencies resolved by kmod
# (a kernel that builds one in lists it as "builtin", which is skipped).
guest_kmods=(veth nft_ct nf_conntrack_netlink nf_defrag_ipv4 nf_defrag_ipv6
	nft_nat nft_chain_nat nft_masq nft_redir)
# Wanted where the kernel has them: nfnetlink_hook lets the benchmark show
# which hooks a namespace really has (nft list hooks; 6.1 lacks it).
if modinfo -k "$kver" nfnetlink_hook >/dev/null 2>&1; then
	guest_kmods+=(nfnetlink_hook)
fi

copy_file()
{
	local src=$1 dst=$root$1

	mkdir -p "$(dirname "$dst")"
	[ -e "$dst" ] || cp -L "$src" "$dst"
}

copy_binary()
{
	local bin=$1 lib

	copy_file "$bin"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		copy_file "$lib"
	done
}

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,kselftest}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
# Debian's merged /usr makes /bin/bash work on the host; scripts rely on it.
ln -s ../usr/bin/bash "$root/bin/bash"
for bin in "${guest_binaries[@]}"; do
	copy_binary "$bin"
done
# glibc's pthread_exit() loads it at run time, so ldd does not name it:
# nfcapd's threads end through it.
libdir=$(dirname "$(ldd /usr/bin/bash | grep -o '/[^ ]*/libc\.so\.6')")
copy_file "$libdir/libgcc_s.so.1"
for tool in insmod rmmod modprobe lsmod modinfo depmod; do
	ln -s ../bin/kmod "$root/usr/sbin/$tool"
done
# The kernel's request_module() runs /sbin/modprobe.
ln -s ../usr/sbin/modprobe "$root/sbin/modprobe"
echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
echo "root:x:0:" >"$root/etc/group"

moddir=/lib/modules/$kver
mkdir -p "$root$moddir"
cp "$moddir"/modules.{order,builtin,builtin.modinfo} "$root$moddir/"
for mod in "${guest_kmods[@]}"; do
	modprobe -S "$kver" --show-depends "$mod" | awk '$1 == "insmod" { print $2 }'
done | sort -u | while read -r ko; do
	dst=$root${ko%.xz}
	dst=${dst%.zst}
	mkdir -p "$(dirname "$dst")"
	case $ko in
	*.xz) xz -dc "$ko" >"$dst" ;;
	*.zst) zstd -qdc "$ko" >"$dst" ;;
	*) cp "$ko" "$dst" ;;
	esac
done
depmod -b "$root" "$kver"

ksrc=$(tcpsess_ksrc)/tools/testing/selftests
mkdir -p "$root/kselftest/kselftest"
cp "$ksrc"/kselftest/{runner.sh,prefix.pl,ktap_helpers.sh} "$root/kselftest/kselftest/"
cp -r "$TCPSESS_BUILD/selftests/." "$root/kselftest/"
# The tests' own programs bring their libraries too (tcpsessctl: libmnl).
while read -r exe; do
	for lib in $(ldd "$exe" 2>/dev/null | grep -o '/[^ ]*'); do
		copy_file "$lib"
	done
done < <(find "$root/kselftest" -type f -perm -u+x)
cp "$TCPSESS_BUILD/$kver/src/module/tcpsess.ko" "$root/kselftest/tcpsess/"
cp "$TCPSESS_BUILD/$kver/harness/tcpsess_harness_warn.ko" "$root/kselftest/harness/"
cp "$TCPSESS_ROOT/scripts/guest/run-suite.sh" "$root/kselftest/"
install -m 0755 "$TCPSESS_ROOT/scripts/guest/init" "$root/init"

mkdir -p "$(dirname "$output")"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$output.tmp"
mv "$output.tmp" "$output"
