#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpsessctl against the module: list agrees with /proc, filters, dumps
# under churn, monitor events with their fields, stats, config per
# namespace, flush, an unprivileged user, receive-buffer overruns, and the
# module missing.
. "$(dirname "$0")/lib.sh"

ktap_print_header
require_tools /usr/bin/setpriv

# The /proc columns that do not tick by themselves, from /proc and from JSON.
proc_stable()
{
	sessions "$1" | awk 'NR > 1 { $8 = ""; $9 = ""; print }' | sort
}

json_stable()
{
	local line key out

	while read -r line; do
		out=""
		for key in id af src sport dst dport state age_ms idle_ms pkts_orig \
			   bytes_orig pkts_reply bytes_reply rtt_syn_us rtt_ack_us \
			   retrans_orig retrans_reply history flags \
			   ipbytes_orig ipbytes_reply; do
			case $key in
			age_ms|idle_ms) out+=" " ;;
			*) out+=" $(echo "$line" | json "$key")" ;;
			esac
		done
		echo "${out# }"
	done | sort
}

# FILE of JSON lines: "CHECKED WRONG" for the lines that name a flow, whose
# community_id must be the reference's; the wrong ones go to the log.
check_community_ids()
{
	local line want n=0 bad=0

	while read -r line; do
		[[ $line == *'"dport":'* ]] || continue
		want=$(community_id "$(echo "$line" | json src)" \
			"$(echo "$line" | json sport)" \
			"$(echo "$line" | json dst)" "$(echo "$line" | json dport)")
		n=$((n + 1))
		if [ "$want" != "$(echo "$line" | json community_id)" ]; then
			echo "# community_id should be $want: $line" >&2
			bad=$((bad + 1))
		fi
	done <"$1"
	echo "$n $bad"
}


# --- the module missing ---------------------------------------------------------
[ -d /sys/module/tcpsess ] && /usr/sbin/rmmod tcpsess
out=$("$CTL" list 2>&1)
expect_eq "module absent: exit 1" 1 $?
check "module absent: says not loaded" bash -c "[[ '$out' == *'not loaded'* ]]"

# Sessions must outlive a slow kernel's reads: time is configured away.
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"
cli=$(ns_new cli)
srv=$(ns_new srv)
veth_pair "$cli" "$srv" 1

out=$("$CTL" --version)
expect_eq "--version: exit 0" 0 $?
check "--version: says tcpsessctl and a version" \
	bash -c "[[ '$out' =~ ^tcpsessctl\ [0-9]+\.[0-9]+ ]]"

# The reference against the spec's baseline, before it judges the client.
expect_eq "community_id reference: the spec's IPv4 TCP baseline" \
	"1:LQU9qZlK+B5F3KDmev6m5PMibrg=" \
	"$(community_id 128.232.110.120 34855 66.35.250.204 80)"
expect_eq "community_id reference: the spec's IPv6 TCP baseline" \
	"1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=" \
	"$(community_id 2607:f8b0:400c:c03::1a 25 \
		2001:470:e5bf:dead:4957:2174:e82c:4887 63943)"

"$CTL" frobnicate >/dev/null 2>&1
expect_eq "usage error: exit 2" 2 $?
"$CTL" list --af 5 >/dev/null 2>&1
expect_eq "bad filter: exit 2" 2 $?

# --- monitor while real sessions come and go --------------------------------------
ns_spawn "$cli" "$CTL" monitor --json >/tmp/events.$$ 2>/tmp/events-err.$$
sleep 1
peer_server "$srv" -l 10.1.0.2 -p 8000 --mode echo --count 2
peer_client "$cli" -c 10.1.0.2 -p 8000 --sport 40001 --send 1000 --recv 1000
peer_server "$srv" -6 -l fd01::2 -p 8001 --mode echo
peer_client "$cli" -6 -c fd01::2 -p 8001 --sport 40002 --send 2000 --recv 2000
peer_client "$cli" -c 10.1.0.2 -p 8999 --sport 40003
$IP -n "$cli" neigh add 10.1.0.99 lladdr 02:00:00:00:00:99 dev v1a
peer_client "$cli" -c 10.1.0.99 -p 80 --sport 40004 --timeout-ms 500
peer_client "$cli" -c 10.1.0.2 -p 8000 --sport 40005 --send 100 --close rst
at_least_sessions() { [ "$(sessions "$1" | tail -n +2 | grep -c .)" -ge "$2" ]; }
wait_for 5 at_least_sessions "$cli" 5

