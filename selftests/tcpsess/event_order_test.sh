#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A session's events carry sequence numbers in the order of its changes,
# and a full table evicts only sessions that never reached ESTABLISHED,
# while both CPUs change the same sessions at once. Crafted handshakes
# (SYN, SYN-ACK, ACK, RST, then a SYN with a new ISN, which reopens) run
# in a loop on each CPU:
#  - in "dup", both CPUs loop on the same tuple, so one CPU's segment
#    often meets the session the other CPU has just made or reopened;
#  - in "srv", each CPU loops on its own tuple while SYN floods from both
#    CPUs keep a table of four full, so the oldest embryo is evicted again
#    and again, often while the other CPU is establishing it.
# A monitor per namespace hands every event to judge(): a session's NEW
# must have a lower sequence number than each of its other events, and no
# END EVICTED may end a session that reached ESTABLISHED.
. "$(dirname "$0")/lib.sh"

CTL=$HERE/tcpsessctl
SECONDS_EACH=${EVENT_ORDER_SECONDS:-20}
ktap_print_header
if [ "$(nproc)" -lt 2 ]; then
	ktap_skip_all "needs two CPUs"
	exit "$KSFT_SKIP"
fi
tcpsess_load event_rate=0 pickup=0 "${TCPSESS_NO_EXPIRY[@]}" ||
	ktap_exit_fail_msg "insmod failed"

dup=$(ns_new dup)
srv=$(ns_new srv)
inj=$(ns_new inj)
veth_pair "$inj" "$dup" 1
veth_pair "$inj" "$srv" 2
$IP netns exec "$srv" "$CTL" config max_sessions=4 >/dev/null
stop=/tmp/event-order-stop.$$
rm -f "$stop"

mac_of()	# NS IFACE
{
	$IP -n "$1" link show "$2" | awk '/link\/ether/ { print $2 }'
}

# 200 handshakes on one tuple from one CPU, each reopening the last; the
# ISNs of a CPU's rounds never meet another CPU's.
cycle()		# CPU IFACE MAC SRC:PORT DST:PORT
{
	local isn=$((($1 + 1) * 100000000 + RANDOM * 1000))

	for _ in $(seq 200); do
		echo "o S seq=$isn"
		echo "r SA seq=7000 ack=$((isn + 1))"
		echo "o A seq=$((isn + 1)) ack=7001"
		echo "o R seq=$((isn + 1))"
		isn=$((isn + 10))
	done | $IP netns exec "$inj" taskset -c "$1" "$TCPCRAFT" -i "$2" \
		--dst-mac "$3" -a "$4" -b "$5"
}

# 400 SYNs from one CPU, each opening its own session.
flood()		# CPU IFACE MAC DST:PORT
{
	local base=$((RANDOM % 60000 + 1000))

	seq "$base" $((base + 400)) | sed 's/.*/o S seq=&/' |
		$IP netns exec "$inj" taskset -c "$1" "$TCPCRAFT" -i "$2" \
			--dst-mac "$3" -a "198.51.100.$((RANDOM % 250 + 1)):1" \
			-b "$4" --sport-from-seq
}

# Judges a monitor's JSON lines, which start {"event":E,"seq":N,"id":N for a
# session's events; prints "sessions late_new evicted_established". Plain
# string functions only: the guest's awk must keep up with a flood.
judge()
{
	awk '
	function late(id, seq, what) {
		if (++bad <= 5)
			printf "# session %s: %s seq %s, its NEW seq %s\n", id,
				what, seq, new_seq[id] > "/dev/stderr"
	}
	BEGIN { synced = "^(ESTABLISHED|FIN_WAIT_1|FIN_WAIT_2|CLOSING|LAST_ACK|TIME_WAIT)$" }
	{
		if (split($0, f, ",") < 3 || substr(f[3], 1, 5) != "\"id\":")
			next
		ev = substr(f[1], 11, length(f[1]) - 11)
		seq = substr(f[2], 7) + 0
		id = substr(f[3], 6)
		if (ev == "NEW") {
			sessions++
			new_seq[id] = seq
			if ((id in first) && first[id] < seq)
				late(id, first[id], "an earlier event")
			delete first[id]
			next
		}
		if (id in new_seq) {
			if (seq < new_seq[id])
				late(id, seq, ev)
		} else if (!(id in first) || seq < first[id]) {
			first[id] = seq
		}
		state = ""
		if (match($0, /"state":"[A-Z_0-9]*"/))
			state = substr($0, RSTART + 9, RLENGTH - 10)
		if (ev == "STATE" && state ~ synced)
			est[id] = 1
		if (ev == "END") {
			if (index($0, "\"reason\":\"EVICTED\"") &&
			    ((id in est) || state ~ synced) && ++evest <= 5)
				print "# evicted once established: " $0 > "/dev/stderr"
			delete new_seq[id]
			delete est[id]
		}
	}
	END { printf "%d %d %d\n", sessions, bad, evest }'
}

monitor()	# NS OUTPUT
{
	{ $IP netns exec "$1" "$CTL" monitor --json 2>/dev/null | judge >"$2"; } &
	TCPSESS_PIDS+=($!)
}

out=/tmp/event-order.$$
monitor "$dup" "$out.dup"
monitor "$srv" "$out.srv"
sleep 1
dup_mac=$(mac_of "$dup" v1b)
srv_mac=$(mac_of "$srv" v2b)
for cpu in 0 1; do
	worker cycle "$cpu" v1a "$dup_mac" 198.51.100.1:4000 10.1.0.2:80
	worker cycle "$cpu" v2a "$srv_mac" "198.51.100.1:400$cpu" 10.2.0.2:80
	worker flood "$cpu" v2a "$srv_mac" 10.2.0.2:80
done
sleep "$SECONDS_EACH"

touch "$stop"
# A monitor blocked writing to a judge still behind would not see SIGTERM.
$IP netns pids "$dup" | xargs -r kill -9
$IP netns pids "$srv" | xargs -r kill -9
stop_workers "$stop"
read -r dup_sessions dup_late _ <"$out.dup"
read -r srv_sessions srv_late srv_evest <"$out.srv"
echo "# dup: $dup_sessions sessions judged, $(stat_of "$dup" sessions_created) made"
echo "# srv: $srv_sessions sessions judged, $(stat_of "$srv" sessions_created) made," \
	"$(stat_of "$srv" ended_evicted) evicted"
check "dup: sessions were judged" [ "${dup_sessions:-0}" -gt 100 ]
check "srv: sessions were judged" [ "${srv_sessions:-0}" -gt 100 ]
expect_eq "one tuple from two CPUs: every NEW before its session's other events" \
	0 "$dup_late"
expect_eq "a full table: every NEW before its session's other events" 0 "$srv_late"
expect_eq "a full table: no session evicted once ESTABLISHED" 0 "$srv_evest"
rm -f "$stop" "$out.dup" "$out.srv"

tcpsess_finish
