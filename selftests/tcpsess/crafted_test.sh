#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Segments real stacks do not send, injected with tcpcraft into a sink
# namespace whose tracker sees both directions at PRE_ROUTING. The crafted
# addresses are not the sink's, so its own stack never answers; each case
# uses its own source port. Checks states, counters, and enforce-mode drops.
. "$(dirname "$0")/lib.sh"

ktap_print_header
require_tools /usr/sbin/nft

inj=$(ns_new inj)
sink=$(ns_new sink)
veth_pair "$inj" "$sink" 2 || ktap_exit_fail_msg "veth setup failed"
sink_mac=$(mac_of "$sink" v2b)

# craft SPORT: segments on stdin between 192.0.2.1:SPORT (o) and 192.0.2.2:80 (r).
craft()
{
	$IP netns exec "$inj" "$TCPCRAFT" -i v2a --dst-mac "$sink_mac" \
		-a "192.0.2.1:$1" -b 192.0.2.2:80
}

craft6()
{
	$IP netns exec "$inj" "$TCPCRAFT" -i v2a --dst-mac "$sink_mac" \
		-a "[2001:db8::1]:$1" -b "[2001:db8::2]:80"
}

# To the sink's own address, so its stack sees what the tracker lets by.
craft_local()
{
	$IP netns exec "$inj" "$TCPCRAFT" -i v2a --dst-mac "$sink_mac" \
		-a "10.2.0.1:$1" -b 10.2.0.2:9
}

state_of()
{
	session_by_sport "$sink" "$1" | column state
}

# expect_invalid DESCRIPTION REASON SPORT EXPECTED_STATE: the named counter
# went up by one and the session (if any) stayed where it was.
invalid_before=0
remember_invalid()
{
	invalid_before=$(stat_of "$sink" "invalid_$1")
}

expect_invalid()
{
	local now

	now=$(stat_of "$sink" "invalid_$2")
	expect_eq "$1: invalid_$2 counted" $((invalid_before + 1)) "$now"
	expect_eq "$1: state unchanged" "$4" "$(state_of "$3")"
}

handshake()	# SPORT: orig ISN 1000, reply ISN 5000
{
	craft "$1" <<-END
		o S seq=1000
		r SA seq=5000 ack=1001
		o A seq=1001 ack=5001
	END
}

# Sessions must outlive a slow kernel's reads: time is configured away.
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

# --- the whole life of a session, step by step ------------------------------
craft 1001 <<<"o S seq=1000"
expect_eq "handshake: SYN" SYN_SENT "$(state_of 1001)"
craft 1001 <<<"r SA seq=5000 ack=1001"
expect_eq "handshake: SYN-ACK" SYN_RECV "$(state_of 1001)"
craft 1001 <<<"o A seq=1001 ack=5001"
expect_eq "handshake: third ACK" ESTABLISHED "$(state_of 1001)"
craft 1001 <<-END
	o PA seq=1001 ack=5001 len=100
	r A seq=5001 ack=1101
	o FA seq=1101 ack=5001
END
expect_eq "close: first FIN" FIN_WAIT_1 "$(state_of 1001)"
craft 1001 <<<"r A seq=5001 ack=1102"
expect_eq "close: first FIN acked" FIN_WAIT_2 "$(state_of 1001)"
craft 1001 <<<"r FA seq=5001 ack=1102"
expect_eq "close: second FIN" LAST_ACK "$(state_of 1001)"
craft 1001 <<<"o A seq=1102 ack=5002"
expect_eq "close: last ACK" TIME_WAIT "$(state_of 1001)"
line=$(session_by_sport "$sink" 1001)
echo "# $line"
expect_eq "close: history" ShADaFf "$(echo "$line" | column history)"
expect_eq "close: payload bytes" 100 "$(echo "$line" | column bytes_orig)"
expect_eq "close: segments each way" "5 4" \
	"$(echo "$line" | column pkts_orig) $(echo "$line" | column pkts_reply)"

# Simultaneous close: both FINs cross, then both are acknowledged.
handshake 1002
craft 1002 <<-END
	o FA seq=1001 ack=5001
	r FA seq=5001 ack=1001
END
expect_eq "simultaneous close: both FINs, none acked" CLOSING "$(state_of 1002)"
craft 1002 <<<"o A seq=1002 ack=5002"
expect_eq "simultaneous close: one acked" LAST_ACK "$(state_of 1002)"
craft 1002 <<<"r A seq=5002 ack=1002"
expect_eq "simultaneous close: both acked" TIME_WAIT "$(state_of 1002)"

