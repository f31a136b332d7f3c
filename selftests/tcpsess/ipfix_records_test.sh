#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What the IPFIX records say of each kind of session (ipfix_test.sh covers
# the transports): real sessions of every kind (completed, refused, reset,
# half-open timed out; IPv4 and IPv6; one long enough for interim records)
# end in records that nfcapd stores and nfdump shows with their 5-tuples,
# both directions' packets and IP bytes equal to the END events', and the
# end reason SPEC section 9 maps each to, after interim records at the
# active timeout. The export's capture, the traffic's and nfdump's reading
# go to the host's referee (scripts/referee/ipfix.sh), where tshark decodes
# every IPFIX message and counts the traffic.
. "$(dirname "$0")/lib.sh"

NFCAPD=/usr/bin/nfcapd
NFDUMP=/usr/bin/nfdump
TCPDUMP=/usr/bin/tcpdump
ETHTOOL=/usr/sbin/ethtool
COLLECTOR_PORT=4739

# flowEndReason (RFC 7011 / IANA)
IDLE_TIMEOUT=1
ACTIVE_TIMEOUT=2
END_OF_FLOW=3

require_tools "$NFCAPD" "$NFDUMP" "$TCPDUMP" "$ETHTOOL"
ktap_print_header
tcpsess_load || ktap_exit_fail_msg "insmod failed"

work=$(mktemp -d /tmp/ipfix.XXXXXX)
cli=$(ns_new cli)
srv=$(ns_new srv)
veth_pair "$cli" "$srv" 1 || ktap_exit_fail_msg "veth setup failed"
# Every frame the capture holds must be one wire packet, as the tracker and
# IPFIX count them: no segmentation offloads, no coalescing.
$IP netns exec "$cli" "$ETHTOOL" -K v1a tso off gso off gro off >/dev/null
$IP netns exec "$srv" "$ETHTOOL" -K v1b tso off gso off gro off >/dev/null


# Sessions end soon after their last segment, so that the records come.
ctl "$cli" config timeout_time_wait=1 timeout_closed=1 timeout_syn_sent=2 ||
	ktap_exit_fail_msg "config failed"

mkdir -p "$work/flows"
ns_spawn "$cli" "$NFCAPD" -w "$work/flows" -b 127.0.0.1 -p "$COLLECTOR_PORT" -4
collector_pid=$!
# Captures, each started before anything it must see.
capture()	# NAME IFACE FILTER...
{
	local name=$1 iface=$2

	shift 2
	ns_spawn "$cli" "$TCPDUMP" -Z root -U --immediate-mode -n -i "$iface" \
		-w "$work/$name.pcap" "$@" 2>"$work/$name.err"
	wait_for 30 grep -q "listening on" "$work/$name.err" ||
		ktap_exit_fail_msg "tcpdump on $iface did not start"
}
capture export lo udp port "$COLLECTOR_PORT"
capture traffic v1a tcp
ns_spawn "$cli" "$CTL" monitor --json >"$work/events.json"
sleep 1
$IP netns exec "$cli" "$CTL" export --ipfix "127.0.0.1:$COLLECTOR_PORT" \
	--active-timeout 1 2>"$work/export.err" &
exporter_pid=$!
TCPSESS_PIDS+=("$exporter_pid")
sleep 0.5

# The sessions, one source port each.
peer_server "$srv" -l 10.1.0.2 -p 8000 --mode echo --count 2
peer_server "$srv" -6 -l fd01::2 -p 8000 --mode echo
peer_client "$cli" -c 10.1.0.2 -p 8000 --sport 41001 --send 3000 --recv 3000 --close fin
peer_client "$cli" -6 -c fd01::2 -p 8000 --sport 41002 --send 2000 --recv 2000 --close fin
peer_client "$cli" -c 10.1.0.2 -p 8999 --sport 41003 --timeout-ms 3000
peer_server "$srv" -l 10.1.0.2 -p 8003 --mode sink
peer_client "$cli" -c 10.1.0.2 -p 8003 --sport 41004 --send 1000 --close rst
$IP -n "$cli" neigh add 10.1.0.99 lladdr 02:00:00:00:00:99 dev v1a
peer_client "$cli" -c 10.1.0.99 -p 80 --sport 41005 --timeout-ms 1500
# Long enough for interim records at an active timeout of a second.
peer_client "$cli" -c 10.1.0.2 -p 8000 --sport 41006 --send 500 --recv 500 \
	--close-delay-ms 3500 --close fin

