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
# Meanwhile /proc and dump readers on both CPUs look at the "dup" sessions
# without their locks, for the KCSAN kernel to watch.
# A monitor per namespace hands every event to judge(): a session's NEW
# must have a lower sequence number than each of its other events, and no
# END EVICTED may end a session that reached ESTABLISHED.
#
# Under TCG those races are rare, as the windows they need are a few
# instructions wide. So, where the module was built with race windows
# (TCPSESS_RACE_WINDOWS=1, module/race.h), each is then staged on purpose:
# the module holds the moment open and the other CPU's segment is put
# into it, try after try (see held_races below). Elsewhere only the
# stress form runs.
. "$(dirname "$0")/lib.sh"

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
ev=$(ns_new ev)
nw=$(ns_new nw)
veth_pair "$inj" "$dup" 1
veth_pair "$inj" "$srv" 2
veth_pair "$inj" "$ev" 3
veth_pair "$inj" "$nw" 4
$IP netns exec "$ev" "$CTL" config max_sessions=2 >/dev/null
$IP netns exec "$srv" "$CTL" config max_sessions=4 >/dev/null
stop=/tmp/event-order-stop.$$
rm -f "$stop"

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

# /proc and a dump ask whether each session has expired, reading its state
# without its lock, while the cycles commit new states under it: what the
# KCSAN kernel watches for a plain access on either side. /proc is read
# again and again by one bash, without a fork, so that its reads of the
# states fall into the detector's short windows often.
reader()	# CPU NS
{
	$IP netns exec "$2" taskset -c "$1" bash -c \
		'for _ in {1..500}; do read -r -d "" _ </proc/net/tcpsess/sessions; done'
	$IP netns exec "$2" taskset -c "$1" "$CTL" list
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
	worker reader "$cpu" "$dup"
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

RACE=/sys/module/tcpsess/parameters/race_window
TRIES=${EVENT_ORDER_TRIES:-5}
# Far longer than CPU 1 takes to see CPU 0's segment and send its own.
WINDOW_US=${EVENT_ORDER_WINDOW_US:-1000000}

# Segments from one CPU of the injecting namespace, in one go.
send()		# CPU IFACE MAC SRC:PORT DST:PORT SEGMENT...
{
	local cpu=$1 iface=$2 mac=$3 a=$4 b=$5 seg args=()

	shift 5
	for seg in "$@"; do
		args+=(--send "$seg")
	done
	$IP netns exec "$inj" taskset -c "$cpu" "$TCPCRAFT" -i "$iface" \
		--dst-mac "$mac" -a "$a" -b "$b" "${args[@]}"
}

# Starts, on CPU 1, what sends the segments of a tcpcraft command line
# (ARGS) once CPU 0's next segment has reached the hook of the namespace
# process PID is in: once its packets_seen passes SEEN. It is in the
# injecting namespace and polling before it returns, with bash's builtins
# alone: nothing stands between the sight and the sending but one exec.
# It gives up after a minute.
react()		# PID SEEN ARGS...
{
	local ready=/tmp/event-order-react.$$

	rm -f "$ready"
	$IP netns exec "$inj" taskset -c 1 bash -c '
		stats=/proc/$1/net/tcpsess/stats seen=$2 ready=$3 value=
		shift 3
		: >"$ready"
		while [ "${value:-$seen}" -le "$seen" ]; do
			[ "$SECONDS" -lt 60 ] || exit 1
			while read -r name value; do
				[ "$name" = packets_seen ] && break
			done <"$stats"
		done
		exec "$@" >/dev/null' react "$1" "$2" "$ready" "${@:3}" &
	reactor=$!
	TCPSESS_PIDS+=("$reactor")
	wait_for 20 [ -e "$ready" ]
	rm -f "$ready"
}

# The eviction race of try N in "ev", a table of two: X, half open, is the
# oldest, Z the other. CPU 0's SYN of a third session evicts, and while
# the evictor holds X chosen, CPU 1 completes X's handshake. X must
# survive, established, and Z go in its place.
evict_try()	# N
{
	local src=198.51.100.$1 dst=10.3.0.9:80

	$IP netns exec "$ev" "$CTL" flush >/dev/null
	send 0 v3a "$ev_mac" "$src:5000" "$dst" "o S seq=1000" "r SA seq=7000 ack=1001"
	send 0 v3a "$ev_mac" "$src:5001" "$dst" "o S seq=1000"
	echo "evict:$WINDOW_US" >"$RACE"
	react "$ev_pid" "$(stat_of "$ev" packets_seen)" "$TCPCRAFT" -i v3a \
		--dst-mac "$ev_mac" -a "$src:5000" -b "$dst" --send "o A seq=1001 ack=7001"
	send 0 v3a "$ev_mac" "$src:5002" "$dst" "o S seq=1000"
	wait "$reactor"
	echo none >"$RACE"
	wait_for 20 grep -q "\"event\":\"NEW\".*\"src\":\"$src\",\"sport\":5002," "$out.evict"
}

# The NEW race of try N in "nw": CPU 0's SYN makes session T, and while
# T is in the table with its NEW not yet sent, CPU 1 sends a marker (a
# lone ACK elsewhere: an INVALID event, which waits for no session) and
# T's SYN-ACK. T's STATE must come after its NEW; the marker coming
# before it shows CPU 1 was in the window.
new_try()	# N
{
	local src=198.51.100.$1 dst=10.4.0.9:80

	echo "new:$WINDOW_US" >"$RACE"
	react "$nw_pid" "$(stat_of "$nw" packets_seen)" "$TCPCRAFT" -i v4a \
		--dst-mac "$nw_mac" -a "$src:1" -b "$dst" --sport-from-seq \
		--send "o A seq=9 ack=1" --send "r SA seq=7000 ack=1001"
	send 0 v4a "$nw_mac" "$src:7000" "$dst" "o S seq=1000"
	wait "$reactor"
	echo none >"$RACE"
	wait_for 20 grep -q "\"event\":\"STATE\".*\"src\":\"$src\",\"sport\":7000," "$out.new"
}

# Prints "N outcome" for each try of a monitor's log: "held" when CPU 1
# came in the window and the code kept order, "lost" when the race was
# lost (X evicted once established; T's STATE before its NEW), "missed"
# when CPU 1 came too late to tell, "none" when the log lacks the try.
judge_tries()	# evict|new
{
	awk -v race="$1" -v tries="$TRIES" '
	function field(name, quoted) {
		if (!match($0, "\"" name "\":" (quoted ? "\"[^\"]*\"" : "[0-9]+")))
			return ""
		return substr($0, RSTART + length(name) + 3 + quoted,
			      RLENGTH - length(name) - 3 - 2 * quoted)
	}
	BEGIN { synced = "^(ESTABLISHED|FIN_WAIT_1|FIN_WAIT_2|CLOSING|LAST_ACK|TIME_WAIT)$" }
	{
		ev = field("event", 1); seq = field("seq", 0) + 0
		src = field("src", 1); sport = field("sport", 0)
		state = field("state", 1)
		if (race == "evict" && sport == 5000) {
			if (ev == "STATE" && state ~ synced)
				est[src] = 1
			if (ev == "END" && field("reason", 1) == "EVICTED") {
				evicted[src] = 1
				if ((src in est) || state ~ synced)
					lost[src] = 1
			}
		} else if (race == "new") {
			if (ev == "NEW" && sport == 7000)
				new[src] = seq
			if (ev == "INVALID" && sport == 9)
				mark[src] = seq
			if (ev == "STATE" && sport == 7000 && !(src in state_seq))
				state_seq[src] = seq
		}
	}
	END {
		for (n = 1; n <= tries; n++) {
			src = "198.51.100." n
			if (race == "evict")
				out = (src in lost) ? "lost" : (src in evicted) ? "missed" :
				      (src in est) ? "held" : "none"
			else if (!(src in new) || !(src in state_seq) || !(src in mark))
				out = "none"
			else
				out = state_seq[src] < new[src] ? "lost" :
				      mark[src] < new[src] ? "held" : "missed"
			print n, out
		}
	}' "$out.$1"
}

# Runs the tries of one race and reports: CPU 1 must have come in the
# window on all tries but one at most, and the race never be lost.
held_race()	# evict|new DESCRIPTION
{
	local n held=0 lost=0 outcome

	for n in $(seq "$TRIES"); do
		"$1_try" "$n"
	done
	while read -r n outcome; do
		echo "# $1 try $n: $outcome"
		case $outcome in
		held) held=$((held + 1)); continue ;;
		lost) lost=$((lost + 1)) ;;
		esac
		grep -F "\"src\":\"198.51.100.$n\"," "$out.$1" | head -n 12 | sed 's/^/#   /'
	done < <(judge_tries "$1")
	echo "# $1 window: CPU 1 came in it on $((held + lost)) of $TRIES tries"
	check "$1 window: CPU 1 came in it on all tries but one at most" \
		[ $((held + lost)) -ge $((TRIES - 1)) ]
	expect_eq "$1 window held open: $2" 0 "$lost"
}