# --- flag combinations no stack sends ----------------------------------------
for flags in SF SR - SAFRPUEC F; do
	remember_invalid bad_flags
	craft 1100 <<<"o $flags seq=1"
	expect_invalid "flags $flags" bad_flags 1100 ""
done

# --- malformed headers -------------------------------------------------------
remember_invalid hdr_truncated
craft 1101 <<<"o S seq=1 trunc=12"
expect_invalid "truncated header" hdr_truncated 1101 ""
remember_invalid bad_data_offset
craft 1102 <<<"o S seq=1 doff=4"
expect_invalid "data offset 4" bad_data_offset 1102 ""
remember_invalid hdr_truncated
craft 1103 <<<"o S seq=1 doff=15"
expect_invalid "options past the end" hdr_truncated 1103 ""
remember_invalid bad_checksum
craft 1104 <<<"o S seq=1 csum=bad"
expect_invalid "bad checksum" bad_checksum 1104 ""

# --- handshake validation ----------------------------------------------------
craft 1200 <<<"o S seq=1000"
remember_invalid synack_bad_ack
craft 1200 <<<"r SA seq=5000 ack=999"
expect_invalid "SYN-ACK acking the wrong ISN" synack_bad_ack 1200 SYN_SENT
craft 1200 <<<"r SA seq=5000 ack=1001"
remember_invalid ack_bad_ack
craft 1200 <<<"o A seq=1001 ack=7777"
expect_invalid "third ACK acking the wrong ISN" ack_bad_ack 1200 SYN_RECV
remember_invalid synack_unexpected
craft 1201 <<<"r SA seq=5000 ack=1001"
expect_invalid "SYN-ACK with no SYN" synack_unexpected 1201 ""

# A SYN-ACK from an older incarnation arriving in an established session.
handshake 1202
remember_invalid synack_unexpected
craft 1202 <<<"r SA seq=90000 ack=777"
expect_invalid "stale SYN-ACK" synack_unexpected 1202 ESTABLISHED
# The same SYN-ACK again (its ACK was lost) is fine.
before=$(stat_of "$sink" packets_invalid)
craft 1202 <<<"r SA seq=5000 ack=1001"
expect_eq "retransmitted SYN-ACK is valid" "$before" "$(stat_of "$sink" packets_invalid)"

# A retransmitted SYN does not refresh the SYN_SENT timeout.
craft 1203 <<<"o S seq=1000"
sleep 1.2
craft 1203 <<<"o S seq=1000"
idle=$(session_by_sport "$sink" 1203 | column idle_ms)
check "retransmitted SYN leaves idle time running ($idle ms)" [ "${idle:-0}" -ge 1000 ]
expect_eq "retransmitted SYN counted" 2 "$(session_by_sport "$sink" 1203 | column pkts_orig)"

# Simultaneous open.
craft 1204 <<-END
	o S seq=1000
	r S seq=5000
	o SA seq=1000 ack=5001
	r SA seq=5000 ack=1001
END
line=$(session_by_sport "$sink" 1204)
echo "# $line"
expect_eq "simultaneous open: established" ESTABLISHED "$(echo "$line" | column state)"
expect_eq "simultaneous open: flag" SIMOPEN "$(echo "$line" | column flags)"

# --- windows -----------------------------------------------------------------
handshake 1300
remember_invalid seq_out_of_window
craft 1300 <<<"o PA seq=2001000 ack=5001 len=10"
expect_invalid "data far beyond the window" seq_out_of_window 1300 ESTABLISHED
remember_invalid ack_out_of_window
craft 1300 <<<"o A seq=1001 ack=905001"
expect_invalid "ACK of data never sent" ack_out_of_window 1300 ESTABLISHED

# With scaling on both SYNs, a window of 1000 << 7 admits data 100000 ahead.
# A SYN's own window is never scaled, so the reply side's next ACK opens it.
craft 1301 <<-END
	o S seq=1000 wscale=7
	r SA seq=5000 ack=1001 wscale=7 win=1000
	o A seq=1001 ack=5001 win=1000
	r A seq=5001 ack=1001 win=1000
END
before=$(stat_of "$sink" packets_invalid)
craft 1301 <<<"o PA seq=101001 ack=5001 len=10 win=1000"
expect_eq "window scaling honoured when both SYNs carry it" "$before" \
	"$(stat_of "$sink" packets_invalid)"
# Offered by one side only, the same segment is out of the window.
craft 1302 <<-END
	o S seq=1000 wscale=7
	r SA seq=5000 ack=1001 win=1000
	o A seq=1001 ack=5001 win=1000
	r A seq=5001 ack=1001 win=1000
