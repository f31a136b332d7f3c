#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench, inside the VM. Each repetition runs no tracker, tcpsess and
# conntrack in turn (the order rotates), each on fresh namespaces: packet
# rate, connection rate, bulk throughput. Then tcpsess's packet rate with
# 1,000 and with 1,000,000 sessions in its table, and its memory per
# session. Prints raw results as "BENCH ..." lines, which the host turns
# into the table, and progress as "bench: ..." lines. Fails when a
# measurement cannot be trusted: a configuration with the wrong hooks, a
# tracker that did not see the traffic, a tool that failed.
#
# The kernel command line passes bench_smoke=1 (tiny counts), bench_reps and
# bench_profile=1 (perf profiles of the flood at the end).
# shellcheck source=scripts/guest/bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

if [ "${bench_smoke:-0}" = 1 ]; then
	reps=${bench_reps:-1}
	flood_n=3000 warm_n=300 conns=200 workers=4 bulk_s=1
	small=1000 large=5000
else
	reps=${bench_reps:-5}
	flood_n=100000 warm_n=2000 conns=2000 workers=8 bulk_s=3
	small=1000 large=1000000
fi
configs=(none tcpsess conntrack)

result()
{
	echo "BENCH $*"
}

# The runner's output reaches the host in blocks, long after the fact; the
# kernel log goes out line by line, so progress goes there too.
progress()
{
	echo "bench: [$(date +%T)] $*"
	echo "bench: $*" >/dev/kmsg
}

# Connections a tracker has taken in b, so far.
conns_tracked()	# CONFIG
{
	case $1 in
	tcpsess) tcpsess_stat sessions_created ;;
	conntrack) $IP netns exec "$NS_B" "$CONNTRACK" -C 2>/dev/null ;;
	*) echo 0 ;;
	esac
}

run_config()	# REP CONFIG
{
	local rep=$1 cfg=$2 before after

	progress "repetition $rep of $reps: $cfg"
	if ! topo_up || ! config_on "$cfg" || ! hooks_verify "$cfg"; then
		bench_fail "$cfg: set-up failed"
		topo_down
		config_off "$cfg"
		return 1
	fi

	flood "$warm_n" "$FLOOD_ACK"
	before=$(flow_packets "$cfg")
	if flood_rate "$flood_n" "$FLOOD_ACK"; then
		after=$(flow_packets "$cfg")
		if [ "$cfg" != none ] && [ $((after - before)) -ne "$flood_n" ]; then
			bench_fail "$cfg counted $((after - before)) of $flood_n segments"
		fi
		result sample pps "$cfg" "$rep" "$FLOOD_PPS"
		result sample drops "$cfg" "$rep" "$FLOOD_DROPS"
	fi

	before=$(conns_tracked "$cfg")
	if conn_rate "$conns" "$workers"; then
		after=$(conns_tracked "$cfg")
		# connrate gives each connection its own tuple: conntrack
		# holds one entry per connection, in TIME_WAIT for 120 s.
		if [ "$cfg" != none ] && [ $((after - before)) -ne "$conns" ]; then
			bench_fail "$cfg took $((after - before)) of $conns connections"
		fi
		result sample cps "$cfg" "$rep" "$CONN_RATE"
	fi

	bulk_rate "$bulk_s" && result sample gbps "$cfg" "$rep" "$BULK_GBPS"

	topo_down
	config_off "$cfg"
}

# The flood's packet rate with the table holding what it holds now.
scaling_samples()	# METRIC FIRST_REP
{
	local rep

	flood "$warm_n" "$FLOOD_ACK"
	for rep in $(seq "$2" $(($2 + reps - 1))); do
		flood_rate "$flood_n" "$FLOOD_ACK" &&
			result sample "$1" tcpsess "$rep" "$FLOOD_PPS"
	done
}

# What the module's slab caches hold, per cache (their own lines need
# slab_nomerge: otherwise a cache may be merged into another of its size).
memory_report()
{
	result sessions_large "$(tcpsess_stat sessions_active)"
	result memory_bytes "$(tcpsess_stat memory_bytes)"
	awk '$1 ~ /^tcpsess/ { print "BENCH slab", $1, $2, $4, $15 * $6 * 4096 }
	     $1 == "nf_conntrack" { print "BENCH conntrack_objsize", $4 }' /proc/slabinfo
}

