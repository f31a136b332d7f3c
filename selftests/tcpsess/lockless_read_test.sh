#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc, dumps and the GC ask whether a session has expired, reading its
# state without its lock, while a segment on another CPU commits a new
# state under the lock. That is no data race only if the store is marked
# (WRITE_ONCE) as the load is (READ_ONCE); a plain store, as a struct copy
# of the whole state machine once was, is one.
#
# Only the KCSAN kernel can tell, and with its usual sampling it watches
# the one store that matters too rarely to catch it. So here KCSAN watches
# every access tcpsess makes (skip_watch=0) and a task's watch costs no
# delay (udelay_task=0), so that the reader keeps up. Crafted handshakes,
# sent from CPU 0, commit state after state in its softirq, each store
# held for KCSAN's interrupt delay, while a reader on CPU 1 reads the
# session from /proc in a loop. A reader reads once per stretch the writer
# holds the lock (and then waits for it), so each commit is caught with a
# chance of about one in the accesses under the lock: over a thousand
# commits, a plain store is reported (BUG: KCSAN: data-race) all but
# certainly, and a report fails the run. On any other kernel, it skips.
. "$(dirname "$0")/lib.sh"

KCSAN=/sys/module/kcsan/parameters
COUNTERS=/sys/kernel/debug/kcsan
ROUNDS=${LOCKLESS_ROUNDS:-400}
ktap_print_header
if [ ! -w $KCSAN/skip_watch ]; then
	ktap_skip_all "not a KCSAN kernel"
	exit "$KSFT_SKIP"
fi
if [ "$(nproc)" -lt 2 ]; then
	ktap_skip_all "needs two CPUs"
	exit "$KSFT_SKIP"
fi
if [ ! -r $COUNTERS ]; then
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
	[ -r $COUNTERS ] || ktap_exit_fail_msg "no $COUNTERS"
fi

saved_skip=$(cat $KCSAN/skip_watch)
saved_task=$(cat $KCSAN/udelay_task)
kcsan_restore()
{
	echo "$saved_skip" >$KCSAN/skip_watch
	echo "$saved_task" >$KCSAN/udelay_task
}
trap 'kcsan_restore; tcpsess_cleanup' EXIT

tcpsess_load pickup=0 event_rate=0 "${TCPSESS_NO_EXPIRY[@]}" ||
	ktap_exit_fail_msg "insmod failed"
inj=$(ns_new inj)
trk=$(ns_new trk)
veth_pair "$inj" "$trk" 1 || ktap_exit_fail_msg "veth setup failed"
trk_mac=$(mac_of "$trk" v1b)

watchpoints() { awk '$1 == "setup_watchpoints:" { print $2 }' $COUNTERS; }
races() { dmesg | grep -c 'BUG: KCSAN: data-race'; }

# The handshakes of one tuple, each reopening the one before: the SYN-ACK,
# the third ACK and the RST commit a new state to a session /proc shows.
# Neither address is trk's, so its routing drops them all unanswered.
handshakes()
{
	local isn=1000000 round

	for round in $(seq "$ROUNDS"); do
		echo "o S seq=$isn"
		echo "r SA seq=$((round * 1000)) ack=$((isn + 1))"
		echo "o A seq=$((isn + 1)) ack=$((round * 1000 + 1))"
		echo "o R seq=$((isn + 1))"
		isn=$((isn + 100000))
	done
}

stop=/tmp/lockless-stop.$$
rm -f "$stop"
$IP netns exec "$trk" taskset -c 1 bash -c \
	'while [ ! -e "$1" ]; do read -r -d "" _ </proc/net/tcpsess/sessions; done' \
	reader "$stop" &
TCPSESS_PIDS+=($!)

races_before=$(races)
watched_before=$(watchpoints)
echo 0 >$KCSAN/udelay_task
echo 0 >$KCSAN/skip_watch
handshakes | $IP netns exec "$inj" taskset -c 0 "$TCPCRAFT" -i v1a \
	--dst-mac "$trk_mac" -a 198.51.100.1:4000 -b 192.0.2.2:80
kcsan_restore
touch "$stop"
wait

watched=$(($(watchpoints) - watched_before))
echo "# KCSAN set up $watched watchpoints over $ROUNDS handshakes"
expect_eq "every handshake made a session" "$ROUNDS" \
	"$(stat_of "$trk" sessions_created)"
expect_eq "no segment was invalid" 0 "$(stat_of "$trk" packets_invalid)"
# Nothing to catch unless KCSAN watched tcpsess's every access.
check "KCSAN watched tcpsess throughout" [ "$watched" -ge $((ROUNDS * 4 * 50)) ]
expect_eq "no data race between a commit and a lockless read" \
	"$races_before" "$(races)"
rm -f "$stop"
tcpsess_finish
