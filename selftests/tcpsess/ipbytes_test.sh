#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipbytes_* against the wire: real TCP sessions through a router, IPv4 and
# IPv6, each a bulk transfer one way or the other. First the endpoints send
# GSO super-packets, which the trackers at both ends and the router's see
# whole; then their veths segment them, and the router's veths merge the
# segments by GRO.
# The router's outgoing veths take one segment per skb (gso_max_segs 1),
# so it segments what it forwards in software, and a capture of what it
# sends is what a wire would carry. Every tracker on the path must count
# that capture's IP bytes, segments and payload, in /proc and in
# tcpsessctl list --json alike.
. "$(dirname "$0")/lib.sh"

TCPDUMP=/usr/bin/tcpdump
ETHTOOL=/usr/sbin/ethtool
ktap_print_header
require_tools $TCPDUMP $ETHTOOL
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

WORK=$(mktemp -d /tmp/tcpsess-ipbytes.XXXXXX)
read -r cli rtr srv <<<"$(routed_path)" || ktap_exit_fail_msg "routed path setup failed"
for dev in v1b v2a; do
	$IP -n "$rtr" link set "$dev" gso_max_segs 1 ||
		ktap_exit_fail_msg "cannot limit $dev to one segment per skb"
done

# Starts a capture on one of the router's veths, in one direction.
capture()	# DEV in|out
{
	local name=$1-$2

	# A snapshot long enough for the longest TCP header over IPv6: a
	# truncated one hides the payload length.
	ns_spawn "$rtr" $TCPDUMP -Z root -U --immediate-mode -n -B 8192 \
		-s 160 -Q "$2" -i "$1" -w "$WORK/$name.pcap" 2>"$WORK/$name.err"
	echo "${TCPSESS_PIDS[-1]}" >"$WORK/$name.pid"
	wait_for 30 grep -q "listening on" "$WORK/$name.err" ||
		ktap_exit_fail_msg "tcpdump on $1 ($2) did not start"
}

# Frames, the sum of their IP lengths (frame length less the Ethernet
# header) and of their TCP payloads (tcpdump's last "length"), of one
# session in a capture; with BIG, only frames longer than an Ethernet MTU
# allows.
pcap_sum()	# PCAP SPORT [BIG]
{
	$TCPDUMP -Z root -r "$1" -nn -e "tcp port $2" 2>/dev/null | awk -v big="${3:-}" '
		match($0, /, length [0-9]+: /) {
			len = substr($0, RSTART + 9, RLENGTH - 11) - 14
			if (big != "" && len <= 1500)
				next
			n++
			sum += len
			payload += $(NF - 1) == "length" ? $NF : -1000000
		}
		END { print n + 0, sum + 0, payload + 0 }'
}

# The router sends orig's segments to srv on v2a and reply's to cli on v1b;
# what it receives there shows the super-packets the endpoints sent.
capture v2a out
capture v1b out
capture v1b in
capture v2a in

