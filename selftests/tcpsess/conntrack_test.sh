#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The differential against conntrack. One namespace (trk) tracks its TCP
# with both tcpsess and nf_conntrack (an nftables "ct state" rule turns
# conntrack on, accounting on) while a peer namespace plays the other end of
# every kind of session, in both directions and both families. Sessions
# that would move on are frozen where they stand by dropping what their
# receiver must not see: in trk after both trackers saw it (a "late" chain
# behind them), or in the peer. Then all TCP is stopped, both tables are
# read, and conntrack_diff.awk pairs every session by its tuple: states by
# the mapping table of Documentation/conntrack.md, counters exactly, with a
# capture of trk's interfaces as the referee of what each side should have
# counted.
. "$(dirname "$0")/lib.sh"

NFT=/usr/sbin/nft
CONNTRACK=/usr/sbin/conntrack
TCPDUMP=/usr/bin/tcpdump
SS=/usr/bin/ss
# Nothing may end or change state by the clock while the test runs.
LONG=3600
WAIT=600000
WORK=$(mktemp -d /tmp/tcpsess-ct.XXXXXX)

conntrack_cleanup()
{
	tcpsess_cleanup
	rm -rf "$WORK"
}
trap conntrack_cleanup EXIT

ktap_print_header

require_tools $NFT $CONNTRACK $TCPDUMP $SS
# Built into the debug kernel, where modprobe succeeds without loading.
for mod in nf_conntrack nf_tables nft_ct nf_conntrack_netlink; do
	/usr/sbin/modprobe "$mod" || ktap_exit_fail_msg "modprobe $mod failed"
done
tcpsess_load timeout_syn_sent=$LONG timeout_syn_recv=$LONG \
	timeout_established=$LONG timeout_fin_wait_1=$LONG timeout_fin_wait_2=$LONG \
	timeout_closing=$LONG timeout_last_ack=$LONG timeout_time_wait=$LONG \
	timeout_closed=$LONG || ktap_exit_fail_msg "insmod failed"

trk=$(ns_new trk)
peer=$(ns_new peer)
# v1 carries one segment per packet, as conntrack and the capture count
# packets; v2 keeps GSO, for the one session that shows the difference.
veth_pair "$trk" "$peer" 1 gso_max_segs 1 || ktap_exit_fail_msg "veth v1 failed"
veth_pair "$trk" "$peer" 2 || ktap_exit_fail_msg "veth v2 failed"
trk_mac=$(mac_of "$trk" v1a)

in_trk()
{
	$IP netns exec "$trk" "$@"
}

in_peer()
{
	$IP netns exec "$peer" "$@"
}

in_trk sysctl -qw net.netfilter.nf_conntrack_acct=1 ||
	ktap_exit_fail_msg "no conntrack accounting"
for t in syn_sent syn_recv established fin_wait close_wait last_ack time_wait \
	 close max_retrans unacknowledged; do
	in_trk sysctl -qw "net.netfilter.nf_conntrack_tcp_timeout_$t=$LONG"
done

# The ct state rules make conntrack track trk's traffic; conntrack sees
# every segment at PRE_ROUTING and LOCAL_OUT, as tcpsess does.
in_trk $NFT -f - <<-EOF || ktap_exit_fail_msg "nft in trk failed"
	table inet ctdiff {
		chain pre {
			type filter hook prerouting priority filter;
			ct state invalid counter comment "invalid"
			ct state new,established,related counter
		}
		chain out {
			type filter hook output priority filter;
			ct state invalid counter comment "invalid"
			ct state new,established,related counter
		}
		chain late {
			type filter hook prerouting priority 10;
		}
	}
EOF
in_peer $NFT -f - <<-EOF || ktap_exit_fail_msg "nft in peer failed"
	table inet drops {
		chain pre {
			type filter hook prerouting priority filter;
		}
		chain out {
			type filter hook output priority filter;
		}
	}
EOF

# drop NS TABLE CHAIN NAME MATCH: drops what MATCH matches, counted by a
# rule commented NAME (named counters need nft_objref, a module on 6.1).
drop()
{
	local ns=$1 table=$2 chain=$3 name=$4

	shift 4
	$IP netns exec "$ns" $NFT add rule inet "$table" "$chain" \
		"$* counter drop comment \"$name\""
}