# --- list agrees with /proc --------------------------------------------------------
ctl "$cli" list --json >/tmp/list.$$
expect_eq "list: exit 0" 0 $?
expect_eq "list --json: same sessions and fields as /proc" \
	"$(proc_stable "$cli")" "$(json_stable </tmp/list.$$)"
check "list: table has a header and a row per session" \
	[ "$(ctl "$cli" list | grep -c .)" -eq $(( $(grep -c . /tmp/list.$$) + 1 )) ]
check "list --json: numbers are numbers" grep -q '"af":4,' /tmp/list.$$
expect_eq "list --json: every session's community_id is the reference's" \
	"$(grep -c . /tmp/list.$$) 0" "$(check_community_ids /tmp/list.$$)"
for af in 4 6; do
	grep "\"af\":$af," /tmp/list.$$ >/tmp/list-af.$$
	expect_eq "list --json: IPv$af sessions with the reference's community_id" \
		"$(grep -c . /tmp/list-af.$$) 0" "$(check_community_ids /tmp/list-af.$$)"
	check "list --json: there are IPv$af sessions" [ -s /tmp/list-af.$$ ]
done

# --- filters -------------------------------------------------------------------------
filtered()	# awk-condition on /proc columns, then tcpsessctl filter options
{
	local cond=$1

	shift
	expect_eq "filter $*" \
		"$(sessions "$cli" | awk "NR > 1 && ($cond) { print \$1 }" | sort -n | tr '\n' ' ')" \
		"$(ctl "$cli" list --json "$@" | json id | sort -n | tr '\n' ' ')"
}
filtered '$2 == 6' --af 6
filtered '$2 == 4' --af 4
filtered '$4 == 8000 || $6 == 8000' --port 8000
filtered '$3 == "10.1.0.99" || $5 == "10.1.0.99"' --addr 10.1.0.99
filtered '$3 == "fd01::2" || $5 == "fd01::2"' --addr fd01::2
filtered '$7 == "CLOSED"' --state CLOSED
filtered '$7 == "TIME_WAIT" && $2 == 4' --state TIME_WAIT --af 4
filtered '0' --port 1

# --- stats and config ------------------------------------------------------------------
expect_eq "stats: the same as /proc" \
	"$($IP netns exec "$cli" cat /proc/net/tcpsess/stats)" "$(ctl "$cli" stats)"
check "stats --json: one object" bash -c \
	"$IP netns exec $cli $CTL stats --json | grep -q '\"sessions_active\":'"
check "stats: has the RTT histograms" bash -c \
	"$IP netns exec $cli $CTL stats | grep -q '^rtt_ack_sum_us '"
# Every line of /proc, in order, is a key of the JSON object with its value.
expect_eq "stats --json: the same keys, order and values as /proc" \
	"$($IP netns exec "$cli" cat /proc/net/tcpsess/stats)" \
	"$(ctl "$cli" stats --json | tr -d '{}"\n' | tr ',:' '\n ')"
rtt_hist_check "$cli" "stats: RTT histograms"
# The module was loaded with every timeout but ESTABLISHED's out of reach.
expect_eq "config: defaults" "262144 432000 3600 monitor 1 10000" \
	"$(ctl "$cli" config | awk '{ v[$1] = $2 } END { print v["max_sessions"], v["timeout_established"], v["timeout_syn_sent"], v["mode"], v["pickup"], v["event_rate"] }')"
ctl "$cli" config max_sessions=5000 timeout_established=600 mode=enforce
expect_eq "config set: exit 0" 0 $?
expect_eq "config: one key" "max_sessions 5000" "$(ctl "$cli" config max_sessions)"
expect_eq "config: round trip" "600 enforce" \
	"$(ctl "$cli" config | awk '$1 == "timeout_established" || $1 == "mode" { printf "%s ", $2 }' | sed 's/ $//')"