# A bulk transfer one way per session, so that neither end waits on the
# other's reading: orig sends in the "up" one, reply in the "down" one.
BYTES=2000000
sports=()
bulk()
{
	local af way six addr sport server server_opts client_opts ns

	for af in 4 6; do
		six="" addr=10.2.0.2
		[ "$af" = 6 ] && six=-6 addr=fd02::2
		for way in up down; do
			sport=45${#sports[@]}0$af
			sports+=("$sport")
			if [ $way = up ]; then
				server_opts=(--mode sink)
				client_opts=(--send "$BYTES" --close fin)
			else
				server_opts=(--mode send --bytes "$BYTES")
				client_opts=(--recv "$BYTES" --close wait)
			fi
			peer_server "$srv" $six -l "$addr" -p 8000 "${server_opts[@]}" ||
				ktap_exit_fail_msg "server did not start"
			server=${TCPSESS_PIDS[-1]}
			peer_client "$cli" $six -c "$addr" -p 8000 --sport "$sport" \
				"${client_opts[@]}"
			check "IPv$af $way from port $sport: bulk transfer ran" [ $? -eq 0 ]
			# Not a bare wait: the captures run on.
			wait "$server"
			for ns in "$cli" "$rtr" "$srv"; do
				wait_for 10 session_state_is "$ns" "$sport" TIME_WAIT ||
					echo "# $ns: session $sport not in TIME_WAIT after 10 s"
			done
		done
	done
}

bulk
# Then GRO: the endpoints' veths segment in software (a veth hands a
# peer's TSO packets on whole, never to GRO), and the router's veths merge
# what they receive from them, so that its tracker sees GRO packets.
if ! { $IP netns exec "$cli" $ETHTOOL -K v1a tso off &&
	$IP netns exec "$srv" $ETHTOOL -K v2b tso off &&
	$IP netns exec "$rtr" $ETHTOOL -K v1b gro on &&
	$IP netns exec "$rtr" $ETHTOOL -K v2a gro on; }; then
	ktap_exit_fail_msg "cannot turn GRO on"
fi
bulk

for name in v2a-out v1b-out v1b-in v2a-in; do
	pid=$(cat "$WORK/$name.pid")
	kill -INT "$pid"
	wait "$pid"
	sed 's/^/# tcpdump: /' "$WORK/$name.err"
	check "capture $name: nothing dropped" \
		grep -q "^0 packets dropped by kernel" "$WORK/$name.err"
done

for sport in "${sports[@]}"; do
	af=${sport: -1}
	tag="IPv$af port $sport"
	read -r wire_pkts_o wire_o payload_o <<<"$(pcap_sum "$WORK/v2a-out.pcap" "$sport")"
	read -r wire_pkts_r wire_r payload_r <<<"$(pcap_sum "$WORK/v1b-out.pcap" "$sport")"
	read -r big_o _ <<<"$(pcap_sum "$WORK/v1b-in.pcap" "$sport" big)"
	read -r big_r _ <<<"$(pcap_sum "$WORK/v2a-in.pcap" "$sport" big)"
	echo "# $tag wire: orig $wire_pkts_o segments $wire_o bytes, reply $wire_pkts_r segments $wire_r bytes"
	echo "# $tag super-packets received by the router: $big_o from cli, $big_r from srv"
	# Without them the test would prove nothing about GSO or GRO.
	check "$tag: the router received super-packets" [ $((big_o + big_r)) -gt 0 ]
	expect_eq "$tag: the router sent no super-packet" "0 0 0 0 0 0" \
		"$(pcap_sum "$WORK/v2a-out.pcap" "$sport" big) $(pcap_sum "$WORK/v1b-out.pcap" "$sport" big)"
	# The capture is whole: the transfer (and any retransmission) is in it,
	# with headers on every segment.
	check "$tag: the wire carried the transfer" \
		[ $((payload_o + payload_r)) -ge "$BYTES" ]
	check "$tag: the wire carried headers beyond the payload" \
		[ $((wire_o + wire_r)) -ge $((payload_o + payload_r + 40 * (wire_pkts_o + wire_pkts_r))) ]

	for ns in "$cli" "$rtr" "$srv"; do
		where=${ns##*-}
		line=$(session_by_sport "$ns" "$sport" "$af")
		echo "# $where: $line"
		expect_eq "$tag $where: ipbytes_orig = the wire's" "$wire_o" \
			"$(echo "$line" | column ipbytes_orig)"
		expect_eq "$tag $where: ipbytes_reply = the wire's" "$wire_r" \
			"$(echo "$line" | column ipbytes_reply)"
		expect_eq "$tag $where: pkts = the wire's segments" \
			"$wire_pkts_o $wire_pkts_r" \
			"$(echo "$line" | column pkts_orig) $(echo "$line" | column pkts_reply)"
		expect_eq "$tag $where: bytes = the wire's payload" \
			"$payload_o $payload_r" \
			"$(echo "$line" | column bytes_orig) $(echo "$line" | column bytes_reply)"
		json=$($IP netns exec "$ns" "$CTL" list --json --af "$af" --port "$sport")
		expect_eq "$tag $where: list --json says the same" \
			"$(echo "$line" | column ipbytes_orig) $(echo "$line" | column ipbytes_reply)" \
			"$(echo "$json" | sed -n 's/.*"ipbytes_orig":\([0-9]*\),"ipbytes_reply":\([0-9]*\),.*/\1 \2/p')"
	done
done

rm -rf "$WORK"
tcpsess_finish
