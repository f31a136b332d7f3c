# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# The benchmark's building blocks inside the VM, sourced by bench.sh: two
# namespaces joined by a veth pair, the three configurations under test
# (no tracker, tcpsess, conntrack), proof of which hooks each one really
# has, and the three measurements (packet rate, connection rate, bulk
# throughput), each checked against what the trackers counted.
# Results are globals (FLOOD_PPS, CONN_RATE, ...) that bench.sh reads.
# shellcheck disable=SC2034,SC2120

IP=/usr/sbin/ip
NFT=/usr/sbin/nft
CONNTRACK=/usr/sbin/conntrack
TRAFGEN=/usr/sbin/trafgen
IPERF3=/usr/bin/iperf3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TCPSESS_KO=/kselftest/tcpsess/tcpsess.ko
TCPSESSCTL=/kselftest/tcpsess/tcpsessctl
CONNRATE=$HERE/connrate

# "a" sends the flood and runs the clients; "b" receives and runs the servers.
NS_A=bench-a
NS_B=bench-b
ADDR_A=10.9.0.1
ADDR_B=10.9.0.2
# The flood's one flow, to a destination b neither owns nor may forward to:
# b forwards, so routing finds the blackhole route and drops the segment as a
# martian right after PRE_ROUTING, in every configuration alike, with no
# ICMP error and no route cache entry. What differs is only the hooks.
FLOOD_DST=192.0.2.1
FLOOD_SPORT=40000
FLOOD_DPORT=80
CONN_PORT=8000
BULK_PORT=5201

BENCH_FAILED=0

bench_fail()
{
	echo "bench: FAIL: $*"
	BENCH_FAILED=1
}

# A sleep that forks nothing, for polling loops: a read that never gets data.
exec {NAP_FD}<> <(:)
nap()
{
	read -r -t "$1" -u "$NAP_FD" || true
}

# Sums of /proc/net/softnet_stat over CPUs, without a fork: packets taken
# off a CPU's backlog (column 1) and dropped because it was full (column 2).
softnet_read()
{
	local f

	SOFTNET_PROCESSED=0
	SOFTNET_DROPPED=0
	while read -ra f; do
		SOFTNET_PROCESSED=$((SOFTNET_PROCESSED + 16#${f[0]}))
		SOFTNET_DROPPED=$((SOFTNET_DROPPED + 16#${f[1]}))
	done </proc/net/softnet_stat
}

# IPv4 datagrams that reached ip_rcv() in b: every one passes PRE_ROUTING.
ip_in_receives()
{
	$IP netns exec "$NS_B" awk '/^Ip:/ && ++n == 2 { print $4 }' /proc/net/snmp
}

topo_up()
{
	$IP netns add "$NS_A" && $IP netns add "$NS_B" || return 1
	$IP -n "$NS_A" link set lo up
	$IP -n "$NS_B" link set lo up
	$IP link add va netns "$NS_A" type veth peer name vb netns "$NS_B" || return 1
	$IP -n "$NS_A" addr add "$ADDR_A/24" dev va
	$IP -n "$NS_B" addr add "$ADDR_B/24" dev vb
	$IP -n "$NS_A" link set va up
	$IP -n "$NS_B" link set vb up
	$IP netns exec "$NS_B" sysctl -qw net.ipv4.ip_forward=1
	$IP -n "$NS_B" route add blackhole "${FLOOD_DST%.*}.0/24"
	MAC_B=$($IP netns exec "$NS_B" cat /sys/class/net/vb/address)
	# A pure ACK of an established flow: the steady state of every tracker.
	# The same segment again and again is in window for both trackers.
	FLOOD_ACK="{ eth(da=$MAC_B), ipv4(sa=$ADDR_A, da=$FLOOD_DST, ttl=64),
		tcp(sp=$FLOOD_SPORT, dp=$FLOOD_DPORT, seq=1000, aseq=2000, ack, win=512) }"
	# SYNs from random sources and ports, each a new session.
	FLOOD_SYN="{ eth(da=$MAC_B), ipv4(sa=drnd(), da=$FLOOD_DST, ttl=64),
		tcp(sp=drnd(), dp=$FLOOD_DPORT, seq=drnd(), syn, win=512) }"
}

# Namespace exit is asynchronous: give its cleanup a moment off the clock.
topo_down()
{
	local ns

	for ns in "$NS_A" "$NS_B"; do
		$IP netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	wait 2>/dev/null
	$IP netns del "$NS_A" 2>/dev/null
	$IP netns del "$NS_B" 2>/dev/null
	sleep 1
}

tcpsess_load()
{
	[ -d /sys/module/tcpsess ] && /usr/sbin/rmmod tcpsess
	/usr/sbin/insmod "$TCPSESS_KO" "$@"
}

tcpsess_unload()
{
	[ ! -d /sys/module/tcpsess ] || /usr/sbin/rmmod tcpsess
}

# nf_tables asks for conntrack in a namespace as soon as one of its rules
# has a ct expression, whether or not a hook ever calls that rule. The rule
# sits in a chain no hook calls, so what is measured is conntrack itself,
# not nf_tables evaluating a ruleset, which a firewall would add on top.
conntrack_ruleset='table inet bench {
	chain ct_state {
		ct state established,related counter
	}
}'

# A NAT router's ruleset: a port forward, which the flood's flow does not
# match, and masquerade on the way out, which it never reaches. With it
# conntrack and the NAT core run on every segment, as on any NAT host.
nat_ruleset='table inet bench_nat {
	chain pre {
		type nat hook prerouting priority dstnat;
		tcp dport 8080 dnat ip to 10.9.0.1:80
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "va" masquerade
	}
}'

