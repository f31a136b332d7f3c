#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Paths that fragment. A segment is judged whole: fragments are reassembled
# before tracking, whether or not the namespace uses conntrack, so sessions
# over such a path are whole, with exact counters, and nothing is invalid,
# in monitor and in enforce mode.
#
# IPv4: a client that sends without DF through a router whose far side has
# a smaller MTU, into a server namespace with no ruleset (so no conntrack):
#   cli 10.1.0.1 --v1-- rtr --v2 (MTU 1000 at rtr)-- 10.2.0.2 srv
# IPv6: routers never fragment and Linux's TCP never fragments itself, so
# a sender that fragments itself is played by tcpcraft, splitting every
# data segment in two, into a namespace that only forwards nothing.
. "$(dirname "$0")/lib.sh"

ktap_print_header
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

path=$(routed_path) || ktap_exit_fail_msg "namespace setup failed"
read -r cli rtr srv <<<"$path"
# The router's far side takes 1000 bytes. A veth drops what exceeds the
# receiving end's MTU, so the server sends no more than that, while its
# SYN-ACK still offers the client full-sized segments to fragment.
$IP -n "$rtr" link set v2a mtu 1000
if ! $IP -n "$srv" route change default via 10.2.0.1 mtu lock 1000 advmss 1460 ||
   ! $IP netns exec "$cli" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_no_pmtu_disc'; then
	ktap_exit_fail_msg "path setup failed"
fi

reasm_oks()	# NS
{
	$IP netns exec "$1" awk '/^Ip:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c["ReasmOKs"] }' /proc/net/snmp
}

# A session's line with the letters of its history in a fixed order: a
# side's first pure ACK and first data may leave on two CPUs, so they
# reach a tracker down the path in either order (see history_whole).
canonical()	# NS SPORT
{
	session_by_sport "$1" "$2" | cut -d' ' -f2-7,10-13,18-19 |
		awk '{ n = length($11); h = ""
		       for (i = 1; i <= n; i++) l[i] = substr($11, i, 1)
		       for (i = 1; i <= n; i++) { m = i
			       for (j = i + 1; j <= n; j++) if (l[j] < l[m]) m = j
			       t = l[i]; l[i] = l[m]; l[m] = t; h = h l[i] }
		       $11 = h; print }'
}

# "state pkts_orig bytes_orig pkts_reply bytes_reply history flags"
seen_as()	# NS SPORT
{
	session_by_sport "$1" "$2" | awk '{ print $7, $10, $11, $12, $13, $18, $19 }'
}

# Whether payload bytes B fit a direction that sent 20000 bytes and
# retransmitted R segments (a slow kernel's server may): exactly 20000
# without retransmissions, at least that with them.
payload_fits()	# B R
{
	if [ "$2" -eq 0 ]; then [ "$1" -eq 20000 ]; else [ "$1" -ge 20000 ]; fi
}

fragmented_connection()	# MODE SPORT
{
	local mode=$1 sport=$2 ns reasm cli_out srv_out rc
	local bytes_o bytes_r retrans_o retrans_r

	for ns in "$cli" "$rtr" "$srv"; do
		$IP netns exec "$ns" "$HERE/tcpsessctl" config mode="$mode" ||
			ktap_exit_fail_msg "config mode=$mode failed"
	done
	reasm=$(reasm_oks "$srv")
	peer_server "$srv" -l 10.2.0.2 -p 8000 --mode echo || return
	cli_out=$(tcp_wire "$cli" connects | cut -d" " -f1)
	srv_out=$(tcp_wire "$srv" listens | cut -d" " -f1)
	peer_client "$cli" -c 10.2.0.2 -p 8000 --sport "$sport" \
		--send 20000 --recv 20000 --close fin --timeout-ms 20000
	rc=$?
	wait
	expect_eq "$mode: connection over the fragmenting path made" 0 "$rc"
	cli_out=$(( $(tcp_wire "$cli" connects | cut -d" " -f1) - cli_out ))
	srv_out=$(( $(tcp_wire "$srv" listens | cut -d" " -f1) - srv_out ))
	check "$mode: the server reassembled ($(reasm_oks "$srv") ReasmOKs, $reasm before)" \
		[ "$(reasm_oks "$srv")" -gt "$reasm" ]
	for ns in "$srv" "$rtr" "$cli"; do
		wait_for 5 session_state_is "$ns" "$sport" TIME_WAIT
		echo "# ${ns##*-}: $(seen_as "$ns" "$sport")"
		expect_eq "$mode: whole at ${ns##*-}" "TIME_WAIT $cli_out $srv_out" \
			"$(seen_as "$ns" "$sport" | cut -d' ' -f1,2,4)"
		# Not retrans_*: a segment overtaken on the way looks like one.
		expect_eq "$mode: ${ns##*-} agrees with the server" \
			"$(canonical "$srv" "$sport")" "$(canonical "$ns" "$sport")"
	done
	# Each direction as its sender's own tracker saw it leave, in order.
	read -r bytes_o retrans_o < <(session_by_sport "$cli" "$sport" | awk '{ print $11, $16 }')
	read -r bytes_r retrans_r < <(session_by_sport "$srv" "$sport" | awk '{ print $13, $17 }')
	check "$mode: orig payload ($bytes_o, $retrans_o retransmitted)" \
		payload_fits "$bytes_o" "$retrans_o"
	check "$mode: reply payload ($bytes_r, $retrans_r retransmitted)" \
		payload_fits "$bytes_r" "$retrans_r"
	check "$mode: whole history at the server" \
		history_whole "$(seen_as "$srv" "$sport" | cut -d' ' -f6)"
	expect_eq "$mode: nothing invalid at the server" 0 "$(stat_of "$srv" packets_invalid)"
	expect_eq "$mode: no fragment left to the tracker" 0 \
		"$(stat_of "$srv" fragments_ignored)"
}

fragmented_connection monitor 40001
fragmented_connection enforce 40002

# IPv6, every data segment in two fragments, the first holding the whole
# header chain and part of the payload (RFC 7112).
inj=$(ns_new inj)
sink=$(ns_new sink)
veth_pair "$inj" "$sink" 3 || ktap_exit_fail_msg "veth setup failed"
sink_mac=$(mac_of "$sink" v3b)
seen=$(stat_of "$sink" packets_seen)
$IP netns exec "$inj" "$TCPCRAFT" -i v3a --dst-mac "$sink_mac" \
	-a "[2001:db8::1]:40003" -b "[2001:db8::2]:80" <<-END
	o S seq=1000
	r SA seq=5000 ack=1001
	o A seq=1001 ack=5001
	o PA seq=1001 ack=5001 len=1200 frag=first trunc=520
	o PA seq=1001 ack=5001 len=1200 frag=next at=520
	r A seq=5001 ack=2201
	r PA seq=5001 ack=2201 len=1200 frag=first trunc=520
	r PA seq=5001 ack=2201 len=1200 frag=next at=520
	o A seq=2201 ack=6201
	o FA seq=2201 ack=6201
	r FA seq=6201 ack=2202
	o A seq=2202 ack=6202
END
line=$(seen_as "$sink" 40003)
echo "# sink: $line"
expect_eq "IPv6 fragmented by its sender: whole" "TIME_WAIT 6 1200 4 1200 ShADadFf -" "$line"
expect_eq "IPv6 fragmented by its sender: each segment seen once" $((seen + 10)) \
	"$(stat_of "$sink" packets_seen)"
expect_eq "IPv6 fragmented by its sender: nothing invalid" 0 \
	"$(stat_of "$sink" packets_invalid)"
tcpsess_finish
