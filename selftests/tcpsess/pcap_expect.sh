#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Derives, on the build host, what replaying a capture must leave in
# tcpsess's table: tshark dissects the capture, and a small state machine
# of its own (below, written from SPEC, sharing nothing with module/) turns
# each TCP stream's flags, sequence and acknowledgement numbers into the
# session's final state, counters, history and flags. replay_test.sh
# compares the module's view with this, field by field.
#
# usage: pcap_expect.sh CAPTURE > EXPECTED
# Output, one record per line:
#   session AF SRC SPORT DST DPORT STATE PKTS_ORIG BYTES_ORIG PKTS_REPLY
#           BYTES_REPLY HISTORY FLAGS END PATH
#     END: REUSED, or - if still live at the end of the capture
#     PATH: every state the session went through, e.g. SYN_SENT>SYN_RECV>...
#   segments N   (TCP segments in the capture)
#   invalid N    (of which tcpsess must judge N invalid)
# A capture with something this derivation does not model (fragments,
# truncated frames, simultaneous open, a tuple reused from a state other
# than TIME_WAIT or CLOSED, ...) fails loudly instead of guessing.
set -euo pipefail

pcap=$1

tshark_quiet()
{
	# As root tshark warns on every run; anything else it says is real.
	tshark "$@" 2> >(grep -v '^Running as user "root"' >&2)
}

# The tracker sees what ip_rcv passes on: whole frames, unfragmented.
odd=$(tshark_quiet -r "$pcap" -n \
	-Y 'frame.len != frame.cap_len || ip.flags.mf == 1 || ip.frag_offset > 0 || ipv6.fraghdr' |
	wc -l)
if [ "$odd" -ne 0 ]; then
	echo "$pcap: $odd truncated or fragmented frames: not modelled" >&2
	exit 1
fi

tshark_quiet -r "$pcap" -n -Y 'tcp && !icmp && !icmpv6' -T fields \
	-E separator=/t -E occurrence=f \
	-e frame.number -e tcp.stream -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst \
	-e tcp.srcport -e tcp.dstport \
	-e tcp.flags.syn -e tcp.flags.ack -e tcp.flags.fin -e tcp.flags.reset \
	-e tcp.len -e tcp.seq_raw -e tcp.ack_raw |
