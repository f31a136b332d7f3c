#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UPDATE events (SPEC sections 4 and 6): with report_interval set, a live
# session reports its counters every report_interval seconds, from its
# birth; with it 0, never. Real TCP between two namespaces, a line sent
# every second for a few seconds, watched by tcpsessctl monitor in each.
# The server's namespace sets report_interval=1, the client's keeps the
# default 0. Checked without timing figures: the k-th UPDATE of a session
# is for its k-th interval, so it is at least k seconds old, and as many
# UPDATEs come as whole seconds the session lived (give or take: no more,
# at most two fewer); their counters never go down, END's are at least the
# last UPDATE's, none comes after END, and each one counts in events_sent.
. "$(dirname "$0")/lib.sh"

ktap_print_header

# TIME_WAIT short, so that a closed session ends, and sends END, soon.
tcpsess_load event_rate=0 "${TCPSESS_NO_EXPIRY[@]}" timeout_time_wait=1 ||
	ktap_exit_fail_msg "insmod failed"
cli=$(ns_new cli)
srv=$(ns_new srv)
veth_pair "$cli" "$srv" 1 || ktap_exit_fail_msg "veth setup failed"

# Connects from cli to srv's PORT and sends a line every second, SECONDS
# times, then closes: a session alive, with traffic, for that long.
talk()		# PORT SECONDS
{
	$IP netns exec "$cli" /usr/bin/bash -c '
		exec 3<>"/dev/tcp/10.1.0.2/$1" || exit 1
		for i in $(seq "$2"); do
			echo "tick $i" >&3 || exit 1
			sleep 1
		done
		exec 3>&-' talk "$1" "$2"
}

