# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the tcpsess shell selftests. Each test sources this, builds its
# namespaces with the helpers below and reports with ktap_helpers.sh; the
# EXIT trap removes whatever it made and unloads the module.

IP=/usr/sbin/ip
HERE=$(cd "$(dirname "$0")" && pwd)
TCPSESS_KO=${TCPSESS_KO:-$HERE/tcpsess.ko}
export TCPCRAFT=$HERE/tcpcraft
TCPPEER=$HERE/tcppeer
CTL=$HERE/tcpsessctl
NS_PREFIX="tsess$$"
TCPSESS_PIDS=()

# shellcheck source=/dev/null
. "$HERE/../kselftest/ktap_helpers.sh"

# The namespaces this test made. Asked of the kernel, since ns_new runs in
# the subshell of a command substitution, where no variable it sets lasts.
ns_ours()
{
	$IP netns list | awk -v prefix="$NS_PREFIX-" 'index($1, prefix) == 1 { print $1 }'
}

# Ends every process inside our namespaces: killing a loop leaves the command
# it was running, which would keep the runner's output pipe open forever.
ns_kill_all()
{
	local ns

	for ns in $(ns_ours); do
		$IP netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	done
	return 0
}

# Signals a process we started only if it is still ours: after thousands
# of processes a saved PID may belong to someone else by now.
kill_ours()
{
	local pid=$1 stat

	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	read -r _ ppid _ <<<"$stat"
	[ "$ppid" = "$$" ] && kill "$pid" 2>/dev/null
	return 0
}

# Repeats a command in the background until the file named by $stop exists:
# the load of the stress tests, whose commands may fail while the module
# is away, so only the kernel's health is judged.
worker()
{
	while [ ! -e "${stop:?}" ]; do
		"$@" >/dev/null 2>&1
	done &
	TCPSESS_PIDS+=($!)
}

# Stops a test's background workers, which poll for STOP_FILE between their
# commands, ending what runs in our namespaces so none waits long: killing
# a worker's loop would orphan the command it was running.
stop_workers()	# STOP_FILE
{
	local pid

	touch "$1"
	for _ in $(seq 30); do
		ns_kill_all
		[ -z "$(jobs -rp)" ] && break
		sleep 1
	done
	for pid in $(jobs -rp); do
		kill_ours "$pid"
	done
	wait 2>/dev/null
	TCPSESS_PIDS=()
}

tcpsess_cleanup()
{
	local pid ns

	for pid in "${TCPSESS_PIDS[@]}"; do
		kill_ours "$pid"
	done
	ns_kill_all
	wait 2>/dev/null
	for ns in $(ns_ours); do
		$IP netns del "$ns" 2>/dev/null
	done
	if [ -d /sys/module/tcpsess ]; then
		/usr/sbin/rmmod tcpsess || echo "# rmmod tcpsess failed"
	fi
}
trap tcpsess_cleanup EXIT

# Timeouts no test run can reach, however slow its kernel: a test that does
# not measure expiry must never see a session expire behind its back.
# shellcheck disable=SC2034 # used by the tests that source this file
TCPSESS_NO_EXPIRY=(timeout_syn_sent=3600 timeout_syn_recv=3600
	timeout_fin_wait_1=3600 timeout_fin_wait_2=3600 timeout_closing=3600
	timeout_last_ack=3600 timeout_time_wait=3600 timeout_closed=3600)

# Skips the whole test unless every tool named (by its full path: busybox
# would answer for a bare name) is there, as kselftests do for what the
# machine lacks; make check then fails the skip (scripts/tap.sh).
require_tools()	# PATH...
{
	local tool

	for tool in "$@"; do
		if [ ! -x "$tool" ]; then
			ktap_skip_all "$tool is missing"
			exit "$KSFT_SKIP"
		fi
	done
}

# Loads the module with the given parameters, unloading any earlier copy.
tcpsess_load()
{
	[ -d /sys/module/tcpsess ] && /usr/sbin/rmmod tcpsess
	/usr/sbin/insmod "$TCPSESS_KO" "$@"
}

