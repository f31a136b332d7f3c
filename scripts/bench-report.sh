#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Turns the benchmark guest's raw results ("BENCH ..." lines without the
# prefix, on stdin) into the table, the targets and a final BENCH-JSON line.
# Every figure is the median over the repetitions; the spread is
# (max - min) / median, to show how far the noise of the host goes.
#
# usage: bench-report.sh DATE < results     print the report
#        bench-report.sh --check < report   check the report's BENCH-JSON
#                                           line: every key there, numeric
set -euo pipefail

json_keys="pps_none pps_tcpsess pps_conntrack cps_none cps_tcpsess cps_conntrack
gbps_none gbps_tcpsess gbps_conntrack pps_tcpsess_1k pps_tcpsess_1m
bytes_per_session pps_nat pps_nat_tcpsess dump_ms_small dump_ms_large
proc_ms_small proc_ms_large kernel smp reps"

check()
{
	local line key value

	line=$(grep '^BENCH-JSON {' | tail -n 1) ||
		{ echo "no BENCH-JSON line"; return 1; }
	for key in $json_keys; do
		value=$(sed -n "s/.*\"$key\": *\\([^,}]*\\).*/\\1/p" <<<"$line")
		case $key:$value in
		kernel:\"?*\") ;;
		kernel:*) echo "BENCH-JSON: $key is not a name: '$value'"; return 1 ;;
		*:[0-9]*)
			if ! [[ $value =~ ^[0-9]+(\.[0-9]+)?$ ]]; then
				echo "BENCH-JSON: $key is not a number: '$value'"
				return 1
			fi
			;;
		*) echo "BENCH-JSON: $key is missing or not a number: '$value'"; return 1 ;;
		esac
	done
}

if [ "${1:-}" = --check ]; then
	check
	exit
fi

