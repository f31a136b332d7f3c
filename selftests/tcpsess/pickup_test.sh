#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Provisional pickups (SPEC section 3). A session picked up mid-stream is an
# eviction candidate with its own idle timeout, timeout_pickup, until a
# segment from the other side confirms it. So a spoofed mid-stream flood
# against a small table never locks real sessions out of it: the table
# stays bounded, connections made during and after the flood are tracked,
# and established ones survive.
#
#   cli 10.1.0.1 --v1-- 10.1.0.2 srv 10.2.0.2 --v2-- 10.2.0.1 inj (tcpcraft)
. "$(dirname "$0")/lib.sh"

MAX=200

ktap_print_header
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

cli=$(ns_new cli)
srv=$(ns_new srv)
inj=$(ns_new inj)
veth_pair "$cli" "$srv" 1 || ktap_exit_fail_msg "veth setup failed"
veth_pair "$inj" "$srv" 2 || ktap_exit_fail_msg "veth setup failed"
srv_mac=$(mac_of "$srv" v2b)
$IP netns exec "$srv" "$HERE/tcpsessctl" config max_sessions=$MAX ||
	ktap_exit_fail_msg "config failed"

config_of()	# NS KEY
{
	$IP netns exec "$1" "$HERE/tcpsessctl" config | awk -v key="$2" '$1 == key { print $2 }'
}

# Mid-stream ACKs from 198.51.100.1, one session per source port.
flood()		# FIRST_PORT LAST_PORT
{
	craft_per_port "$inj" v2a "$srv_mac" 198.51.100.1 10.2.0.2:80 A "$1" "$2"
}

sessions_to()	# DPORT
{
	sessions "$srv" | awk -v port="$1" 'NR > 1 && $6 == port' | grep -c .
}

expect_eq "timeout_pickup defaults to 300 s" 300 "$(config_of "$srv" timeout_pickup)"

# A pickup confirmed by the other side, in its window, is no candidate.
$IP netns exec "$inj" "$TCPCRAFT" -i v2a --dst-mac "$srv_mac" \
	-a 198.51.100.2:5000 -b 10.2.0.2:81 <<-END
	o A seq=1000 ack=9000
	r A seq=9000 ack=1000
END
expect_eq "a confirmed pickup" "ESTABLISHED PICKUP" \
	"$(session_by_sport "$srv" 5000 | awk '{ print $7, $19 }')"

# An established connection, held open across the flood. Every time limit
# is generous: a debug kernel runs all of this several times slower.
peer_server "$srv" -l 10.1.0.2 -p 8000 --mode echo --timeout-ms 400000 ||
	ktap_exit_fail_msg "server failed"
ns_spawn "$cli" "$TCPPEER" client -c 10.1.0.2 -p 8000 --sport 42000 --send 100 \
	--recv 100 --close-delay-ms 300000 --close fin --timeout-ms 400000
wait_for 10 session_state_is "$srv" 42000 ESTABLISHED ||
	ktap_exit_fail_msg "the held connection did not establish"

# Connections during the flood and after it.
peer_server "$srv" -l 10.1.0.2 -p 8001 --mode echo --count 5 --timeout-ms 120000 ||
	ktap_exit_fail_msg "server failed"
peer_client "$cli" -c 10.1.0.2 -p 8001 --send 10 --recv 10 --timeout-ms 60000 --repeat 2 &
during=$!
flood 1 1500
peer_client "$cli" -c 10.1.0.2 -p 8001 --send 10 --recv 10 --timeout-ms 60000 --repeat 3
expect_eq "connections during the flood made" 0 $?
wait "$during"
expect_eq "connections beside the flood made" 0 $?
flood 1501 3000
peer_server "$srv" -l 10.1.0.2 -p 8002 --mode echo --count 3 --timeout-ms 120000 ||
	ktap_exit_fail_msg "server failed"
peer_client "$cli" -c 10.1.0.2 -p 8002 --send 10 --recv 10 --timeout-ms 60000 --repeat 3
expect_eq "connections after the flood made" 0 $?

echo "# $(stat_of "$srv" sessions_active) active, $(stat_of "$srv" ended_evicted) evicted, $(stat_of "$srv" table_full) table_full"
check "the table stayed bounded" [ "$(stat_of "$srv" sessions_active)" -le $MAX ]
check "the flood evicted its own pickups" [ "$(stat_of "$srv" ended_evicted)" -ge 2800 ]
expect_eq "nothing went untracked" 0 "$(stat_of "$srv" table_full)"
expect_eq "every connection during the flood tracked" 5 "$(sessions_to 8001)"
expect_eq "every connection after the flood tracked" 3 "$(sessions_to 8002)"
expect_eq "the established connection survived" ESTABLISHED \
	"$(session_by_sport "$srv" 42000 | column state)"
expect_eq "the confirmed pickup survived" ESTABLISHED \
	"$(session_by_sport "$srv" 5000 | column state)"

# Unconfirmed pickups go after timeout_pickup; the rest stay.
$IP netns exec "$srv" "$HERE/tcpsessctl" config timeout_pickup=1 ||
	ktap_exit_fail_msg "config failed"
expect_eq "timeout_pickup set" 1 "$(config_of "$srv" timeout_pickup)"
check "unconfirmed pickups time out" wait_for 30 bash -c \
	"[ \"\$($IP netns exec $srv cat /proc/net/tcpsess/sessions | awk '\$3 == \"198.51.100.1\"' | grep -c .)\" = 0 ]"
expect_eq "the confirmed pickup stays" ESTABLISHED \
	"$(session_by_sport "$srv" 5000 | column state)"
expect_eq "the established connection stays" ESTABLISHED \
	"$(session_by_sport "$srv" 42000 | column state)"
tcpsess_finish