# The events of the session to srv's PORT, from a monitor's JSON lines, as
# "EVENT age_ms pkts_orig bytes_orig pkts_reply bytes_reply", in order.
events_of()	# FILE PORT
{
	grep "\"dport\":$2," "$1" | awk '
	function field(key) {
		if (!match($0, "\"" key "\":\"?[0-9A-Z_]+"))
			return "?"
		s = substr($0, RSTART + length(key) + 3, RLENGTH - length(key) - 3)
		sub(/^"/, "", s)
		return s
	}
	{
		print field("event"), field("age_ms"), field("pkts_orig"),
		      field("bytes_orig"), field("pkts_reply"), field("bytes_reply")
	}'
}

# Judges one session's events (events_of): prints a complaint or "ok".
# With "whole", the interval was set all its life: an UPDATE for nearly
# every interval it lived.
judge()		# [whole]
{
	awk -v whole="${1:-}" '
	function counters_down() {
		for (i = 3; i <= 6; i++)
			if ($i + 0 < last[i] + 0)
				return 1
		return 0
	}
	$1 == "END" && ended { print "a second END"; bad = 1 }
	$1 == "UPDATE" && ended { print "UPDATE after END"; bad = 1 }
	$1 == "UPDATE" {
		k++
		if ($2 + 0 < k * 1000) {
			printf "UPDATE %d at age %d ms, before its interval\n", k, $2
			bad = 1
		}
		if (k > 1 && $2 + 0 <= last[2] + 0) {
			print "UPDATE ages not increasing"
			bad = 1
		}
	}
	($1 == "UPDATE" || $1 == "END") && k > 0 && counters_down() {
		printf "%s counters went down: %s\n", $1, $0
		bad = 1
	}
	$1 == "UPDATE" { for (i = 2; i <= 6; i++) last[i] = $i }
	$1 == "END" { ended = 1; end_age = $2 }
	END {
		if (!ended) { print "no END"; bad = 1 }
		else if (k > int(end_age / 1000)) {
			printf "%d UPDATEs in %d ms\n", k, end_age
			bad = 1
		} else if (whole && k < int(end_age / 1000) - 2) {
			# One per interval lived; the last may miss its
			# pass, and a loaded VM may stretch one window.
			printf "only %d UPDATEs in %d ms\n", k, end_age
			bad = 1
		}
		if (!bad) print "ok"
	}'
}

count_of()	# EVENT
{
	awk -v e="$1" '$1 == e' | grep -c .
}

expect_eq "report_interval: the parameter's default" 0 \
	"$(cat /sys/module/tcpsess/parameters/report_interval)"
expect_eq "report_interval: a namespace starts from it" "report_interval 0" \
	"$(ctl "$srv" config report_interval)"
ctl "$srv" config report_interval=1
expect_eq "report_interval=1 set" "report_interval 1" "$(ctl "$srv" config report_interval)"
expect_eq "report_interval: the other namespace keeps its own" "report_interval 0" \
	"$(ctl "$cli" config report_interval)"

ns_spawn "$srv" "$CTL" monitor --json >/tmp/upd-srv.$$ 2>/tmp/upd-srv-err.$$
mon_srv=${TCPSESS_PIDS[-1]}
ns_spawn "$srv" "$CTL" monitor >/tmp/upd-text.$$
mon_text=${TCPSESS_PIDS[-1]}
ns_spawn "$cli" "$CTL" monitor --json >/tmp/upd-cli.$$
mon_cli=${TCPSESS_PIDS[-1]}
sleep 1

# --- a session alive for 6 s with traffic: UPDATEs in srv, none in cli ----------
peer_server "$srv" -p 8001 --mode sink || ktap_exit_fail_msg "no server"
talk 8001 6
expect_eq "talk: the client sent every line" 0 $?
wait_for 15 grep -q '"event":"END".*"dport":8001,' /tmp/upd-srv.$$
check "srv: END of the session" grep -q '"event":"END".*"dport":8001,' /tmp/upd-srv.$$
wait_for 15 grep -q '"event":"END".*"dport":8001,' /tmp/upd-cli.$$
check "cli: END of the session" grep -q '"event":"END".*"dport":8001,' /tmp/upd-cli.$$

ev=$(events_of /tmp/upd-srv.$$ 8001)
while read -r line; do echo "# srv: $line"; done <<<"$ev"
updates=$(echo "$ev" | count_of UPDATE)
echo "# srv: $updates UPDATEs in a session of 6 s"
check "srv: UPDATEs come, about one a second (at least 3 in 6 s)" [ "$updates" -ge 3 ]
expect_eq "srv: an UPDATE an interval, counters never down, END last" ok \
	"$(echo "$ev" | judge whole)"
first=$(echo "$ev" | awk '$1 == "UPDATE" { print $4; exit }')
final=$(echo "$ev" | awk '$1 == "UPDATE" { b = $4 } END { print b }')
check "srv: UPDATEs carry current counters (bytes_orig grew between them)" \
	[ "${final:-0}" -gt "${first:-0}" ]
check "srv: an UPDATE is of an ESTABLISHED session, with its history" \
	grep -q '"event":"UPDATE".*"dport":8001,"state":"ESTABLISHED".*"history":"ShAD' \
	/tmp/upd-srv.$$
check "monitor prints UPDATE as text with its counters" \
	grep -qE '^UPDATE [0-9]+ 10\.1\.0\.1:[0-9]+ -> 10\.1\.0\.2:8001 [A-Z_0-9]+ age [^ ]+ pkts [0-9]+/[0-9]+ bytes [0-9]+/[0-9]+ ' \
	/tmp/upd-text.$$
expect_eq "cli (report_interval 0): no UPDATE" 0 "$(grep -c '"event":"UPDATE"' /tmp/upd-cli.$$)"
check "cli: it saw the session's NEW" grep -q '"event":"NEW".*"dport":8001,' /tmp/upd-cli.$$

# --- report_interval set while a session lives: its UPDATEs start ----------------
# No other session is live by now, so without report_interval the GC
# comes back in an hour; setting it must bring the next pass in. Its first
# UPDATE stands for every interval before.
ctl "$srv" config report_interval=0
peer_server "$srv" -p 8002 --mode sink || ktap_exit_fail_msg "no server"
talk 8002 6 &
talker=$!
sleep 2
ctl "$srv" config report_interval=1
wait "$talker"
expect_eq "talk 2: the client sent every line" 0 $?
wait_for 15 grep -q '"event":"END".*"dport":8002,' /tmp/upd-srv.$$
ev=$(events_of /tmp/upd-srv.$$ 8002)
while read -r line; do echo "# srv: $line"; done <<<"$ev"
check "set on a live session: its UPDATEs start" [ "$(echo "$ev" | count_of UPDATE)" -ge 1 ]
expect_eq "set on a live session: at their intervals, END last" ok "$(echo "$ev" | judge)"

# --- report_interval=0 again: no more UPDATEs ------------------------------------
ctl "$srv" config report_interval=0
expect_eq "report_interval=0 set" "report_interval 0" "$(ctl "$srv" config report_interval)"
peer_server "$srv" -p 8003 --mode sink || ktap_exit_fail_msg "no server"
talk 8003 4
wait_for 15 grep -q '"event":"END".*"dport":8003,' /tmp/upd-srv.$$
check "report_interval=0: the session ended" grep -q '"event":"END".*"dport":8003,' /tmp/upd-srv.$$
expect_eq "report_interval=0: no UPDATE" 0 \
	"$(events_of /tmp/upd-srv.$$ 8003 | count_of UPDATE)"

# A session that ended has no more UPDATEs, whatever the interval.
ctl "$srv" config report_interval=1
before=$(grep -c '"event":"UPDATE"' /tmp/upd-srv.$$)
sleep 3
expect_eq "no UPDATE once every session has ended" "$before" \
	"$(grep -c '"event":"UPDATE"' /tmp/upd-srv.$$)"

kill -INT "$mon_srv" "$mon_text" "$mon_cli"
wait "$mon_srv"
expect_eq "srv monitor: exit 0" 0 $?
wait "$mon_text" "$mon_cli"
sed 's/^/# srv monitor: /' /tmp/upd-srv-err.$$
check "srv monitor: lost nothing" [ ! -s /tmp/upd-srv-err.$$ ]
expect_eq "srv: events_sent counts the UPDATEs (= all the monitor got)" \
	"$(grep -c . /tmp/upd-srv.$$)" "$(stat_of "$srv" events_sent)"
expect_eq "srv: nothing suppressed" 0 "$(stat_of "$srv" events_suppressed)"

rm -f /tmp/upd-srv.$$ /tmp/upd-srv-err.$$ /tmp/upd-text.$$ /tmp/upd-cli.$$
tcpsess_finish
