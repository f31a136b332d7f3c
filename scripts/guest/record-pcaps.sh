#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/record-pcaps.sh, inside the VM: one tcpdump capture per kind of
# session, made by the kernel's own TCP between two namespaces, printed as
# base64 between markers for the host to decode. tcpsess is not loaded:
# the captures owe nothing to the module they will test.
IP=/usr/sbin/ip
NFT=/usr/sbin/nft
SS=/usr/bin/ss
PEER=/kselftest/tcpsess/tcppeer
CLI=rec-cli
SRV=rec-srv
OUT=/tmp/pcaps

fail()
{
	echo "record: $*" >&2
	exit 1
}

# Polls a command for up to $1 seconds.
wait_for()
{
	local _

	for _ in $(seq $(($1 * 10))); do
		"${@:2}" && return 0
		sleep 0.1
	done
	return 1
}

in_cli() { $IP netns exec $CLI "$@"; }
in_srv() { $IP netns exec $SRV "$@"; }

setup()
{
	local ns

	for ns in $CLI $SRV; do
		$IP netns add "$ns" || fail "netns add $ns"
		$IP -n "$ns" link set lo up
	done
	# One segment per skb (gso_max_segs 1), so that every captured frame
	# is one the wire could carry and a replay can send again.
	$IP link add eth0 netns $CLI address 02:00:00:00:00:01 gso_max_segs 1 \
		type veth peer name eth0 netns $SRV address 02:00:00:00:00:02 \
		gso_max_segs 1 || fail "veth"
	$IP -n $CLI addr add 10.0.0.1/24 dev eth0
	$IP -n $SRV addr add 10.0.0.2/24 dev eth0
	$IP -n $CLI addr add fd00::1/64 dev eth0 nodad
	$IP -n $SRV addr add fd00::2/64 dev eth0 nodad
	$IP -n $CLI link set eth0 up
	$IP -n $SRV link set eth0 up
	mkdir -p $OUT
}

# Starts tcpdump on the client's side of the veth, which sees both
# directions, and waits until it captures.
capture_start()
{
	local name=$1

	# Not through in_cli: $! must be tcpdump itself, not a subshell.
	$IP netns exec $CLI /usr/bin/tcpdump -i eth0 -n -U -Z root \
		-w "$OUT/$name.pcap" tcp 2>"$OUT/$name.log" &
	tcpdump_pid=$!
	wait_for 10 grep -q 'listening on' "$OUT/$name.log" ||
		fail "$name: tcpdump did not start: $(cat "$OUT/$name.log")"
}

# Lets delayed ACKs go out, stops tcpdump and prints the capture.
capture_stop()
{
	local name=$1 what=$2

	sleep 1
	kill "$tcpdump_pid"
	wait "$tcpdump_pid"
	echo "pcap-begin $name"
	echo "pcap-what $what"
	/bin/busybox base64 "$OUT/$name.pcap"
	echo "pcap-end $name"
}

server()	# ARGS...: a tcppeer server in the server namespace, listening
{
	local ready=$OUT/ready

	rm -f $ready
	in_srv "$PEER" server --ready-file $ready "$@" &
	server_pid=$!
	wait_for 10 [ -e $ready ] || fail "server $* did not start"
}

client()	# EXPECTED_STATUS ARGS...
{
	local want=$1 status

	shift
	in_cli "$PEER" client "$@"
	status=$?
	[ "$status" = "$want" ] || fail "client $*: exit $status, expected $want"
}

server_done()	# EXPECTED_STATUS
{
	local status

	wait "$server_pid"
	status=$?
	[ "$status" = "$1" ] || fail "server: exit $status, expected $1"
}

# Drops, in namespace $1, what nft expression $2 matches on input.
drop_input()
{
	$IP netns exec "$1" $NFT -f - <<-EOF || fail "nft in $1"
	table inet record {
		chain input {
			type filter hook input priority 0;
			$2 drop
		}
	}
	EOF
}

undrop_input()
{
	$IP netns exec "$1" $NFT delete table inet record
}