awk -F'\t' -v pcap="$pcap" '
function die(msg) {
	printf "%s: frame %d (tcp.stream %s): %s\n", pcap, $1, $2, msg >"/dev/stderr"
	failed = 1
	exit 1
}
# Sequence space arithmetic: a is b or later, modulo 2^32.
function at_or_after(a, b) {
	return (a - b + 4294967296) % 4294967296 < 2147483648
}
function plus(a, n) {
	return (a + n) % 4294967296
}
function add_history(s, letters,    i, c) {
	for (i = 1; i <= length(letters); i++) {
		c = substr(letters, i, 1)
		if (index(hist[s], c) == 0)
			hist[s] = hist[s] c
	}
}
# The state a session has reached once its handshake is behind it, from
# which sides sent a FIN and which of those FINs were acknowledged.
function closing_state(s,    fins, acked) {
	fins = fin[s, "o"] + fin[s, "r"]
	acked = fin_acked[s, "o"] + fin_acked[s, "r"]
	if (fins == 0)
		return "ESTABLISHED"
	if (fins == 1)
		return acked ? "FIN_WAIT_2" : "FIN_WAIT_1"
	if (acked == 0)
		return "CLOSING"
	return acked == 1 ? "LAST_ACK" : "TIME_WAIT"
}
{
	stream = $2
	af = $3 != "" ? 4 : 6
	src = af == 4 ? $3 : $4
	dst = af == 4 ? $5 : $6
	sport = $7; dport = $8
	syn = $9 + 0; ack = $10 + 0; fin_flag = $11 + 0; rst = $12 + 0
	len = $13 + 0; seq = $14 + 0; ackno = $15 + 0
	segments++

	if (!(stream in sess)) {
		# The tuple, the same whichever way the segment goes.
		a = src " " sport; b = dst " " dport
		tuple = af " " (a < b ? a " " b : b " " a)
		flags = "-"
		if (tuple in live) {
			prev = live[tuple]
			if (state[prev] != "TIME_WAIT" && state[prev] != "CLOSED")
				die("new stream on a tuple in " state[prev])
			if (!syn || ack)
				die("new stream on a closed tuple without a SYN")
			end[prev] = "REUSED"
			flags = "REOPENED"
		}
		if (rst)
			die("a stream that opens with RST (no session; not modelled)")
		if (syn && ack)
			die("a stream that opens with SYN-ACK (not modelled)")
		s = ++nsess
		sess[stream] = s
		live[tuple] = s
		orig[s] = src " " sport
		key[s] = af " " src " " sport " " dst " " dport
		end[s] = "-"
		if (syn) {
			state[s] = "SYN_SENT"
			isn[s, "o"] = seq
		} else {
			# Picked up mid-stream.
			state[s] = "ESTABLISHED"
			flags = "PICKUP"
		}
		flag[s] = flags
		path[s] = state[s]
	}
	s = sess[stream]
	d = (src " " sport) == orig[s] ? "o" : "r"
	e = d == "o" ? "r" : "o"
	valid = 1
	was = state[s]

	if (syn && !ack) {
		if (d == "r")
			die("SYN from the responder: simultaneous open is not modelled")
		if (seq != isn[s, "o"])
			die("SYN with a new ISN in the same tcp.stream: tshark did not split a reused tuple")
	} else if (syn && ack) {
		if (d == "o")
			die("SYN-ACK from the initiator")
		if (state[s] == "SYN_SENT" && ackno == plus(isn[s, "o"], 1)) {
			state[s] = "SYN_RECV"
			isn[s, "r"] = seq
		} else if (!((s, "r") in isn) || seq != isn[s, "r"]) {
			die("SYN-ACK that does not answer the SYN")
		}
	} else if (rst) {
		# RFC 5961: only a RST at exactly the next sequence number
		# closes; in SYN_SENT, only one that acknowledges the SYN.
		if (state[s] == "SYN_SENT")
			valid = d == "r" && ack && ackno == plus(isn[s, "o"], 1)
		else if (state[s] != "CLOSED")
			valid = ((s, d) in nxt) && seq == nxt[s, d]
		if (valid)
			state[s] = "CLOSED"
	} else if (state[s] == "SYN_RECV" && d == "o" && ack &&
		   ackno == plus(isn[s, "r"], 1)) {
		state[s] = "ESTABLISHED"
	} else if (state[s] == "SYN_SENT" || state[s] == "SYN_RECV") {
		die("a segment other than SYN, SYN-ACK, RST or the third ACK during the handshake")
	}

	if (!valid) {
		invalid++
		next
	}
	pkts[s, d]++
	bytes[s, d] += len
	end_seq = plus(seq, len + syn + fin_flag)
	if (!((s, d) in nxt) || at_or_after(end_seq, nxt[s, d]))
		nxt[s, d] = end_seq
	if (fin_flag && !fin[s, d]) {
		fin[s, d] = 1
		fin_seq[s, d] = plus(seq, len + syn)
	}
	if (ack && fin[s, e] && at_or_after(ackno, plus(fin_seq[s, e], 1)))
		fin_acked[s, e] = 1
	if (state[s] != "CLOSED" && state[s] != "SYN_SENT" && state[s] != "SYN_RECV")
		state[s] = closing_state(s)
	if (state[s] != was)
		path[s] = path[s] ">" state[s]

	letters = ""
	if (syn)
		letters = ack ? "H" : "S"
	if (len > 0)
		letters = letters "D"
	if (fin_flag)
		letters = letters "F"
	if (rst)
		letters = letters "R"
	if (letters == "" && ack)
		letters = "A"
	add_history(s, d == "o" ? letters : tolower(letters))
}
END {
	if (failed)
		exit 1
	for (s = 1; s <= nsess; s++)
		printf "session %s %s %d %d %d %d %s %s %s %s\n", key[s], state[s],
			pkts[s, "o"], bytes[s, "o"], pkts[s, "r"], bytes[s, "r"],
			hist[s] == "" ? "-" : hist[s], flag[s], end[s], path[s]
	printf "segments %d\ninvalid %d\n", segments, invalid
}'