END
remember_invalid seq_out_of_window
craft 1302 <<<"o PA seq=101001 ack=5001 len=10 win=1000"
expect_invalid "no scaling unless both SYNs carry it" seq_out_of_window 1302 ESTABLISHED

# Data after a side's own FIN.
handshake 1303
craft 1303 <<<"o FA seq=1001 ack=5001"
remember_invalid data_after_fin
craft 1303 <<<"o PA seq=1002 ack=5001 len=10"
expect_invalid "data after FIN" data_after_fin 1303 FIN_WAIT_1

# --- RST ---------------------------------------------------------------------
handshake 1400
remember_invalid rst_out_of_window
craft 1400 <<<"o R seq=3000000"
expect_invalid "RST out of window" rst_out_of_window 1400 ESTABLISHED
remember_invalid rst_inexact
craft 1400 <<<"o R seq=1500"
expect_invalid "RST in window, inexact" rst_inexact 1400 ESTABLISHED
craft 1400 <<<"o R seq=1001"
expect_eq "exact RST closes" CLOSED "$(state_of 1400)"

# Peer reboot: a new SYN on an established session, the challenge ACK, the
# RST it provokes, and the SYN again.
handshake 1401
old_id=$(session_by_sport "$sink" 1401 | column id)
before=$(stat_of "$sink" packets_invalid)
pkts=$(session_by_sport "$sink" 1401 | column pkts_orig)
craft 1401 <<<"o S seq=777000"
expect_eq "SYN on ESTABLISHED: valid, the endpoint must see it" "$before" \
	"$(stat_of "$sink" packets_invalid)"
expect_eq "SYN on ESTABLISHED: no session's yet, not counted, state kept" \
	"ESTABLISHED $pkts" "$(session_by_sport "$sink" 1401 | awk '{ print $7, $10 }')"
craft 1401 <<-END
	r A seq=5001 ack=1001
	o R seq=1001
END
expect_eq "peer reboot: RST after the challenge ACK closes" CLOSED "$(state_of 1401)"
craft 1401 <<<"o S seq=777000"
line=$(session_by_sport "$sink" 1401)
echo "# $line"
expect_eq "peer reboot: new SYN starts over" SYN_SENT "$(echo "$line" | column state)"
check "peer reboot: a new session" [ "$(echo "$line" | column id)" != "$old_id" ]
expect_eq "peer reboot: flagged" REOPENED "$(echo "$line" | column flags)"

# Both ends lost it: the SYN-ACK answering the new SYN re-synchronises. The
# old session ends, and the new one starts from that SYN, which it counts.
handshake 1402
reused=$(stat_of "$sink" ended_reused)
craft 1402 <<-END
	o S seq=888000
	r SA seq=66000 ack=888001
END
line=$(session_by_sport "$sink" 1402)
echo "# $line"
expect_eq "both lost: the old session ended" $((reused + 1)) "$(stat_of "$sink" ended_reused)"
expect_eq "both lost: a new session from the SYN" "SYN_RECV 1 1 Sh REOPENED" \
	"$(echo "$line" | awk '{ print $7, $10, $12, $18, $19 }')"
craft 1402 <<<"o A seq=888001 ack=66001"
expect_eq "both lost: the third ACK establishes it" ESTABLISHED "$(state_of 1402)"

# SYN on TIME_WAIT, from the old reply side this time.
reused=$(stat_of "$sink" ended_reused)
craft 1001 <<<"r S seq=99000"
expect_eq "SYN on TIME_WAIT ends the old session" $((reused + 1)) "$(stat_of "$sink" ended_reused)"
line=$(sessions "$sink" | awk '$4 == 80 && $6 == 1001')
expect_eq "SYN on TIME_WAIT: new session from the new SYN's sender" SYN_SENT \
	"$(echo "$line" | column state)"

# --- IPv6 extension headers and fragments -------------------------------------
craft6 1500 <<<"o S seq=1000 ext=hbh"
expect_eq "IPv6 SYN behind a hop-by-hop header tracked" SYN_SENT \
	"$(session_by_sport "$sink" 1500 6 | column state)"
# A segment is judged whole: fragments are reassembled before the tracker
# sees them, though the sink runs no conntrack of its own. The SYN in two
# fragments, the first holding only 8 bytes of the header, opens a session.
craft 1505 <<-END
	o S seq=1000 frag=first trunc=8
	o S seq=1000 frag=next
END
line=$(session_by_sport "$sink" 1505)
echo "# $line"
expect_eq "fragmented SYN: reassembled, then tracked" "SYN_SENT S 1" \
	"$(echo "$line" | column state) $(echo "$line" | column history) $(echo "$line" | column pkts_orig)"