# Packets counted by the rules of a table commented NAME.
counted()	# NS TABLE NAME
{
	$IP netns exec "$1" $NFT list table inet "$2" |
		awk -v c="comment \"$3\"" 'index($0, c) {
			for (i = 1; i < NF; i++)
				if ($i == "packets")
					n += $(i + 1)
		} END { print n + 0 }'
}

# Drops in trk after both trackers saw it; its receiver never does.
drop_late()
{
	drop "$trk" ctdiff late "$@"
}

drop_at_peer()
{
	drop "$peer" drops pre "$@"
}

# A socket of trk's in this TCP state (ss's name) with this local port.
in_tcp_state()	# STATE PORT
{
	[ -n "$(in_trk $SS -tnH state "$1" "( sport = :$2 )")" ]
}

dropped_at_least()	# NS TABLE NAME MIN
{
	[ "$(counted "$1" "$2" "$3")" -ge "$4" ]
}

# --- the referees: a capture of trk's interfaces, conntrack's events ----------
capture_pids=()
for dev in v1a v2a; do
	ns_spawn "$trk" $TCPDUMP -Z root -U --immediate-mode -n -i $dev -s 200 -w "$WORK/$dev.pcap" \
		2>"$WORK/$dev.err"
	capture_pids+=("${TCPSESS_PIDS[-1]}")
	wait_for 30 grep -q "listening on" "$WORK/$dev.err" ||
		ktap_exit_fail_msg "tcpdump on $dev did not start"
done
# Connections conntrack deletes at once (a RST answering the SYN) leave
# their final counters only in the DESTROY event.
ns_spawn "$trk" $CONNTRACK -E -e NEW,DESTROY -o extended -b 4194304 \
	>"$WORK/events" 2>"$WORK/events.err"
events_pid=${TCPSESS_PIDS[-1]}
# A UDP entry shows when the listener is subscribed; the judge reads TCP
# only. An entry made before it subscribed is never seen: make a new one
# each try, until one is.
listener_sees_udp()	# SPORT
{
	in_trk $CONNTRACK -I -p udp -s 192.0.2.1 -d 192.0.2.2 --sport "$1" \
		--dport 9 -t 60 >/dev/null 2>&1
	wait_for 1 grep -q "sport=$1 " "$WORK/events"
}
subscribed=0
for sport in $(seq 1001 1060); do
	listener_sees_udp "$sport" && { subscribed=1; break; }
done
[ $subscribed = 1 ] ||
	ktap_exit_fail_msg "conntrack -E did not start (CONFIG_NF_CONNTRACK_EVENTS?)"

# --- addressing ---------------------------------------------------------------
t_addr() { if [ "$1" = 6 ]; then echo fd01::1; else echo 10.1.0.1; fi; }
p_addr() { if [ "$1" = 6 ]; then echo fd01::2; else echo 10.1.0.2; fi; }
bracket() { if [ "$1" = 6 ]; then echo "[$2]"; else echo "$2"; fi; }
# Every session has its own orig port per family, which names it.
sport() { echo $(( ($1 == 4 ? 40000 : 50000) + $2 )); }
pport() { echo $(( ($1 == 4 ? 7100 : 7600) + $2 )); }
tport() { echo $(( ($1 == 4 ? 7300 : 7800) + $2 )); }

# expect LABEL AF SPORT STATE FLAGS BYTES_ORIG BYTES_REPLY [SEGS_ORIG
# SEGS_REPLY TS_INVALID_ORIG TS_INVALID_REPLY CT_INVALID_ORIG
# CT_INVALID_REPLY CONNTRACK]: a session this test made, as
# conntrack_diff.awk reads it.
expect()
{
	echo "$1 $2 $3 $4 $5 $6 $7 ${8:--} ${9:--} ${10:-0} ${11:-0} ${12:-0} ${13:-0}" \
		"${14:--}" >>"$WORK/expect"
}

