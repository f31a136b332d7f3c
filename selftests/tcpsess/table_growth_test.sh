#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A namespace's table grows, from its first 1024 buckets to 16384, while
# its sessions are read from /proc in small read() calls, dumped over
# netlink, and sent segments: every session that lives through a read or a
# dump appears in it exactly once, a segment of a session being moved
# finds it (no session is made twice), and another namespace's sessions
# and flushes stay its own.
. "$(dirname "$0")/lib.sh"

ktap_print_header
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"

inj=$(ns_new inj)
sink=$(ns_new sink)
other=$(ns_new other)
veth_pair "$inj" "$sink" 7 || ktap_exit_fail_msg "veth setup failed"
veth_pair "$inj" "$other" 8 || ktap_exit_fail_msg "veth setup failed"
sink_mac=$(mac_of "$sink" v7b)
other_mac=$(mac_of "$other" v8b)

json_sport()
{
	sed -n 's/.*"sport":\([0-9]*\).*/\1/p'
}

# Whether each of the 1000 stable sessions (192.0.2.1, ports 3000-3999) is
# in a listing of sports exactly once.
stable_once()	# FILE
{
	[ "$(sort "$1" | uniq -c | awk '$1 != 1' | grep -c .)" -eq 0 ] &&
		[ "$(sort -u "$1" | grep -c .)" -eq 1000 ]
}

# 1000 stable sessions, picked up and confirmed, under the first table size.
craft_per_port "$inj" v7a "$sink_mac" 192.0.2.1 192.0.2.2:80 AA 3000 3999
expect_eq "stable sessions in place" 1000 "$(stat_of "$sink" sessions_active)"
craft_per_port "$inj" v8a "$other_mac" 192.0.2.9 192.0.2.2:80 AA 3000 3099
expect_eq "the other namespace's sessions in place" 100 \
	"$(stat_of "$other" sessions_active)"

# 9000 more in rounds of 1000, each round followed by segments for every
# stable session: the table doubles four times (past 1024, 2048, 4096 and
# 8192 sessions) while they and the reads below go on.
grow()
{
	local round

	for round in $(seq 9); do
		craft_per_port "$inj" v7a "$sink_mac" "198.51.100.$round" \
			192.0.2.2:80 AA 1000 1999
		craft_per_port "$inj" v7a "$sink_mac" 192.0.2.1 192.0.2.2:80 \
			AA 3000 3999
	done
}
grow &
grower=$!
TCPSESS_PIDS+=("$grower")

bad=0 reads=0
while kill -0 "$grower" 2>/dev/null; do
	# 97-byte reads split lines and buckets at every possible point.
	$IP netns exec "$sink" dd if=/proc/net/tcpsess/sessions bs=97 status=none |
		awk '$3 == "192.0.2.1" { print $4 }' >/tmp/growth-proc.$$
	$IP netns exec "$sink" "$CTL" list --json --addr 192.0.2.1 |
		json_sport >/tmp/growth-dump.$$
	reads=$((reads + 1))
	stable_once /tmp/growth-proc.$$ ||
		{ echo "# read $reads: stable sessions missing or repeated in /proc"; bad=$((bad + 1)); }
	stable_once /tmp/growth-dump.$$ ||
		{ echo "# read $reads: stable sessions missing or repeated in a dump"; bad=$((bad + 1)); }
done
wait "$grower"
echo "# $reads reads and dumps while the table grew"
check "reads while growing: each stable session exactly once" [ "$bad" -eq 0 ]
check "reads while growing: some took place" [ "$reads" -ge 2 ]

# Every tuple made one session: a segment that missed its session during a
# move would have made a second one, or been taken for a new pickup.
expect_eq "sessions made: one per tuple" 10000 "$(stat_of "$sink" sessions_created)"
expect_eq "sessions active after growing" 10000 "$(stat_of "$sink" sessions_active)"
expect_eq "/proc after growing: every session once" 10000 \
	"$(sessions "$sink" | awk 'NR > 1 { print $3, $4 }' | sort -u | grep -c .)"
expect_eq "stable sessions: every segment counted on them" 1000 \
	"$(sessions "$sink" | awk '$3 == "192.0.2.1" && $10 == 10 && $12 == 10' | grep -c .)"
expect_eq "nothing invalid" 0 "$(stat_of "$sink" packets_invalid)"
# memory_bytes holds the sessions (152 bytes each) and the table's
# buckets: 16384 of 8 bytes for 10000 sessions, no more.
table=$(( $(stat_of "$sink" memory_bytes) - 10000 * 152 ))
echo "# memory_bytes beyond the sessions: $table"
in_range() { [ "$1" -ge "$2" ] && [ "$1" -lt "$3" ]; }
check "the table grew to 16384 buckets" in_range "$table" $((16384 * 8)) $((32768 * 8))

expect_eq "the other namespace: its own sessions only" 100 \
	"$(stat_of "$other" sessions_active)"
$IP netns exec "$other" "$CTL" flush
expect_eq "a flush elsewhere leaves the grown table alone" 10000 \
	"$(stat_of "$sink" sessions_active)"
$IP netns exec "$sink" "$CTL" flush
expect_eq "a flush empties the grown table" 0 "$(stat_of "$sink" sessions_active)"
expect_eq "flush: every session ended" 10000 "$(stat_of "$sink" ended_flushed)"

# The grown table takes new sessions, and a namespace dies with one.
craft_per_port "$inj" v7a "$sink_mac" 192.0.2.1 192.0.2.2:80 AA 3000 3999
expect_eq "sessions after the flush" 1000 "$(stat_of "$sink" sessions_active)"
$IP netns del "$sink"

tcpsess_finish