ns_has_pid()	# NS PID
{
	$IP netns pids "$1" | grep -qx "$2"
}

held_races()
{
	local mon_ev mon_nw

	$IP netns exec "$ev" "$CTL" monitor --json >"$out.evict" 2>/dev/null &
	mon_ev=$!
	$IP netns exec "$nw" "$CTL" monitor --json >"$out.new" 2>/dev/null &
	mon_nw=$!
	TCPSESS_PIDS+=("$mon_ev" "$mon_nw")
	# Each monitor is what react() watches its namespace through.
	wait_for 20 ns_has_pid "$ev" "$mon_ev"
	wait_for 20 ns_has_pid "$nw" "$mon_nw"
	ev_pid=$mon_ev nw_pid=$mon_nw
	ev_mac=$(mac_of "$ev" v3b)
	nw_mac=$(mac_of "$nw" v4b)
	sleep 1
	echo "# race windows of $WINDOW_US us, $TRIES tries each"
	held_race evict "no session evicted once ESTABLISHED"
	held_race new "every NEW before its session's other events"
	kill "$mon_ev" "$mon_nw"
	rm -f "$out.evict" "$out.new"
}

if [ -e "$RACE" ]; then
	held_races
else
	echo "# module built without race windows (TCPSESS_RACE_WINDOWS=1): the races were not held open"
	for race in evict new; do
		ktap_test_skip "$race window: not in this build"
		ktap_test_skip "$race window held open: not in this build"
	done
fi

tcpsess_finish