# Makes a namespace with loopback up; prints its name.
ns_new()
{
	local ns="$NS_PREFIX-$1"

	$IP netns add "$ns" || return 1
	$IP -n "$ns" link set lo up
	echo "$ns"
}

# Joins two namespaces with a veth pair: "ns1 ns2 index" gives
# 10.<index>.0.1/24 + fd<index>::1/64 on ns1's "v<index>a" and .2/::2 on
# ns2's "v<index>b". Further arguments are link options for both ends
# (e.g. gso_max_segs 1).
veth_pair()
{
	local a=$1 b=$2 i=$3

	shift 3
	$IP link add "v${i}a" netns "$a" "$@" type veth \
		peer name "v${i}b" netns "$b" "$@" || return 1
	$IP -n "$a" addr add "10.$i.0.1/24" dev "v${i}a"
	$IP -n "$b" addr add "10.$i.0.2/24" dev "v${i}b"
	$IP -n "$a" addr add "fd0$i::1/64" dev "v${i}a" nodad
	$IP -n "$b" addr add "fd0$i::2/64" dev "v${i}b" nodad
	$IP -n "$a" link set "v${i}a" up
	$IP -n "$b" link set "v${i}b" up
}

# The MAC address of DEV in NS, for frames crafted to reach it.
mac_of()	# NS DEV
{
	$IP -n "$1" link show "$2" | awk '/link\/ether/ { print $2 }'
}

# A client, a router and a server, routed both ways for IPv4 and IPv6:
#   cli 10.1.0.1 --v1-- 10.1.0.2 rtr 10.2.0.1 --v2-- 10.2.0.2 srv
#       fd01::1          fd01::2     fd02::1          fd02::2
# Prints the three namespaces' names, in that order.
routed_path()
{
	local cli rtr srv

	cli=$(ns_new cli) && rtr=$(ns_new rtr) && srv=$(ns_new srv) &&
		veth_pair "$cli" "$rtr" 1 >&2 && veth_pair "$rtr" "$srv" 2 >&2 ||
		return 1
	$IP -n "$cli" route add default via 10.1.0.2 &&
		$IP -n "$cli" -6 route add default via fd01::2 &&
		$IP -n "$srv" route add default via 10.2.0.1 &&
		$IP -n "$srv" -6 route add default via fd02::1 || return 1
	$IP netns exec "$rtr" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward &&
		echo 1 >/proc/sys/net/ipv6/conf/all/forwarding' || return 1
	echo "$cli $rtr $srv"
}

# Runs a command in the background inside a namespace; killed on exit.
ns_spawn()
{
	local ns=$1

	shift
	$IP netns exec "$ns" "$@" &
	TCPSESS_PIDS+=($!)
}

# Starts a tcppeer server and waits until it listens.
peer_server()
{
	local ns=$1 ready i

	shift
	ready=$(mktemp -u /tmp/tcpsess-ready.XXXXXX)
	ns_spawn "$ns" "$TCPPEER" server --ready-file "$ready" "$@"
	for i in $(seq 100); do
		[ -e "$ready" ] && { rm -f "$ready"; return 0; }
		sleep 0.1
	done
	echo "# tcppeer server in $ns did not start"
	return 1
}

peer_client()
{
	local ns=$1

	shift
	$IP netns exec "$ns" "$TCPPEER" client "$@"
}

# One crafted segment per source port FIRST..LAST from ADDR to DST, each
# opening its own session: FLAGS S sends SYNs, A mid-stream ACKs (a
# provisional pickup), AA a mid-stream ACK and the other side's answer (a
# confirmed pickup, which is never evicted).
craft_per_port()	# NS IFACE DST_MAC ADDR DST FLAGS FIRST LAST
{
	local port

	for port in $(seq "$7" "$8"); do
		case $6 in
		A) echo "o A seq=$port ack=1" ;;
		AA) echo "o A seq=$port ack=1"; echo "r A seq=$port ack=$port" ;;
		*) echo "o $6 seq=$port" ;;
		esac
	done | $IP netns exec "$1" "$TCPCRAFT" -i "$2" --dst-mac "$3" \
		-a "$4:1" -b "$5" --sport-from-seq
}

