#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compat.h must refuse a kernel whose generic netlink cannot limit who joins
# a multicast group (no GENL_MCAST_CAP_NET_ADMIN): built there, the module
# would show every connection of a namespace to anyone who listens to its
# events. It is preprocessed against two stand-ins for <net/genetlink.h>,
# one with the flag, which must pass, and one without, which must fail
# and say why.
#
# usage: compat_test COMPAT_H
set -u
compat=$1 failed=0
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
mkdir -p "$stub/with/net" "$stub/without/net"
echo '#define GENL_MCAST_CAP_NET_ADMIN 0x1' >"$stub/with/net/genetlink.h"
: >"$stub/without/net/genetlink.h"

preprocess()	# STUB
{
	"${CC:-cc}" -E -P -nostdinc -I"$stub/$1" -x c "$compat" -o /dev/null \
		2>"$stub/err"
}

result()	# STATUS DESCRIPTION
{
	if [ "$1" = ok ]; then
		echo "ok $2"
	else
		sed 's/^/# /' "$stub/err"
		echo "not ok $2"
		failed=1
	fi
}

echo "TAP version 13"
echo "1..2"
if preprocess with; then
	result ok "1 a kernel with GENL_MCAST_CAP_NET_ADMIN builds"
else
	result fail "1 a kernel with GENL_MCAST_CAP_NET_ADMIN builds"
fi
if ! preprocess without && grep -q GENL_MCAST_CAP_NET_ADMIN "$stub/err"; then
	result ok "2 a kernel without it is refused, and told why"
else
	result fail "2 a kernel without it is refused, and told why"
fi
exit "$failed"
