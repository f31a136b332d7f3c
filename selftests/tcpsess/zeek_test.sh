#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpsessctl monitor --json=zeek against real sessions of each kind Zeek
# names (SF, REJ, S0, RSTO, RSTR): one conn.log record per ended session
# with every key, its conn_state, the history /proc showed, the END
# event's counters, the IP bytes a capture saw and the reference's
# community_id.
. "$(dirname "$0")/lib.sh"

TCPDUMP=/usr/bin/tcpdump
ktap_print_header
require_tools $TCPDUMP

WORK=$(mktemp -d /tmp/tcpsess-zeek.XXXXXX)
trap 'tcpsess_cleanup; rm -rf "$WORK"' EXIT

# conn.log's keys, in the order Zeek writes them.
KEYS="ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration
orig_bytes resp_bytes conn_state history orig_pkts orig_ip_bytes resp_pkts
resp_ip_bytes community_id"

# The raw JSON value of KEY in the object on stdin: a string keeps its
# quotes, so that its type shows. No value here holds a comma or brace.
jraw()	# KEY
{
	sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p"
}

jval()	# KEY
{
	jraw "$1" | tr -d '"'
}


tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"
cli=$(ns_new cli)
srv=$(ns_new srv)
veth_pair "$cli" "$srv" 1
# The sessions that are over end soon; none outlives the test.
ctl "$cli" config timeout_syn_sent=4 timeout_time_wait=4 timeout_closed=4 ||
	ktap_exit_fail_msg "cannot shorten the timeouts"

expect_eq "community_id reference: the spec's IPv4 TCP baseline" \
	"1:LQU9qZlK+B5F3KDmev6m5PMibrg=" \
	"$(community_id 128.232.110.120 34855 66.35.250.204 80)"

# --- the referees: the client's capture, and the events as --json has them ---
ns_spawn "$cli" $TCPDUMP -Z root -U --immediate-mode -n -i v1a -s 200 \
	-w "$WORK/v1a.pcap" 2>"$WORK/tcpdump.err"
capture_pid=${TCPSESS_PIDS[-1]}
wait_for 30 grep -q "listening on" "$WORK/tcpdump.err" ||
	ktap_exit_fail_msg "tcpdump did not start"
ns_spawn "$cli" "$CTL" monitor --json >"$WORK/events" 2>"$WORK/events.err"
ns_spawn "$cli" "$CTL" monitor --json=zeek >"$WORK/zeek" 2>"$WORK/zeek.err"
ns_spawn "$cli" "$CTL" monitor --json=zeek --port 8003 >"$WORK/zeek-8003" \
	2>"$WORK/zeek-8003.err"
monitor_pids=("${TCPSESS_PIDS[@]: -3}")
sleep 1
start=$(date +%s)

# --- one session of each kind; the client's port names it ----------------------
# Payloads under one MSS: the capture then sees each segment as it is.
declare -A want_state proc_history

# Once the session reached its last state, before it times out: the
# conn_state it should get, and its history as /proc shows it.
settled()	# SPORT STATE CONN_STATE
{
	wait_for 10 session_state_is "$cli" "$1" "$2"
	want_state[$1]=$3
	proc_history[$1]=$(session_by_sport "$cli" "$1" | column history)
	echo "# $1: $2 ${proc_history[$1]}, should be $3"
}

peer_server "$srv" -l 10.1.0.2 -p 8000 --mode echo
peer_client "$cli" -c 10.1.0.2 -p 8000 --sport 41001 --send 1000 --recv 1000
settled 41001 TIME_WAIT SF

peer_client "$cli" -c 10.1.0.2 -p 8999 --sport 41002 2>/dev/null
settled 41002 CLOSED REJ

# A SYN into a black hole: nobody answers, tcpsess times it out.
$IP -n "$cli" neigh add 10.1.0.99 lladdr 02:00:00:00:00:99 dev v1a
peer_client "$cli" -c 10.1.0.99 -p 80 --sport 41003 --timeout-ms 500 2>/dev/null
settled 41003 SYN_SENT S0

peer_server "$srv" -l 10.1.0.2 -p 8002 --mode sink
peer_client "$cli" -c 10.1.0.2 -p 8002 --sport 41004 --send 100 --close rst
settled 41004 CLOSED RSTO

peer_server "$srv" -l 10.1.0.2 -p 8003 --mode rst
peer_client "$cli" -c 10.1.0.2 -p 8003 --sport 41005 --send 100 --close wait \
	2>/dev/null
settled 41005 CLOSED RSTR

peer_server "$srv" -6 -l fd01::2 -p 8004 --mode echo
peer_client "$cli" -6 -c fd01::2 -p 8004 --sport 41006 --send 900 --recv 900
settled 41006 TIME_WAIT SF

SPORTS="41001 41002 41003 41004 41005 41006"
ended_all() { [ "$(grep -c . "$WORK/zeek")" -ge 6 ]; }
wait_for 60 ended_all
sleep 1
end=$(date +%s)
for pid in "${monitor_pids[@]}"; do
	kill -INT "$pid"
	wait "$pid"
	expect_eq "monitor: exits 0 on SIGINT" 0 $?
