#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc/net/tcpsess/sessions read in many small read() calls while sessions
# are created and evicted around it: every session that lives through the
# read appears in it exactly once, and nothing splats.
. "$(dirname "$0")/lib.sh"

ktap_print_header
tcpsess_load max_sessions=1500 || ktap_exit_fail_msg "insmod failed"

inj=$(ns_new inj)
sink=$(ns_new sink)
veth_pair "$inj" "$sink" 5 || ktap_exit_fail_msg "veth setup failed"
sink_mac=$(mac_of "$sink" v5b)

# 1000 stable sessions, picked up mid-stream and confirmed: never evicted.
craft_per_port "$inj" v5a "$sink_mac" 192.0.2.1 192.0.2.2:80 AA 3000 3999
expect_eq "stable sessions in place" 1000 "$(stat_of "$sink" sessions_active)"

# Churn: SYNs from another host fill the remaining 500 slots and keep
# evicting each other for as long as the reads go on.
churn()
{
	local round

	for round in $(seq 40); do
		craft_per_port "$inj" v5a "$sink_mac" "198.51.100.$round" \
			192.0.2.2:80 S 1000 1999
	done
}
churn &
churner=$!
TCPSESS_PIDS+=("$churner")

bad=0
reads=0
while kill -0 "$churner" 2>/dev/null && [ $reads -lt 20 ]; do
	# 97-byte reads split lines and buckets at every possible point.
	$IP netns exec "$sink" dd if=/proc/net/tcpsess/sessions bs=97 status=none >/tmp/sessions.$$
	reads=$((reads + 1))
	dupes=$(awk '$3 == "192.0.2.1" { seen[$4]++ } END { n = 0; for (p in seen) if (seen[p] != 1) n++; print n + (1000 - length(seen)) }' /tmp/sessions.$$)
	[ "$dupes" -eq 0 ] || { echo "# read $reads: $dupes stable sessions missing or repeated"; bad=$((bad + 1)); }
	# A whole line has as many fields as the header names.
	check_lines=$(awk 'NR == 1 { n = NF } NR > 1 && NF != n' /tmp/sessions.$$ | head -n 3)
	[ -z "$check_lines" ] || { echo "# torn lines: $check_lines"; bad=$((bad + 1)); }
done
wait "$churner"
echo "# $reads reads during churn, $(stat_of "$sink" ended_evicted) evictions"
check "churn happened during the reads" [ "$(stat_of "$sink" ended_evicted)" -gt 0 ]
check "reads under churn: each stable session exactly once, no torn line" [ "$bad" -eq 0 ]
check "reads under churn: at least a few complete reads" [ "$reads" -ge 3 ]
expect_eq "stable sessions survived the churn" 1000 \
	"$(sessions "$sink" | awk '$3 == "192.0.2.1"' | grep -c .)"
check "sessions_active never above max_sessions" \
	[ "$(stat_of "$sink" sessions_active)" -le 1500 ]
rm -f /tmp/sessions.$$

tcpsess_finish
