#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Referee of ipfix_records_test.sh, on the host, where tshark is: the test left
#  - export.pcap: the IPFIX stream as the collector received it, on the
#    port in "port";
#  - traffic.pcap: the test's TCP as the exporting namespace's interface
#    carried it, offloads off, so that every frame is a wire packet;
#  - flows.txt: nfdump's reading of what nfcapd stored, one record a line:
#    "src sport dst dport proto in_pkts in_bytes out_pkts out_bytes end".
# Wireshark's IPFIX dissector must decode every message without a warning
# and find a template for every data set; and nfdump's packets and bytes of
# each flow, summed over its interim and final records, must be what tshark
# counts in the capture for that flow's two directions.
#
# usage: ipfix.sh ARTIFACTS_DIR
set -uo pipefail
dir=$1/ipfix
failed=0

fail()
{
	echo "# ipfix referee: $*"
	failed=1
}

for f in export.pcap traffic.pcap flows.txt port; do
	if [ ! -s "$dir/$f" ]; then
		echo "# ipfix referee: $dir/$f missing: did ipfix_records_test.sh run?"
		exit 1
	fi
done
port=$(cat "$dir/port")
decode=(-d "udp.port==$port,cflow" -d "tcp.port==$port,cflow")

messages=$(tshark -r "$dir/export.pcap" "${decode[@]}" -Y cflow 2>/dev/null | wc -l)
[ "$messages" -gt 0 ] || fail "tshark finds no IPFIX message in export.pcap"
echo "# ipfix referee: $messages IPFIX messages"

# Severity warning (0x00600000) and error (0x00800000), malformed included.
complaints=$(tshark -r "$dir/export.pcap" "${decode[@]}" \
	-Y '_ws.malformed || _ws.expert.severity >= 0x00600000' 2>/dev/null)
[ -z "$complaints" ] || fail "tshark complains: $(echo "$complaints" | head -n 5)"

verbose=$(tshark -r "$dir/export.pcap" "${decode[@]}" -V 2>/dev/null)
if echo "$verbose" | grep -q 'no template found'; then
	fail "a data set tshark has no template for"
fi
templates=$(echo "$verbose" | grep -cE '^ *(Options )?Template \(Id = ')
[ "$templates" -gt 0 ] || fail "tshark sees no template"
# Every element of every template is one tshark knows by name, but for
# tcpsess's own (the documentation PEN, 32473, which tshark shows as
# "Enterprise Private entry" with its bytes: Documentation/usage.md).
unknown=$(echo "$verbose" | grep -E '^ +Field \([0-9]+/[0-9]+\)( \[Scope\])?: +[0-9]' |
	grep -v 'Documentation Use' | sort -u)
[ -z "$unknown" ] || fail "template fields tshark does not know: $unknown"

# Packets and IP bytes per direction of each 4-tuple, as tshark reads the
# capture: "src sport dst dport packets bytes".
tshark -r "$dir/traffic.pcap" -Y tcp -T fields -E separator=' ' \
	-e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport \
	-e ip.len -e ipv6.plen 2>/dev/null |
awk '
	# A field tshark leaves empty collapses: 4 words for IPv4 or IPv6
	# addresses and ports, then one length.
	NF == 5 {
		len = ($2 ~ /:/ || $1 ~ /:/) ? $5 + 40 : $5
		key = $1 " " $2 " " $3 " " $4
		pkts[key]++
		bytes[key] += len
	}
	END { for (k in pkts) print k, pkts[k], bytes[k] }
' >"$dir/capture.txt"

# nfdump prints IPv6 addresses compressed as tshark does; the records of a
# flow (interim ones, then the final) add up.
awk -v capture="$dir/capture.txt" '
	BEGIN {
		while ((getline line < capture) > 0) {
			split(line, f, " ")
			cap[f[1] " " f[2] " " f[3] " " f[4]] = f[5] " " f[6]
		}
	}
	NF >= 10 {
		k = $1 " " $2 " " $3 " " $4
		ip[k] += $6; ib[k] += $7; op[k] += $8; ob[k] += $9
		r = $3 " " $4 " " $1 " " $2
		rev[k] = r
	}
	END {
		bad = 0
		for (k in ip) {
			want_o = (k in cap) ? cap[k] : "0 0"
			want_r = (rev[k] in cap) ? cap[rev[k]] : "0 0"
			got_o = ip[k] " " ib[k]
			got_r = op[k] " " ob[k]
			status = (got_o == want_o && got_r == want_r) ? "ok" : "MISMATCH"
			printf "# %s: %s: nfdump orig %s reply %s, capture orig %s reply %s\n",
				status, k, got_o, got_r, want_o, want_r
			if (status != "ok")
				bad++
			n++
		}
		if (n == 0) {
			print "# no flow in flows.txt"
			exit 1
		}
		exit bad != 0
	}
' "$dir/flows.txt" || fail "nfdump's counts differ from the capture's"

exit "$failed"