# Turns a configuration on around the namespaces made by topo_up.
config_on()
{
	local ns

	case $1 in
	none) ;;
	tcpsess) tcpsess_load || return 1 ;;
	nat)
		$IP netns exec "$NS_B" "$NFT" -f - <<<"$nat_ruleset" || return 1
		$IP netns exec "$NS_B" "$CONNTRACK" -I -p tcp -s "$ADDR_A" \
			-d "$FLOOD_DST" --sport "$FLOOD_SPORT" --dport "$FLOOD_DPORT" \
			--state ESTABLISHED -u ASSURED -t 3600 >/dev/null 2>&1 || return 1
		;;
	conntrack)
		for ns in "$NS_A" "$NS_B"; do
			$IP netns exec "$ns" "$NFT" -f - <<<"$conntrack_ruleset" || return 1
			# Per-flow counters, as tcpsess keeps.
			$IP netns exec "$ns" sysctl -qw net.netfilter.nf_conntrack_acct=1 ||
				return 1
		done
		# conntrack confirms an entry only once a packet has passed
		# POST_ROUTING or LOCAL_IN, which the flood never reaches: the
		# flow must be in the table already, as it would be in life.
		$IP netns exec "$NS_B" "$CONNTRACK" -I -p tcp -s "$ADDR_A" \
			-d "$FLOOD_DST" --sport "$FLOOD_SPORT" --dport "$FLOOD_DPORT" \
			--state ESTABLISHED -u ASSURED -t 3600 >/dev/null 2>&1 || return 1
		;;
	esac
}

config_off()
{
	[ "$1" != tcpsess ] || tcpsess_unload
}

# Proves that a namespace has exactly the tracker hooks of its configuration:
# no conntrack and no tcpsess in "none". Needs nfnetlink_hook (not in 6.1).
hooks_verify()	# CONFIG
{
	local cfg=$1 ns hooks want_ts want_ct has_ts has_ct line

	if [ ! -d /sys/module/nfnetlink_hook ]; then
		echo "bench: hooks of $cfg not verified: no nfnetlink_hook in this kernel"
		return 0
	fi
	want_ts=$([ "$cfg" = tcpsess ] && echo 1 || echo 0)
	want_ct=$([ "$cfg" = conntrack ] && echo 1 || echo 0)
	for ns in "$NS_A" "$NS_B"; do
		hooks=$($IP netns exec "$ns" "$NFT" list hooks 2>&1)
		has_ts=$(grep -c 'tcpsess_hook' <<<"$hooks")
		has_ct=$(grep -c '\[nf_conntrack\]\|ipv4_conntrack_in' <<<"$hooks")
		if [ $((has_ts > 0)) -ne "$want_ts" ] || [ $((has_ct > 0)) -ne "$want_ct" ]; then
			bench_fail "$cfg: wrong hooks in $ns:"
			while IFS= read -r line; do
				echo "bench:   $line"
			done <<<"$hooks"
			return 1
		fi
	done
}

