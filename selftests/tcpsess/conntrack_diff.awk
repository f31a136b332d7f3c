# SPDX-License-Identifier: GPL-2.0
# The judge of conntrack_test.sh: pairs every session of tcpsess's table
# with conntrack's entry for the same tuple and checks that the two agree,
# state by the mapping table below and counters exactly. The capture of
# the tracking namespace's interfaces is the referee: from it each side's
# counters are derived, including the segments conntrack does not account.
#
# Input files, each announced by an assignment before it (busybox awk):
#   kind=expect  "label af sport state flags bytes_orig bytes_reply
#                 segs_orig segs_reply ts_invalid_orig ts_invalid_reply
#                 ct_invalid_orig ct_invalid_reply conntrack", one per
#                 session the test made ("-": not known in advance; segs
#                 "-": one per frame; invalid: segments tcpsess, or
#                 conntrack, must refuse; conntrack "none": trk's ruleset
#                 dropped the first packet, so conntrack has no entry)
#   kind=ts      /proc/net/tcpsess/sessions
#   kind=ct      conntrack -L -p tcp -o extended
#   kind=ev      conntrack -E -o extended (only DESTROY lines are used)
#   kind=cap     tcpdump -nn -e -S -tt -r, of every tracked interface
# Output: "ok DESCRIPTION" / "not ok DESCRIPTION" result lines and "#" notes.

BEGIN {
	# The mapping table: tcpsess's state (and what decides it) -> conntrack's.
	nrows = split("syn_sent syn_sent2 syn_recv established fin_wait_1 " \
		      "fin_wait_1_refin fin_wait_2 closing last_ack last_ack_acked " \
		      "time_wait closed closed_unreplied syn_sent_unconfirmed", rows, " ")
	ct_of["syn_sent"] = "SYN_SENT"
	ct_of["syn_sent2"] = "SYN_SENT2"
	ct_of["syn_recv"] = "SYN_RECV"
	ct_of["established"] = "ESTABLISHED"
	ct_of["fin_wait_1"] = "FIN_WAIT"
	ct_of["fin_wait_1_refin"] = "LAST_ACK"
	ct_of["fin_wait_2"] = "CLOSE_WAIT"
	ct_of["closing"] = "LAST_ACK"
	ct_of["last_ack"] = "LAST_ACK"
	ct_of["last_ack_acked"] = "TIME_WAIT"
	ct_of["time_wait"] = "TIME_WAIT"
	ct_of["closed"] = "CLOSE"
	ct_of["closed_unreplied"] = "(destroyed)"
	ct_of["syn_sent_unconfirmed"] = "(none)"

	# Segments tcpsess counts and conntrack, by design, does not.
	nrules = split("syn_unreplied synack_copy synack_resync syn_ignored gso " \
		       "invalid invalid_both", rules, " ")
	rule_text["syn_unreplied"] = "a SYN but the first, before any reply, is not accounted"
	rule_text["synack_copy"] = "a repeated SYN-ACK is ignored, not accounted"
	rule_text["synack_resync"] = "but one answering an ignored SYN re-syncs conntrack and is accounted"
	rule_text["syn_ignored"] = "a repeated SYN after the reply was heard is ignored"
	rule_text["gso"] = "a GSO packet is one packet to conntrack, its segments to tcpsess"
	rule_text["invalid"] = "a segment only tcpsess finds invalid is accounted by conntrack only"
	rule_text["invalid_both"] = "a segment both find invalid is accounted by neither"
}

function af_of(name)
{
	return name == "ipv6" ? 6 : 4
}

# "addr.port" as tcpdump prints it, for IPv4 and IPv6 alike.
function split_endpoint(s, out,    i)
{
	sub(/:$/, "", s)
	for (i = length(s); i > 0 && substr(s, i, 1) != "."; i--)
		;
	out["addr"] = substr(s, 1, i - 1)
	out["port"] = substr(s, i + 1)
}

function remember(k)
{
	if (!(k in known)) {
		known[k] = 1
		order[++nkeys] = k
	}
}

# A conntrack line, list or event: the first tuple is orig, the second reply.
function parse_ct(line, dest,    t, n, i, kv, seen, k, af, state, key)
{
	n = split(line, t, " ")
	for (i = 1; i <= n && t[i] != "ipv4" && t[i] != "ipv6"; i++)
		;
	if (i > n || t[i + 2] != "tcp")
		return ""
	af = af_of(t[i])
	state = t[i + 5]
	split("", val)
	seen = 0
	for (; i <= n; i++) {
		if (split(t[i], kv, "=") != 2)
			continue
		if (kv[1] == "src")
			seen++
		k = kv[1] seen
		val[k] = kv[2]
	}
	key = af "|" val["src1"] "|" val["sport1"] "|" val["dst1"] "|" val["dport1"]
	dest[key, "state"] = state
	dest[key, "pk0"] = val["packets1"]
	dest[key, "by0"] = val["bytes1"]
	dest[key, "pk1"] = val["packets2"]
	dest[key, "by1"] = val["bytes2"]
	dest[key, "line"] = line
	return key
}