# ran DESCRIPTION STATUS ALLOWED...: one result for a driver's exit status.
ran()
{
	local desc=$1 status=$2 ok

	shift 2
	for ok in "$@"; do
		if [ "$status" = "$ok" ]; then
			ktap_test_pass "$desc"
			return
		fi
	done
	echo "# $desc: exit status $status, expected one of $*"
	ktap_test_fail "$desc"
}

# server NS ARGS...: a tcppeer server; its PID in $server_pid.
server()
{
	peer_server "$@" --timeout-ms $WAIT || return 1
	server_pid=${TCPSESS_PIDS[-1]}
}

# background NS ARGS...: a tcppeer client left running; its PID in $client_pid.
background()
{
	local ns=$1

	shift
	ns_spawn "$ns" "$TCPPEER" client --timeout-ms $WAIT "$@"
	client_pid=${TCPSESS_PIDS[-1]}
}

finish_server()	# DESCRIPTION ALLOWED...
{
	local desc=$1 rc=0

	shift
	wait "$server_pid" || rc=$?
	ran "$desc" $rc "$@"
}

tcp_segs_out()	# NS: segments its TCP sent, retransmissions included
{
	$IP netns exec "$1" awk '/^Tcp:/ {
		if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["OutSegs"] + $c["RetransSegs"] }' /proc/net/snmp
}

# The sequence number of the first segment from port SPORT to DPORT with
# FLAGS as tcpdump prints them (S: SYN, S.: SYN-ACK), from the capture.
first_seq()	# SPORT DPORT FLAGS
{
	$TCPDUMP -Z root -r "$WORK/v1a.pcap" -nn -S "src port $1 and dst port $2" 2>/dev/null |
		awk -v f="[$3]," '{
			for (i = 1; i < NF; i++)
				if ($i == "Flags" && $(i + 1) == f)
					for (; i < NF; i++)
						if ($i == "seq") {
							sub(",", "", $(i + 1))
							print $(i + 1)
							exit
						}
		}'
}

# Segments on stdin from the peer's address ("r") or to it ("o"), between
# trk's SPORT and the peer's PPORT, crafted at the peer's end of v1.
craft_as_peer()	# AF SPORT PPORT
{
	in_peer "$TCPCRAFT" -i v1b --dst-mac "$trk_mac" \
		-a "$(bracket "$1" "$(t_addr "$1")"):$2" -b "$(bracket "$1" "$(p_addr "$1")"):$3"
}

# A connection from trk to a peer played by tcpcraft: the peer's stack
# drops all of it (counted in NAME), and $isn is trk's ISN for the answer.
crafted_connect()	# AF SPORT PPORT NAME
{
	drop_at_peer "$4" tcp sport "$2" tcp dport "$3"
	background "$trk" -c "$(p_addr "$1")" -p "$3" --sport "$2" --close wait
	wait_for 60 dropped_at_least "$peer" drops "$4" 1 || return 1
	isn=$(first_seq "$2" "$3" S)
	[ -n "$isn" ]
}

# --- sessions that run to their end -------------------------------------------

# GSO on v2: one packet of many segments is one packet to conntrack. Run
# alone, so that each end's TCP counters are this session's segments.
gso()
{
	local af=$1 sp pp addr trk_out peer_out rc=0

	sp=$(sport "$af" 22) pp=$(pport "$af" 22)
	addr=10.2.0.2
	[ "$af" = 6 ] && addr=fd02::2
	server "$peer" -l $addr -p "$pp" --mode echo || return
	trk_out=$(tcp_segs_out "$trk")
	peer_out=$(tcp_segs_out "$peer")
	peer_client "$trk" -c $addr -p "$pp" --sport "$sp" --send 100000 --recv 100000 || rc=$?
	ran "IPv$af GSO: client ran" $rc 0
	finish_server "IPv$af GSO: server ran" 0
	expect gso "$af" "$sp" TIME_WAIT - 100000 100000 \
		$(( $(tcp_segs_out "$trk") - trk_out )) $(( $(tcp_segs_out "$peer") - peer_out ))
}

