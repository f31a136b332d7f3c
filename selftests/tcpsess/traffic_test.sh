#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Real TCP through real namespaces: each kind of session ends in the state
# SPEC section 3 names, with counters that agree with the kernel's own
# (Tcp OutSegs/InSegs) and with the tracker at the other end of the veth.
. "$(dirname "$0")/lib.sh"

ktap_print_header
# Sessions must outlive a slow kernel's reads: time is configured away.
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

cli=$(ns_new cli)
srv=$(ns_new srv)
veth_pair "$cli" "$srv" 1 || ktap_exit_fail_msg "veth setup failed"

# Waits until a session's last segments have passed its tracker, as its
# final state shows; the checks that follow say what is wrong if it never
# gets there.
settled()	# NS SPORT STATE
{
	wait_for 10 session_state_is "$@" ||
		echo "# $1: session from port $2 not in $3 after 10 s"
}

# One completed session, client closes first; checks both ends.
completed()	# AF SERVER_ADDR SPORT
{
	local af=$1 addr=$2 sport=$3 six="" line_c line_s cli_out srv_out
	local tag="completed IPv$af"

	[ "$af" = 6 ] && six=-6
	peer_server "$srv" $six -l "$addr" -p 8000 --mode echo || return
	cli_out=$(tcp_out_segs "$cli")
	srv_out=$(tcp_out_segs "$srv")
	peer_client "$cli" $six -c "$addr" -p 8000 --sport "$sport" --send 3000 --recv 3000 --close fin
	check "$tag: client ran" [ $? -eq 0 ]
	wait
	settled "$cli" "$sport" TIME_WAIT
	settled "$srv" "$sport" TIME_WAIT
	cli_out=$(( $(tcp_out_segs "$cli") - cli_out ))
	srv_out=$(( $(tcp_out_segs "$srv") - srv_out ))

	line_c=$(session_by_sport "$cli" "$sport" "$af")
	line_s=$(session_by_sport "$srv" "$sport" "$af")
	echo "# client: $line_c"
	echo "# server: $line_s"
	expect_eq "$tag: one session at the client" 1 "$(echo "$line_c" | grep -c .)"
	expect_eq "$tag: state" TIME_WAIT "$(echo "$line_c" | column state)"
	expect_eq "$tag: bytes_orig" 3000 "$(echo "$line_c" | column bytes_orig)"
	expect_eq "$tag: bytes_reply" 3000 "$(echo "$line_c" | column bytes_reply)"
	expect_eq "$tag: pkts_orig = client's Tcp OutSegs" "$cli_out" "$(echo "$line_c" | column pkts_orig)"
	expect_eq "$tag: pkts_reply = server's Tcp OutSegs" "$srv_out" "$(echo "$line_c" | column pkts_reply)"
	check "$tag: history opens ShA and has both FINs" \
		bash -c "[[ '$(echo "$line_c" | column history)' == ShA*D* ]] && [[ '$(echo "$line_c" | column history)' == *F* ]] && [[ '$(echo "$line_c" | column history)' == *f* ]]"
	check "$tag: both RTTs measured" bash -c \
		"[ $(echo "$line_c" | column rtt_syn_us) -ge 0 ] && [ $(echo "$line_c" | column rtt_ack_us) -ge 0 ]"
	expect_eq "$tag: flags" - "$(echo "$line_c" | column flags)"
	# Both ends of the veth see the same segments the same way round.
	expect_eq "$tag: server end agrees" \
		"$(echo "$line_c" | cut -d' ' -f2-6,10-13)" \
		"$(echo "$line_s" | cut -d' ' -f2-6,10-13)"
	expect_eq "$tag: server end state" TIME_WAIT "$(echo "$line_s" | column state)"
}

completed 4 10.1.0.2 40001
completed 6 fd01::2 40002

# Server closes first.
peer_server "$srv" -l 10.1.0.2 -p 8001 --mode send --bytes 500
peer_client "$cli" -c 10.1.0.2 -p 8001 --sport 40003 --recv 500 --close wait
wait
settled "$cli" 40003 TIME_WAIT
line=$(session_by_sport "$cli" 40003)
echo "# $line"
expect_eq "server closes first: state" TIME_WAIT "$(echo "$line" | column state)"
check "server closes first: reply FIN before orig FIN" \
	bash -c "h=$(echo "$line" | column history); [[ \${h%%F*} == *f* ]]"

