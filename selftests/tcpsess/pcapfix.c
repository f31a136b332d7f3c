// SPDX-License-Identifier: GPL-2.0
/*
 * pcapfix - make an Ethernet capture replayable into one veth: every frame
 * gets the same source and destination MAC address, and every IPv4 header
 * checksum and TCP checksum is computed afresh.
 *
 * replay_test.sh sends all of a capture, both directions, into one veth,
 * whose stack takes a frame only if it is addressed to that veth's MAC.
 * Captures of locally sent segments carry partial checksums (offload), and
 * tcpsess verifies checksums at PRE_ROUTING, as an endpoint would.
 * tcprewrite could do both, but Debian 12's (4.4.3) takes every IPv6
 * destination for multicast (writing 33:33:xx:xx:xx:xx), and its --fixcsum
 * grows the IP length over a short frame's Ethernet padding, turning the
 * padding into payload. Here the IP header's lengths rule, and padding
 * stays padding.
 *
 * usage: pcapfix SRC_MAC DST_MAC IN.pcap OUT.pcap
 */
#include <linux/if_ether.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINKTYPE_EN10MB	1
#define MAX_SNAPLEN	262144
#define IP_PROTO_TCP	6
#define TCP_CSUM_OFF	16

/* The classic pcap file header, in the byte order its magic says. */
struct pcap_file_hdr {
	__u32 magic;
	__u16 version_major, version_minor;
	__s32 thiszone;
	__u32 sigfigs, snaplen, linktype;
};

struct pcap_rec_hdr {
	__u32 ts_sec, ts_frac, caplen, len;
};

static __u32 swab32(__u32 v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

static int parse_mac(const char *s, __u8 mac[ETH_ALEN])
{
	unsigned int b[ETH_ALEN];
	char extra;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &extra) != ETH_ALEN)
		return -1;
	for (i = 0; i < ETH_ALEN; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = b[i];
	}
	return 0;
}

/* The Internet checksum's running sum, over big-endian 16-bit words. */
static __u32 sum16(__u32 sum, const __u8 *p, size_t len)
{
	while (len > 1) {
		sum += p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

static void put_csum(__u8 *field, __u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	field[0] = sum >> 8;
	field[1] = sum & 0xff;
}

/* Sets the checksum of the TCP segment seg (len bytes), given its pseudo-header sum. */
static void fix_tcp(__u8 *seg, size_t len, __u32 pseudo)
{
	if (len < 20)
		return;
	seg[TCP_CSUM_OFF] = 0;
	seg[TCP_CSUM_OFF + 1] = 0;
	put_csum(seg + TCP_CSUM_OFF, sum16(pseudo + len + IP_PROTO_TCP, seg, len));
}

static void fix_ipv4(__u8 *ip, size_t avail)
{
	size_t ihl, total;
	__u32 pseudo;

	if (avail < 20)
		return;
	ihl = (ip[0] & 0x0f) * 4;
	total = ip[2] << 8 | ip[3];
	if (ihl < 20 || total < ihl || total > avail)
		return;
	ip[10] = 0;
	ip[11] = 0;
	put_csum(ip + 10, sum16(0, ip, ihl));
	/* Only a whole segment has a checksum to compute: no fragment. */
	if (ip[9] != IP_PROTO_TCP || (ip[6] & 0x3f) || ip[7])
		return;
	pseudo = sum16(0, ip + 12, 8);
	fix_tcp(ip + ihl, total - ihl, pseudo);
}

static void fix_ipv6(__u8 *ip, size_t avail)
{
	size_t off = 40, end;
	__u8 next;
	__u32 pseudo;

	if (avail < 40)
		return;
	end = 40 + (ip[4] << 8 | ip[5]);
	if (end > avail)
		return;
	next = ip[6];
	/* Hop-by-hop, routing and destination options lead to TCP; a fragment does not. */
	while ((next == 0 || next == 43 || next == 60) && off + 8 <= end) {
		next = ip[off];
		off += (ip[off + 1] + 1) * 8;
	}
	if (next != IP_PROTO_TCP || off > end)
		return;
	pseudo = sum16(0, ip + 8, 32);
	fix_tcp(ip + off, end - off, pseudo);
}

static void fix_frame(__u8 *frame, size_t len, const __u8 *src, const __u8 *dst)
{
	__u16 proto;

	if (len < ETH_HLEN)
		return;
	memcpy(frame, dst, ETH_ALEN);
	memcpy(frame + ETH_ALEN, src, ETH_ALEN);
	proto = frame[12] << 8 | frame[13];
	if (proto == ETH_P_IP)
		fix_ipv4(frame + ETH_HLEN, len - ETH_HLEN);
	else if (proto == ETH_P_IPV6)
		fix_ipv6(frame + ETH_HLEN, len - ETH_HLEN);
}

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "pcapfix: %s: %s\n", path, what);
	return 1;
}

int main(int argc, char **argv)
{
	static __u8 frame[MAX_SNAPLEN];
	__u8 src[ETH_ALEN], dst[ETH_ALEN];
	struct pcap_file_hdr fh;
	struct pcap_rec_hdr rh;
	__u32 caplen, linktype;
	FILE *in, *out;
	bool swapped;
	size_t n;

	if (argc != 5 || parse_mac(argv[1], src) || parse_mac(argv[2], dst)) {
		fprintf(stderr, "usage: pcapfix SRC_MAC DST_MAC IN.pcap OUT.pcap\n");
		return 2;
	}
	in = fopen(argv[3], "rb");
	if (!in)
		return fail("cannot open", argv[3]);
	out = fopen(argv[4], "wb");
	if (!out)
		return fail("cannot create", argv[4]);

	if (fread(&fh, sizeof(fh), 1, in) != 1)
		return fail("no pcap file header", argv[3]);
	/* Microsecond and nanosecond pcap, either byte order; not pcapng. */
	if (fh.magic == 0xa1b2c3d4 || fh.magic == 0xa1b23c4d)
		swapped = false;
	else if (fh.magic == 0xd4c3b2a1 || fh.magic == 0x4d3cb2a1)
		swapped = true;
	else
		return fail("not a pcap file (pcapng is not supported)", argv[3]);
	linktype = swapped ? swab32(fh.linktype) : fh.linktype;
	if ((linktype & 0xffff) != LINKTYPE_EN10MB)
		return fail("not an Ethernet capture", argv[3]);
	if (fwrite(&fh, sizeof(fh), 1, out) != 1)
		return fail("write error", argv[4]);

	while ((n = fread(&rh, 1, sizeof(rh), in)) == sizeof(rh)) {
		caplen = swapped ? swab32(rh.caplen) : rh.caplen;
		if (caplen > sizeof(frame) || fread(frame, 1, caplen, in) != caplen)
			return fail("truncated or oversized record", argv[3]);
		fix_frame(frame, caplen, src, dst);
		if (fwrite(&rh, sizeof(rh), 1, out) != 1 ||
		    fwrite(frame, 1, caplen, out) != caplen)
			return fail("write error", argv[4]);
	}
	if (n || ferror(in))
		return fail("read error or truncated record header", argv[3]);
	if (fclose(out))
		return fail("write error", argv[4]);
	fclose(in);
	return 0;
}
