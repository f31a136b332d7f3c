#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpsessctl export under a flood of events: what it loses it
# counts, on stderr and in its options record, never silently, and its
# memory stays bounded however many sessions end.
#  1. Events the kernel could not deliver: a stopped exporter with a tiny
#     receive buffer while thousands of sessions end at once. The lost
#     count must be the kernel's own count of drops at that socket, and
#     with the records the collector got, account for every END event.
#  2. Records that could not be sent: a collector that accepts and stops
#     reading, so the socket buffers and then the 16384-record queue fill.
#     notSentFlowTotalCount and the records that arrived account for every
#     END event, and the exporter's RSS stays within its queue's size and
#     does not grow from 20000 ended sessions to 40000.
#  3. Over UDP, a capture of 8000 records leaving: paced, and the
#     templates not repeated within the minute.
# Sessions are crafted SYNs to addresses the tracker's namespace does not
# own, so its stack never answers, and a flush ends them all at once.
. "$(dirname "$0")/lib.sh"

NFCAPD=/usr/bin/nfcapd
ktap_print_header
require_tools "$NFCAPD"

tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

#   inj 10.1.0.1 --v1-- 10.1.0.2 trk 10.2.0.1 --v2-- 10.2.0.2 col
inj=$(ns_new inj)
trk=$(ns_new trk)
col=$(ns_new col)
if ! veth_pair "$inj" "$trk" 1 || ! veth_pair "$trk" "$col" 2; then
	ktap_exit_fail_msg "veth setup failed"
fi
trk_mac=$(mac_of "$trk" v1b)

# Unlimited, or the kernel would suppress events before any socket.
$IP netns exec "$trk" "$CTL" config event_rate=0 >/dev/null
check "event_rate=0 set" [ $? -eq 0 ]

dir=$(mktemp -d /tmp/tcpsess-flood.XXXXXX)
rmem_max=$(cat /proc/sys/net/core/rmem_max)

active_at_least()	# COUNT
{
	[ "$(stat_of "$trk" sessions_active)" -ge "$1" ]
}

active_at_most()	# COUNT
{
	[ "$(stat_of "$trk" sessions_active)" -le "$1" ]
}