remember_invalid bad_checksum
craft 1506 <<-END
	o S seq=1000 frag=first trunc=8 csum=bad
	o S seq=1000 frag=next csum=bad
END
expect_invalid "fragmented SYN with a bad checksum, reassembled" bad_checksum 1506 ""
# A lone fragment waits for its other half, unseen.
seen=$(stat_of "$sink" packets_seen)
frags=$(stat_of "$sink" fragments_ignored)
craft 1501 <<<"o A seq=1 ack=1 frag=next"
craft6 1502 <<<"o A seq=1 ack=1 frag=next"
expect_eq "lone fragments held for reassembly" "$seen $frags" \
	"$(stat_of "$sink" packets_seen) $(stat_of "$sink" fragments_ignored)"
# Untracked before reassembly (notrack ahead of it), fragments reach the
# tracker as they are: counted and ignored, the first one too.
$IP netns exec "$sink" nft -f - <<-END
	table inet tcpsess_notrack {
		chain pre {
			type filter hook prerouting priority -450;
			ip saddr 192.0.2.1 notrack
			ip6 saddr 2001:db8::1 notrack
		}
	}
END
craft 1501 <<<"o A seq=1 ack=1 frag=next"
craft6 1502 <<<"o A seq=1 ack=1 frag=next"
craft 1507 <<<"o S seq=1 frag=first trunc=8"
$IP netns exec "$sink" nft delete table inet tcpsess_notrack
expect_eq "untracked fragments counted and ignored" $((frags + 3)) \
	"$(stat_of "$sink" fragments_ignored)"
expect_eq "no session from a fragment" "" \
	"$(session_by_sport "$sink" 1501)$(session_by_sport "$sink" 1507)"
remember_invalid bad_checksum
craft6 1503 <<<"o S seq=1 csum=bad"
expect_invalid "IPv6 bad checksum" bad_checksum 1503 ""
expect_eq "IPv6 bad checksum: no session" "" "$(session_by_sport "$sink" 1503 6)"
remember_invalid bad_checksum
craft6 1504 <<<"o S seq=1 ext=hbh csum=bad"
expect_invalid "IPv6 bad checksum behind a hop-by-hop header" bad_checksum 1504 ""

# --- mid-stream pickup ---------------------------------------------------------
craft 1600 <<<"o A seq=1 ack=1"
line=$(session_by_sport "$sink" 1600)
expect_eq "pickup: ESTABLISHED" ESTABLISHED "$(echo "$line" | column state)"
expect_eq "pickup: flagged" PICKUP "$(echo "$line" | column flags)"

# --- memory_bytes: each session at its family's object size --------------------
# An IPv4 session's slab object leaves out the IPv6 addresses, so it is
# smaller; a session's end gives back exactly what it took.
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}"
mem0=$(stat_of "$sink" memory_bytes)
craft_per_port "$inj" v2a "$sink_mac" 192.0.2.1 192.0.2.2:80 S 3000 3007
mem4=$(stat_of "$sink" memory_bytes)
craft_per_port "$inj" v2a "$sink_mac" "[2001:db8::1]" "[2001:db8::2]:80" S 3000 3007
mem6=$(stat_of "$sink" memory_bytes)
expect_eq "memory: 16 sessions made" 16 "$(stat_of "$sink" sessions_active)"
per4=$(((mem4 - mem0) / 8))
per6=$(((mem6 - mem4) / 8))
echo "# bytes per session: IPv4 $per4, IPv6 $per6"
check "memory: each IPv4 session charges the same" [ $((per4 * 8)) -eq $((mem4 - mem0)) ]
check "memory: each IPv6 session charges the same" [ $((per6 * 8)) -eq $((mem6 - mem4)) ]
check "memory: an IPv4 session charges something" [ "$per4" -gt 0 ]
check "memory: an IPv4 session is smaller than an IPv6 one" [ "$per4" -lt "$per6" ]
$IP netns exec "$sink" "$HERE/tcpsessctl" flush
expect_eq "memory: all given back by the end" "$mem0" "$(stat_of "$sink" memory_bytes)"

# --- with pickup off, a mid-stream segment is invalid --------------------------
tcpsess_load pickup=0 "${TCPSESS_NO_EXPIRY[@]}"
remember_invalid midstream
craft 1601 <<<"o A seq=1 ack=1"
expect_invalid "pickup off: mid-stream segment" midstream 1601 ""