expect_eq "config: the other namespace keeps its own" "max_sessions 262144" \
	"$(ctl "$srv" config max_sessions)"
ctl "$cli" config max_sessions=0 >/dev/null 2>&1
expect_eq "config: out of range refused, exit 2" 2 $?
ctl "$cli" config no_such_key=1 >/dev/null 2>&1
expect_eq "config: unknown key refused, exit 2" 2 $?
expect_eq "config: refused values changed nothing" "max_sessions 5000" \
	"$(ctl "$cli" config max_sessions)"
ctl "$cli" config mode=monitor

# --- an unprivileged user can read the counters, not the sessions, and not touch ----------
nobody()
{
	$IP netns exec "$cli" /usr/bin/setpriv --reuid=65534 --regid=65534 \
		--clear-groups --inh-caps=-all "$CTL" "$@"
}
out=$(nobody list 2>&1)
expect_eq "unprivileged: list refused, exit 1" 1 $?
check "unprivileged: list says permission denied" bash -c "[[ '$out' == *'permission denied'* ]]"
nobody stats >/dev/null
expect_eq "unprivileged: stats works" 0 $?
out=$(nobody config max_sessions=10 2>&1)
expect_eq "unprivileged: config set refused, exit 1" 1 $?
check "unprivileged: says permission denied" bash -c "[[ '$out' == *'permission denied'* ]]"
nobody flush >/dev/null 2>&1
expect_eq "unprivileged: flush refused" 1 $?
out=$(nobody monitor --count 1 2>&1)
expect_eq "unprivileged: monitor refused, exit 1" 1 $?
check "unprivileged: monitor says permission denied" bash -c "[[ '$out' == *'permission denied'* ]]"
expect_eq "unprivileged: nothing changed" "max_sessions 5000" "$(ctl "$cli" config max_sessions)"

# --- flush ends everything, with END events ------------------------------------------------
before=$(stat_of "$cli" sessions_active)
# The session is in TIME_WAIT: its counters are final.
ipbytes_40001=$(session_by_sport "$cli" 40001 4 | column ipbytes_orig)
ipbytes_40001+=" $(session_by_sport "$cli" 40001 4 | column ipbytes_reply)"
ctl "$cli" flush
expect_eq "flush: exit 0" 0 $?
expect_eq "flush: table empty" 0 "$(stat_of "$cli" sessions_active)"
expect_eq "flush: counted" "$before" "$(stat_of "$cli" ended_flushed)"
sleep 0.5
kill -INT "${TCPSESS_PIDS[0]}"
wait "${TCPSESS_PIDS[0]}"
expect_eq "monitor: exits 0 on SIGINT" 0 $?