in_range()	# VALUE MIN MAX
{
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# SYNs from ADDR's ports FIRST..LAST, and the sessions they make counted.
flood()	# ADDR FIRST LAST
{
	local before want

	before=$(stat_of "$trk" sessions_active)
	craft_per_port "$inj" v1a "$trk_mac" "$1" 192.0.2.2:80 S "$2" "$3" ||
		return 1
	# The exporter's connection, flushed, may come back meanwhile.
	want=$((before + $3 - $2 + 1))
	wait_for 120 active_at_least "$want"
}

# Ends every session. The exporter's own connection to the collector is
# one of them, and comes back with its next segment.
flush_all()
{
	$IP netns exec "$trk" "$CTL" flush &&
		wait_for 60 active_at_most 1
}

# "SENT NOT_SENT LOST" of an exporter's last words on FILE.
summary()	# FILE
{
	sed -n 's/.*export: sent \([0-9]*\) records in [0-9]* messages; \([0-9]*\) records not sent, \([0-9]*\) events lost$/\1 \2 \3/p' "$1"
}

# The kernel's view of PID's netlink sockets in namespace trk: "RMEM DROPS",
# the bytes waiting to be read and the events dropped for want of room.
nl_socket()	# PID
{
	local inodes fd

	inodes=$(for fd in "/proc/$1/fd/"*; do readlink "$fd"; done 2>/dev/null |
		sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
	$IP netns exec "$trk" awk -v inodes=" $inodes" '
		NR > 1 && index(inodes, " " $10 " ") { rmem += $5; drops += $9 }
		END { print rmem + 0, drops + 0 }' /proc/net/netlink
}

# Whether PID has read every event waiting for it.
nl_drained()	# PID
{
	[[ $(nl_socket "$1") == "0 "* ]]
}

listening()	# PORT [-u]
{
	$IP netns exec "$col" /usr/bin/ss -ln "${2:--t}" | grep -q ":$1 "
}

rss_of()	# PID
{
	awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}

# The options records of FILE's stream: whether its last one says NOT_SENT
# records not sent and LOST events lost.
last_options_say()	# FILE NOT_SENT LOST
{
	local got

	read -ra got <<<"$(ipfix_stream "$1" 0)"
	[[ ${got[2]} == ok && ${got[5]} == "$2" && ${got[6]} == "$3" ]]
}

# nc's input never ends, or it would close its side: the exporter takes a
# collector's end of stream for its going away.
mkfifo "$dir/hold"
exec 9<>"$dir/hold"

# --- 1. events lost at the exporter's socket -----------------------------------
n1=3000
$IP netns exec "$col" /bin/busybox nc -l -p 4740 <"$dir/hold" >"$dir/tcp1" &
nc_pid=$!
TCPSESS_PIDS+=("$nc_pid")
# Made before the exporter listens: their START events are never sent.
flood 198.51.100.1 1 $n1
check "lost events: $n1 sessions made" [ $? -eq 0 ]

wait_for 10 listening 4740
$IP netns exec "$trk" "$CTL" export --tcp --ipfix 10.2.0.2:4740 \
	--rcvbuf 4096 2>"$dir/export1.err" &
export_pid=$!
TCPSESS_PIDS+=("$export_pid")
wait_for 20 grep -q "connected to" "$dir/export1.err"
check "lost events: exporter connected" [ $? -eq 0 ]

# Each ended session is an END event: none suppressed, none unsent.
ended0=$(stat_of "$trk" sessions_ended)
kill -STOP "$export_pid"
flush_all
check "lost events: flushed" [ $? -eq 0 ]
ends=$(($(stat_of "$trk" sessions_ended) - ended0))
echo "# $ends END events sent to a stopped exporter ($SECONDS s)"
kill -CONT "$export_pid"
# A gap shows only once an event after it arrives.
flood 198.51.100.1 $((n1 + 1)) $((n1 + 1))
wait_for 30 grep -q "lost [0-9]* events" "$dir/export1.err"
check "lost events: the exporter says so at once" [ $? -eq 0 ]
wait_for 30 nl_drained "$export_pid"
read -r _ drops <<<"$(nl_socket "$export_pid")"

kill -TERM "$export_pid"
wait "$export_pid"
expect_eq "lost events: export exits 0" 0 $?
sed 's/^/# /' "$dir/export1.err"
read -r sent1 notsent1 lost1 <<<"$(summary "$dir/export1.err")"
wait_for 20 last_options_say "$dir/tcp1" "$notsent1" "$lost1"
read -r _ _ ok1 all1 opts1 _ <<<"$(ipfix_stream "$dir/tcp1" 0)"
kill_ours "$nc_pid"
echo "# stream: $(ipfix_stream "$dir/tcp1" 0); kernel drops $drops"

expect_eq "lost events: every session ended, the exporter's own too" \
	$((n1 + 1)) "$ends"
check "lost events: some were lost ($lost1)" [ "${lost1:-0}" -gt 0 ]
expect_eq "lost events: as many as the kernel dropped at the socket" \
	"$drops" "$lost1"
expect_eq "lost events: the stream is whole" ok "$ok1"
expect_eq "lost events: records sent are the stream's" "$sent1" \
	$((all1 + opts1))
expect_eq "lost events: no record left unsent" 0 "$notsent1"
expect_eq "lost events: records received + events lost = END events sent" \
	"$ends" $((all1 + lost1))
check "lost events: the last options record says $lost1 lost" \
	last_options_say "$dir/tcp1" 0 "$lost1"

# --- 2. records the collector would not take -----------------------------------
# Small TCP buffers both ways, so that the queue is what fills.
$IP netns exec "$col" sh -c 'echo 4096 8192 8192 >/proc/sys/net/ipv4/tcp_rmem'
$IP netns exec "$trk" sh -c 'echo 4096 16384 16384 >/proc/sys/net/ipv4/tcp_wmem'
# And room for every event, so that none is lost here: each loss is the
# queue's.
echo $((64 << 20)) >/proc/sys/net/core/rmem_max

# nc writes into a pipe nobody reads until "gate" opens it: then it stops
# reading the connection, the collector that accepts and never reads.
mkfifo "$dir/out2"
exec 8<>"$dir/out2"
$IP netns exec "$col" /bin/busybox nc -l -p 4741 <"$dir/hold" >"$dir/out2" &
nc_pid=$!
TCPSESS_PIDS+=("$nc_pid")
wait_for 10 listening 4741
$IP netns exec "$trk" "$CTL" export --tcp --ipfix 10.2.0.2:4741 \
	--rcvbuf $((32 << 20)) 2>"$dir/export2.err" 8<&- &
export_pid=$!
TCPSESS_PIDS+=("$export_pid")
wait_for 20 grep -q "connected to" "$dir/export2.err"
check "not sent: exporter connected" [ $? -eq 0 ]
rss0=$(rss_of "$export_pid")

# Its RSS, every fifth of a second, until the stop file.
while [ ! -e "$dir/rss_stop" ] && rss_of "$export_pid"; do
	sleep 0.2
done >"$dir/rss" 2>/dev/null 8<&- &
TCPSESS_PIDS+=($!)
rss_max()
{
	sort -n "$dir/rss" | tail -n 1
}

ended0=$(stat_of "$trk" sessions_ended)
for round in 1 2; do
	first=$(((round - 1) * 20000 + 1))
	flood 198.51.100.2 $first $((first + 19999))
	check "not sent: round $round: 20000 sessions made" [ $? -eq 0 ]
	flush_all
	check "not sent: round $round: flushed" [ $? -eq 0 ]
	wait_for 60 nl_drained "$export_pid"
	check "not sent: round $round: the exporter read every event" [ $? -eq 0 ]
	# Past the next flush of the queue.
	sleep 0.5
	rss[round]=$(rss_of "$export_pid")
	maxrss[round]=$(rss_max)
done
touch "$dir/rss_stop"
ends2=$(($(stat_of "$trk" sessions_ended) - ended0))
read -r _ drops <<<"$(nl_socket "$export_pid")"
echo "# $ends2 sessions ended ($SECONDS s)"
echo "# RSS (KiB): start $rss0, after 20000 ends ${rss[1]} (max ${maxrss[1]}), after 40000 ${rss[2]} (max ${maxrss[2]})"

# The queue's slots (struct slot, 176 bytes) are all it takes per record,
# 2816 KiB; 3 MiB more for the program, its libraries and its buffers
# (about 1.8 MiB at the start on 6.12; 6.1's split RSS counters make an
# idle process's figure too low to start from).
bound=$((16384 * 176 / 1024 + 3072))
check "memory: RSS stayed below $bound KiB (max ${maxrss[2]})" \
	[ "${maxrss[2]}" -lt "$bound" ]
growth=$((rss[2] - rss[1]))
[ $((maxrss[2] - maxrss[1])) -gt "$growth" ] && growth=$((maxrss[2] - maxrss[1]))
# 6.1's counters may lag 64 pages; a leak of 32 bytes a session is more.
check "memory: no growth from 20000 to 40000 ended sessions ($growth KiB)" \
	[ "$growth" -lt 512 ]

# The collector reads again: the queue drains, then the exporter stops.
# So every record is either in the stream or was dropped from the full
# queue, and the count is exact: stopped with records still queued, the
# exporter would count its unsent options record among them too.
cat "$dir/out2" >"$dir/tcp2" 8<&- &
cat_pid=$!
TCPSESS_PIDS+=("$cat_pid")
exec 8<&-
# Whether the stream has stopped growing, at MIN bytes or more.
size_settled()	# MIN
{
	local a b

	a=$(stat -c %s "$dir/tcp2")
	sleep 1
	b=$(stat -c %s "$dir/tcp2")
	[ "$a" = "$b" ] && [ "$a" -ge "$1" ]
}
wait_for 120 size_settled $((16384 * 80))
check "not sent: the queue drained once the collector read" [ $? -eq 0 ]
kill -TERM "$export_pid"
wait "$export_pid"
expect_eq "not sent: export exits 0" 0 $?
sed 's/^/# /' "$dir/export2.err"
read -r sent2 notsent2 lost2 <<<"$(summary "$dir/export2.err")"
wait_for 30 size_settled 0
kill_ours "$nc_pid"
kill_ours "$cat_pid"
# Parsed once: megabytes take a while on a slow VM.
stream=$(ipfix_stream "$dir/tcp2" 0)
read -r _ _ ok2 all2 opts2 notsent_opt lost_opt <<<"$stream"
echo "# stream: $stream ($SECONDS s)"

# With them the connections between the namespaces, the exporters' own:
# how many of those a flush finds depends on their segments' timing.
check "not sent: every session ended ($ends2)" [ "$ends2" -ge 40000 ]
expect_eq "not sent: no event lost" "0 0" "$lost2 $drops"
check "not sent: records were not sent ($notsent2)" [ "${notsent2:-0}" -gt 0 ]
expect_eq "not sent: the stream is whole" ok "$ok2"
expect_eq "not sent: records sent are the stream's" "$sent2" \
	$((all2 + opts2))
expect_eq "not sent: records received + not sent = END events sent" \
	"$ends2" $((all2 + notsent2))
expect_eq "not sent: the last options record says $notsent2 not sent" \
	"$notsent2 0" "$notsent_opt $lost_opt"

# --- 3. UDP: paced, templates not repeated -------------------------------------
# The exporter sends at most PACE_BURST (16) messages at once, then
# PACE_PER_MS (4) a millisecond, and the templates once a minute. Judged
# on the capture's timestamps, taken as each datagram left (netif_rx), as
# generous bounds: 16 + 4 per millisecond of any 10 ms window, plus one
# millisecond for the clocks' granularity.
# A collector listens, or an ICMP error would make the exporter drop.
mkdir "$dir/flows"
ns_spawn "$col" "$NFCAPD" -b 10.2.0.2 -p 4739 -w "$dir/flows" -t 3600 \
	>"$dir/nfcapd.log" 2>&1
wait_for 10 listening 4739 -u
# The guest has no tcpdump user to drop to.
ns_spawn "$col" /usr/bin/tcpdump -Z root -U --immediate-mode -n -i v2b \
	-s 64 -w "$dir/udp.pcap" udp port 4739 2>"$dir/tcpdump.err"
tcpdump_pid=$!
wait_for 30 grep -q "listening on" "$dir/tcpdump.err" ||
	ktap_exit_fail_msg "tcpdump did not start"
$IP netns exec "$trk" "$CTL" export --ipfix 10.2.0.2:4739 \
	--rcvbuf $((32 << 20)) 2>"$dir/export3.err" &
export_pid=$!
TCPSESS_PIDS+=("$export_pid")
wait_for 20 grep -q "IPFIX to" "$dir/export3.err"
check "UDP: exporter started" [ $? -eq 0 ]
flood 198.51.100.3 1 8000
check "UDP: 8000 sessions made" [ $? -eq 0 ]
flush_all
check "UDP: flushed" [ $? -eq 0 ]
wait_for 60 nl_drained "$export_pid"
kill -TERM "$export_pid"
wait "$export_pid"
expect_eq "UDP: export exits 0" 0 $?
sed 's/^/# /' "$dir/export3.err"
read -r sent3 notsent3 lost3 <<<"$(summary "$dir/export3.err")"
messages3=$(sed -n 's/.*export: sent [0-9]* records in \([0-9]*\) messages.*/\1/p' \
	"$dir/export3.err")
captured()	# COUNT
{
	[ "$(/usr/bin/tcpdump -Z root -r "$dir/udp.pcap" 2>/dev/null | wc -l)" -ge "$1" ]
}
wait_for 10 captured "$messages3"
kill_ours "$tcpdump_pid"
wait "$tcpdump_pid"

# "MESSAGES TEMPLATED SPAN_MS BUSIEST": the datagrams captured, how many
# carry the template set (set ID 2 at byte 16 of the IPFIX header, 44 of
# the IP packet), the capture's span and the most in any 10 ms.
/usr/bin/tcpdump -Z root -r "$dir/udp.pcap" -n -tt -x 2>/dev/null | awk '
	/^[0-9]+\.[0-9]+ IP / { t[n++] = $1 * 1000; next }
	$1 == "0x0020:" && $8 == "0002" { templated++ }
	END {
		for (i = 0; i < n; i++) {
			while (t[i] - t[j] >= 10)
				j++
			if (i - j + 1 > busiest)
				busiest = i - j + 1
		}
		printf "%d %d %d %d\n", n, templated, n ? t[n - 1] - t[0] : 0, busiest
	}' >"$dir/udp.summary"
read -r msgs3 templated3 span3 busiest3 <"$dir/udp.summary"
echo "# UDP: $msgs3 messages over $span3 ms, at most $busiest3 in 10 ms, $templated3 with templates"
expect_eq "UDP: no record lost or unsent" "0 0" "$notsent3 $lost3"
check "UDP: every record sent ($sent3)" [ "${sent3:-0}" -gt 8000 ]
expect_eq "UDP: every message captured" "$messages3" "$msgs3"
check "UDP: paced, at most 60 messages in any 10 ms ($busiest3)" \
	[ "${busiest3:-999}" -le $((16 + 4 * 11)) ]
check "UDP: templates once a minute ($templated3 in $span3 ms)" \
	in_range "${templated3:-0}" 1 $((1 + span3 / 60000))

expect_eq "every END event was sent, none suppressed" 0 \
	"$(stat_of "$trk" events_suppressed)"

echo "$rmem_max" >/proc/sys/net/core/rmem_max
exec 9>&-
rm -rf "$dir"
tcpsess_finish