kind == "expect" && NF >= 14 {
	k = $2 "|" $3
	label[k] = $1
	exp_state[k] = $4
	exp_flags[k] = $5
	exp_by[k, 0] = $6
	exp_by[k, 1] = $7
	exp_segs[k, 0] = $8
	exp_segs[k, 1] = $9
	inval[k, 0] = $10
	inval[k, 1] = $11
	ctinval[k, 0] = $12
	ctinval[k, 1] = $13
	ct_none[k] = ($14 == "none")
	expect_order[++nexpect] = k
	next
}

kind == "ts" && $1 != "id" && NF >= 21 {
	k = $2 "|" $3 "|" $4 "|" $5 "|" $6
	remember(k)
	ts[k] = $0
	ts_state[k] = $7
	ts_pk[k, 0] = $10
	ts_by[k, 0] = $11
	ts_pk[k, 1] = $12
	ts_by[k, 1] = $13
	ts_flags[k] = $19
	ts_ipb[k, 0] = $20
	ts_ipb[k, 1] = $21
	next
}

kind == "ct" {
	k = parse_ct($0, ct)
	if (k != "") {
		remember(k)
		in_ct[k] = 1
	}
	next
}

kind == "ev" && index($0, "[DESTROY]") {
	k = parse_ct($0, ev)
	if (k != "") {
		remember(k)
		in_ev[k] = 1
	}
	next
}

kind == "cap" && index($0, "Flags [") {
	if (index($0, "ethertype IPv4"))
		af = 4
	else if (index($0, "ethertype IPv6"))
		af = 6
	else
		next
	if (!match($0, /length [0-9]+: /))
		next
	flen = substr($0, RSTART + 7, RLENGTH - 9) + 0
	rest = substr($0, RSTART + RLENGTH)
	split(rest, t, " ")
	split_endpoint(t[1], src)
	split_endpoint(t[3], dst)
	flags = t[5]
	gsub(/[][,]/, "", flags)
	# The payload length is the last "length N" of the line.
	plen = 0
	tail = rest
	while (match(tail, /length [0-9]+/)) {
		plen = substr(tail, RSTART + 7, RLENGTH - 7) + 0
		tail = substr(tail, RSTART + RLENGTH)
	}
	fwd = af "|" src["addr"] "|" src["port"] "|" dst["addr"] "|" dst["port"]
	rev = af "|" dst["addr"] "|" dst["port"] "|" src["addr"] "|" src["port"]
	if (fwd in known) {
		k = fwd
		d = 0
	} else if (rev in known) {
		k = rev
		d = 1
	} else {
		unattributed++
		if (unattributed <= 5)
			print "# a segment of no session: " $0
		next
	}
	frame(k, d, flags, flen - 14, plen)
	new_payload(k, d, rest, plen)
	next
}

# The payload a direction's application wrote, retransmissions left out:
# the span of sequence space its payload covered. A span, not a sum of
# what each segment added past the highest end so far, because segments
# sent from two CPUs can reach a veth's receiver out of order (a tail loss
# probe overtaking new data on a slow kernel), and a segment captured after
# a later one is still new data. Sequence numbers are compared modulo 2^32.
function new_payload(k, d, rest, plen,    r, b, e)
{
	if (!plen || !match(rest, /seq [0-9]+:[0-9]+/))
		return
	r = substr(rest, RSTART + 4, RLENGTH - 4)
	e = substr(r, index(r, ":") + 1) + 0
	b = substr(r, 1, index(r, ":") - 1) + 0
	if (!((k, d) in seq_end)) {
		seq_begin[k, d] = b
		seq_end[k, d] = e
	} else {
		if (seq_before(seq_end[k, d], e))
			seq_end[k, d] = e
		if (seq_before(b, seq_begin[k, d]))
			seq_begin[k, d] = b
	}
	NEWPAY[k, d] = (seq_end[k, d] - seq_begin[k, d] + 4294967296) % 4294967296
}

function seq_before(a, b)
{
	a = (b - a + 4294967296) % 4294967296
	return a > 0 && a < 2147483648
}

