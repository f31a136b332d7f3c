#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Sessions are kernel memory someone must pay for. Those of a namespace are
# charged to the memory cgroup of the task that made the namespace, even
# when received segments make them in softirq, where no task is there to
# charge: so a container's flood fills its own cgroup, and its cgroup's
# limit stops it (the sessions beyond it are not tracked, table_full).
. "$(dirname "$0")/lib.sh"

CG=/sys/fs/cgroup
ktap_print_header

if ! grep -qw cgroup2 /proc/filesystems; then
	ktap_print_msg "no cgroup2 (CONFIG_MEMCG, see config)"
	exit "$KSFT_SKIP"
fi
if [ ! -e $CG/cgroup.controllers ]; then
	mount -t cgroup2 none $CG || ktap_exit_fail_msg "cannot mount cgroup2"
fi
if ! grep -qw memory $CG/cgroup.controllers; then
	ktap_print_msg "no memory controller"
	exit "$KSFT_SKIP"
fi
echo +memory >$CG/cgroup.subtree_control
group=$CG/tcpsess-memcg-$$
mkdir "$group" || ktap_exit_fail_msg "cannot make a cgroup"
cleanup_group() { rmdir "$group" 2>/dev/null; }

tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"
inj=$(ns_new inj)
# Made by a task inside the cgroup, which then leaves it empty.
sink=$NS_PREFIX-memcg
/bin/sh -c "echo \$\$ >$group/cgroup.procs && exec $IP netns add $sink" ||
	ktap_exit_fail_msg "netns add in the cgroup failed"
$IP -n "$sink" link set lo up
veth_pair "$inj" "$sink" 9 || ktap_exit_fail_msg "veth setup failed"
sink_mac=$(mac_of "$sink" v9b)

# 2000 sessions of 152 bytes, all made in softirq. memory.stat's figures
# are brought up to date every 2 seconds.
slab_bytes() { awk '$1 == "slab_unreclaimable" { print $2 }' "$group/memory.stat"; }
slab_grown_by() { [ $(( $(slab_bytes) - before )) -ge "$1" ]; }
before=$(slab_bytes)
craft_per_port "$inj" v9a "$sink_mac" 192.0.2.1 192.0.2.2:80 AA 3000 4999
expect_eq "sessions made" 2000 "$(stat_of "$sink" sessions_active)"
wait_for 10 slab_grown_by $((2000 * 152 * 9 / 10))
echo "# the cgroup's slab grew by $(( $(slab_bytes) - before )) bytes for 2000 sessions"
check "softirq-made sessions are charged to the namespace's cgroup" \
	slab_grown_by $((2000 * 152 * 9 / 10))

# Room for a few hundred more: the rest of a flood is refused and counted.
# Each CPU may hold up to 64 pages charged ahead (the memcg charge stock),
# which memory.current already counts and which the cgroup spends before
# it meets its limit: the flood is large enough to outlast any of that.
echo $(( $(cat "$group/memory.current") + 64 * 1024 )) >"$group/memory.max"
craft_per_port "$inj" v9a "$sink_mac" 192.0.2.3 192.0.2.2:80 AA 3000 10999
active=$(stat_of "$sink" sessions_active)
full=$(stat_of "$sink" table_full)
echo "# under the limit: $active sessions, $full refused"
check "the cgroup's limit refuses sessions (table_full)" [ "$full" -gt 0 ]
check "sessions below the limit were still made" [ "$active" -gt 2000 ]
check "every tuple without a session was refused" [ "$full" -ge $((10000 - active)) ]
check "the cgroup stayed within its limit" \
	[ "$(cat "$group/memory.current")" -le "$(cat "$group/memory.max")" ]

$IP netns del "$sink"
tcpsess_finish
cleanup_group
