#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Replays each capture of pcaps/ (real stacks: recorded in this VM, and
# tcpdump's own test captures) into a namespace of its own, and compares
# what tcpsess made of it with what tshark made of the same capture
# (pcap_expect.sh, at build time): every session, field by field, in
# /proc/net/tcpsess/sessions and in the END events that a final flush
# raises, and the states each went through in its NEW and STATE events. A
# session ended by the reuse of its tuple is gone from /proc, so it is
# compared through its events (END reason REUSED) alone.
#
# The receiving namespace has no address: segments cross its PRE_ROUTING,
# where the tracker sees them, and are then dropped unrouted, so its own
# stack never answers and adds nothing to the table.
. "$(dirname "$0")/lib.sh"

# /proc's columns, and the same from an event, as pcap_expect.sh writes them.
FIELDS="af src sport dst dport state pkts_orig bytes_orig pkts_reply bytes_reply history flags"

ktap_print_header
require_tools /usr/bin/tcpreplay /usr/bin/tcpdump
# Nothing may time out while a slow kernel replays: time is configured away.
timeouts=()
for state in syn_sent syn_recv established fin_wait_1 fin_wait_2 closing last_ack \
	time_wait closed; do
	timeouts+=("timeout_$state=3600")
done
tcpsess_load "${timeouts[@]}" || ktap_exit_fail_msg "insmod failed"

