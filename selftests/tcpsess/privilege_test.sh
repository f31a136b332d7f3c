#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Who may see and change what (SPEC sections 4 to 6). A user without
# CAP_NET_ADMIN reads the counters and the configuration but not the
# sessions, from /proc or over netlink, nor the events. A user namespace
# of its own gives the capability over a network namespace of its own:
# there it reads its sessions and changes its settings, but cannot raise
# max_sessions past the module parameter. And max_sessions_total bounds
# the sessions of all namespaces together.
. "$(dirname "$0")/lib.sh"

NOBODY=(/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
# uid 0, so the sessions file's mode lets it open: only the capability is missing.
NO_NET_ADMIN=(/usr/bin/setpriv --inh-caps=-net_admin --bounding-set=-net_admin)
TOTAL=30
ktap_print_header
require_tools /usr/bin/setpriv /usr/bin/unshare

tcpsess_load max_sessions_total=$TOTAL "${TCPSESS_NO_EXPIRY[@]}" ||
	ktap_exit_fail_msg "insmod failed"
inj=$(ns_new inj)
a=$(ns_new a)
b=$(ns_new b)
c=$(ns_new c)
veth_pair "$inj" "$a" 2 || ktap_exit_fail_msg "veth setup failed"
veth_pair "$inj" "$b" 3
veth_pair "$inj" "$c" 4
has() { [[ $1 == *"$2"* ]]; }
lacks() { [[ $1 != *"$2"* ]]; }
a_mac=$(mac_of "$a" v2b)
b_mac=$(mac_of "$b" v3b)
c_mac=$(mac_of "$c" v4b)

# handshakes IFACE DST_MAC FIRST LAST: an established session per port,
# 192.0.2.1:PORT to 192.0.2.2:80.
handshakes()
{
	local port

	for port in $(seq "$3" "$4"); do
		$IP netns exec "$inj" "$TCPCRAFT" -i "$1" --dst-mac "$2" \
			-a "192.0.2.1:$port" -b 192.0.2.2:80 <<-END
			o S seq=1000
			r SA seq=5000 ack=1001
			o A seq=1001 ack=5001
		END
	done
}

# --- without CAP_NET_ADMIN: the counters, not the sessions -------------------------
handshakes v2a "$a_mac" 1000 1004
expect_eq "set-up: sessions to hide" 5 "$(stat_of "$a" sessions_active)"

nobody() { $IP netns exec "$a" "${NOBODY[@]}" "$@"; }
out=$(nobody cat /proc/net/tcpsess/stats)
expect_eq "unprivileged: /proc stats readable" 5 \
	"$(echo "$out" | awk '$1 == "sessions_active" { print $2 }')"
out=$(nobody cat /proc/net/tcpsess/sessions 2>&1)
expect_eq "unprivileged: /proc sessions refused" 1 $?
check "unprivileged: /proc sessions shows no session" lacks "$out" 192.0.2.1
out=$($IP netns exec "$a" "${NO_NET_ADMIN[@]}" cat /proc/net/tcpsess/sessions 2>&1)
expect_eq "uid 0 without CAP_NET_ADMIN: /proc sessions refused" 1 $?
echo "# $out"
check "uid 0 without CAP_NET_ADMIN: says Operation not permitted" \
	has "$out" "Operation not permitted"
check "uid 0 without CAP_NET_ADMIN: shows no session" lacks "$out" 192.0.2.1
$IP netns exec "$a" "${NO_NET_ADMIN[@]}" cat /proc/net/tcpsess/stats >/dev/null
expect_eq "uid 0 without CAP_NET_ADMIN: /proc stats readable" 0 $?
expect_eq "root: /proc sessions readable" 5 \
	"$(sessions "$a" | grep -c ' 192\.0\.2\.1 ')"

nobody "$CTL" stats >/dev/null
expect_eq "unprivileged: tcpsessctl stats works" 0 $?
expect_eq "unprivileged: tcpsessctl config works" "max_sessions 262144" \
	"$(nobody "$CTL" config max_sessions)"
out=$(nobody "$CTL" list 2>&1)
expect_eq "unprivileged: tcpsessctl list refused, exit 1" 1 $?
echo "# $out"
check "unprivileged: list says permission denied" has "$out" "permission denied"
check "unprivileged: list shows no session" lacks "$out" 192.0.2.1
out=$(nobody "$CTL" monitor --count 1 2>&1)
expect_eq "unprivileged: tcpsessctl monitor refused, exit 1" 1 $?
check "unprivileged: monitor says permission denied" has "$out" "permission denied"

# --- max_sessions_total: all namespaces together -----------------------------------
# a holds 5 established sessions; b gets 10 more. Then SYN floods into a and
# b at once take the rest: each namespace may evict its own unestablished
# sessions for new ones, and the sum stays exactly at the bound.
handshakes v3a "$b_mac" 1000 1009
expect_eq "total: 15 established before the floods" 15 \
	$(($(stat_of "$a" sessions_active) + $(stat_of "$b" sessions_active)))
craft_per_port "$inj" v2a "$a_mac" 198.51.100.1 192.0.2.2:80 S 2000 2199 &
flood_a=$!
craft_per_port "$inj" v3a "$b_mac" 198.51.100.2 192.0.2.2:80 S 2000 2199 &
flood_b=$!
wait $flood_a $flood_b
active_a=$(stat_of "$a" sessions_active)
active_b=$(stat_of "$b" sessions_active)
echo "# after the floods: a $active_a, b $active_b; evicted a $(stat_of "$a" ended_evicted), b $(stat_of "$b" ended_evicted); table_full a $(stat_of "$a" table_full), b $(stat_of "$b" table_full)"
expect_eq "total: the sum is exactly max_sessions_total" $TOTAL $((active_a + active_b))
expect_eq "total: established sessions kept" "5 10" \
	"$(stat_of "$a" state_established) $(stat_of "$b" state_established)"
# Every new tuple was either made (and perhaps evicted later) or refused:
# a saw 5 handshakes and 200 SYNs, b 10 and 200.
for ns_tuples in "$a 205" "$b 210"; do
	read -r ns tuples <<<"$ns_tuples"
	n=${ns#"$NS_PREFIX"-}
	created=$(stat_of "$ns" sessions_created)
	expect_eq "total, $n: every SYN made a session or counted table_full" \
		"$tuples" $((created + $(stat_of "$ns" table_full)))
	expect_eq "total, $n: what was made is active or evicted" "$created" \
		$(($(stat_of "$ns" sessions_active) + $(stat_of "$ns" ended_evicted)))
done

# c holds nothing it could evict: it may not take a slot from a or b.
craft_per_port "$inj" v4a "$c_mac" 198.51.100.3 192.0.2.2:80 S 3000 3002
expect_eq "total: a namespace with nothing to evict gets no session" \
	"0 3" "$(stat_of "$c" sessions_active) $(stat_of "$c" table_full)"
expect_eq "total: the others keep theirs" $TOTAL \
	$(($(stat_of "$a" sessions_active) + $(stat_of "$b" sessions_active)))
# Slots come back when sessions end.
$IP netns exec "$b" "$CTL" flush
craft_per_port "$inj" v4a "$c_mac" 198.51.100.3 192.0.2.2:80 S 3003 3004
expect_eq "total: ended sessions give their slots back" 2 "$(stat_of "$c" sessions_active)"

# --- a user namespace of its own ----------------------------------------------------
userns_ok=1
if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" != 1 ]; then
	echo "# kernel.unprivileged_userns_clone is off: turning it on for this test"
	echo 1 >/proc/sys/kernel/unprivileged_userns_clone || userns_ok=0
fi
[ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || userns_ok=0
if [ $userns_ok = 0 ]; then
	ktap_test_skip "unprivileged user namespaces are not available"
	tcpsess_finish
	exit 0
fi

tcpsess_load max_sessions=1000 "${TCPSESS_NO_EXPIRY[@]}"
script=$(mktemp /tmp/tcpsess-userns.XXXXXX)
# Each step prints "NAME RESULT" for the checks below.
cat >"$script" <<'END'
echo "uid $(id -u)"
/usr/sbin/ip link set lo up
echo "show $("$CTL" config max_sessions)"
"$CTL" config max_sessions=500 timeout_established=600
echo "lower $?"
echo "lowered $("$CTL" config max_sessions timeout_established | tr '\n' ' ')"
"$CTL" config report_interval=1
echo "report $?"
echo "reported $("$CTL" config report_interval)"
out=$("$CTL" config max_sessions=1001 2>&1)
echo "raise $?"
echo "raise_msg $out"
"$CTL" config max_sessions=5000 timeout_established=700 2>/dev/null
echo "raise_with_timeout $?"
echo "after $("$CTL" config max_sessions timeout_established | tr '\n' ' ')"
"$CTL" config max_sessions=1000
echo "to_param $?"
"$TCPPEER" client -c 127.0.0.1 -p 9 --sport 40000 --timeout-ms 5000
echo "connect $?"
echo "list $("$CTL" list --json | grep -c '"sport":40000')"
echo "proc $(awk '$4 == 40000' /proc/net/tcpsess/sessions | grep -c .)"
END
chmod 0644 "$script"
out=$(CTL=$CTL TCPPEER=$TCPPEER "${NOBODY[@]}" /usr/bin/unshare -Urn /bin/bash "$script" 2>&1)
rm -f "$script"
while read -r line; do echo "# userns: $line"; done <<<"$out"
step() { echo "$out" | sed -n "s/^$1 //p"; }
expect_eq "userns: root of its own user namespace" 0 "$(step uid)"
expect_eq "userns: reads its config" "max_sessions 1000" "$(step show)"
expect_eq "userns: lowers max_sessions and sets a timeout" 0 "$(step lower)"
expect_eq "userns: lowered values read back" "max_sessions 500 timeout_established 600 " \
	"$(step lowered)"
expect_eq "userns: sets report_interval (its own events, at its own event_rate)" 0 \
	"$(step report)"
expect_eq "userns: report_interval reads back" "report_interval 1" "$(step reported)"
expect_eq "userns: raising past the parameter refused, exit 1" 1 "$(step raise)"
check "userns: the refusal says permission denied" has "$(step raise_msg)" "permission denied"
check "userns: the refusal says why" has "$(step raise_msg)" "initial user namespace"
expect_eq "userns: refused with a timeout beside it, exit 1" 1 "$(step raise_with_timeout)"
expect_eq "userns: a refused request changed nothing" \
	"max_sessions 500 timeout_established 600 " "$(step after)"
expect_eq "userns: raising back up to the parameter works" 0 "$(step to_param)"
expect_eq "userns: the connection was refused (exit 3)" 3 "$(step connect)"
expect_eq "userns: lists its own session" 1 "$(step list)"
expect_eq "userns: reads its own session in /proc" 1 "$(step proc)"
expect_eq "userns: the host's namespaces keep the parameter" "max_sessions 1000" \
	"$($IP netns exec "$a" "$CTL" config max_sessions)"

tcpsess_finish
