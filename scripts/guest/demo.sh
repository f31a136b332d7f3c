#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo, inside the VM: real TCP between two namespaces while
# tcpsessctl watches, then what tcpsess recorded, and what left the host:
# the IPFIX records in nfdump's collector and a Prometheus scrape.
IP=/usr/sbin/ip
T=/kselftest/tcpsess
CTL=$T/tcpsessctl
PEER=$T/tcppeer

/usr/sbin/insmod $T/tcpsess.ko || exit 1
for ns in client server; do
	$IP netns add $ns
	$IP -n $ns link set lo up
done
$IP link add eth0 netns client type veth peer name eth0 netns server
$IP -n client addr add 10.0.0.1/24 dev eth0
$IP -n server addr add 10.0.0.2/24 dev eth0
$IP -n client addr add fd00::1/64 dev eth0 nodad
$IP -n server addr add fd00::2/64 dev eth0 nodad
$IP -n client link set eth0 up
$IP -n server link set eth0 up
# A host that never answers, for a half-open connection.
$IP -n client neigh add 10.0.0.99 lladdr 02:00:00:00:00:99 dev eth0

mkdir -p /tmp/www
head -c 20000 /dev/zero | tr '\0' 'x' >/tmp/www/index.html
# Detached from our output, or the runner would wait for it forever.
$IP netns exec server busybox httpd -p 80 -h /tmp/www </dev/null >/dev/null 2>&1
$IP netns exec client "$CTL" monitor >/tmp/monitor.txt &
monitor=$!
# Off the host: IPFIX to nfdump's collector, as a fleet would send it.
mkdir -p /tmp/flows
$IP netns exec client /usr/bin/nfcapd -w /tmp/flows -b 127.0.0.1 -p 4739 -4 \
	>/dev/null 2>&1 &
collector=$!
$IP netns exec client "$CTL" export --ipfix 127.0.0.1:4739 2>/tmp/export.txt &
exporter=$!
# Prometheus's view, scraped at the end.
$IP netns exec client "$CTL" metrics --listen 127.0.0.1:9100 2>/dev/null &
metrics=$!
sleep 1

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { echo "\$ $*"; "$@" 2>&1 | sed 's/^/  /'; }

say "Traffic from namespace 'client' (10.0.0.1, fd00::1) to 'server' (10.0.0.2, fd00::2)"
run $IP netns exec client busybox wget -q -O /dev/null http://10.0.0.2/index.html
run $IP netns exec client busybox wget -q -O /dev/null "http://[fd00::2]/index.html"
run $IP netns exec client "$PEER" client -c 10.0.0.2 -p 8080
run $IP netns exec client "$PEER" client -c 10.0.0.99 -p 80 --timeout-ms 1500
$IP netns exec server "$PEER" server -l 10.0.0.2 -p 9000 --mode sink 2>/dev/null &
server=$!
sleep 0.5
run $IP netns exec client "$PEER" client -c 10.0.0.2 -p 9000 --send 500 --close rst
wait $server
sleep 1
kill -INT $monitor
wait $monitor

say "tcpsessctl monitor (events as they happened)"
sed 's/^/  /' /tmp/monitor.txt
say "cat /proc/net/tcpsess/sessions   (in 'client'; completed, refused, half-open, reset)"
$IP netns exec client cat /proc/net/tcpsess/sessions | sed 's/^/  /'
say "tcpsessctl list   (the same over netlink)"
$IP netns exec client "$CTL" list | sed 's/^/  /'
say "cat /proc/net/tcpsess/stats   (in 'client'; counters that are not zero)"
$IP netns exec client awk '$2 != 0 || /^sessions_max/' /proc/net/tcpsess/stats |
	paste -d' ' - - - | sed 's/^/  /'

say "tcpsessctl flush   (ends every session: each becomes an IPFIX record)"
run $IP netns exec client "$CTL" flush
sleep 1
kill -TERM $exporter
wait $exporter
kill -TERM $collector
wait $collector
sed 's/^/  /' /tmp/export.txt
say "nfdump -R /tmp/flows   (what nfdump's collector received from tcpsessctl export)"
run /usr/bin/nfdump -R /tmp/flows -q -6 \
	-o "fmt:%sa %sp -> %da %dp %ipkt %ibyt <- %opkt %obyt %end"
say "wget -O - http://127.0.0.1:9100/metrics   (tcpsessctl metrics --listen; some lines)"
$IP netns exec client busybox wget -q -O - http://127.0.0.1:9100/metrics |
	grep -E '^tcpsess_(sessions|sessions_ended_total|packets_total|handshake_rtt_seconds_count)' |
	sed 's/^/  /'
kill -TERM $metrics
wait $metrics

for ns in client server; do
	$IP netns pids $ns | xargs -r kill
	$IP netns del $ns
done
/usr/sbin/rmmod tcpsess