# Client closes first, data both ways.
cfirst()
{
	local af=$1 sp pp rc=0

	sp=$(sport "$af" 1) pp=$(pport "$af" 1)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode echo || return
	peer_client "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 3000 --recv 3000 || rc=$?
	ran "IPv$af client closes first: client ran" $rc 0
	finish_server "IPv$af client closes first: server ran" 0
	expect cfirst "$af" "$sp" TIME_WAIT - 3000 3000
}

# Server closes first.
sfirst()
{
	local af=$1 sp pp rc=0

	sp=$(sport "$af" 2) pp=$(pport "$af" 2)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode send --bytes 5000 || return
	peer_client "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 700 \
		--recv 5000 --close wait || rc=$?
	ran "IPv$af server closes first: client ran" $rc 0
	finish_server "IPv$af server closes first: server ran" 0
	expect sfirst "$af" "$sp" TIME_WAIT - 700 5000
}

# trk as the responder, client (orig) and then server closing first.
inbound()
{
	local af=$1 sp tp rc=0

	sp=$(sport "$af" 3) tp=$(tport "$af" 3)
	server "$trk" -l "$(t_addr "$af")" -p "$tp" --mode echo || return
	peer_client "$peer" -c "$(t_addr "$af")" -p "$tp" --sport "$sp" --send 1200 --recv 1200 || rc=$?
	ran "IPv$af inbound, client closes first: client ran" $rc 0
	finish_server "IPv$af inbound, client closes first: server ran" 0
	expect in_cfirst "$af" "$sp" TIME_WAIT - 1200 1200

	rc=0 sp=$(sport "$af" 4) tp=$(tport "$af" 4)
	server "$trk" -l "$(t_addr "$af")" -p "$tp" --mode send --bytes 800 || return
	peer_client "$peer" -c "$(t_addr "$af")" -p "$tp" --sport "$sp" --recv 800 --close wait || rc=$?
	ran "IPv$af inbound, server closes first: client ran" $rc 0
	finish_server "IPv$af inbound, server closes first: server ran" 0
	expect in_sfirst "$af" "$sp" TIME_WAIT - 0 800
}

# Refused both ways: a RST answers the SYN.
refused()
{
	local af=$1 sp rc=0

	sp=$(sport "$af" 5)
	peer_client "$trk" -c "$(p_addr "$af")" -p "$(pport "$af" 5)" --sport "$sp" 2>/dev/null || rc=$?
	ran "IPv$af refused: client refused" $rc 3
	expect refused "$af" "$sp" CLOSED - 0 0

	rc=0 sp=$(sport "$af" 6)
	peer_client "$peer" -c "$(t_addr "$af")" -p "$(tport "$af" 6)" --sport "$sp" 2>/dev/null || rc=$?
	ran "IPv$af inbound refused: client refused" $rc 3
	expect in_refused "$af" "$sp" CLOSED - 0 0
}

# Reset after data: by the client, by the server, by an inbound client.
reset()
{
	local af=$1 sp pp tp rc=0

	sp=$(sport "$af" 7) pp=$(pport "$af" 7)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode sink 2>/dev/null || return
	peer_client "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 2000 --close rst || rc=$?
	ran "IPv$af client resets: client ran" $rc 0
	finish_server "IPv$af client resets: server saw it" 4
	expect reset_client "$af" "$sp" CLOSED - 2000 0

	rc=0 sp=$(sport "$af" 8) pp=$(pport "$af" 8)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode rst || return
	peer_client "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 100 2>/dev/null || rc=$?
	ran "IPv$af server resets: client ran" $rc 0 1 4
	finish_server "IPv$af server resets: server ran" 0
	expect reset_server "$af" "$sp" CLOSED - 100 0

	rc=0 sp=$(sport "$af" 9) tp=$(tport "$af" 9)
	server "$trk" -l "$(t_addr "$af")" -p "$tp" --mode sink 2>/dev/null || return
	peer_client "$peer" -c "$(t_addr "$af")" -p "$tp" --sport "$sp" --send 1500 --close rst || rc=$?
	ran "IPv$af inbound client resets: client ran" $rc 0
	finish_server "IPv$af inbound client resets: server saw it" 4
	expect in_reset "$af" "$sp" CLOSED - 1500 0
}