sessions()
{
	$IP netns exec "$1" cat /proc/net/tcpsess/sessions
}

# Prints the value of one stat of a namespace.
stat_of()
{
	$IP netns exec "$1" awk -v name="$2" '$1 == name { print $2 }' \
		/proc/net/tcpsess/stats
}

# Whether stat $2 of namespace $1 is $3 now: for wait_for, which must read
# the stat afresh each time.
stat_is()
{
	[ "$(stat_of "$1" "$2")" = "$3" ]
}

# SPEC section 5's RTT histogram bounds, in µs.
RTT_BOUNDS="50 100 250 500 1000 2500 5000 10000 25000 50000 100000 250000 500000 1000000 2500000 5000000"

# Checks namespace $1's handshake RTT histograms against its sessions. Each
# RTT is counted once, when measured, so while no session has ended yet,
# le_inf is the number of sessions showing that RTT and sum_us their sum,
# exactly; the buckets never decrease.
rtt_hist_check()	# NS TAG
{
	local ns=$1 tag=$2 leg rtt n sum bound le prev ok stats

	expect_eq "$tag: no session ended yet" 0 "$(stat_of "$ns" sessions_ended)"
	stats=$($IP netns exec "$ns" cat /proc/net/tcpsess/stats)
	echo "$stats" | awk '/^rtt_/ { printf "%s%s %s", sep, $1, $2; sep = ", " }
			     END { print "" }' | sed 's/^/# /'
	for leg in syn ack; do
		n=0 sum=0
		for rtt in $(sessions "$ns" | tail -n +2 | column "rtt_${leg}_us"); do
			[ "$rtt" = -1 ] && continue
			n=$((n + 1)) sum=$((sum + rtt))
		done
		check "$tag: some $leg RTTs measured" [ "$n" -gt 0 ]
		expect_eq "$tag: rtt_${leg}_le_inf = sessions with rtt_${leg}_us" \
			"$n" "$(echo "$stats" | awk -v k="rtt_${leg}_le_inf" '$1 == k { print $2 }')"
		expect_eq "$tag: rtt_${leg}_sum_us = sum of rtt_${leg}_us" \
			"$sum" "$(echo "$stats" | awk -v k="rtt_${leg}_sum_us" '$1 == k { print $2 }')"
		ok=true prev=0
		for bound in $RTT_BOUNDS inf; do
			[ "$bound" = inf ] || bound=${bound}us
			le=$(echo "$stats" | awk -v k="rtt_${leg}_le_$bound" '$1 == k { print $2 }')
			if [ -z "$le" ] || [ "$le" -lt "$prev" ]; then
				echo "# rtt_${leg}_le_$bound is '$le', after $prev"
				ok=false
			fi
			prev=${le:-0}
		done
		check "$tag: rtt_${leg} buckets all there, never decreasing" $ok
	done
}

# Segments a namespace's TCP sent (Tcp OutSegs), counting each GSO segment
# as the wire does; InSegs would count a GSO skb from a veth once.
tcp_out_segs()	# NS
{
	$IP netns exec "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 } else print $c["OutSegs"] }' /proc/net/snmp
}

# "segments retransmitted" that a namespace's TCP has put on the wire, a
# GSO segment counted as the wire carries it: what a tracker on the path
# sees. OutSegs leaves retransmissions out, all but a listener's SYN-ACKs
# (tcp_rtx_synack() counts those in both), hence ROLE.
tcp_wire()	# NS listens|connects
{
	$IP netns exec "$1" awk -v role="$2" '
		$1 == "Tcp:" || $1 == "TcpExt:" {
			if (!($1 in h)) { h[$1] = 1; split($0, n); next }
			for (i = 2; i <= NF; i++) v[n[1] n[i]] = $i
		}
		END {
			synack = role == "listens" ? v["TcpExt:TCPSynRetrans"] : 0
			print v["Tcp:OutSegs"] + v["Tcp:RetransSegs"] - synack,
			      v["Tcp:RetransSegs"]
		}' /proc/net/snmp /proc/net/netstat
}

