#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpsessctl export against a real collector: nfdump's nfcapd, in its own
# namespace, receives the IPFIX of real IPv4 and IPv6 sessions over UDP,
# and nfdump, reading what it stored, must show each session the tracker
# had, with its 5-tuple and its packets and bytes each way, and no
# sequence number gap; the exporter must say it lost nothing.
. "$(dirname "$0")/lib.sh"

NFCAPD=/usr/bin/nfcapd
NFDUMP=/usr/bin/nfdump
ktap_print_header
require_tools "$NFCAPD" "$NFDUMP"

# Sessions wait in TIME_WAIT for the flush that ends them all at once.
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

#   cli 10.1.0.1 --v1-- 10.1.0.2 srv 10.2.0.1 --v2-- 10.2.0.2 col
cli=$(ns_new cli)
srv=$(ns_new srv)
col=$(ns_new col)
if ! veth_pair "$cli" "$srv" 1 || ! veth_pair "$srv" "$col" 2; then
	ktap_exit_fail_msg "veth setup failed"
fi

dir=$(mktemp -d /tmp/tcpsess-ipfix.XXXXXX)
mkdir "$dir/flows"
ns_spawn "$col" "$NFCAPD" -b 10.2.0.2 -p 4739 -w "$dir/flows" -t 3600 \
	>"$dir/nfcapd.log" 2>&1
nfcapd_pid=$!
wait_for 10 grep -q "Startup" "$dir/nfcapd.log" ||
	echo "# nfcapd did not say it started"

$IP netns exec "$srv" "$CTL" export --ipfix 10.2.0.2:4739 --domain 7 \
	2>"$dir/export.err" &
export_pid=$!
TCPSESS_PIDS+=("$export_pid")
wait_for 10 grep -q "IPFIX to" "$dir/export.err" ||
	echo "# the exporter did not start"

# Enough sessions to fill several 1400-byte messages when they end.
if ! peer_server "$srv" -l 10.1.0.2 -p 8000 --count 30 --mode echo ||
   ! peer_server "$srv" -6 -l fd01::2 -p 8006 --count 10 --mode echo; then
	ktap_exit_fail_msg "servers did not start"
fi
peer_client "$cli" -c 10.1.0.2 -p 8000 --send 3000 --recv 3000 --repeat 30
check "IPv4 clients ran" [ $? -eq 0 ]
peer_client "$cli" -6 -c fd01::2 -p 8006 --send 5000 --recv 5000 --repeat 10
check "IPv6 clients ran" [ $? -eq 0 ]

all_time_wait()
{
	[ "$(sessions "$srv" | awk 'NR > 1 && $7 == "TIME_WAIT"' | wc -l)" = 40 ]
}
wait_for 10 all_time_wait || echo "# not all 40 sessions reached TIME_WAIT"

# What the tracker counted, as nfdump prints it: protocol, orig address
# and port, reply address and port, then packets and whole-IP bytes orig
# (nfdump's in) and reply (out). Bytes come only from a module that
# reports ipbytes (the last two columns); without them the line is short.
sessions "$srv" | awk 'NR > 1 { print 6, $3, $4, $5, $6, $10, $12 }' |
	sort >"$dir/want_pkts"
sessions "$srv" | awk 'NR > 1 { print 6, $3, $4, $5, $6, $10, $20, $12, $21 }' |
	sort >"$dir/want_bytes"
expect_eq "40 sessions tracked" 40 "$(wc -l <"$dir/want_pkts")"
sessions "$srv" | awk 'NR > 1 && $21 == "" { print "# the module reports no ipbytes_*: the bytes cannot match"; exit }'

$IP netns exec "$srv" "$CTL" flush
check "flushed" [ $? -eq 0 ]
wait_for 10 stat_is "$srv" sessions_ended 40 ||
	echo "# not all sessions ended"

# The exporter sends what it has and its options record, then exits 0.
sleep 1
kill -TERM "$export_pid"
wait "$export_pid"
expect_eq "export exits 0 on SIGTERM" 0 $?
sed 's/^/# /' "$dir/export.err"
check "export sent the 40 records and an options record" \
	grep -Eq "sent (4[1-9]|[5-9][0-9]) records" "$dir/export.err"
check "export lost nothing" \
	grep -q "; 0 records not sent, 0 events lost" "$dir/export.err"

# nfcapd writes its file when it stops.
sleep 1
kill -TERM "$nfcapd_pid"
wait "$nfcapd_pid"
sed 's/^/# nfcapd: /' "$dir/nfcapd.log" | tail -n 5

