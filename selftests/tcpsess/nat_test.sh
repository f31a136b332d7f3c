#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real TCP through a router that translates addresses, as Docker's
# masquerade, a port forward and kube-proxy's OUTPUT DNAT do, IPv4 and
# IPv6, in monitor and in enforce mode. Every connection must succeed and
# be exactly one session, on the router and on the client, under the tuple
# both directions share there (SPEC section 2): whole history, final state,
# exact counters of what the wire carried, nothing invalid.
#
#   cli 10.1.0.1 --v1-- 10.1.0.2 rtr 10.2.0.1 --v2-- 10.2.0.2 srv
#       fd01::1          fd01::2     fd02::1          fd02::2
. "$(dirname "$0")/lib.sh"

ktap_print_header
require_tools /usr/sbin/nft
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

path=$(routed_path) || ktap_exit_fail_msg "namespace setup failed"
read -r cli rtr srv <<<"$path"

# The router masquerades all that leaves towards srv and forwards its port
# 8080 to srv:8000; the client's own OUTPUT chain sends a service address (a
# kube-proxy ClusterIP) to srv:8000.
$IP netns exec "$rtr" nft -f - <<-END || ktap_exit_fail_msg "router ruleset failed"
	table inet nat {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "v1b" tcp dport 8080 dnat ip to 10.2.0.2:8000
			iifname "v1b" tcp dport 8080 dnat ip6 to [fd02::2]:8000
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "v2a" masquerade
		}
	}
END
$IP netns exec "$cli" nft -f - <<-END || ktap_exit_fail_msg "client ruleset failed"
	table inet nat {
		chain out {
			type nat hook output priority -100;
			ip daddr 10.96.0.10 tcp dport 80 dnat ip to 10.2.0.2:8000
			ip6 daddr fd96::10 tcp dport 80 dnat ip6 to [fd02::2]:8000
		}
	}
END

# The sessions of a namespace whose orig source port is SPORT, as
# "dst dport state pkts_orig bytes_orig pkts_reply bytes_reply history flags".
seen_as()	# NS SPORT
{
	session_by_sport "$1" "$2" |
		awk '{ print $5, $6, $7, $10, $11, $12, $13, $18, $19 }'
}

# Whether payload bytes B fit 3000 sent with R segments retransmitted, each
# at most one MSS (1460 on these links): exactly 3000 without any.
payload_fits()	# B R
{
	[ "$1" -ge 3000 ] && [ "$1" -le $((3000 + $2 * 1460)) ]
}