# --- enforce mode drops what is invalid; monitor lets it through ---------------
# The sink's Tcp counters say what reached its stack.
tcp_counter()
{
	$IP netns exec "$sink" awk -v name="$1" '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c[name] }' /proc/net/snmp
}

for mode in monitor enforce; do
	tcpsess_load mode=$mode "${TCPSESS_NO_EXPIRY[@]}"
	segs=$(tcp_counter InSegs)
	csum=$(tcp_counter InCsumErrors)
	craft_local 1700 <<-END
		o SF seq=1
		o S seq=1 csum=bad
	END
	sleep 0.2
	if [ $mode = monitor ]; then
		check "monitor: invalid segments reach the stack" \
			[ "$(tcp_counter InSegs)" -gt "$segs" ]
		check "monitor: the bad checksum reaches the stack" \
			[ "$(tcp_counter InCsumErrors)" -gt "$csum" ]
	else
		expect_eq "enforce: invalid segments dropped" "$segs" "$(tcp_counter InSegs)"
		expect_eq "enforce: the bad checksum dropped" "$csum" "$(tcp_counter InCsumErrors)"
	fi
	expect_eq "$mode: SYN+FIN counted" 1 "$(stat_of "$sink" invalid_bad_flags)"
	expect_eq "$mode: bad checksum counted" 1 "$(stat_of "$sink" invalid_bad_checksum)"
done

# --- idle timeouts (short ones set at load) -------------------------------------
tcpsess_load timeout_syn_sent=3 timeout_time_wait=3 timeout_closed=3
craft 1800 <<<"o S seq=1000"
handshake 1801
craft 1801 <<-END
	o FA seq=1001 ack=5001
	r FA seq=5001 ack=1002
	o A seq=1002 ack=5002
END
handshake 1802
craft 1802 <<<"o R seq=1001"
expect_eq "timeouts: three sessions made" 3 "$(stat_of "$sink" sessions_created)"
sleep 4
expect_eq "timeouts: expired sessions are not shown" "" \
	"$(sessions "$sink" | tail -n +2)"
wait_for 30 stat_is "$sink" sessions_active 0
expect_eq "timeouts: reaped" 0 "$(stat_of "$sink" sessions_active)"
expect_eq "timeouts: SYN_SENT ends TIMEOUT" 1 "$(stat_of "$sink" ended_timeout)"
expect_eq "timeouts: TIME_WAIT ends FIN" 1 "$(stat_of "$sink" ended_fin)"
expect_eq "timeouts: CLOSED ends RST" 1 "$(stat_of "$sink" ended_rst)"

# A timeout shortened at run time: the GC, which had nothing due for days,
# looks at once (left alone, it would look again in a minute).
tcpsess_load
handshake 1803
expect_eq "shortened timeout: established" ESTABLISHED "$(state_of 1803)"
$IP netns exec "$sink" "$HERE/tcpsessctl" config timeout_established=1
expect_eq "shortened timeout: config set" 0 $?
wait_for 20 stat_is "$sink" sessions_active 0
expect_eq "shortened timeout: reaped within 20 s" 0 "$(stat_of "$sink" sessions_active)"
expect_eq "shortened timeout: ends TIMEOUT" 1 "$(stat_of "$sink" ended_timeout)"

# --- a full table ----------------------------------------------------------------
tcpsess_load max_sessions=20
handshake 1900
craft_per_port "$inj" v2a "$sink_mac" 198.51.100.1 192.0.2.2:80 S 2000 2299 &
flood=$!
max=0
while kill -0 $flood 2>/dev/null; do
	active=$(stat_of "$sink" sessions_active)
	[ "$active" -gt "$max" ] && max=$active
done
wait $flood
check "full table: sessions_active never above max_sessions (max seen $max)" [ "$max" -le 20 ]
expect_eq "full table: at the limit" 20 "$(stat_of "$sink" sessions_active)"
check "full table: oldest unestablished evicted" [ "$(stat_of "$sink" ended_evicted)" -ge 280 ]
expect_eq "full table: the established session survives" ESTABLISHED "$(state_of 1900)"
expect_eq "full table: the newest SYN is kept" SYN_SENT \
	"$(sessions "$sink" | awk '$4 == 2299' | column state)"
# With nothing left to evict, a new session is refused and counted.
tcpsess_load max_sessions=3
handshake 1901
handshake 1902
handshake 1903
craft 1904 <<<"o S seq=1"
expect_eq "full table: nothing evictable counts table_full" 1 "$(stat_of "$sink" table_full)"
expect_eq "full table: established sessions kept" 3 "$(stat_of "$sink" sessions_active)"

tcpsess_finish