# Whether a namespace's TCP holds no socket, so sends nothing more.
tcp_idle()	# NS
{
	$IP netns exec "$1" awk 'FNR > 1 { exit 1 }' /proc/net/tcp /proc/net/tcp6
}

# Prints the sessions line whose orig source port is $2 (and family $3).
session_by_sport()
{
	sessions "$1" | awk -v sport="$2" -v af="${3:-}" \
		'NR > 1 && $4 == sport && (af == "" || $2 == af)'
}

# Whether the session whose orig source port is $2 is in state $3 now: for
# wait_for, while the last segments of a close may still be on their way.
session_state_is()	# NS SPORT STATE
{
	[ "$(session_by_sport "$1" "$2" | column state)" = "$3" ]
}

# Whether history $1 is a whole exchange: the handshake, then a pure ACK
# and data from orig and data from the reply, and both FINs. The third ACK
# (sent from softirq) and the first data (from the task) may leave on two
# CPUs, so on the far side of a veth they may come in either order.
history_whole()	# HISTORY
{
	[[ $1 == Sh* && $1 == *A* && $1 == *D* && $1 == *d* && $1 == *F* &&
	   $1 == *f* ]]
}

# Prints one named column of a sessions line given on stdin.
column()
{
	awk -v name="$1" '
		BEGIN {
			split("id af src sport dst dport state age_ms idle_ms pkts_orig bytes_orig pkts_reply bytes_reply rtt_syn_us rtt_ack_us retrans_orig retrans_reply history flags ipbytes_orig ipbytes_reply", cols, " ")
			for (i in cols)
				index_of[cols[i]] = i
		}
		{ print $(index_of[name]) }'
}