ended()
{
	local sport

	for sport in 41001 41002 41003 41004 41005 41006; do
		grep '"event":"END"' "$work/events.json" | grep -q "\"sport\":$sport," ||
			return 1
	done
}
wait_for 30 ended
check "every session ended" ended
sleep 1

kill -TERM "$exporter_pid"
wait "$exporter_pid"
expect_eq "exporter: exit 0 on SIGTERM" 0 $?
echo "# exporter said: $(tr '\n' ' ' <"$work/export.err")"
sleep 0.5
kill -TERM "$collector_pid"
wait "$collector_pid" 2>/dev/null
kill_ours

"$NFDUMP" -R "$work/flows" -q -N -6 \
	-o "fmt:%sa %sp %da %dp %pr %ipkt %ibyt %opkt %obyt %end" >"$work/flows.txt"
sed 's/^/# nfdump: /' "$work/flows.txt"

# One session: its records in nfdump (summed) against its END event. Any
# session that lived past the active timeout has interim records first.
flow_is()	# TAG SPORT DST DPORT FINAL_END_REASON [MIN_INTERIM]
{
	local tag=$1 sport=$2 dst=$3 dport=$4 final=$5 min=${6:-0} end want got
	local reasons

	end=$(grep '"event":"END"' "$work/events.json" | grep "\"sport\":$sport,")
	want="$(echo "$end" | json pkts_orig) $(echo "$end" | json ipbytes_orig)"
	want="$want $(echo "$end" | json pkts_reply) $(echo "$end" | json ipbytes_reply)"
	got=$(awk -v sp="$sport" -v da="$dst" -v dp="$dport" '
		$2 == sp && $3 == da && $4 == dp && $5 == 6 {
			p += $6; b += $7; rp += $8; rb += $9; n++
		}
		END { if (n) print p, b, rp, rb }' "$work/flows.txt")
	expect_eq "$tag: nfdump's packets and bytes = END event's" "$want" "$got"
	reasons=$(awk -v sp="$sport" '$2 == sp { print $10 }' "$work/flows.txt" |
		tr '\n' ' ')
	echo "# $tag: flowEndReasons $reasons"
	check "$tag: $min+ interim records (active timeout), then one final ($final)" \
		bash -c "[[ '$reasons' =~ ^($ACTIVE_TIMEOUT\ ){$min,}$final\ \$ ]]"
}

flow_is "completed IPv4" 41001 10.1.0.2 8000 $END_OF_FLOW
flow_is "completed IPv6" 41002 fd01::2 8000 $END_OF_FLOW
flow_is "refused" 41003 10.1.0.2 8999 $END_OF_FLOW
flow_is "reset" 41004 10.1.0.2 8003 $END_OF_FLOW
flow_is "half-open, timed out" 41005 10.1.0.99 80 $IDLE_TIMEOUT
flow_is "long session" 41006 10.1.0.2 8000 $END_OF_FLOW 2

if [ -n "${TCPSESS_ARTIFACTS:-}" ]; then
	mkdir -p "$TCPSESS_ARTIFACTS/ipfix"
	cp "$work/export.pcap" "$work/traffic.pcap" "$work/flows.txt" \
		"$TCPSESS_ARTIFACTS/ipfix/"
	echo "$COLLECTOR_PORT" >"$TCPSESS_ARTIFACTS/ipfix/port"
fi
rm -rf "$work"
tcpsess_finish