# One segment of session k in direction d (0 orig, 1 reply), in the order
# the tracking namespace saw them. Decides whether conntrack accounted it,
# following nf_conntrack_proto_tcp.c, and notes what the state mapping
# depends on.
function frame(k, d, flags, iplen, plen,    n, syn, ack, fin, rst, why, ignsyn)
{
	n = ++frames[k]
	syn = index(flags, "S") > 0
	ack = index(flags, ".") > 0
	fin = index(flags, "F") > 0
	rst = index(flags, "R") > 0
	seg_line[k, n] = (d ? "reply " : "orig  ") flags " ip " iplen " payload " plen
	F[k, d]++
	IPB[k, d] += iplen
	PAY[k, d] += plen
	why = ""
	ignsyn = 0
	if (syn && !ack && n > 1 && !seen_reply[k]) {
		# SYN_SENT, nothing heard back: the timeout is not refreshed,
		# and the packet not accounted, whichever side sent the SYN.
		why = "syn_unreplied"
	} else if (syn && !ack && d == 0 && n > 1) {
		# Only SYN_SENT2 takes a repeated SYN; elsewhere it is ignored.
		if (!(reply_syn[k] && !reply_synack[k])) {
			why = "syn_ignored"
			ignsyn = 1
		}
	}
	if (syn && !ack && d == 1)
		reply_syn[k] = 1
	if (syn && ack && d == 1) {
		# A copy re-syncs conntrack only if it answers a SYN it ignored.
		if (reply_synack[k] && !prev_ignsyn[k])
			why = "synack_copy"
		else if (reply_synack[k])
			rule_used["synack_resync"]++
		reply_synack[k] = 1
	}
	if (why != "") {
		U[k, d]++
		UB[k, d] += iplen
		rule_used[why]++
		why_seg[k, n] = why
	}
	prev_ignsyn[k] = ignsyn
	if (rst && !first_rst[k]) {
		first_rst[k] = n
		rst_after_reply[k] = seen_reply[k]
	}
	if (first_fin[k] && !second_fin[k] && fin && d != closer[k])
		second_fin[k] = n
	else if (first_fin[k] && fin && d == closer[k] && !second_fin[k])
		fin_copies[k]++
	else if (first_fin[k] && !fin)
		after_fin[k]++
	if (second_fin[k] && n > second_fin[k] && !fin)
		after_second_fin[k]++
	if (fin && !first_fin[k]) {
		first_fin[k] = n
		closer[k] = d
	}
	if (d == 1)
		seen_reply[k] = 1
}

# Which row of the mapping table tcpsess's view of session k falls in.
function row_of(k, ct_state,    s)
{
	s = ts_state[k]
	if (ct_state == "(none)")
		return s == "SYN_SENT" ? "syn_sent_unconfirmed" : ""
	if (s == "SYN_SENT")
		return index(ts_flags[k], "SIMOPEN") ? "syn_sent2" : "syn_sent"
	# conntrack moves on any ACK or FIN after a FIN, whatever it acknowledges.
	if (s == "FIN_WAIT_1") {
		if (after_fin[k])
			return ""
		return fin_copies[k] ? "fin_wait_1_refin" : "fin_wait_1"
	}
	if (s == "LAST_ACK")
		return after_second_fin[k] ? "last_ack_acked" : "last_ack"
	if (s == "CLOSING")
		return after_second_fin[k] ? "" : "closing"
	if (s == "CLOSED")
		return rst_after_reply[k] ? "closed" : "closed_unreplied"
	s = tolower(s)
	return (s in ct_of) ? s : ""
}

function views(k,    d, i)
{
	print "#   tcpsess:   " (k in ts ? ts[k] : "(none)")
	if (k in in_ct)
		print "#   conntrack: " ct[k, "line"]
	if (k in in_ev)
		print "#   conntrack: " ev[k, "line"]
	for (d = 0; d <= 1; d++)
		printf "#   capture %s: %d frames, %d IP bytes, %d payload bytes; " \
		       "not accounted by conntrack: %d frames, %d IP bytes\n",
		       d ? "reply" : "orig", F[k, d], IPB[k, d], PAY[k, d], U[k, d], UB[k, d]
	for (i = 1; i <= frames[k]; i++)
		print "#     " i ": " seg_line[k, i] (why_seg[k, i] ? " (not accounted: " why_seg[k, i] ")" : "")
}

function check(what, want, got)
{
	if (want "" != got "")
		why_not = why_not sprintf("; %s: want %s, got %s", what, want, got)
}