echo "# $(grep -c . /tmp/events.$$) events"
ev()	# EVENT [KEY VALUE]...: how many events match all of them
{
	local event=$1 line ok count=0 i
	local want

	shift
	want=("$@")
	while read -r line; do
		[ "$(echo "$line" | json event)" = "$event" ] || continue
		ok=1
		for ((i = 0; i < ${#want[@]}; i += 2)); do
			[ "$(echo "$line" | json "${want[i]}")" = "${want[i + 1]}" ] || ok=0
		done
		[ $ok = 1 ] && count=$((count + 1))
	done </tmp/events.$$
	echo $count
}
expect_eq "monitor: NEW for the IPv4 session" 1 "$(ev NEW sport 40001 state SYN_SENT af 4)"
expect_eq "monitor: NEW for the IPv6 session" 1 "$(ev NEW sport 40002 af 6 dst fd01::2)"
expect_eq "monitor: STATE SYN_SENT -> SYN_RECV" 1 "$(ev STATE sport 40001 old_state SYN_SENT state SYN_RECV)"
expect_eq "monitor: STATE SYN_RECV -> ESTABLISHED" 1 "$(ev STATE sport 40001 old_state SYN_RECV state ESTABLISHED)"
expect_eq "monitor: STATE -> TIME_WAIT" 1 "$(ev STATE sport 40001 state TIME_WAIT)"
expect_eq "monitor: refused ends in CLOSED" 1 "$(ev STATE sport 40003 old_state SYN_SENT state CLOSED)"
expect_eq "monitor: RST mid-session" 1 "$(ev STATE sport 40005 state CLOSED)"
expect_eq "monitor: END with reason and final counters" 1 \
	"$(ev END sport 40001 reason FLUSHED bytes_orig 1000 bytes_reply 1000 history ShADadFf)"
read -r ipo ipr <<<"$ipbytes_40001"
expect_eq "monitor: END carries the IP bytes /proc showed" 1 \
	"$(ev END sport 40001 ipbytes_orig "$ipo" ipbytes_reply "$ipr")"
check "monitor: IP bytes beyond the payload" [ "${ipo:-0}" -gt 1000 ]
expect_eq "monitor: an END per flushed session" "$before" "$(ev END reason FLUSHED)"
check "monitor: sequence numbers without gaps" bash -c \
	"json() { sed -n 's/.*\"seq\":\([0-9]*\).*/\1/p'; }; json </tmp/events.$$ | awk 'NR > 1 && \$1 != prev + 1 { bad = 1 } { prev = \$1 } END { exit bad }'"
check "monitor: nothing lost" [ ! -s /tmp/events-err.$$ ]
expect_eq "monitor --json: every event's community_id is the reference's" \
	"$(grep -c . /tmp/events.$$) 0" "$(check_community_ids /tmp/events.$$)"
expect_eq "monitor --json: the IPv6 session's NEW has one" 1 \
	"$(ev NEW sport 40002 community_id "$(community_id fd01::1 40002 fd01::2 8001)")"

# --- INVALID events, from crafted segments ---------------------------------------------------
inj=$(ns_new inj)
sink=$(ns_new sink)
veth_pair "$inj" "$sink" 6
sink_mac=$(mac_of "$sink" v6b)
craft()
{
	$IP netns exec "$inj" "$TCPCRAFT" -i v6a --dst-mac "$sink_mac" \
		-a "192.0.2.1:$1" -b 192.0.2.2:80
}
ns_spawn "$sink" "$CTL" monitor --json --count 4 >/tmp/inval.$$
sleep 1
craft 1000 <<-END
	o SF seq=1
	o S seq=1000
	r SA seq=5000 ack=77
	o R seq=999999
END
at_least_lines() { [ "$(grep -c . "$1")" -ge "$2" ]; }
wait_for 5 at_least_lines /tmp/inval.$$ 4
expect_eq "INVALID without a session" 1 \
	"$(grep -c '"event":"INVALID".*"reason":"BAD_FLAGS"' /tmp/inval.$$)"
expect_eq "INVALID without a session: the segment's community_id" \
	"$(community_id 192.0.2.2 80 192.0.2.1 1000)" \
	"$(grep '"reason":"BAD_FLAGS"' /tmp/inval.$$ | json community_id)"
expect_eq "INVALID events: every community_id is the reference's" "4 0" \
	"$(check_community_ids /tmp/inval.$$)"
line=$(grep '"reason":"SYNACK_BAD_ACK"' /tmp/inval.$$)
expect_eq "INVALID with a session: state" SYN_SENT "$(echo "$line" | json state)"
expect_eq "INVALID with a session: dir" reply "$(echo "$line" | json dir)"
expect_eq "INVALID with a session: the session's id" \
	"$(grep '"event":"NEW"' /tmp/inval.$$ | json id)" "$(echo "$line" | json id)"
expect_eq "INVALID: RST out of window from orig" orig \
	"$(grep '"reason":"RST_OUT_OF_WINDOW"' /tmp/inval.$$ | json dir)"

# --- a dump of thousands while sessions come and go ---------------------------------------------
tcpsess_load max_sessions=3500
craft_per_port "$inj" v6a "$sink_mac" 192.0.2.1 192.0.2.2:80 AA 3000 5999
expect_eq "dump: 3000 stable sessions" 3000 "$(stat_of "$sink" sessions_active)"
churn()
{
	local round

	for round in $(seq 30); do
		craft_per_port "$inj" v6a "$sink_mac" "198.51.100.$round" \
			192.0.2.2:80 S 1000 1999
	done
}
churn &
churner=$!
TCPSESS_PIDS+=("$churner")
bad=0 dumps=0
while kill -0 "$churner" 2>/dev/null && [ $dumps -lt 10 ]; do
	ctl "$sink" list --json --addr 192.0.2.1 >/tmp/dump.$$ || bad=$((bad + 1))
	dumps=$((dumps + 1))
	wrong=$(json sport </tmp/dump.$$ | sort | uniq -c | awk '$1 != 1' | grep -c .)
	total=$(json sport </tmp/dump.$$ | sort -u | grep -c .)
	if [ "$wrong" -ne 0 ] || [ "$total" -ne 3000 ]; then
		echo "# dump $dumps: $total distinct, $wrong repeated"
		bad=$((bad + 1))
	fi
done
wait "$churner"
echo "# $dumps dumps during churn, $(stat_of "$sink" ended_evicted) evictions"
check "dump under churn: every stable session exactly once" [ "$bad" -eq 0 ]
check "dump under churn: churn really happened" [ "$(stat_of "$sink" ended_evicted)" -gt 0 ]

# --- a monitor that cannot keep up says how much it lost, and carries on -----------------------
tcpsess_load event_rate=0 "${TCPSESS_NO_EXPIRY[@]}"
ns_spawn "$sink" "$CTL" monitor --json --rcvbuf 1 >/tmp/slow.$$ 2>/tmp/slow-err.$$
slow=${TCPSESS_PIDS[-1]}
sleep 1
craft_per_port "$inj" v6a "$sink_mac" 203.0.113.1 192.0.2.2:80 S 1000 2999
sleep 1
craft 7777 <<<"o S seq=1"
wait_for 5 grep -q '"sport":7777' /tmp/slow.$$
kill -INT "$slow"
wait "$slow"
expect_eq "overrun: monitor still exits 0" 0 $?
cat /tmp/slow-err.$$ | sed 's/^/# /'
check "overrun: loss reported with a count" grep -qE 'lost [0-9]+ events' /tmp/slow-err.$$
check "overrun: events after the loss still arrive" grep -q '"sport":7777' /tmp/slow.$$
lost=$(sed -n 's/.*lost \([0-9]*\) events.*/\1/p' /tmp/slow-err.$$ | awk '{ s += $1 } END { print s + 0 }')
got=$(grep -c '"event":"NEW"' /tmp/slow.$$)
expect_eq "overrun: received + lost = sent" "$(stat_of "$sink" events_sent)" $((got + lost))

# --- event_rate: events past the rate are not sent, and are counted -------------
tcpsess_load event_rate=5 "${TCPSESS_NO_EXPIRY[@]}"
ns_spawn "$sink" "$CTL" monitor --json >/tmp/rated.$$
rated=${TCPSESS_PIDS[-1]}
sleep 1
craft_per_port "$inj" v6a "$sink_mac" 203.0.113.2 192.0.2.2:80 S 1000 1099
sleep 1
kill -INT "$rated"
wait "$rated"
sent=$(stat_of "$sink" events_sent)
suppressed=$(stat_of "$sink" events_suppressed)
echo "# event_rate=5: $sent sent, $suppressed suppressed"
expect_eq "event_rate: every event either sent or suppressed" 100 $((sent + suppressed))
check "event_rate: most suppressed" [ "$suppressed" -gt 50 ]
expect_eq "event_rate: the monitor got what was sent" "$sent" "$(grep -c . /tmp/rated.$$)"

rm -f /tmp/events.$$ /tmp/events-err.$$ /tmp/rated.$$ /tmp/list.$$ /tmp/list-af.$$ \
	/tmp/inval.$$ /tmp/dump.$$ \
	/tmp/slow.$$ /tmp/slow-err.$$
tcpsess_finish