# Half-close: the client's FIN, then the server's data, then its FIN.
halfclose()
{
	local af=$1 sp pp rc=0

	sp=$(sport "$af" 10) pp=$(pport "$af" 10)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode halfclose --bytes 2000 || return
	peer_client "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 100 --recv 2000 \
		--close halfclose || rc=$?
	ran "IPv$af half-close: client ran" $rc 0
	finish_server "IPv$af half-close: server ran" 0
	expect halfclose "$af" "$sp" TIME_WAIT - 100 2000
}

# Many at once, each its own size, both families together.
concurrent()
{
	local n=12 af i pids=() names=() spids=() rc

	for af in 4 6; do
		server "$peer" -l "$(p_addr "$af")" -p "$(pport "$af" 30)" --mode echo --count $n || return
		spids+=("$server_pid")
	done
	for af in 4 6; do
		for i in $(seq 0 $((n - 1))); do
			background "$trk" -c "$(p_addr "$af")" -p "$(pport "$af" 30)" \
				--sport "$(sport "$af" $((100 + i)))" \
				--send $(( (i + 1) * 97 )) --recv $(( (i + 1) * 97 ))
			pids+=("$client_pid")
			names+=("IPv$af #$i")
			expect concurrent "$af" "$(sport "$af" $((100 + i)))" TIME_WAIT - \
				$(( (i + 1) * 97 )) $(( (i + 1) * 97 ))
		done
	done
	for i in "${!pids[@]}"; do
		rc=0
		wait "${pids[i]}" || rc=$?
		ran "concurrent: client ${names[i]} ran" $rc 0
	done
	for i in 0 1; do
		rc=0
		wait "${spids[i]}" || rc=$?
		ran "concurrent: IPv$((i ? 6 : 4)) server ran" $rc 0
	done
}

# Simultaneous open: trk's SYN is lost on the way, the peer's SYN crosses
# it, and trk answers with a SYN-ACK. Then data both ways and a close.
simopen()
{
	local af=$1 sp pp rc=0 cpid

	sp=$(sport "$af" 21) pp=$(pport "$af" 21)
	drop_at_peer "so$af" tcp sport "$sp" tcp dport "$pp" "tcp flags & (syn | ack) == syn"
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 600 --recv 600
	cpid=$client_pid
	wait_for 60 dropped_at_least "$peer" drops "so$af" 1
	peer_client "$peer" -c "$(t_addr "$af")" -p "$sp" --sport "$pp" --send 600 --recv 600 || rc=$?
	ran "IPv$af simultaneous open: peer ran" $rc 0
	rc=0
	wait "$cpid" || rc=$?
	ran "IPv$af simultaneous open: trk ran" $rc 0
	expect simopen "$af" "$sp" TIME_WAIT SIMOPEN 600 600
}

# --- sessions frozen on the way ---------------------------------------------------

# Half-open: every SYN is lost, and repeated.
halfopen()
{
	local af=$1 sp pp

	sp=$(sport "$af" 11) pp=$(pport "$af" 11)
	drop_at_peer "ho$af" tcp sport "$sp" tcp dport "$pp"
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp"
	wait_for 60 dropped_at_least "$peer" drops "ho$af" 2
	ran "IPv$af half-open: the SYN was repeated" $? 0
	expect halfopen "$af" "$sp" SYN_SENT - 0 0
}

# Idle in ESTABLISHED after an exchange: each end waits for the other.
held()
{
	local af=$1 sp pp ready=$WORK/held$1

	sp=$(sport "$af" 12) pp=$(pport "$af" 12)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode echo || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 300 --recv 300 \
		--close wait --ready-file "$ready"
	wait_for 60 [ -e "$ready" ]
	ran "IPv$af held: exchange done" $? 0
	expect held "$af" "$sp" ESTABLISHED - 300 300
}