END {
	for (i = 1; i <= nkeys; i++) {
		k = order[i]
		split(k, p, "|")
		lk = p[1] "|" p[3]
		name = (lk in label) ? label[lk] : "unexpected"
		desc = sprintf("session %s: IPv%s %s:%s > %s:%s", name, p[1], p[2], p[3], p[4], p[5])
		why_not = ""
		if (!(lk in label))
			why_not = "; not made by this test"
		if (!(k in ts))
			why_not = why_not "; only in conntrack"
		if (!(k in in_ct) && !(k in in_ev) && !ct_none[lk])
			why_not = why_not "; only in tcpsess"
		if (((k in in_ct) || (k in in_ev)) && ct_none[lk])
			why_not = why_not "; conntrack has an entry the ruleset never let it confirm"
		if ((k in in_ct) && (k in in_ev))
			why_not = why_not "; both listed and destroyed in conntrack"
		if (why_not == "") {
			found[lk] = 1
			if (k in in_ct) {
				ct_state = ct[k, "state"]
				for (d = 0; d <= 1; d++) {
					ctpk[d] = ct[k, "pk" d]
					ctby[d] = ct[k, "by" d]
				}
			} else if (k in in_ev) {
				ct_state = "(destroyed)"
				for (d = 0; d <= 1; d++) {
					ctpk[d] = ev[k, "pk" d]
					ctby[d] = ev[k, "by" d]
				}
			} else {
				ct_state = "(none)"
			}
			check("tcpsess state", exp_state[lk], ts_state[k])
			check("tcpsess flags", exp_flags[lk], ts_flags[k])
			row = row_of(k, ct_state)
			if (row == "")
				why_not = why_not "; no row of the mapping table fits"
			else
				check("conntrack state (row " row ")", ct_of[row], ct_state)
			for (d = 0; d <= 1; d++) {
				dn = d ? "reply" : "orig"
				segs = exp_segs[lk, d] == "-" ? F[k, d] : exp_segs[lk, d]
				if (segs > F[k, d])
					rule_used["gso"]++
				if (inval[lk, d] > ctinval[lk, d])
					rule_used["invalid"]++
				if (ctinval[lk, d] > 0)
					rule_used["invalid_both"]++
				check("tcpsess pkts_" dn, segs - inval[lk, d], ts_pk[k, d])
				check("tcpsess bytes_" dn, PAY[k, d] + 0, ts_by[k, d])
				# What the application sent, plus what went again.
				if (exp_by[lk, d] != "-")
					check("tcpsess bytes_" dn " (sent)", exp_by[lk, d],
					      ts_by[k, d] - (PAY[k, d] - NEWPAY[k, d]))
				# What either refuses here are crafted bare RSTs:
				# an IP header and 20 bytes of TCP. Where a frame is
				# a segment, its IP bytes are the wire's.
				if (exp_segs[lk, d] == "-")
					check("tcpsess ipbytes_" dn, IPB[k, d] -
					      inval[lk, d] * (p[1] == 6 ? 60 : 40),
					      ts_ipb[k, d])
				if (ct_state == "(none)")
					continue
				check("conntrack packets " dn, F[k, d] - U[k, d] - ctinval[lk, d], ctpk[d])
				check("conntrack bytes " dn, IPB[k, d] - UB[k, d] -
				      ctinval[lk, d] * (p[1] == 6 ? 60 : 40), ctby[d])
			}
			desc = desc " " ts_state[k] " ~ " ct_state
			if (why_not == "")
				row_used[row]++
		}
		if (why_not == "") {
			print "ok " desc
		} else {
			print "not ok " desc
			print "#   " substr(why_not, 3)
			views(k)
		}
	}
	for (i = 1; i <= nexpect; i++) {
		lk = expect_order[i]
		if (!(lk in found) && !(lk in reported)) {
			reported[lk] = 1
			split(lk, p, "|")
			print "not ok session " label[lk] ": IPv" p[1] " sport " p[2] \
			      " paired in both tables"
		}
	}
	if (unattributed)
		print "not ok every captured segment belongs to a session (" \
		      unattributed " do not)"
	else
		print "ok every captured segment belongs to a session"
	for (i = 1; i <= nrows; i++) {
		r = rows[i]
		if (row_used[r])
			print "ok mapping row " r " (" ct_of[r] ") proven by " row_used[r] " session(s)"
		else
			print "not ok mapping row " r " (" ct_of[r] ") proven by no session"
	}
	for (i = 1; i <= nrules; i++) {
		r = rules[i]
		if (rule_used[r])
			print "ok accounting rule " r " exercised " rule_used[r] " time(s): " rule_text[r]
		else
			print "not ok accounting rule " r " never exercised: " rule_text[r]
	}
}