# tcpsess with a small, then a large table, then small again, so that a
# drift of the host's load during the phase shows rather than biases.
run_scaling()
{
	local max=$((large + large / 10 + 1000))
	# The bound of all namespaces too: by default a sixteenth of RAM, which
	# the bench VM's 3 GiB only just lets reach a million sessions.
	local params=("max_sessions=$max" "max_sessions_total=$max" timeout_syn_sent=3600)

	progress "tcpsess with $small sessions, then $large, then $small again"
	if ! tcpsess_load "${params[@]}" || ! topo_up; then
		bench_fail "scaling: set-up failed"
		topo_down
		tcpsess_unload
		return 1
	fi
	if tcpsess_fill "$small"; then
		result sessions_small "$(tcpsess_stat sessions_active)"
		dump_empty small
		scaling_samples pps_1k 1
	fi
	progress "filling the table to $large sessions"
	if tcpsess_fill "$large"; then
		result fill_rate "$FILL_RATE"
		memory_report
		dump_empty large
		progress "flood through $large sessions"
		scaling_samples pps_1m 1
	fi
	progress "flush, back to $small sessions"
	$IP netns exec "$NS_B" "$TCPSESSCTL" flush || bench_fail "tcpsessctl flush"
	if tcpsess_fill "$small"; then
		scaling_samples pps_1k $((reps + 1))
	fi
	topo_down
	tcpsess_unload
}

# Where the flood's time goes on its CPU, by symbol, in each configuration:
# the evidence to look at when a target is not met (bench_profile=1).
# tcpsess's cost where conntrack and NAT run anyway: the flood through a
# NAT router's ruleset alone, then with tcpsess loaded on top of it.
run_nat()
{
	local rep before after

	for rep in $(seq "$reps"); do
		progress "repetition $rep of $reps: NAT ruleset, then tcpsess beside it"
		if ! topo_up || ! config_on nat; then
			bench_fail "nat: set-up failed"
			topo_down
			continue
		fi
		flood "$warm_n" "$FLOOD_ACK"
		flood_rate "$flood_n" "$FLOOD_ACK" &&
			result sample pps nat "$rep" "$FLOOD_PPS"
		if tcpsess_load; then
			flood "$warm_n" "$FLOOD_ACK"
			before=$(flow_packets tcpsess)
			if flood_rate "$flood_n" "$FLOOD_ACK"; then
				after=$(flow_packets tcpsess)
				[ $((after - before)) -eq "$flood_n" ] ||
					bench_fail "nat: tcpsess counted $((after - before)) of $flood_n segments"
				result sample pps nat_tcpsess "$rep" "$FLOOD_PPS"
			fi
		else
			bench_fail "nat: tcpsess did not load"
		fi
		topo_down
		tcpsess_unload
	done
}

# A dump (tcpsessctl list) and a /proc read in a namespace of its own with
# no sessions, in guest milliseconds: what another namespace's table makes
# it cost.
dump_empty()	# WHEN
{
	local ns=bench-empty t0 t1

	$IP netns add "$ns" || return 1
	t0=$EPOCHREALTIME
	$IP netns exec "$ns" "$TCPSESSCTL" list >/dev/null || bench_fail "list in $ns"
	t1=$EPOCHREALTIME
	result sample "dump_ms_$1" tcpsess 1 "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')"
	t0=$EPOCHREALTIME
	$IP netns exec "$ns" cat /proc/net/tcpsess/sessions >/dev/null
	t1=$EPOCHREALTIME
	result sample "proc_ms_$1" tcpsess 1 "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')"
	$IP netns del "$ns"
}

run_profile()
{
	local cfg perf=$HERE/perf data=/tmp/bench-perf.data

	if [ ! -x "$perf" ]; then
		bench_fail "profile: perf is not in the suite"
		return 1
	fi
	sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
	for cfg in none tcpsess conntrack; do
		progress "profiling the flood: $cfg"
		if ! topo_up || ! config_on "$cfg"; then
			bench_fail "profile: $cfg: set-up failed"
		else
			flood "$warm_n" "$FLOOD_ACK"
			flood_cmd "$flood_n" "$FLOOD_ACK"
			"$perf" record -q -C 0 -e cpu-clock -F 4000 -o "$data" -- \
				"${FLOOD_CMD[@]}" >/dev/null 2>&1
			"$perf" report -i "$data" --stdio --no-children -n \
				--sort dso,sym 2>/dev/null | grep -v '^#' | grep . |
				head -n 60 |
				sed "s/^/profile: $cfg: /"
		fi
		topo_down
		config_off "$cfg"
	done
}

for mod in veth nft_ct nf_conntrack_netlink nfnetlink_hook; do
	# Built in on the debug kernel, absent (nfnetlink_hook) on 6.1.
	/usr/sbin/modprobe "$mod" 2>/dev/null
done
tcpsess_unload
result kernel "$(uname -r)"
result smp "$(nproc)"
result mem_mb $(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024))
result reps "$reps"
result counts "flood=$flood_n conns=$conns workers=$workers bulk_s=$bulk_s" \
	"small=$small large=$large"
result cmdline "$(cat /proc/cmdline)"

for rep in $(seq "$reps"); do
	for i in 0 1 2; do
		run_config "$rep" "${configs[(rep - 1 + i) % 3]}"
	done
done
run_nat
run_scaling
[ "${bench_profile:-0}" != 1 ] || run_profile
progress "done"
exit "$BENCH_FAILED"