# One connection from cli, client closing first, and what the client and
# the router make of it. The server listens on srv:8000 always; the client
# connects to CONNECT, and its session must read "ADDR PORT" as its
# destination at the client (CLI_DST) and at the router (RTR_DST).
connection()	# TAG AF CONNECT_ADDR CONNECT_PORT SERVER_ADDR SPORT CLI_DST RTR_DST
{
	local tag=$1 af=$2 caddr=$3 cport=$4 saddr=$5 sport=$6 cli_dst=$7 rtr_dst=$8
	local six="" cli_out srv_out cli_rtx srv_rtx at_cli at_rtr counts rc
	local out rtx bytes_o bytes_r

	[ "$af" = 6 ] && six=-6
	peer_server "$srv" $six -l "$saddr" -p 8000 --mode echo || return
	read -r cli_out cli_rtx < <(tcp_wire "$cli" connects)
	read -r srv_out srv_rtx < <(tcp_wire "$srv" listens)
	peer_client "$cli" $six -c "$caddr" -p "$cport" --sport "$sport" \
		--send 3000 --recv 3000 --close fin --timeout-ms 10000
	rc=$?
	wait
	expect_eq "$tag: connection made" 0 "$rc"
	# The server's FIN, retransmitted, and the client's answer may still
	# be to come until the server's socket is gone.
	wait_for 10 tcp_idle "$srv" || echo "# server still holds a socket"
	read -r out rtx < <(tcp_wire "$cli" connects)
	cli_out=$((out - cli_out)) cli_rtx=$((rtx - cli_rtx))
	read -r out rtx < <(tcp_wire "$srv" listens)
	srv_out=$((out - srv_out)) srv_rtx=$((rtx - srv_rtx))
	# The last ACK may still be on its way to the router.
	wait_for 5 session_state_is "$rtr" "$sport" TIME_WAIT

	at_cli=$(seen_as "$cli" "$sport")
	at_rtr=$(seen_as "$rtr" "$sport")
	echo "# client: $at_cli"
	echo "# router: $at_rtr"
	echo "# wire: client $cli_out segments ($cli_rtx retransmitted), server $srv_out ($srv_rtx)"
	counts="TIME_WAIT $cli_out $srv_out"
	expect_eq "$tag: one whole session at the client" "$cli_dst $counts" \
		"$(echo "$at_cli" | cut -d' ' -f1-4,6)"
	expect_eq "$tag: one whole session at the router" "$rtr_dst $counts" \
		"$(echo "$at_rtr" | cut -d' ' -f1-4,6)"
	# Retransmitted payload counts again. The router's must equal these.
	read -r bytes_o bytes_r < <(echo "$at_cli" | cut -d' ' -f5,7)
	check "$tag: orig payload ($bytes_o, $cli_rtx retransmitted)" \
		payload_fits "$bytes_o" "$cli_rtx"
	check "$tag: reply payload ($bytes_r, $srv_rtx retransmitted)" \
		payload_fits "$bytes_r" "$srv_rtx"
	for h in "$(echo "$at_cli" | cut -d' ' -f8)" "$(echo "$at_rtr" | cut -d' ' -f8)"; do
		check "$tag: whole history $h" history_whole "$h"
	done
	expect_eq "$tag: the router counted what the client did" \
		"$(echo "$at_cli" | cut -d' ' -f4-7,9)" "$(echo "$at_rtr" | cut -d' ' -f4-7,9)"
	expect_eq "$tag: no flags" - "$(echo "$at_cli" | cut -d' ' -f9)"
}

# All three patterns, both families, in the given mode.
round()		# MODE FIRST_SPORT
{
	local mode=$1 p=$2 ns

	for ns in "$cli" "$rtr"; do
		$IP netns exec "$ns" "$HERE/tcpsessctl" config mode="$mode" ||
			ktap_exit_fail_msg "config mode=$mode failed"
	done
	connection "$mode: masquerade IPv4" 4 10.2.0.2 8000 10.2.0.2 $((p + 1)) \
		"10.2.0.2 8000" "10.2.0.2 8000"
	connection "$mode: masquerade IPv6" 6 fd02::2 8000 fd02::2 $((p + 2)) \
		"fd02::2 8000" "fd02::2 8000"
	connection "$mode: port forward IPv4" 4 10.1.0.2 8080 10.2.0.2 $((p + 3)) \
		"10.1.0.2 8080" "10.2.0.2 8000"
	connection "$mode: port forward IPv6" 6 fd01::2 8080 fd02::2 $((p + 4)) \
		"fd01::2 8080" "fd02::2 8000"
	connection "$mode: OUTPUT DNAT IPv4" 4 10.96.0.10 80 10.2.0.2 $((p + 5)) \
		"10.2.0.2 8000" "10.2.0.2 8000"
	connection "$mode: OUTPUT DNAT IPv6" 6 fd96::10 80 fd02::2 $((p + 6)) \
		"fd02::2 8000" "fd02::2 8000"
	for ns in "$cli" "$rtr"; do
		expect_eq "$mode: nothing invalid in $ns" 0 "$(stat_of "$ns" packets_invalid)"
	done
}

round monitor 30000
round enforce 31000

# No ghost of either direction: a session per connection, and the router
# really translated (the server saw the router's address, not the client's).
expect_eq "one session per connection at the client" 12 \
	"$(stat_of "$cli" sessions_created)"
expect_eq "one session per connection at the router" 12 \
	"$(stat_of "$rtr" sessions_created)"
expect_eq "the server saw only the router's address" 12 \
	"$(sessions "$srv" | awk '$3 == "10.2.0.1" || $3 == "fd02::1"' | grep -c .)"
tcpsess_finish