awk -v date="${1:?usage: bench-report.sh DATE}" -v keys="$json_keys" '
function sortn(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
}
# Median of the samples of one metric and configuration; "" if none.
function med(key,    n, v, i) {
	n = count[key]
	if (!n)
		return ""
	for (i = 1; i <= n; i++)
		v[i] = val[key, i]
	sortn(v, n)
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function spread(key,    n, i, lo, hi, m) {
	n = count[key]
	m = med(key)
	if (n < 2 || m == 0)
		return ""
	lo = hi = val[key, 1]
	for (i = 2; i <= n; i++) {
		if (val[key, i] < lo) lo = val[key, i]
		if (val[key, i] > hi) hi = val[key, i]
	}
	return sprintf("+-%.1f%%", 50 * (hi - lo) / m)
}
function fmt(v, f) {
	return v == "" ? "-" : sprintf(f, v)
}
function ratio(a, b) {
	return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.3f", a / b)
}
function row(title, metric, f,    n, t, c) {
	n = med(metric SUBSEP "none")
	t = med(metric SUBSEP "tcpsess")
	c = med(metric SUBSEP "conntrack")
	printf "%-30s %11s %11s %11s %9s %9s\n", title, fmt(n, f), fmt(t, f),
		fmt(c, f), ratio(t, n), ratio(c, n)
	printf "%-30s %11s %11s %11s\n", "  spread", spread(metric SUBSEP "none"),
		spread(metric SUBSEP "tcpsess"), spread(metric SUBSEP "conntrack")
}
function target(ok, what, figures) {
	printf "  %-8s %-44s %s\n", ok == "" ? "unknown" : ok ? "met" : "NOT MET",
		what, figures
}
function jnum(v, f) {
	return v == "" ? "null" : sprintf(f, v)
}

$1 == "sample" {
	key = $2 SUBSEP $3
	val[key, ++count[key]] = $5
	next
}
$1 == "slab" {
	if ($2 == "tcpsess_session4")
		objsize4 = $4
	slab_names = slab_names (slab_names == "" ? "" : ", ") $2 " " $4 " B"
	slab_bytes += $5
	slabs++
	next
}
$1 == "counts" || $1 == "cmdline" || $1 == "kernel" {
	v = $0
	sub(/^[a-z_]+ /, "", v)
	info[$1] = v
	next
}
{ info[$1] = $2 }

END {
	pps_n = med("pps" SUBSEP "none"); pps_t = med("pps" SUBSEP "tcpsess")
	pps_c = med("pps" SUBSEP "conntrack")
	cps_n = med("cps" SUBSEP "none"); cps_t = med("cps" SUBSEP "tcpsess")
	cps_c = med("cps" SUBSEP "conntrack")
	gbps_n = med("gbps" SUBSEP "none"); gbps_t = med("gbps" SUBSEP "tcpsess")
	gbps_c = med("gbps" SUBSEP "conntrack")
	p1k = med("pps_1k" SUBSEP "tcpsess"); p1m = med("pps_1m" SUBSEP "tcpsess")
	large = info["sessions_large"]
	if (slabs && large > 0)
		bps = slab_bytes / large
	else if (info["memory_bytes"] != "" && large > 0)
		bps = info["memory_bytes"] / large

	printf "tcpsess benchmark, %s\n", date
	printf "kernel %s under QEMU TCG, %s vCPUs, %s MB; %s repetitions, median\n",
		info["kernel"], info["smp"], info["mem_mb"], info["reps"]
	shift = info["clock"]
	if (shift == "real" || shift == "")
		printf "clock: host time (plain TCG: the host'\''s load is in every figure)\n"
	else
		printf "clock: guest instructions (QEMU -icount shift=%d: each is %d ns of guest time)\n",
			shift, 2 ^ shift
	printf "counts: %s\n\n", info["counts"]
	printf "%-30s %11s %11s %11s %9s %9s\n", "", "none", "tcpsess",
		"conntrack", "tcpsess", "conntrack"
	printf "%-30s %11s %11s %11s %9s %9s\n", "", "", "", "", "/none", "/none"
	row("TCP segments/s, PRE_ROUTING", "pps", "%.0f")
	row("TCP connections/s", "cps", "%.1f")
	row("bulk TCP (iperf3), Gbit/s", "gbps", "%.3f")
	printf "%-30s %11s %11s %11s\n", "backlog drops, all floods",
		fmt(total("drops" SUBSEP "none"), "%d"),
		fmt(total("drops" SUBSEP "tcpsess"), "%d"),
		fmt(total("drops" SUBSEP "conntrack"), "%d")

	ov_t = (pps_t > 0 && pps_n != "") ? pps_n / pps_t - 1 : ""
	ov_c = (pps_c > 0 && pps_n != "") ? pps_n / pps_c - 1 : ""
	printf "\nper-segment cost over no tracker (pps_none/pps - 1): tcpsess %s, conntrack %s\n",
		fmt(ov_t == "" ? "" : 100 * ov_t, "%+.1f %%"),
		fmt(ov_c == "" ? "" : 100 * ov_c, "%+.1f %%")
	if (shift != "real" && shift != "" && pps_n > 0 && pps_t > 0 && pps_c > 0) {
		ipp = 1e9 / 2 ^ shift
		printf "guest instructions per segment, all CPUs: none %.0f, tcpsess %+.0f, conntrack %+.0f\n",
			ipp / pps_n, ipp / pps_t - ipp / pps_n, ipp / pps_c - ipp / pps_n
	}
	printf "tcpsess, segments/s: %s with %s sessions in the table, %s with %s (x%s, %s; %s)\n",
		fmt(p1k, "%.0f"), info["sessions_small"], fmt(p1m, "%.0f"), large,
		ratio(p1m, p1k), spread("pps_1k" SUBSEP "tcpsess"),
		spread("pps_1m" SUBSEP "tcpsess")
	printf "tcpsess, new sessions/s during the SYN flood: %s\n", fmt(info["fill_rate"], "%d")
	pps_nat = med("pps" SUBSEP "nat"); pps_nt = med("pps" SUBSEP "nat_tcpsess")
	printf "beside a NAT ruleset (conntrack and the NAT core), segments/s: ruleset alone %s, with tcpsess %s (x%s, %s; %s)\n",
		fmt(pps_nat, "%.0f"), fmt(pps_nt, "%.0f"), ratio(pps_nt, pps_nat),
		spread("pps" SUBSEP "nat"), spread("pps" SUBSEP "nat_tcpsess")
	if (shift != "real" && shift != "" && pps_nat > 0 && pps_nt > 0)
		printf "  guest instructions per segment tcpsess adds there: %+.0f\n",
			1e9 / 2 ^ shift / pps_nt - 1e9 / 2 ^ shift / pps_nat
	d_s = med("dump_ms_small" SUBSEP "tcpsess"); d_l = med("dump_ms_large" SUBSEP "tcpsess")
	p_s = med("proc_ms_small" SUBSEP "tcpsess"); p_l = med("proc_ms_large" SUBSEP "tcpsess")
	printf "an empty namespace beside one with %s sessions, then %s: tcpsessctl list %s ms, then %s ms; /proc read %s ms, then %s ms\n",
		info["sessions_small"], large, fmt(d_s, "%.1f"), fmt(d_l, "%.1f"),
		fmt(p_s, "%.1f"), fmt(p_l, "%.1f")
	if (slabs)
		printf "memory per session at %s sessions: %s B of slab (%s), %s B by memory_bytes\n",
			large, fmt(bps, "%.1f"), slab_names,
			fmt(large > 0 ? info["memory_bytes"] / large : "", "%.1f")
	else
		printf "memory per session at %s sessions: no slab cache of its own (merged?): %s B by memory_bytes\n",
			large, fmt(bps, "%.1f")
	printf "  plus the namespace'\''s own table, in memory_bytes beyond the sessions: %s B per session\n",
		fmt(large > 0 && objsize4 > 0 ? info["memory_bytes"] / large - objsize4 : "", "%.1f")
	printf "  for comparison, conntrack'\''s nf_conn object: %s B\n", fmt(info["conntrack_objsize"], "%d")

	print "\ntargets"
	target(ov_t == "" || ov_c == "" ? "" : ov_t <= 0.5 * ov_c,
		"per-segment cost at most half of conntrack'\''s",
		sprintf("tcpsess %s, conntrack %s",
			fmt(ov_t == "" ? "" : 100 * ov_t, "%+.1f %%"),
			fmt(ov_c == "" ? "" : 100 * ov_c, "%+.1f %%")))
	target(cps_t == "" || cps_c == "" ? "" : cps_t >= cps_c,
		"connection rate at least conntrack'\''s",
		sprintf("tcpsess %s/s, conntrack %s/s", fmt(cps_t, "%.1f"),
			fmt(cps_c, "%.1f")))
	target(bps == "" ? "" : bps <= 160, "at most 160 bytes per session",
		sprintf("%s", fmt(bps, "%.1f")))
	target(p1k == "" || p1m == "" ? "" : p1m >= 0.9 * p1k,
		"flat from 1k to 1M sessions (>= 0.9)",
		sprintf("%s segments/s with %s sessions, %s with %s: x%s",
			fmt(p1k, "%.0f"), info["sessions_small"], fmt(p1m, "%.0f"),
			large, ratio(p1m, p1k)))

	printf "\nBENCH-JSON {"
	n = split(keys, k, /[ \n]+/)
	jv["pps_none"] = jnum(pps_n, "%.0f"); jv["pps_tcpsess"] = jnum(pps_t, "%.0f")
	jv["pps_conntrack"] = jnum(pps_c, "%.0f")
	jv["cps_none"] = jnum(cps_n, "%.1f"); jv["cps_tcpsess"] = jnum(cps_t, "%.1f")
	jv["cps_conntrack"] = jnum(cps_c, "%.1f")
	jv["gbps_none"] = jnum(gbps_n, "%.3f"); jv["gbps_tcpsess"] = jnum(gbps_t, "%.3f")
	jv["gbps_conntrack"] = jnum(gbps_c, "%.3f")
	jv["pps_tcpsess_1k"] = jnum(p1k, "%.0f"); jv["pps_tcpsess_1m"] = jnum(p1m, "%.0f")
	jv["bytes_per_session"] = jnum(bps, "%.1f")
	jv["pps_nat"] = jnum(pps_nat, "%.0f"); jv["pps_nat_tcpsess"] = jnum(pps_nt, "%.0f")
	jv["dump_ms_small"] = jnum(d_s, "%.1f"); jv["dump_ms_large"] = jnum(d_l, "%.1f")
	jv["proc_ms_small"] = jnum(p_s, "%.1f"); jv["proc_ms_large"] = jnum(p_l, "%.1f")
	jv["kernel"] = "\"" info["kernel"] "\""
	jv["smp"] = jnum(info["smp"], "%d"); jv["reps"] = jnum(info["reps"], "%d")
	for (i = 1; i <= n; i++)
		printf("%s\"%s\": %s", (i > 1 ? ", " : ""), k[i], jv[k[i]])
	print "}"
}
function total(key,    i, s) {
	if (!count[key])
		return ""
	for (i = 1; i <= count[key]; i++)
		s += val[key, i]
	return s
}
'