fin_wait_1()	# NS PORT: a socket of NS on PORT has sent its FIN, unanswered
{
	$IP netns exec "$1" $SS -Htn state fin-wait-1 "( sport = :$2 or dport = :$2 )" |
		grep -q .
}

setup
echo "pcap-kernel $(uname -r)"
echo "pcap-date $(date -u +%Y-%m-%d)"

capture_start completed-v4
server -l 10.0.0.2 -p 8000 --mode echo
client 0 -c 10.0.0.2 -p 8000 --sport 40001 --send 3000 --recv 3000 --close fin
server_done 0
capture_stop completed-v4 "IPv4, 3000 bytes each way (echo), the client closes first"

capture_start completed-v6
server -6 -l fd00::2 -p 8000 --mode echo
client 0 -6 -c fd00::2 -p 8000 --sport 40002 --send 3000 --recv 3000 --close fin
server_done 0
capture_stop completed-v6 "IPv6, 3000 bytes each way (echo), the client closes first"

capture_start refused-v4
client 3 -c 10.0.0.2 -p 8999 --sport 40003
capture_stop refused-v4 "IPv4 SYN to a port nobody listens on, answered by RST"

capture_start reset-v4
server -l 10.0.0.2 -p 8000 --mode sink
client 0 -c 10.0.0.2 -p 8000 --sport 40004 --send 1000 --close rst
server_done 4
capture_stop reset-v4 "IPv4, 1000 bytes, then the client closes with SO_LINGER 0 (RST)"

# The server namespace drops the SYNs: the client retransmits, then gives up.
capture_start half-open-v4
drop_input $SRV "tcp dport 8000"
client 1 -c 10.0.0.2 -p 8000 --sport 40005 --timeout-ms 3500
undrop_input $SRV
capture_stop half-open-v4 "IPv4 SYN never answered (dropped by nft at the server): SYN and its retransmissions"

# Both FINs cross: each namespace drops the FIN coming in until both were
# sent, so neither side can have seen the other's before sending its own.
# Then the retransmitted FINs finish the close.
capture_start simclose-v4
drop_input $SRV "tcp dport 8000 tcp flags & fin == fin"
drop_input $CLI "tcp sport 8000 tcp flags & fin == fin"
server -l 10.0.0.2 -p 8000 --mode send --bytes 300 --close-delay-ms 500
in_cli "$PEER" client -c 10.0.0.2 -p 8000 --sport 40006 --send 200 --recv 300 \
	--close fin --close-delay-ms 500 &
client_pid=$!
wait_for 10 fin_wait_1 $SRV 8000 || fail "simclose: the server sent no FIN"
wait_for 10 fin_wait_1 $CLI 8000 || fail "simclose: the client sent no FIN"
undrop_input $SRV
undrop_input $CLI
wait $client_pid || fail "simclose: client failed"
server_done 0
capture_stop simclose-v4 "IPv4, data both ways, then both sides send FIN before seeing the other's (the first FINs are dropped at each receiver by nft, the retransmissions finish the close)"

capture_start halfclose-v4
server -l 10.0.0.2 -p 8000 --mode halfclose --bytes 2000
client 0 -c 10.0.0.2 -p 8000 --sport 40007 --send 100 --recv 2000 --close halfclose
server_done 0
capture_stop halfclose-v4 "IPv4, the client sends 100 bytes and shuts down its side; the server sends 2000 bytes after that FIN, then closes"

# The server closes first and holds TIME_WAIT, which Linux lets a new SYN
# with a higher sequence number take over: the same four-tuple twice.
capture_start reuse-v4
server -l 10.0.0.2 -p 8000 --mode send --bytes 10 --count 2
client 0 -c 10.0.0.2 -p 8000 --sport 40008 --recv 10 --close wait
client 0 -c 10.0.0.2 -p 8000 --sport 40008 --recv 10 --close wait
server_done 0
capture_stop reuse-v4 "IPv4, the same four-tuple twice in a row: the server sends 10 bytes and closes first; the second SYN lands on its TIME_WAIT"

for ns in $CLI $SRV; do
	$IP netns del "$ns"
done
echo "record: done"