# The same, then two RSTs from the peer's address. One in the window but
# not at the expected sequence number: tcpsess refuses it (rst_inexact),
# conntrack accounts it and keeps the state (a challenge ACK may follow).
# One far outside the window: both refuse it.
held_rst()
{
	local af=$1 sp pp ready=$WORK/heldrst$1 isn

	sp=$(sport "$af" 13) pp=$(pport "$af" 13)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode echo || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 300 --recv 300 \
		--close wait --ready-file "$ready"
	wait_for 60 [ -e "$ready" ]
	ran "IPv$af held, RSTs: exchange done" $? 0
	isn=$(first_seq "$pp" "$sp" S.)
	craft_as_peer "$af" "$sp" "$pp" <<-EOF
		r R seq=$(( (isn + 5001) & 0xffffffff ))
		r R seq=$(( (isn + 0x40000000) & 0xffffffff ))
	EOF
	ran "IPv$af held, RSTs: injected after SYN-ACK seq '$isn'" $? 0
	expect held_rst "$af" "$sp" ESTABLISHED - 300 300 - - 0 2 0 1
}

# The client's FIN acknowledged; the server holds its side open.
fin_wait_2()
{
	local af=$1 sp pp

	sp=$(sport "$af" 14) pp=$(pport "$af" 14)
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode hold --hold-ms $WAIT || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 400
	wait_for 60 in_tcp_state fin-wait-2 "$sp"
	ran "IPv$af FIN_WAIT_2: client's FIN acknowledged" $? 0
	expect fin_wait_2 "$af" "$sp" FIN_WAIT_2 - 400 0
}

# Both FINs sent, the first one acknowledged. The peer, played by
# tcpcraft, closes first and then goes silent: trk's FIN is never
# acknowledged, and only trk's repeats of it follow.
last_ack()
{
	local af=$1 sp pp

	sp=$(sport "$af" 15) pp=$(pport "$af" 15)
	crafted_connect "$af" "$sp" "$pp" "la$af"
	ran "IPv$af LAST_ACK: trk's SYN seen" $? 0
	craft_as_peer "$af" "$sp" "$pp" <<-EOF
		r SA seq=5000 ack=$(( (isn + 1) & 0xffffffff ))
		r FA seq=5001 ack=$(( (isn + 1) & 0xffffffff ))
	EOF
	wait_for 60 in_tcp_state last-ack "$sp"
	ran "IPv$af LAST_ACK: trk closed second" $? 0
	expect last_ack "$af" "$sp" LAST_ACK - 0 0
}

# The same state, but then an ACK that acknowledges something else: the
# client's FIN first, and nothing of the server's reaches the client, which
# repeats what it sent, and the server acknowledges that again.
last_ack_acked()
{
	local af=$1 sp pp before

	sp=$(sport "$af" 23) pp=$(pport "$af" 23)
	drop_late "laf$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & fin == fin"
	drop_late "laa$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & (syn | fin) == 0"
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode sink || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --send 500
	wait_for 60 dropped_at_least "$trk" ctdiff "laf$af" 1
	before=$(counted "$trk" ctdiff "laa$af")
	wait_for 60 dropped_at_least "$trk" ctdiff "laa$af" $((before + 1))
	ran "IPv$af LAST_ACK, acked again: an ACK after the server's FIN" $? 0
	expect last_ack_acked "$af" "$sp" LAST_ACK - - 0
}

# Both FINs sent, neither delivered.
closing()
{
	local af=$1 sp pp

	sp=$(sport "$af" 16) pp=$(pport "$af" 16)
	drop_at_peer "clp$af" tcp sport "$sp" tcp dport "$pp" "tcp flags & fin == fin"
	drop_late "clt$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & fin == fin"
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode send --bytes 0 || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp"
	wait_for 60 dropped_at_least "$peer" drops "clp$af" 1 &&
		wait_for 60 dropped_at_least "$trk" ctdiff "clt$af" 1
	ran "IPv$af CLOSING: both FINs seen" $? 0
	expect closing "$af" "$sp" CLOSING - 0 0
}