done
kill -INT "$capture_pid"
wait "$capture_pid"

echo "# records:"
sed 's/^/# /' "$WORK/zeek"
quiet() { [ ! -s "$WORK/zeek.err" ] && [ ! -s "$WORK/events.err" ]; }
check "no loss, no complaint" quiet

# --- only END events make records, filters apply ---------------------------------
expect_eq "one record per END event" \
	"$(grep -c '"event":"END"' "$WORK/events")" "$(grep -c . "$WORK/zeek")"
check "some events were not ENDs" \
	[ "$(grep -c . "$WORK/events")" -gt "$(grep -c . "$WORK/zeek")" ]
expect_eq "--port 8003: only that session's record" 41005 \
	"$(jval id.orig_p <"$WORK/zeek-8003" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "uids: one each, all different" 6 \
	"$(jval uid <"$WORK/zeek" | sort -u | grep -c .)"

# IP bytes from the capture: the frame less its 14-byte Ethernet header,
# summed over the segments from (orig) and to (resp) the client's port.
capture_ip_bytes()	# SPORT
{
	$TCPDUMP -Z root -r "$WORK/v1a.pcap" -nn -e 2>/dev/null |
		awk -v p="$1" '{
			for (i = 1; i < NF; i++)
				if ($i == "length" && $(i + 1) ~ /:$/)
					break
			if (i == NF)
				next
			len = $(i + 1) + 0 - 14
			src = $(i + 2)
			dst = $(i + 4)
			sub(":$", "", dst)
			if (src ~ "\\." p "$")
				o += len
			else if (dst ~ "\\." p "$")
				r += len
		}
		END { print o + 0, r + 0 }'
}

uid_ok() { [[ $1 =~ ^\"C[0-9A-Za-z]{17}\"$ ]]; }

# --- each record ------------------------------------------------------------------
for sport in $SPORTS; do
	rec=$(grep "\"id.orig_p\":$sport," "$WORK/zeek")
	end_ev=$(grep '"event":"END"' "$WORK/events" | grep "\"sport\":$sport,")
	tag="$sport ${want_state[$sport]}"
	expect_eq "$tag: one record" 1 "$(echo -n "$rec" | grep -c .)"

	missing=""
	for key in $KEYS; do
		[[ $rec == *"\"$key\":"* ]] || missing+=" $key"
	done
	expect_eq "$tag: every key present" "" "$missing"
	expect_eq "$tag: no other key" 18 \
		"$(echo "$rec" | grep -o '"[a-z_.]*":' | grep -c .)"
	check "$tag: ts a number, between start and end" awk -v t="$(echo "$rec" | jraw ts)" \
		-v a="$start" -v b="$end" \
		'BEGIN { exit !(t ~ /^[0-9]+\.[0-9]{6}$/ && t >= a - 1 && t <= b + 1) }'
	check "$tag: duration a number of seconds" awk -v d="$(echo "$rec" | jraw duration)" \
		'BEGIN { exit !(d ~ /^[0-9]+\.[0-9]{6}$/ && d < 60) }'
	check "$tag: uid C and 17 base62 digits" \
		uid_ok "$(echo "$rec" | jraw uid)"
	expect_eq "$tag: proto" '"tcp"' "$(echo "$rec" | jraw proto)"
	expect_eq "$tag: service unknown, null" null "$(echo "$rec" | jraw service)"
	expect_eq "$tag: conn_state" "\"${want_state[$sport]}\"" \
		"$(echo "$rec" | jraw conn_state)"
	expect_eq "$tag: history as /proc showed it" "\"${proc_history[$sport]}\"" \
		"$(echo "$rec" | jraw history)"
	expect_eq "$tag: endpoints as the END event's" \
		"$(for k in src sport dst dport; do echo "$end_ev" | jval $k; done)" \
		"$(for k in id.orig_h id.orig_p id.resp_h id.resp_p; do
			echo "$rec" | jval $k; done)"
	expect_eq "$tag: packet and byte counts as the END event's" \
		"$(for k in pkts_orig bytes_orig pkts_reply bytes_reply; do
			echo "$end_ev" | jraw $k; done)" \
		"$(for k in orig_pkts orig_bytes resp_pkts resp_bytes; do
			echo "$rec" | jraw $k; done)"
	expect_eq "$tag: IP bytes as the capture's" "$(capture_ip_bytes "$sport")" \
		"$(echo "$rec" | jraw orig_ip_bytes) $(echo "$rec" | jraw resp_ip_bytes)"
	expect_eq "$tag: community_id as the reference's" \
		"\"$(community_id "$(echo "$rec" | jval id.orig_h)" "$sport" \
			"$(echo "$rec" | jval id.resp_h)" \
			"$(echo "$rec" | jval id.resp_p)")\"" \
		"$(echo "$rec" | jraw community_id)"
done

tcpsess_finish