# Refused: the server namespace answers the SYN with RST.
peer_client "$cli" -c 10.1.0.2 -p 8999 --sport 40004 --timeout-ms 3000
expect_eq "refused: client sees refusal" 3 $?
line=$(session_by_sport "$cli" 40004)
echo "# $line"
expect_eq "refused: state" CLOSED "$(echo "$line" | column state)"
expect_eq "refused: history" Sr "$(echo "$line" | column history)"
expect_eq "refused: no SYN-ACK, no RTT" -1 "$(echo "$line" | column rtt_syn_us)"

# Half-open: a SYN to a host that never answers.
$IP -n "$cli" neigh add 10.1.0.99 lladdr 02:00:00:00:00:99 dev v1a
peer_client "$cli" -c 10.1.0.99 -p 80 --sport 40005 --timeout-ms 1500
line=$(session_by_sport "$cli" 40005)
echo "# $line"
expect_eq "half-open: state" SYN_SENT "$(echo "$line" | column state)"
expect_eq "half-open: history" S "$(echo "$line" | column history)"
check "half-open: the retransmitted SYN is counted" \
	[ "$(echo "$line" | column pkts_orig)" -ge 2 ]

# Half-close: the client's FIN first, then the server sends data, then its FIN.
peer_server "$srv" -l 10.1.0.2 -p 8002 --mode halfclose --bytes 2000
peer_client "$cli" -c 10.1.0.2 -p 8002 --sport 40006 --send 100 --recv 2000 --close halfclose
wait
settled "$cli" 40006 TIME_WAIT
line=$(session_by_sport "$cli" 40006)
echo "# $line"
expect_eq "half-close: state" TIME_WAIT "$(echo "$line" | column state)"
expect_eq "half-close: data after the first FIN counted" 2000 "$(echo "$line" | column bytes_reply)"
expect_eq "half-close: nothing invalid" 0 "$(stat_of "$cli" packets_invalid)"

# RST in the middle of a session.
peer_server "$srv" -l 10.1.0.2 -p 8003 --mode sink
peer_client "$cli" -c 10.1.0.2 -p 8003 --sport 40007 --send 1000 --close rst
wait
settled "$cli" 40007 CLOSED
line=$(session_by_sport "$cli" 40007)
echo "# $line"
expect_eq "reset: state" CLOSED "$(echo "$line" | column state)"
check "reset: history has R" bash -c "[[ '$(echo "$line" | column history)' == *R* ]]"

# Every session so far is still in the table, RTTs measured or not:
# the histograms must account for exactly theirs, at both ends.
rtt_hist_check "$cli" "RTT histograms, client"
rtt_hist_check "$srv" "RTT histograms, server"

# Port reuse: the server closed first, so the client may reuse its port at
# once; the new SYN lands on the tracker's TIME_WAIT session.
peer_server "$srv" -l 10.1.0.2 -p 8004 --mode send --bytes 10 --count 2
peer_client "$cli" -c 10.1.0.2 -p 8004 --sport 40008 --recv 10 --close wait
settled "$cli" 40008 TIME_WAIT
first_id=$(session_by_sport "$cli" 40008 | column id)
peer_client "$cli" -c 10.1.0.2 -p 8004 --sport 40008 --recv 10 --close wait
wait
settled "$cli" 40008 TIME_WAIT
line=$(session_by_sport "$cli" 40008)
echo "# $line"
expect_eq "reuse: one session for the tuple" 1 "$(echo "$line" | grep -c .)"
check "reuse: a new id" [ "$(echo "$line" | column id)" != "$first_id" ]
expect_eq "reuse: flagged" REOPENED "$(echo "$line" | column flags)"
expect_eq "reuse: old one ended REUSED" 1 "$(stat_of "$cli" ended_reused)"