# The peer's FIN never delivered, so never acknowledged: sent once by
# tcpcraft, and repeated by a real peer's stack.
fin_wait_1()
{
	local af=$1 sp pp

	sp=$(sport "$af" 17) pp=$(pport "$af" 17)
	drop_late "fw$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & fin == fin"
	crafted_connect "$af" "$sp" "$pp" "fwp$af"
	ran "IPv$af FIN_WAIT_1: trk's SYN seen" $? 0
	craft_as_peer "$af" "$sp" "$pp" <<-EOF
		r SA seq=5000 ack=$(( (isn + 1) & 0xffffffff ))
		r FA seq=5001 ack=$(( (isn + 1) & 0xffffffff ))
	EOF
	wait_for 60 dropped_at_least "$trk" ctdiff "fw$af" 1
	ran "IPv$af FIN_WAIT_1: peer's FIN seen" $? 0
	expect fin_wait_1 "$af" "$sp" FIN_WAIT_1 - 0 0

	sp=$(sport "$af" 18) pp=$(pport "$af" 18)
	drop_late "fwr$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & fin == fin"
	server "$peer" -l "$(p_addr "$af")" -p "$pp" --mode send --bytes 0 || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --close wait
	wait_for 60 dropped_at_least "$trk" ctdiff "fwr$af" 2
	ran "IPv$af FIN_WAIT_1, FIN repeated: server's FIN seen twice" $? 0
	expect fin_wait_1_refin "$af" "$sp" FIN_WAIT_1 - 0 0
}

# A SYN crafted from the peer's address: trk answers, the peer never hears
# the SYN-ACK, and trk repeats it.
syn_recv()
{
	local af=$1 sp tp

	sp=$(sport "$af" 19) tp=$(tport "$af" 19)
	drop_at_peer "sr$af" tcp sport "$tp" tcp dport "$sp"
	server "$trk" -l "$(t_addr "$af")" -p "$tp" || return
	# "r" from the peer: here the peer is the originator, a = trk's port.
	echo "r S seq=1000" | craft_as_peer "$af" "$tp" "$sp"
	wait_for 60 dropped_at_least "$peer" drops "sr$af" 2
	ran "IPv$af SYN_RECV: SYN-ACK sent and repeated" $? 0
	expect syn_recv "$af" "$sp" SYN_RECV - 0 0
}

# The SYN-ACK lost on its way to trk's stack: trk repeats its SYN, the
# server answers it with the same SYN-ACK, and repeats it on its own too.
# trk gives up after 30 s, long before the server drops its request (after
# 63 s of SYN-ACKs): a SYN after that would get a SYN-ACK with a new ISN,
# which a slow kernel's run reaches before the freeze.
syn_recv_lost()
{
	local af=$1 sp pp

	sp=$(sport "$af" 24) pp=$(pport "$af" 24)
	drop_late "srl$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & (syn | ack) == syn | ack"
	server "$peer" -l "$(p_addr "$af")" -p "$pp" || return
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp" --timeout-ms 30000
	wait_for 60 dropped_at_least "$trk" ctdiff "srl$af" 3
	ran "IPv$af SYN_RECV, SYN-ACK lost: SYN-ACK repeated" $? 0
	expect syn_recv_lost "$af" "$sp" SYN_RECV - 0 0
}

# A SYN the ruleset drops: conntrack never confirms an entry for it.
unconfirmed()
{
	local af=$1 sp tp

	sp=$(sport "$af" 25) tp=$(tport "$af" 25)
	drop_late "un$af" tcp sport "$sp" tcp dport "$tp"
	background "$peer" -c "$(t_addr "$af")" -p "$tp" --sport "$sp"
	wait_for 60 dropped_at_least "$trk" ctdiff "un$af" 2
	ran "IPv$af SYN dropped by trk's ruleset: SYN repeated" $? 0
	expect unconfirmed "$af" "$sp" SYN_SENT - 0 0 - - 0 0 0 0 none
}