files=()
for f in "$dir"/flows/nfcapd.*; do
	[[ -f $f && $f != *current* ]] && files+=("$f")
done
check "nfcapd stored flows" [ ${#files[@]} -gt 0 ]
for f in "${files[@]}"; do
	"$NFDUMP" -r "$f" -q -N -o "fmt:%pr %sa %sp %da %dp %ipkt %ibyt %opkt %obyt"
done | awk '{ $1 = $1; print }' | sort >"$dir/got"
sed 's/^/# nfdump: /' "$dir/got" | head -n 5

awk '{ print $1, $2, $3, $4, $5, $6, $8 }' "$dir/got" >"$dir/got_pkts"
check "nfdump shows every session with its 5-tuple and packets" \
	cmp -s "$dir/want_pkts" "$dir/got_pkts"
diff "$dir/want_pkts" "$dir/got_pkts" | head -n 10 | sed 's/^/# /'
check "nfdump's bytes are the sessions' whole IP packets" \
	cmp -s "$dir/want_bytes" "$dir/got"
diff "$dir/want_bytes" "$dir/got" | head -n 10 | sed 's/^/# /'
check "IPv6 sessions among them" grep -q " fd01::1 " "$dir/got"

seqfail=$(for f in "${files[@]}"; do "$NFDUMP" -r "$f" -I; done |
	awk '$1 == "Sequence" && $2 == "failures:" { n += $3 } END { print n + 0 }')
expect_eq "no sequence number gaps" 0 "$seqfail"

# --- over TCP, to a collector that goes away and comes back -------------------
# nfcapd takes no TCP: busybox nc stores the stream, checked here as
# RFC 7011 lays it out.

# Flows to PORT in FILE: the stream so far must be whole and well formed.
stream_has()	# FILE PORT FLOWS
{
	local got

	read -ra got <<<"$(ipfix_stream "$1" "$2")"
	[[ ${got[1]} == "$3" && ${got[2]} == ok ]]
}

# Sessions to PORT, ended by a flush.
sessions_to()	# PORT COUNT
{
	peer_server "$srv" -l 10.1.0.2 -p "$1" --count "$2" --mode echo ||
		return 1
	peer_client "$cli" -c 10.1.0.2 -p "$1" --send 1000 --recv 1000 --repeat "$2"
	sleep 0.5
	$IP netns exec "$srv" "$CTL" flush
}

# nc's input never ends, or it would close its side: the exporter takes a
# collector's end of stream for its going away. (Started here, not by
# ns_spawn: bash gives a background command of a function /dev/null.)
mkfifo "$dir/hold"
exec 9<>"$dir/hold"
collector()	# FILE
{
	$IP netns exec "$col" /bin/busybox nc -l -p 4740 <"$dir/hold" >"$1" &
	nc_pid=$!
	TCPSESS_PIDS+=("$nc_pid")
}
collector "$dir/tcp1"
sleep 0.5
$IP netns exec "$srv" "$CTL" export --tcp --ipfix 10.2.0.2:4740 \
	2>"$dir/export_tcp.err" &
export_pid=$!
TCPSESS_PIDS+=("$export_pid")
wait_for 10 grep -q "connected to" "$dir/export_tcp.err"
check "TCP: connected" [ $? -eq 0 ]

sessions_to 8010 5
check "TCP: 5 sessions exported, templates first, sequence numbers right" \
	wait_for 10 stream_has "$dir/tcp1" 8010 5
echo "# first connection: $(ipfix_stream "$dir/tcp1" 8010)"

kill_ours "$nc_pid"
wait "$nc_pid" 2>/dev/null
wait_for 10 grep -q "closed the connection" "$dir/export_tcp.err"
check "TCP: the collector's going away seen" [ $? -eq 0 ]
collector "$dir/tcp2"
check "TCP: reconnected" wait_for 20 \
	eval '[ "$(grep -c "connected to" "$dir/export_tcp.err")" = 2 ]'
sessions_to 8011 5
check "TCP: a new connection starts over: templates, sequence number 0" \
	wait_for 10 stream_has "$dir/tcp2" 8011 5
echo "# second connection: $(ipfix_stream "$dir/tcp2" 8011)"

kill -TERM "$export_pid"
wait "$export_pid"
expect_eq "TCP: export exits 0 on SIGTERM" 0 $?
sed 's/^/# /' "$dir/export_tcp.err"

exec 9>&-
rm -rf "$dir"
tcpsess_finish