# An address as the hex of its bytes in network order: IPv4 dotted, IPv6
# as inet_ntop writes it (one "::" at most, no embedded IPv4).
addr_hex()
{
	local addr=$1 head tail g i out=""
	local -a h t

	if [[ $addr != *:* ]]; then
		IFS=. read -r -a h <<<"$addr"
		printf '%02x%02x%02x%02x\n' "${h[@]}"
		return
	fi
	head=$addr tail=""
	if [[ $addr == *::* ]]; then
		head=${addr%%::*}
		tail=${addr#*::}
	fi
	IFS=: read -r -a h <<<"$head"
	IFS=: read -r -a t <<<"$tail"
	for g in "${h[@]}"; do out+=$(printf %04x "0x$g"); done
	for ((i = ${#h[@]} + ${#t[@]}; i < 8; i++)); do out+=0000; done
	for g in "${t[@]}"; do out+=$(printf %04x "0x$g"); done
	echo "$out"
}

# SRC SPORT DST DPORT: the TCP flow's Community ID v1, seed 0, worked out
# here from the spec (github.com/corelight/community-id-spec) so that the
# client's own code is not checked against itself: the seed (2 bytes), the
# lesser endpoint's address then the other's, the protocol (6), a zero
# byte, the lesser's port then the other's; base64 of that's SHA-1.
community_id()
{
	local a b ap bp

	a=$(addr_hex "$1") ap=$(printf %04x "$2")
	b=$(addr_hex "$3") bp=$(printf %04x "$4")
	# Hex digits of equal length sort as the bytes they stand for.
	if [[ $a$ap > $b$bp ]]; then
		set -- "$b" "$a" "$bp" "$ap"
	else
		set -- "$a" "$b" "$ap" "$bp"
	fi
	echo "1:$(printf '0000%s%s0600%s%s' "$@" | xxd -r -p | sha1sum |
		cut -c1-40 | xxd -r -p | base64)"
}

# check DESCRIPTION COMMAND...: one KTAP result from a command's status.
check()
{
	local desc=$1

	shift
	if "$@"; then
		ktap_test_pass "$desc"
	else
		ktap_test_fail "$desc"
	fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq()
{
	if [ "$2" = "$3" ]; then
		ktap_test_pass "$1"
	else
		echo "# $1: expected '$2', got '$3'"
		ktap_test_fail "$1"
	fi
}

# Ends a test: the plan is the number of results printed (TAP allows it last).
tcpsess_finish()
{
	ktap_set_plan $((KTAP_TESTNO - 1))
	ktap_finished
}

# Waits up to $1 seconds for a command to succeed.
wait_for()
{
	local limit=$1 i

	shift
	for i in $(seq $((limit * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# The IPFIX stream in FILE (tcpsessctl export's, over TCP), read as RFC
# 7011 lays it out. Prints "MESSAGES FLOWS OK ALL OPTIONS NOT_SENT LOST":
# its messages chain by their lengths, the first opens with the templates
# and each one's sequence number counts the data records before it (else
# OK is "bad"); FLOWS flow records (IPv4 or IPv6 templates) go to port
# PORT, ALL to any port; OPTIONS options records (template 258) came, the
# last one saying NOT_SENT (notSentFlowTotalCount) and LOST (the lost
# events), or "-" for both without one. A message cut short at the end
# (a stream still flowing) is left out and makes it "bad". One message at
# a time is held, so that megabytes take seconds, not hours.
ipfix_stream()	# FILE PORT
{
	xxd -p "$1" | awk -v port="$2" '
		function u16(i) { return m[i] * 256 + m[i + 1] }
		function u32(i) { return u16(i) * 65536 + u16(i + 2) }
		function u64(i) { return u32(i) * 4294967296 + u32(i + 4) }
		function message(len,	p, q, id, slen, fixed) {
			if (m[0] * 256 + m[1] != 10 || len < 16) {
				bad = 1
				return
			}
			if (u32(8) != records) bad = 1
			if (!msgs && u16(16) != 2) bad = 1
			for (p = 16; p < len; p += slen) {
				id = u16(p); slen = u16(p + 2)
				if (slen < 4 || p + slen > len) {
					bad = 1
					break
				}
				if (id == 258) {
					for (q = p + 4; q + 20 <= p + slen; q += 20) {
						records++
						options++
						notsent = u64(q + 4)
						lost = u64(q + 12)
					}
				}
				if (id != 256 && id != 257)
					continue
				fixed = id == 256 ? 91 : 115
				for (q = p + 4; q < p + slen; q += fixed + 1 + m[q + fixed]) {
					records++
					all++
					if (u16(q + (id == 256 ? 18 : 42)) == port)
						flows++
				}
			}
			msgs++
		}
		BEGIN {
			for (i = 0; i < 256; i++)
				hex[sprintf("%02x", i)] = i
			notsent = lost = "-"
		}
		!bad {
			for (i = 1; i < length($0); i += 2) {
				m[n++] = hex[substr($0, i, 2)]
				if (n == 4) {
					need = m[2] * 256 + m[3]
					if (need < 16) {
						bad = 1
						break
					}
				}
				if (n >= 4 && n == need) {
					message(need)
					n = 0
				}
			}
		}
		END {
			if (n) bad = 1
			print msgs + 0, flows + 0, bad ? "bad" : "ok", all + 0,
			      options + 0, notsent, lost
		}'
}

# Runs tcpsessctl in a namespace.
ctl()	# NS ARGS...
{
	local ns=$1

	shift
	$IP netns exec "$ns" "$CTL" "$@"
}

# Prints the value of KEY from one JSON object given on stdin.
json()	# KEY
{
	sed -n "s/.*\"$1\":\(\"[^\"]*\"\|-\?[0-9][0-9]*\).*/\1/p" | tr -d '"'
}
