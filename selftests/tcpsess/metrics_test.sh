#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tcpsessctl metrics after real traffic: every /proc stat has its sample,
# equal, the RTT histograms count the RTTs the sessions show; --textfile
# replaces its file whole; --listen serves GET /metrics fresh, refuses
# other paths, methods and garbage, outlives them and the module's
# reload, and stops on SIGTERM or SIGINT with exit 0. With TCPSESS_ARTIFACTS
# set, the exposition is left there for the host's promtool.
. "$(dirname "$0")/lib.sh"

BB=/bin/busybox
PORT=9101
ktap_print_header
require_tools "$BB"


# METRICS_FILE STATS_FILE: each /proc stat against its sample, read back
# by a parser of its own; bounds and sums compared as numbers, in µs, so
# the spelling of seconds is the exposition's own business. Prints one
# line per disagreement, per stat without a sample and per sample without
# a stat.
compare()
{
	awk '
	function label(series, name) {
		if (!match(series, name "=\"[^\"]*\""))
			return ""
		return substr(series, RSTART + length(name) + 2,
			      RLENGTH - length(name) - 3)
	}
	function us(seconds) { return sprintf("%.0f", seconds * 1000000) }
	function take(key) {
		if (!(key in m))
			return "(none)"
		used[key] = 1
		return m[key]
	}
	FNR == NR {
		if ($0 ~ /^#/)
			next
		series = $1
		name = series
		sub(/\{.*/, "", name)
		sum[name] += $2
		leg = label(series, "leg")
		if (name == "tcpsess_handshake_rtt_seconds_bucket") {
			le = label(series, "le")
			key = "rtt_" leg "_le_" (le == "+Inf" ? "inf" : us(le) "us")
		} else if (name == "tcpsess_handshake_rtt_seconds_sum") {
			key = "rtt_" leg "_sum_us"
			$2 = us($2)
		} else if (name == "tcpsess_handshake_rtt_seconds_count") {
			key = "rtt_" leg "_count"
		} else if (name == "tcpsess_sessions") {
			key = "state_" label(series, "state")
		} else if (name == "tcpsess_sessions_ended_total") {
			key = "ended_" label(series, "reason")
		} else if (name == "tcpsess_packets_invalid_total") {
			key = "invalid_" label(series, "reason")
		} else {
			key = name
		}
		if (key in m)
			print "twice: " series
		m[key] = $2
		next
	}
	{
		n = $1
		if (n == "sessions_active")
			got = sum["tcpsess_sessions"]
		else if (n == "sessions_ended")
			got = sum["tcpsess_sessions_ended_total"]
		else if (n == "packets_invalid")
			got = sum["tcpsess_packets_invalid_total"]
		else if (n == "sessions_max")
			got = take("tcpsess_sessions_limit")
		else if (n == "sessions_created")
			got = take("tcpsess_sessions_created_total")
		else if (n == "packets_seen")
			got = take("tcpsess_packets_total")
		else if (n == "memory_bytes")
			got = take("tcpsess_memory_bytes")
		else if (n ~ /^(fragments_ignored|table_full|events_sent|events_suppressed)$/)
			got = take("tcpsess_" n "_total")
		else
			got = take(n)
		if (got "" != $2 "")
			print n ": /proc " $2 ", metrics " got
		if (n ~ /^rtt_.*_le_inf$/) {
			sub(/_le_inf$/, "_count", n)
			if ((got = take(n)) "" != $2 "")
				print n ": /proc le_inf " $2 ", metrics " got
		}
	}
	END {
		for (key in m)
			if (!(key in used) && key !~ /^tcpsess_(sessions|sessions_ended_total|packets_invalid_total)$/)
				print "no /proc stat for " key
	}' "$1" "$2"
}

# Whether namespace $1's metrics match its /proc stats: both read twice
# around the exposition, which must fall between equal reads.
metrics_match()	# NS
{
	local ns=$1

	$IP netns exec "$ns" cat /proc/net/tcpsess/stats >/tmp/stats1.$$
	ctl "$ns" metrics >/tmp/metrics.$$ || return 1
	$IP netns exec "$ns" cat /proc/net/tcpsess/stats >/tmp/stats2.$$
	cmp -s /tmp/stats1.$$ /tmp/stats2.$$ || return 1
	compare /tmp/metrics.$$ /tmp/stats1.$$ >/tmp/compare.$$
	[ ! -s /tmp/compare.$$ ]
}

expect_metrics_match()	# NS TAG
{
	if wait_for 10 metrics_match "$1"; then
		ktap_test_pass "$2: every stat equals its metric"
	else
		sed 's/^/# /' /tmp/compare.$$
		ktap_test_fail "$2: every stat equals its metric"
	fi
}

# The value of one series (e.g. 'tcpsess_sessions_limit') in a file.
sample()	# FILE SERIES
{
	awk -v s="$2" '$1 == s { print $2 }' "$1"
}

# Measured RTTs of namespace $1's sessions: those of leg $2 not -1.
measured()	# NS LEG
{
	sessions "$1" | tail -n +2 | column "rtt_${2}_us" | grep -vc '^-1$'
}

tcpsess_load "${TCPSESS_NO_EXPIRY[@]}" || ktap_exit_fail_msg "insmod failed"
cli=$(ns_new cli)
srv=$(ns_new srv)
veth_pair "$cli" "$srv" 1 || ktap_exit_fail_msg "veth setup failed"

# --- real traffic ------------------------------------------------------------------
peer_server "$srv" -l 10.1.0.2 -p 8000 --mode echo --count 3
for sport in 40001 40002 40003; do
	peer_client "$cli" -c 10.1.0.2 -p 8000 --sport $sport --send 2000 --recv 2000
done
peer_server "$srv" -6 -l fd01::2 -p 8001 --mode echo --count 2
for sport in 40004 40005; do
	peer_client "$cli" -6 -c fd01::2 -p 8001 --sport $sport --send 500 --recv 500
done
# Refused: a session left in CLOSED.
peer_client "$cli" -c 10.1.0.2 -p 8999 --sport 40006 >/dev/null 2>&1
# Never answered: one left in SYN_SENT, no RTT.
$IP -n "$cli" neigh add 10.1.0.99 lladdr 02:00:00:00:00:99 dev v1a
peer_client "$cli" -c 10.1.0.99 -p 80 --sport 40007 --timeout-ms 500 >/dev/null 2>&1
# Invalid segments, crafted towards the client's tracker.
cli_mac=$(mac_of "$cli" v1a)
printf '%s\n' "o S seq=1 csum=bad" "o SF seq=1" "o S seq=1 doff=4" |
	$IP netns exec "$srv" "$TCPCRAFT" -i v1b --dst-mac "$cli_mac" \
		-a 192.0.2.1:1000 -b 192.0.2.2:80
at_least_sessions() { [ "$(sessions "$1" | tail -n +2 | grep -c .)" -ge "$2" ]; }
wait_for 5 at_least_sessions "$cli" 7

# --- the exposition against /proc ----------------------------------------------------
ctl "$cli" metrics >/tmp/first.$$
expect_eq "metrics: exit 0" 0 $?
# For the host's promtool (scripts/referee/promtool.sh): sessions in
# several states, invalid segments, both histograms filled.
if [ -n "${TCPSESS_ARTIFACTS:-}" ]; then
	mkdir -p "$TCPSESS_ARTIFACTS/metrics"
	cp /tmp/first.$$ "$TCPSESS_ARTIFACTS/metrics/metrics.prom"
fi
expect_metrics_match "$cli" "after traffic"
check "metrics: invalid segments counted by reason" \
	[ "$(sample /tmp/metrics.$$ 'tcpsess_packets_invalid_total{reason="bad_checksum"}')" -ge 1 ]
check "metrics: sessions by state, some in time_wait" \
	[ "$(sample /tmp/metrics.$$ 'tcpsess_sessions{state="time_wait"}')" -ge 1 ]
for leg in syn ack; do
	n=$(measured "$cli" $leg)
	check "$leg RTTs measured" [ "$n" -gt 0 ]
	expect_eq "tcpsess_handshake_rtt_seconds_count{leg=\"$leg\"} = sessions with rtt_${leg}_us" \
		"$n" "$(sample /tmp/metrics.$$ "tcpsess_handshake_rtt_seconds_count{leg=\"$leg\"}")"
done
rtt_hist_check "$cli" "/proc's RTT histograms"
check "metrics: a HELP and a TYPE line before each family's samples" awk '
	/^# HELP / { help = $3; next }
	/^# TYPE / { if ($3 != help) exit 1; family = $3; type = $4; next }
	{
		name = $1; sub(/\{.*/, "", name)
		if (type == "histogram")
			sub(/_(bucket|sum|count)$/, "", name)
		if (name != family) exit 1
	}' /tmp/metrics.$$

# --- --textfile --------------------------------------------------------------------------
dir=$(mktemp -d /tmp/textfile.XXXXXX)
prom=$dir/tcpsess.prom
(umask 022 && ctl "$cli" metrics --textfile "$prom")
expect_eq "--textfile: exit 0" 0 $?
expect_eq "--textfile: what metrics prints" "$(ctl "$cli" metrics)" "$(cat "$prom")"
expect_eq "--textfile: mode 644 under umask 022" 644 "$($BB stat -c %a "$prom")"
inode=$($BB stat -c %i "$prom")
ctl "$cli" metrics --textfile "$prom"
check "--textfile: replaced by rename(), a new inode" \
	[ "$($BB stat -c %i "$prom")" != "$inode" ]
# A reader racing the writer sees a whole exposition every time.
last='^tcpsess_handshake_rtt_seconds_count{leg="ack"} [0-9]*$'
(for _ in $(seq 50); do ctl "$cli" metrics --textfile "$prom"; done) &
writer=$!
torn=0 reads=0
while kill -0 $writer 2>/dev/null; do
	tail -n 1 "$prom" | grep -q "$last" || torn=$((torn + 1))
	reads=$((reads + 1))
done
wait $writer
echo "# $reads reads while rewriting"
expect_eq "--textfile: never read half written" 0 "$torn"
expect_eq "--textfile: no temporary file left" "tcpsess.prom" "$(ls -A "$dir")"
ctl "$cli" metrics --textfile "$dir/none/x.prom" 2>/dev/null
expect_eq "--textfile into a missing directory: exit 1" 1 $?
rm -rf "$dir"

# --- --listen --------------------------------------------------------------------------
# Requests come from the server's peer namespace, over the veth.
get()	# URL, then wget options
{
	local url=$1

	shift
	$IP netns exec "$srv" $BB timeout 30 $BB wget -q -O - "$@" "$url"
}

# Sends stdin as it is and prints the raw answer.
raw()	# ADDR
{
	$IP netns exec "$srv" $BB timeout 30 $BB nc "$1" $PORT
}

serving() { get "http://10.1.0.1:$PORT/metrics" >/dev/null 2>&1; }

ns_spawn "$cli" "$CTL" metrics --listen "[::]:$PORT" 2>/tmp/listen-err.$$
server=$!
check "--listen: serving" wait_for 20 serving

get "http://10.1.0.1:$PORT/metrics" >/tmp/served.$$
expect_eq "GET /metrics over IPv4: exit 0" 0 $?
ctl "$cli" metrics >/tmp/printed.$$
expect_eq "GET /metrics: the series metrics prints" \
	"$(awk '{ print $1 }' /tmp/printed.$$)" "$(awk '{ print $1 }' /tmp/served.$$)"
get "http://[fd01::1]:$PORT/metrics?x=1" >/tmp/served6.$$
expect_eq "GET /metrics?x=1 over IPv6: exit 0" 0 $?
expect_eq "over IPv6: the same series" \
	"$(awk '{ print $1 }' /tmp/served.$$)" "$(awk '{ print $1 }' /tmp/served6.$$)"

# The head of a raw answer, CRs dropped, and its body.
head_of() { sed -n '1,/^\r$/p' "$1" | tr -d '\r'; }
body_of() { sed '1,/^\r$/d' "$1"; }
printf 'GET /metrics HTTP/1.0\r\n\r\n' | raw 10.1.0.1 >/tmp/raw.$$
head_of /tmp/raw.$$ >/tmp/head.$$
expect_eq "raw GET: status" "HTTP/1.1 200 OK" "$(head -n 1 /tmp/head.$$)"
check "raw GET: Content-Type of format 0.0.4" \
	grep -qx 'Content-Type: text/plain; version=0.0.4; charset=utf-8' /tmp/head.$$
check "raw GET: Connection: close" grep -qx 'Connection: close' /tmp/head.$$
expect_eq "raw GET: Content-Length is the body's" \
	"$(sed -n 's/^Content-Length: //p' /tmp/head.$$)" "$(body_of /tmp/raw.$$ | wc -c)"

printf 'HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n' | raw 10.1.0.1 >/tmp/raw.$$
expect_eq "HEAD: 200" "HTTP/1.1 200 OK" "$(head_of /tmp/raw.$$ | head -n 1)"
expect_eq "HEAD: no body" 0 "$(body_of /tmp/raw.$$ | wc -c)"

get "http://10.1.0.1:$PORT/other" 2>/tmp/wget-err.$$
expect_eq "GET /other: wget fails" 1 $?
check "GET /other: 404" grep -q '404 Not Found' /tmp/wget-err.$$
get "http://10.1.0.1:$PORT/metrics" --post-data x 2>/tmp/wget-err.$$
expect_eq "POST /metrics: wget fails" 1 $?
check "POST /metrics: 405" grep -q '405 Method Not Allowed' /tmp/wget-err.$$
printf 'POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc' | raw 10.1.0.1 >/tmp/raw.$$
head_of /tmp/raw.$$ >/tmp/head.$$
check "POST: Allow: GET, HEAD" grep -qx 'Allow: GET, HEAD' /tmp/head.$$

# Garbage: each answered or dropped, the server alive after all of them.
status_of() { head -n 1 "$1" | tr -d '\r'; }
head -c 4096 /dev/urandom | raw 10.1.0.1 >/tmp/raw.$$
echo "# binary junk: $(status_of /tmp/raw.$$)"
{ printf 'GET /metrics HTTP/1.1\r\nX: '; head -c 100000 /dev/zero | tr '\0' a; } |
	raw 10.1.0.1 >/tmp/raw.$$
expect_eq "an endless header line: 431" \
	"HTTP/1.1 431 Request Header Fields Too Large" "$(status_of /tmp/raw.$$)"
{ printf 'GET /'; head -c 100000 /dev/zero | tr '\0' a; } | raw 10.1.0.1 >/tmp/raw.$$
expect_eq "an endless request line: 414" "HTTP/1.1 414 URI Too Long" \
	"$(status_of /tmp/raw.$$)"
printf 'GET /metrics HTTP/1.1\r\nno colon\r\n\r\n' | raw 10.1.0.1 >/tmp/raw.$$
expect_eq "a malformed header: 400" "HTTP/1.1 400 Bad Request" "$(status_of /tmp/raw.$$)"
printf 'GET /metrics HTTP/2.0\r\n\r\n' | raw 10.1.0.1 >/tmp/raw.$$
expect_eq "HTTP/2.0: 505" "HTTP/1.1 505 HTTP Version Not Supported" "$(status_of /tmp/raw.$$)"
# A client that connects and says nothing holds the server 5 s at most.
(sleep 12 | raw 10.1.0.1 >/dev/null) &
silent=$!
sleep 1
start=$(date +%s)
get "http://10.1.0.1:$PORT/metrics" >/tmp/served.$$
expect_eq "GET after a silent client: exit 0" 0 $?
took=$(($(date +%s) - start))
echo "# answered after $took s"
check "GET after a silent client: within its 5 s and a margin" [ "$took" -le 8 ]
kill_ours $silent
wait $silent 2>/dev/null
check "GET after all that: a whole exposition" grep -q "$last" /tmp/served.$$

# Fresh for each request: a change shows in the next scrape.
ctl "$cli" config max_sessions=12345
expect_eq "a new max_sessions shows in the next scrape" 12345 \
	"$(get "http://10.1.0.1:$PORT/metrics" | awk '$1 == "tcpsess_sessions_limit" { print $2 }')"

ctl "$cli" metrics --listen "10.1.0.1:$PORT" 2>/tmp/busy-err.$$
expect_eq "--listen on an address in use: exit 1" 1 $?
check "--listen on an address in use: says so" grep -q 'cannot listen' /tmp/busy-err.$$
ctl "$cli" metrics --listen "localhost:$PORT" 2>/dev/null
expect_eq "--listen with a host name: usage error" 2 $?

# --- the flush ended them all: the same again ---------------------------------------------
ctl "$cli" flush
expect_metrics_match "$cli" "after a flush"
check "metrics: sessions ended by flush" \
	[ "$(sample /tmp/metrics.$$ 'tcpsess_sessions_ended_total{reason="flushed"}')" -ge 7 ]


# --- the module away and back, then the signals ---------------------------------------------
/usr/sbin/rmmod tcpsess
check "module unloaded" [ ! -d /sys/module/tcpsess ]
printf 'GET /metrics HTTP/1.0\r\n\r\n' | raw 10.1.0.1 >/tmp/raw.$$
expect_eq "module away: 503" "HTTP/1.1 503 Service Unavailable" "$(status_of /tmp/raw.$$)"
check "module away: says not loaded" grep -q 'not loaded' /tmp/raw.$$
tcpsess_load "${TCPSESS_NO_EXPIRY[@]}"
get "http://10.1.0.1:$PORT/metrics" >/tmp/served.$$
expect_eq "module back: GET /metrics works again" 0 $?

kill -TERM $server
wait $server
expect_eq "SIGTERM: exit 0" 0 $?
check "SIGTERM: no longer listening" bash -c \
	"! $IP netns exec $srv $BB timeout 5 $BB wget -q -O - http://10.1.0.1:$PORT/metrics 2>/dev/null"
ns_spawn "$cli" "$CTL" metrics --listen "10.1.0.1:$PORT" 2>/dev/null
server=$!
check "restarted at once on the same port" wait_for 20 serving
kill -INT $server
wait $server
expect_eq "SIGINT: exit 0" 0 $?

rm -f /tmp/*.$$
tcpsess_finish