pcaps=("$HERE"/pcaps/*.pcap)
[ -e "${pcaps[0]}" ] || ktap_exit_fail_msg "no captures in $HERE/pcaps"

# The sessions a capture must leave live, as /proc prints them.
want_live()
{
	awk '$1 == "session" && $14 == "-" {
		print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
	}' "$1" | sort
}

got_live()
{
	sessions "$1" | awk 'NR > 1 { print $2, $3, $4, $5, $6, $7, $10, $11, $12, $13, $18, $19 }' |
		sort
}

# Every session's END: the reused ones as REUSED, the rest by the flush.
want_ends()
{
	awk '$1 == "session" {
		print $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
			$14 == "-" ? "FLUSHED" : $14
	}' "$1" | sort
}

# Each session's tuple and the states it went through.
want_paths()
{
	awk '$1 == "session" { print $2, $3, $4, $5, $6, $15 }' "$1" | sort
}

# One field of an event of tcpsessctl monitor --json, for awk.
JSON_VALUE='
function value(key,    m) {
	if (match($0, "\"" key "\":(\"[^\"]*\"|-?[0-9]+)")) {
		m = substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
		gsub(/"/, "", m)
		return m
	}
	return "?"
}'

# The END events, as /proc-style lines.
got_ends()
{
	awk -v fields="$FIELDS reason" "$JSON_VALUE"'
	BEGIN { n = split(fields, f, " ") }
	/"event":"END"/ {
		line = value(f[1])
		for (i = 2; i <= n; i++)
			line = line " " value(f[i])
		print line
	}' "$1" | sort
}

# From the NEW and STATE events, each session's tuple and states.
got_paths()
{
	awk "$JSON_VALUE"'
	/"event":"NEW"/ {
		id = value("id")
		key[id] = value("af") " " value("src") " " value("sport") " " \
			value("dst") " " value("dport")
		path[id] = value("state")
	}
	/"event":"STATE"/ { id = value("id"); path[id] = path[id] ">" value("state") }
	END { for (id in key) print key[id], path[id] }' "$1" | sort
}

# compare DESCRIPTION WANT_FILE GOT_FILE: one KTAP result; a unified diff
# (- tshark's, + tcpsess's) under a header of column names on mismatch.
compare()
{
	local desc=$1 columns=$4

	if diff -q "$2" "$3" >/dev/null; then
		ktap_test_pass "$desc"
		return 0
	fi
	echo "# $desc: - expected (tshark), + got (tcpsess)"
	echo "#   $columns"
	diff -U0 -L expected -L got "$2" "$3" | sed 's/^/#   /'
	ktap_test_fail "$desc"
	return 1
}

monitor_subscribed()	# NS: a generic netlink socket there has joined a group
{
	$IP netns exec "$1" awk 'NR > 1 && $2 == 16 && $4 != "00000000" { found = 1 }
		END { exit !found }' /proc/net/netlink
}

# Where pcapfix pointed the capture's frames (the pcaps rule of the Makefile).
macs_of()
{
	/usr/bin/tcpdump -Z root -r "$1" -e -n -c 1 2>/dev/null |
		awk '{ sub(/,$/, "", $4); print $2, $4 }'
}

replay()	# CAPTURE
{
	local pcap=$1 name expected inj rcv smac dmac monitor tmp n
	local segments invalid sessions_n

	name=$(basename "$pcap" .pcap)
	expected=${pcap%.pcap}.expected
	tmp=/tmp/replay.$$.$name
	segments=$(awk '$1 == "segments" { print $2 }' "$expected")
	invalid=$(awk '$1 == "invalid" { print $2 }' "$expected")
	sessions_n=$(grep -c '^session ' "$expected")

	inj=$(ns_new "inj-$name")
	rcv=$(ns_new "rcv-$name")
	read -r smac dmac < <(macs_of "$pcap")
	$IP link add rp0 netns "$inj" address "$smac" type veth \
		peer name rp1 netns "$rcv" address "$dmac" ||
		ktap_exit_fail_msg "$name: veth setup failed"
	$IP -n "$inj" link set rp0 up
	$IP -n "$rcv" link set rp1 up

	ns_spawn "$rcv" "$CTL" monitor --json >"$tmp.events" 2>"$tmp.monitor-err"
	monitor=$!
	wait_for 10 monitor_subscribed "$rcv" ||
		echo "# $name: cannot see the monitor join; its sequence numbers will tell"

	# One CPU: the veth hands each frame to that CPU's backlog, so the
	# tracker sees them in the capture's order.
	$IP netns exec "$inj" taskset -c 0 /usr/bin/tcpreplay -q --topspeed -i rp0 "$pcap" \
		>"$tmp.tcpreplay" 2>&1 || sed 's/^/# /' "$tmp.tcpreplay"
	wait_for 10 [ "$(stat_of "$rcv" packets_seen)" -ge "$segments" ]
	expect_eq "$name: every TCP segment reached the tracker" "$segments" \
		"$(stat_of "$rcv" packets_seen)"
	expect_eq "$name: invalid segments" "$invalid" "$(stat_of "$rcv" packets_invalid)"
	expect_eq "$name: sessions created" "$sessions_n" "$(stat_of "$rcv" sessions_created)"

	want_live "$expected" >"$tmp.want-live"
	got_live "$rcv" >"$tmp.got-live"
	compare "$name: /proc/net/tcpsess/sessions" "$tmp.want-live" "$tmp.got-live" "$FIELDS"

	$IP netns exec "$rcv" "$CTL" flush
	wait_for 10 [ "$(grep -c '"event":"END"' "$tmp.events")" -ge "$sessions_n" ]
	kill -INT "$monitor"
	wait "$monitor"
	want_ends "$expected" >"$tmp.want-ends"
	got_ends "$tmp.events" >"$tmp.got-ends"
	compare "$name: END events" "$tmp.want-ends" "$tmp.got-ends" "$FIELDS reason"
	want_paths "$expected" >"$tmp.want-paths"
	got_paths "$tmp.events" >"$tmp.got-paths"
	compare "$name: states passed through (NEW and STATE events)" \
		"$tmp.want-paths" "$tmp.got-paths" "af src sport dst dport states"
	n=$(grep -c . "$tmp.events")
	check "$name: the monitor saw every event from the first" bash -c \
		"[ ! -s '$tmp.monitor-err' ] && [ '$n' = '$(stat_of "$rcv" events_sent)' ] &&
		 grep -q '\"seq\":1,' '$tmp.events'"

	# The comparison itself must be able to fail: the same table with one
	# counter off by one must not match what the tracker reported.
	if [ "$pcap" = "${pcaps[0]}" ]; then
		awk '$1 == "session" && !changed { $8 = $8 + 1; changed = 1 } { print }' \
			"$expected" >"$tmp.wrong"
		want_ends "$tmp.wrong" >"$tmp.want-wrong"
		check "comparison catches a pkts_orig off by one" bash -c \
			"[ \$(sort '$tmp.want-ends' '$tmp.want-wrong' | uniq -u | wc -l) = 2 ] &&
			 ! diff -q '$tmp.want-wrong' '$tmp.got-ends' >/dev/null"
	fi

	$IP netns del "$inj"
	$IP netns del "$rcv"
	rm -f "$tmp".*
}

for pcap in "${pcaps[@]}"; do
	replay "$pcap"
done

tcpsess_finish