# Simultaneous open stopped after both SYNs: trk's is lost at the peer, the
# peer's never reaches trk's stack.
syn_sent2()
{
	local af=$1 sp pp

	sp=$(sport "$af" 20) pp=$(pport "$af" 20)
	drop_at_peer "s2p$af" tcp sport "$sp" tcp dport "$pp" "tcp flags & (syn | ack) == syn"
	drop_late "s2t$af" tcp sport "$pp" tcp dport "$sp" "tcp flags & (syn | ack) == syn"
	background "$trk" -c "$(p_addr "$af")" -p "$pp" --sport "$sp"
	wait_for 60 dropped_at_least "$peer" drops "s2p$af" 1
	background "$peer" -c "$(t_addr "$af")" -p "$sp" --sport "$pp"
	wait_for 60 dropped_at_least "$trk" ctdiff "s2t$af" 1
	ran "IPv$af SYN_SENT2: both SYNs seen" $? 0
	expect syn_sent2 "$af" "$sp" SYN_SENT SIMOPEN 0 0
}

for af in 4 6; do
	gso "$af"
done
for af in 4 6; do
	cfirst "$af"
	sfirst "$af"
	inbound "$af"
	refused "$af"
	reset "$af"
	halfclose "$af"
	simopen "$af"
done
concurrent
for af in 4 6; do
	halfopen "$af"
	held "$af"
	held_rst "$af"
	fin_wait_2 "$af"
	last_ack "$af"
	last_ack_acked "$af"
	closing "$af"
	syn_recv "$af"
	syn_recv_lost "$af"
	syn_sent2 "$af"
	unconfirmed "$af"
	fin_wait_1 "$af"
done

# --- freeze, read both tables, judge ----------------------------------------------
# All TCP stops: the peer sends nothing, and trk's output is dropped before
# either tracker sees it. What is on the way is taken in by both.
in_peer $NFT add rule inet drops out meta l4proto tcp drop
in_trk $NFT -f - <<-EOF
	table inet freeze {
		chain out {
			type filter hook output priority -500;
			meta l4proto tcp drop
		}
	}
EOF

# Both tables again until nothing moves (clocks left out).
prev=""
moving=1
for i in $(seq 20); do
	sessions "$trk" >"$WORK/ts"
	in_trk $CONNTRACK -L -p tcp -o extended >"$WORK/ct" 2>/dev/null
	now=$(cut -d' ' -f1-7,10-19 "$WORK/ts"; awk '{ $5 = ""; print }' "$WORK/ct")
	[ "$now" = "$prev" ] && { moving=0; break; }
	prev=$now
	sleep 0.5
done
ran "both tables stand still once TCP is stopped" $moving 0

for pid in "${capture_pids[@]}"; do
	kill -INT "$pid"
	wait "$pid"
done
kill "$events_pid"
wait "$events_pid"
for dev in v1a v2a; do
	expect_eq "capture on $dev complete" 0 \
		"$(awk '/dropped by kernel/ { print $1 }' "$WORK/$dev.err")"
	$TCPDUMP -Z root -r "$WORK/$dev.pcap" -nn -e -S -tt >>"$WORK/cap" 2>/dev/null
done
check "conntrack -E lost no events" bash -c "! grep -q ENOBUFS '$WORK/events.err'"

echo "# tcpsess:"
sed 's/^/#   /' "$WORK/ts"
echo "# conntrack:"
sed 's/^/#   /' "$WORK/ct"
grep DESTROY "$WORK/events" | sed 's/^/#   /'

expect_eq "conntrack found invalid only the RSTs out of the window" 2 \
	"$(counted "$trk" ctdiff invalid)"
expect_eq "tcpsess refused only the crafted RSTs" "4 2 2" \
	"$(stat_of "$trk" packets_invalid) $(stat_of "$trk" invalid_rst_inexact) $(stat_of "$trk" invalid_rst_out_of_window)"

while IFS= read -r line; do
	case $line in
	"ok "*) ktap_test_pass "${line#ok }" ;;
	"not ok "*) ktap_test_fail "${line#not ok }" ;;
	*) echo "$line" ;;
	esac
done < <(awk -f "$HERE/conntrack_diff.awk" kind=expect "$WORK/expect" kind=ts "$WORK/ts" \
	kind=ct "$WORK/ct" kind=ev "$WORK/events" kind=cap "$WORK/cap")

tcpsess_finish
