#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Everything at once, for a bounded time: real connections over IPv4, IPv6
# and loopback, a SYN flood far beyond max_sessions, /proc reads, netlink
# dumps, a monitor, flushes, config changes, namespaces made and destroyed
# with live sessions, and then the module unloaded and reloaded while the
# traffic goes on. Passes when nothing splats (the harness watches the
# kernel log), sessions_active never passes max_sessions, and at rest every
# namespace has sessions_created == sessions_ended + sessions_active.
. "$(dirname "$0")/lib.sh"

SECONDS_EACH=${STRESS_SECONDS:-30}
MAX=300
ktap_print_header
tcpsess_load max_sessions=$MAX timeout_time_wait=2 timeout_syn_sent=3 \
	timeout_closed=1 || ktap_exit_fail_msg "insmod failed"

cli=$(ns_new cli)
srv=$(ns_new srv)
inj=$(ns_new inj)
sink=$(ns_new sink)
veth_pair "$cli" "$srv" 1
veth_pair "$inj" "$sink" 2
sink_mac=$(mac_of "$sink" v2b)
stop=/tmp/stress-stop.$$
rm -f "$stop"


connect_loop()	# NS SERVER_NS ADDR PORT [-6]
{
	local ns=$1 sns=$2 addr=$3 port=$4 six=${5:-}

	ns_spawn "$sns" "$TCPPEER" server ${six:+"$six"} -l "$addr" -p "$port" --mode echo \
		--count 1000000 --timeout-ms 60000
	worker "$IP" netns exec "$ns" "$TCPPEER" client ${six:+"$six"} -c "$addr" -p "$port" \
		--send 2000 --recv 2000 --timeout-ms 2000
}

flood()
{
	local base=$((RANDOM % 50000 + 1000))

	craft_per_port "$inj" v2a "$sink_mac" "198.51.100.$((RANDOM % 250 + 1))" \
		192.0.2.2:80 S "$base" $((base + 400))
}

netns_churn()
{
	local ns="$NS_PREFIX-tmp$RANDOM"

	$IP netns add "$ns" || return
	$IP -n "$ns" link set lo up
	$IP netns exec "$ns" "$TCPPEER" server -l 127.0.0.1 -p 7000 --mode hold \
		--hold-ms 5000 --timeout-ms 3000 &
	sleep 0.2
	$IP netns exec "$ns" "$TCPPEER" client -c 127.0.0.1 -p 7000 --send 10 \
		--close wait --timeout-ms 300
	# Gone with its sessions still open.
	$IP netns pids "$ns" | xargs -r kill 2>/dev/null
	$IP netns del "$ns"
	wait
}

config_churn()
{
	$IP netns exec "$sink" "$CTL" config timeout_syn_sent=$((RANDOM % 5 + 1)) \
		mode=enforce
	$IP netns exec "$sink" "$CTL" config mode=monitor event_rate=$((RANDOM % 1000))
	$IP netns exec "$cli" "$CTL" config timeout_established=$((RANDOM % 100 + 10))
}

max_seen=0
sample()
{
	local active

	active=$($IP netns exec "$sink" awk '$1 == "sessions_active" { print $2 }' \
		/proc/net/tcpsess/stats 2>/dev/null)
	[ -n "$active" ] && [ "$active" -gt "$max_seen" ] && max_seen=$active
}

connect_loop "$cli" "$srv" 10.1.0.2 8000
connect_loop "$cli" "$srv" fd01::2 8001 -6
connect_loop "$cli" "$cli" 127.0.0.1 8002
connect_loop "$cli" "$cli" ::1 8003 -6
worker flood
worker flood
worker "$IP" netns exec "$cli" cat /proc/net/tcpsess/sessions
worker "$IP" netns exec "$sink" cat /proc/net/tcpsess/sessions
worker "$IP" netns exec "$sink" "$CTL" list
worker "$IP" netns exec "$cli" "$CTL" list --json --af 6
worker "$IP" netns exec "$sink" "$CTL" monitor --count 500
worker netns_churn
worker config_churn
worker bash -c "sleep 2; $IP netns exec $sink $CTL flush"

end=$((SECONDS + SECONDS_EACH))
while [ $SECONDS -lt $end ]; do
	sample
	sleep 0.2
done
check "under load: sessions_active never above max_sessions ($max_seen seen)" \
	[ "$max_seen" -le $MAX ]

# The module goes away and comes back while all of it goes on.
cycles=0
for _ in 1 2 3; do
	# A dump in flight holds the module for a moment: retry, as a user would.
	for try in $(seq 200); do
		/usr/sbin/rmmod tcpsess 2>/dev/null && { cycles=$((cycles + 1)); break; }
		sleep 0.05
	done
	sleep 0.3
	/usr/sbin/insmod "$TCPSESS_KO" max_sessions=$MAX timeout_time_wait=2 || break
	sleep 2
done
echo "# $cycles unload/reload cycles under traffic (last rmmod try $try)"
expect_eq "unload and reload under traffic" 3 "$cycles"
check "loaded at the end" [ -d /sys/module/tcpsess ]

stop_workers "$stop"

# At rest means nothing changes any more: sessions still expire for a while
# after the traffic stops, and counters read apart can disagree meanwhile.
counters()
{
	$IP netns exec "$1" awk '$1 == "sessions_created" { c = $2 }
		$1 == "sessions_ended" { e = $2 } $1 == "sessions_active" { a = $2 }
		END { print c, e, a }' /proc/net/tcpsess/stats
}

for ns in "$cli" "$srv" "$inj" "$sink"; do
	now=$(counters "$ns")
	for _ in $(seq 60); do
		sleep 1
		before=$now
		now=$(counters "$ns")
		[ "$now" = "$before" ] && break
	done
	read -r created ended active <<<"$now"
	echo "# ${ns#"$NS_PREFIX"-}: created $created ended $ended active $active"
	expect_eq "at rest, ${ns#"$NS_PREFIX"-}: created = ended + active" \
		"$created" $((ended + active))
	check "at rest, ${ns#"$NS_PREFIX"-}: active within max_sessions" \
		[ "$active" -le $MAX ]
done
rm -f "$stop"

tcpsess_finish