# Loopback: a segment passes LOCAL_OUT and PRE_ROUTING but counts once.
for af in 4 6; do
	six="" addr=127.0.0.1
	[ "$af" = 6 ] && six=-6 addr=::1
	before=$(tcp_out_segs "$cli")
	peer_server "$cli" $six -l "$addr" -p 8100 --mode echo
	peer_client "$cli" $six -c "$addr" -p 8100 --sport 4100$af --send 5000 --recv 5000
	wait
	settled "$cli" 4100$af TIME_WAIT
	after=$(tcp_out_segs "$cli")
	line=$(session_by_sport "$cli" 4100$af $af)
	echo "# $line"
	expect_eq "loopback IPv$af: one session" 1 "$(echo "$line" | grep -c .)"
	expect_eq "loopback IPv$af: every segment once" \
		$(( after - before )) \
		$(( $(echo "$line" | column pkts_orig) + $(echo "$line" | column pkts_reply) ))
	expect_eq "loopback IPv$af: bytes" 5000 "$(echo "$line" | column bytes_orig)"
done

# Forwarded: a router between two hosts tracks what it forwards, counted
# once (PRE_ROUTING only) and the same as the endpoints count it.
left=$(ns_new left)
rtr=$(ns_new rtr)
right=$(ns_new right)
veth_pair "$left" "$rtr" 3
veth_pair "$rtr" "$right" 4
$IP netns exec "$rtr" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
$IP -n "$left" route add 10.4.0.0/24 via 10.3.0.2
$IP -n "$right" route add 10.3.0.0/24 via 10.4.0.1
$IP -n "$left" route add fd04::/64 via fd03::2
$IP -n "$right" route add fd03::/64 via fd04::1
for af in 4 6; do
	six="" addr=10.4.0.2
	[ "$af" = 6 ] && six=-6 addr=fd04::2
	peer_server "$right" $six -l "$addr" -p 8200 --mode echo
	peer_client "$left" $six -c "$addr" -p 8200 --sport 4200$af --send 4000 --recv 4000
	wait
	settled "$rtr" 4200$af TIME_WAIT
	settled "$left" 4200$af TIME_WAIT
	line_r=$(session_by_sport "$rtr" 4200$af $af)
	line_l=$(session_by_sport "$left" 4200$af $af)
	echo "# router: $line_r"
	expect_eq "forwarded IPv$af: router state" TIME_WAIT "$(echo "$line_r" | column state)"
	expect_eq "forwarded IPv$af: router counts as the client does" \
		"$(echo "$line_l" | cut -d' ' -f2-6,10-13)" \
		"$(echo "$line_r" | cut -d' ' -f2-6,10-13)"
done

# Namespaces are isolated: the server namespace saw none of the loopback sessions.
expect_eq "isolation: loopback sessions only where they ran" "" \
	"$(sessions "$srv" | awk '$4 == 41004 || $4 == 41006')"
expect_eq "isolation: sessions_active matches the table" \
	"$(sessions "$cli" | tail -n +2 | grep -c .)" "$(stat_of "$cli" sessions_active)"

# Idle timeouts with real traffic, short ones set at load. The silent
# host's SYN is retransmitted once, which must not keep it alive longer.
tcpsess_load timeout_time_wait=2 timeout_syn_sent=2
peer_server "$srv" -l 10.1.0.2 -p 8300 --mode echo
peer_client "$cli" -c 10.1.0.2 -p 8300 --sport 43001 --send 100 --recv 100
wait
peer_client "$cli" -c 10.1.0.99 -p 80 --sport 43002 --timeout-ms 1500
# Counts, not clocks: a slow kernel may already have reaped the first one.
expect_eq "timeouts: both tracked" 2 "$(stat_of "$cli" sessions_created)"
wait_for 30 stat_is "$cli" sessions_active 0
expect_eq "timeouts: gone from /proc once idle too long" "" \
	"$(sessions "$cli" | tail -n +2)"
expect_eq "timeouts: TIME_WAIT ended FIN" 1 "$(stat_of "$cli" ended_fin)"
expect_eq "timeouts: SYN_SENT ended TIMEOUT" 1 "$(stat_of "$cli" ended_timeout)"
expect_eq "timeouts: every session accounted" \
	"$(stat_of "$cli" sessions_created)" "$(stat_of "$cli" sessions_ended)"

tcpsess_finish