# What a tracker has counted of the flood's flow in b.
flow_packets()	# CONFIG
{
	case $1 in
	tcpsess)
		$IP netns exec "$NS_B" awk -v sport="$FLOOD_SPORT" \
			-v dport="$FLOOD_DPORT" \
			'NR > 1 && $4 == sport && $6 == dport { print $10; n++ }
			 END { if (!n) print 0 }' /proc/net/tcpsess/sessions
		;;
	conntrack)
		$IP netns exec "$NS_B" "$CONNTRACK" -L -p tcp --sport "$FLOOD_SPORT" \
			--dport "$FLOOD_DPORT" 2>/dev/null |
			awk '{ for (i = 1; i <= NF; i++)
				if ($i ~ /^packets=/) { sub(/.*=/, "", $i); print $i; exit } }
			     END { if (NR == 0) print 0 }'
		;;
	*) echo 0 ;;
	esac
}

tcpsess_stat()	# NAME
{
	$IP netns exec "$NS_B" awk -v name="$1" '$1 == name { print $2 }' \
		/proc/net/tcpsess/stats
}

# trafgen sends with sendto() (-t 0), one copy per frame: its default TX
# ring hands veth frames in user pages, which veth must copy into freshly
# zeroed pages, a cost far above any tracker's that would drown the ratios.
flood_cmd()	# COUNT FLOOD: sets FLOOD_CMD
{
	FLOOD_CMD=("$IP" netns exec "$NS_A" "$TRAFGEN" -o va -P1 -Q --no-sock-mem -C
		   -t 0 -n "$1" "$2")
}

flood()		# COUNT FLOOD
{
	flood_cmd "$@"
	"${FLOOD_CMD[@]}" >/tmp/bench-trafgen.log 2>&1
}

# Packets per second through b's PRE_ROUTING for COUNT segments of FLOOD.
# veth hands each frame to b's backlog and the softirq that runs before
# the sender's send returns takes it through b's stack, so the flood is
# paced by b's work. The rate is taken over the middle 80% of the flood,
# from the count of packets processed, so neither trafgen's start-up nor
# its exit is on the clock. Sets FLOOD_PPS and FLOOD_DROPS (backlog drops,
# which would let the sender run ahead of b; they are reported).
flood_rate()	# COUNT FLOOD
{
	local n=$1 pid base lo hi t1="" c1 t2="" c2 now in0 in1 drops0 status

	in0=$(ip_in_receives)
	softnet_read
	base=$SOFTNET_PROCESSED
	drops0=$SOFTNET_DROPPED
	lo=$((base + n / 10))
	hi=$((base + n - n / 10))
	# The poller stays off the flood's CPU (trafgen pins itself to CPU 0).
	taskset -p 2 $$ >/dev/null 2>&1
	flood "$n" "$2" &
	pid=$!
	while :; do
		softnet_read
		now=$EPOCHREALTIME
		if [ -z "$t1" ] && [ "$SOFTNET_PROCESSED" -ge "$lo" ]; then
			t1=$now c1=$SOFTNET_PROCESSED
		fi
		if [ "$SOFTNET_PROCESSED" -ge "$hi" ]; then
			t2=$now c2=$SOFTNET_PROCESSED
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		nap 0.02
	done
	wait "$pid"
	status=$?
	taskset -p 3 $$ >/dev/null 2>&1
	in1=$(ip_in_receives)
	softnet_read
	FLOOD_DROPS=$((SOFTNET_DROPPED - drops0))
	if [ "$status" -ne 0 ] || [ -z "$t1" ] || [ -z "$t2" ] || [ "$c2" -le "$c1" ]; then
		bench_fail "flood of $n: trafgen status $status, window not seen"
		sed 's/^/bench:   /' /tmp/bench-trafgen.log
		FLOOD_PPS=0
		return 1
	fi
	FLOOD_PPS=$(awk -v c="$((c2 - c1))" -v t1="$t1" -v t2="$t2" \
		'BEGIN { printf "%.0f", c / (t2 - t1) }')
	if [ $((in1 - in0)) -ne "$n" ]; then
		bench_fail "flood of $n: b's IP layer received $((in1 - in0))"
		return 1
	fi
}

# Connections per second: COUNT connections, WORKERS at a time. Sets CONN_RATE.
conn_rate()	# COUNT WORKERS
{
	local ready=/tmp/bench-connrate.ready out server status

	rm -f "$ready"
	$IP netns exec "$NS_B" "$CONNRATE" server -a "$ADDR_B" -p "$CONN_PORT" \
		--ready-file "$ready" &
	server=$!
	for _ in $(seq 100); do
		[ -e "$ready" ] && break
		nap 0.1
	done
	out=$($IP netns exec "$NS_A" "$CONNRATE" client -a "$ADDR_B" \
		-p "$CONN_PORT" -n "$1" -j "$2")
	status=$?
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	CONN_RATE=$(awk '{ print $6 }' <<<"$out")
	if [ "$status" -ne 0 ] || [ -z "$CONN_RATE" ]; then
		bench_fail "connection rate: connrate status $status"
		CONN_RATE=0
		return 1
	fi
}

# Bulk TCP throughput in Gbit/s over SECONDS, the first one omitted as
# warm-up. Sets BULK_GBPS.
bulk_rate()	# SECONDS
{
	local json=/tmp/bench-iperf3.json server status

	$IP netns exec "$NS_B" "$IPERF3" -s -1 -B "$ADDR_B" -p "$BULK_PORT" \
		>/tmp/bench-iperf3-server.log 2>&1 &
	server=$!
	for _ in $(seq 100); do
		$IP netns exec "$NS_B" /usr/bin/ss -Hltn "sport = :$BULK_PORT" |
			grep -q . && break
		nap 0.1
	done
	$IP netns exec "$NS_A" "$IPERF3" -c "$ADDR_B" -p "$BULK_PORT" -t "$1" -O 1 \
		-J >"$json" 2>&1
	status=$?
	wait "$server" 2>/dev/null
	# iperf3 -J puts one key per line; the receiver's sum is what arrived.
	BULK_GBPS=$(awk '/"sum_received"/ { in_sum = 1 }
		in_sum && /"bits_per_second"/ {
			gsub(/[^0-9.]/, "", $2); printf "%.3f", $2 / 1e9; exit }' "$json")
	if [ "$status" -ne 0 ] || [ -z "$BULK_GBPS" ]; then
		bench_fail "bulk throughput: iperf3 status $status"
		sed 's/^/bench:   /' "$json" | tail -n 5
		BULK_GBPS=0
		return 1
	fi
}

# Creates sessions until b holds TARGET of them (random tuples may collide,
# so it tops up). Sets FILL_RATE, new sessions per second of flood.
tcpsess_fill()	# TARGET
{
	local target=$1 have need t0 t1 made=0 tries

	have=$(tcpsess_stat sessions_active)
	t0=$EPOCHREALTIME
	for tries in 1 2 3 4; do
		need=$((target - have))
		[ "$need" -gt 0 ] || break
		flood "$need" "$FLOOD_SYN" || { bench_fail "SYN flood: trafgen failed"; return 1; }
		made=$((made + need))
		have=$(tcpsess_stat sessions_active)
	done
	t1=$EPOCHREALTIME
	if [ "$have" -lt "$target" ]; then
		bench_fail "SYN flood: $have sessions of $target after $tries floods"
		return 1
	fi
	FILL_RATE=$(awk -v n="$made" -v t0="$t0" -v t1="$t1" \
		'BEGIN { printf "%.0f", n / (t1 - t0) }')
}
