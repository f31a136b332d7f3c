// SPDX-License-Identifier: GPL-2.0
/*
 * tcpcraft - injects hand-built TCP segments into a network interface.
 *
 * The tracker has to be tested with segments no TCP stack would send: bad
 * checksums, truncated or lying headers, fragments, impossible flags, acks
 * that do not match. Raw IP sockets would let the sending kernel fix or
 * route them, so whole Ethernet frames are built here and written to an
 * AF_PACKET socket: the peer's stack then receives them exactly as written,
 * addressed to its own MAC (PACKET_HOST), through its PRE_ROUTING hook.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/types.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"	/* only for __printf and __noreturn */
#include "tool.h"

#define EXIT_RUNTIME	1

#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_URG		0x20
#define TCP_ECE		0x40
#define TCP_CWR		0x80

#define TCP_HDR_LEN	20
#define TCP_OPT_MAX	8	/* MSS (4) + NOP, window scale (4) */
#define IP4_HDR_LEN	20
#define IP6_HDR_LEN	40
#define IP6_EXT_LEN	8	/* both the HBH and the Fragment header we build */

/* Keeps every frame inside the 16-bit IPv4 total length. */
#define PAYLOAD_MAX	65000
#define FRAME_MAX	(ETH_HLEN + IP6_HDR_LEN + 2 * IP6_EXT_LEN + TCP_HDR_LEN + \
			 TCP_OPT_MAX + PAYLOAD_MAX)

enum frag { FRAG_NONE, FRAG_FIRST, FRAG_NEXT };

struct endpoint {
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
	__u16 port;
};

struct segment {
	char *text;		/* the line as given, for -v */
	const char *origin;	/* "line" or "--send", for messages */
	unsigned int where;	/* its number among them */
	bool reply;
	__u8 flags;
	__u32 seq;
	__u32 ack;
	__u16 win;
	int wscale;		/* -1: no option */
	int mss;		/* -1: no option */
	unsigned int len;
	bool bad_csum;
	int doff;		/* -1: the real header length */
	int trunc;		/* -1: send everything */
	enum frag frag;
	unsigned int frag_at;	/* where a "next" fragment starts, in bytes */
	bool hbh;
	__u8 ttl;
	unsigned int delay_ms;
	__u32 ident;		/* IPv4 identification, IPv6 fragment identification */
};

struct config {
	const char *ifname;
	int ifindex;
	__u8 dst_mac[ETH_ALEN];
	__u8 src_mac[ETH_ALEN];
	bool have_src_mac;
	int family;
	struct endpoint a, b;
	bool sport_from_seq;
	bool verbose;
};

const char *prog = "tcpcraft";

static void print_help(FILE *f)
{
	fprintf(f,
		"Usage: %s -i IFACE --dst-mac MAC [--src-mac MAC] -a ADDR:PORT -b ADDR:PORT\n"
		"                [-v] [--sport-from-seq] [--send LINE]...\n"
		"\n"
		"Builds Ethernet+IP+TCP frames exactly as described and sends them out of IFACE\n"
		"through an AF_PACKET socket. Segments are read one per line from stdin, or\n"
		"taken from the --send options (repeatable; stdin is then not read). The whole\n"
		"input is checked before anything is sent.\n"
		"\n"
		"  -i, --iface IFACE     interface to send on\n"
		"      --dst-mac MAC     destination MAC: the receiving interface's own address,\n"
		"                        so the receiver sees the frame as PACKET_HOST\n"
		"      --src-mac MAC     source MAC (default: IFACE's address)\n"
		"  -a ADDR:PORT          endpoint a (the originator); IPv6 as [ADDR]:PORT\n"
		"  -b ADDR:PORT          endpoint b (the responder); same family as -a\n"
		"      --send LINE       send this segment (repeatable, in order)\n"
		"      --sport-from-seq  a's port is each segment's seq= (1-65535), so one run\n"
		"                        can open many sessions\n"
		"  -v, --verbose         print one line per segment sent\n"
		"  -h, --help            show this help\n"
		"\n"
		"Segment line: DIR FLAGS [KEY=VALUE]...   ('#' starts a comment)\n"
		"  DIR    o  a -> b        r  b -> a\n"
		"  FLAGS  any of S A F R P U E C (SYN ACK FIN RST PSH URG ECE CWR), or - for none\n"
		"  seq=N ack=N     sequence and acknowledgment numbers (u32, decimal or 0x; 0)\n"
		"  win=N           window (default 65535)\n"
		"  mss=N           add an MSS option\n"
		"  wscale=N        add a window scale option (after a NOP)\n"
		"  len=N           N bytes of payload ('x'), at most %d\n"
		"  csum=bad        make the TCP checksum wrong\n"
		"  doff=N          data offset written in the header (0-15), whatever the real one\n"
		"  trunc=N         send only the first N bytes of TCP header+payload; the IP\n"
		"                  lengths and (unfragmented) the TCP checksum cover what is sent\n"
		"  frag=first|next IPv4: MF set, offset 0 / MF clear, offset where 'next' starts;\n"
		"                  IPv6: the same in a Fragment header. 'first' carries the\n"
		"                  segment from byte 0, 'next' from byte 8 (or at=N), both up\n"
		"                  to trunc=N or the end; the checksum is the whole segment's,\n"
		"                  so 'o S frag=first trunc=8' then 'o S frag=next' reassemble\n"
		"                  into 'o S' over IPv4 ('next' takes the identification of\n"
		"                  the latest 'first'). IPv6 receivers drop a first fragment\n"
		"                  without the whole TCP header (RFC 7112): split there with\n"
		"                  'frag=first trunc=N' and 'frag=next at=N'\n"
		"  at=N            where a 'next' fragment starts: a multiple of 8, 8 or more\n"
		"  ext=hbh         IPv6: a Hop-by-Hop header (PadN) before the rest\n"
		"  ttl=N           IPv4 TTL / IPv6 hop limit (default 64)\n"
		"  delay=MS        sleep MS milliseconds before sending\n"
		"\n"
		"Exit status: 0 all sent, 1 runtime failure, 2 usage error or malformed line.\n",
		prog, PAYLOAD_MAX);
}

static void __noreturn __printf(1, 2) fatal(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_RUNTIME);
}

/*
 * Decimal or 0x-hex only: strtoul's base 0 would read a leading 0 as octal,
 * which nobody writing "seq=010" means.
 */
static int parse_u32(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s || !(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
		return -1;
	errno = 0;
	v = strtoul(s, &end, base);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_mac(const char *s, __u8 *mac)
{
	unsigned int i, b[ETH_ALEN];
	int n = 0;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &n) != ETH_ALEN || s[n] || n != 17)
		return -1;
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = b[i];
	return 0;
}

static int parse_endpoint(const char *s, int *family, struct endpoint *ep)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	unsigned long port;
	size_t hlen;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -1;
		hlen = close - s - 1;
		colon = close + 1;
		s++;
		*family = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return -1;
		hlen = colon - s;
		*family = AF_INET;
	}
	if (hlen >= sizeof(host))
		return -1;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (inet_pton(*family, host, *family == AF_INET ? (void *)&ep->v4 : (void *)&ep->v6) != 1)
		return -1;
	if (parse_u32(colon + 1, 65535, &port))
		return -1;
	ep->port = port;
	return 0;
}

static int flag_bit(char c)
{
	static const char letters[] = "FSRPAUEC";
	const char *p = strchr(letters, c);

	return c && p ? 1 << (p - letters) : -1;
}

static void __noreturn __printf(2, 3) line_error(const struct segment *seg, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s %u: ", prog, seg->origin, seg->where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

static unsigned long key_num(const struct segment *seg, const char *key, const char *val,
			     unsigned long max)
{
	unsigned long v;

	if (parse_u32(val, max, &v))
		line_error(seg, "%s=%s: expected a number from 0 to %lu", key, val, max);
	return v;
}

static unsigned int opt_len(const struct segment *seg)
{
	return (seg->mss >= 0 ? 4 : 0) + (seg->wscale >= 0 ? 4 : 0);
}

/*
 * Parses one line (already stripped of its comment) into seg. Returns false
 * for a line with nothing on it.
 */
static bool parse_segment(const struct config *cfg, char *line, struct segment *seg)
{
	char *tok, *save = NULL;
	unsigned long seg_len;
	const char *p;

	tok = strtok_r(line, " \t\r\n", &save);
	if (!tok)
		return false;

	seg->win = 65535;
	seg->wscale = -1;
	seg->mss = -1;
	seg->doff = -1;
	seg->trunc = -1;
	seg->frag_at = 8;
	seg->ttl = 64;

	if (!strcmp(tok, "o"))
		seg->reply = false;
	else if (!strcmp(tok, "r"))
		seg->reply = true;
	else
		line_error(seg, "direction '%s': expected 'o' or 'r'", tok);

	tok = strtok_r(NULL, " \t\r\n", &save);
	if (!tok)
		line_error(seg, "missing flags (use '-' for none)");
	if (strcmp(tok, "-")) {
		for (p = tok; *p; p++) {
			int bit = flag_bit(*p);

			if (bit < 0)
				line_error(seg, "flag '%c' in '%s': expected S A F R P U E C or -",
					   *p, tok);
			seg->flags |= bit;
		}
	}

	while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
		char *val = strchr(tok, '=');

		if (!val || val == tok || !val[1])
			line_error(seg, "'%s': expected KEY=VALUE", tok);
		*val++ = '\0';
		if (!strcmp(tok, "seq")) {
			seg->seq = key_num(seg, tok, val, 0xffffffffUL);
		} else if (!strcmp(tok, "ack")) {
			seg->ack = key_num(seg, tok, val, 0xffffffffUL);
		} else if (!strcmp(tok, "win")) {
			seg->win = key_num(seg, tok, val, 65535);
		} else if (!strcmp(tok, "wscale")) {
			seg->wscale = key_num(seg, tok, val, 255);
		} else if (!strcmp(tok, "mss")) {
			seg->mss = key_num(seg, tok, val, 65535);
		} else if (!strcmp(tok, "len")) {
			seg->len = key_num(seg, tok, val, PAYLOAD_MAX);
		} else if (!strcmp(tok, "csum")) {
			if (strcmp(val, "bad"))
				line_error(seg, "csum=%s: only csum=bad is known", val);
			seg->bad_csum = true;
		} else if (!strcmp(tok, "doff")) {
			seg->doff = key_num(seg, tok, val, 15);
		} else if (!strcmp(tok, "trunc")) {
			seg->trunc = key_num(seg, tok, val, PAYLOAD_MAX + TCP_HDR_LEN +
					     TCP_OPT_MAX);
		} else if (!strcmp(tok, "frag")) {
			if (!strcmp(val, "first"))
				seg->frag = FRAG_FIRST;
			else if (!strcmp(val, "next"))
				seg->frag = FRAG_NEXT;
			else
				line_error(seg, "frag=%s: expected first or next", val);
		} else if (!strcmp(tok, "at")) {
			seg->frag_at = key_num(seg, tok, val, PAYLOAD_MAX);
			if (seg->frag_at < 8 || seg->frag_at % 8)
				line_error(seg, "at=%s: expected a multiple of 8, 8 or more", val);
		} else if (!strcmp(tok, "ext")) {
			if (strcmp(val, "hbh"))
				line_error(seg, "ext=%s: only ext=hbh is known", val);
			if (cfg->family != AF_INET6)
				line_error(seg, "ext=hbh needs IPv6 addresses");
			seg->hbh = true;
		} else if (!strcmp(tok, "ttl")) {
			seg->ttl = key_num(seg, tok, val, 255);
		} else if (!strcmp(tok, "delay")) {
			seg->delay_ms = key_num(seg, tok, val, 3600000);
		} else {
			line_error(seg, "unknown key '%s'", tok);
		}
	}

	if (cfg->sport_from_seq && (!seg->seq || seg->seq > 65535))
		line_error(seg, "--sport-from-seq needs seq= from 1 to 65535");

	seg_len = TCP_HDR_LEN + opt_len(seg) + seg->len;
	if (seg->trunc > (long)seg_len)
		line_error(seg, "trunc=%d is more than the segment's %lu bytes", seg->trunc,
			   seg_len);
	if (seg->frag == FRAG_NEXT && seg->trunc >= 0 &&
	    seg->trunc <= (long)seg->frag_at)
		line_error(seg, "trunc=%d leaves nothing after the %u bytes frag=next skips",
			   seg->trunc, seg->frag_at);
	if (seg->frag == FRAG_NEXT && seg->frag_at >= seg_len)
		line_error(seg, "at=%u is past the segment's %lu bytes", seg->frag_at,
			   seg_len);
	return true;
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(__u8 *p, __u32 v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static __u32 csum_add(__u32 sum, const __u8 *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Builds the frame for seg into buf and returns its length. */
static size_t build_frame(const struct config *cfg, const struct segment *seg, __u8 *buf)
{
	struct endpoint a = cfg->a;
	const struct endpoint *src = seg->reply ? &cfg->b : &a;
	const struct endpoint *dst = seg->reply ? &a : &cfg->b;
	unsigned int olen = opt_len(seg);
	unsigned int tcp_len = TCP_HDR_LEN + olen + seg->len;
	unsigned int end = seg->trunc >= 0 ? (unsigned int)seg->trunc : tcp_len;
	unsigned int start = seg->frag == FRAG_NEXT ? seg->frag_at : 0;
	unsigned int sent = end - start;
	/*
	 * A fragment's checksum is the reassembled segment's, so that a "first"
	 * and a "next" built from the same keys add up to a valid segment.
	 */
	unsigned int covered = seg->frag == FRAG_NONE ? end : tcp_len;
	unsigned int ip_len, doff;
	__u8 *ip = buf + ETH_HLEN;
	static __u8 tcp[TCP_HDR_LEN + TCP_OPT_MAX + PAYLOAD_MAX];
	__u8 *opt = tcp + TCP_HDR_LEN;
	__u32 sum = 0;
	__u16 csum;

	if (cfg->sport_from_seq)
		a.port = seg->seq;

	memcpy(buf, cfg->dst_mac, ETH_ALEN);
	memcpy(buf + ETH_ALEN, cfg->src_mac, ETH_ALEN);
	put16(buf + 2 * ETH_ALEN, cfg->family == AF_INET ? ETH_P_IP : ETH_P_IPV6);

	memset(tcp, 0, TCP_HDR_LEN + olen);
	put16(tcp, src->port);
	put16(tcp + 2, dst->port);
	put32(tcp + 4, seg->seq);
	put32(tcp + 8, seg->ack);
	doff = seg->doff >= 0 ? (unsigned int)seg->doff : (TCP_HDR_LEN + olen) / 4;
	tcp[12] = doff << 4;
	tcp[13] = seg->flags;
	put16(tcp + 14, seg->win);
	if (seg->mss >= 0) {
		opt[0] = 2;
		opt[1] = 4;
		put16(opt + 2, seg->mss);
		opt += 4;
	}
	if (seg->wscale >= 0) {
		opt[0] = 1;
		opt[1] = 3;
		opt[2] = 3;
		opt[3] = seg->wscale;
	}
	memset(tcp + TCP_HDR_LEN + olen, 'x', seg->len);

	if (cfg->family == AF_INET) {
		__u16 frag_off = 0x4000;	/* DF, as Linux sends TCP */

		if (seg->frag == FRAG_FIRST)
			frag_off = 0x2000;	/* MF, offset 0 */
		else if (seg->frag == FRAG_NEXT)
			frag_off = start / 8;	/* last fragment */
		ip_len = IP4_HDR_LEN;
		memset(ip, 0, ip_len);
		ip[0] = 0x45;
		put16(ip + 2, ip_len + sent);
		put16(ip + 4, seg->ident);
		put16(ip + 6, frag_off);
		ip[8] = seg->ttl;
		ip[9] = IPPROTO_TCP;
		memcpy(ip + 12, &src->v4, 4);
		memcpy(ip + 16, &dst->v4, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, ip_len)));

		sum = csum_add(sum, ip + 12, 8);
	} else {
		__u8 *ext = ip + IP6_HDR_LEN;
		__u8 *nexthdr = ip + 6;

		memset(ip, 0, IP6_HDR_LEN);
		ip[0] = 0x60;
		ip[7] = seg->ttl;
		memcpy(ip + 8, &src->v6, 16);
		memcpy(ip + 24, &dst->v6, 16);
		if (seg->hbh) {
			*nexthdr = IPPROTO_HOPOPTS;
			memset(ext, 0, IP6_EXT_LEN);
			ext[2] = 1;		/* PadN filling the rest of the 8 bytes */
			ext[3] = 4;
			nexthdr = ext;
			ext += IP6_EXT_LEN;
		}
		if (seg->frag != FRAG_NONE) {
			*nexthdr = IPPROTO_FRAGMENT;
			memset(ext, 0, IP6_EXT_LEN);
			put16(ext + 2, seg->frag == FRAG_FIRST ? 1 : start / 8 << 3);
			put32(ext + 4, seg->ident);
			nexthdr = ext;
			ext += IP6_EXT_LEN;
		}
		*nexthdr = IPPROTO_TCP;
		ip_len = ext - ip;
		put16(ip + 4, ip_len - IP6_HDR_LEN + sent);

		sum = csum_add(sum, ip + 8, 32);
	}

	sum += IPPROTO_TCP + covered;
	sum = csum_add(sum, tcp, covered);
	csum = csum_fold(sum);
	/*
	 * Off by one rather than inverted: 0x0000 and 0xffff are the same
	 * ones' complement value, so an inverted sum could still verify.
	 */
	if (seg->bad_csum)
		csum ^= 1;
	put16(tcp + 16, csum);

	memcpy(ip + ip_len, tcp + start, sent);
	return ETH_HLEN + ip_len + sent;
}

static void add_segment(struct segment **segs, size_t *n, size_t *cap, const struct segment *seg)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*segs = realloc(*segs, *cap * sizeof(**segs));
		if (!*segs)
			fatal("out of memory");
	}
	(*segs)[(*n)++] = *seg;
}

/* Turns one input line into a segment, if it holds one. */
static void take_line(const struct config *cfg, const char *line, const char *origin,
		      unsigned int where, struct segment **segs, size_t *n, size_t *cap)
{
	struct segment seg = { .origin = origin, .where = where };
	char *work, *end;

	work = strdup(line);
	seg.text = strdup(line);
	if (!work || !seg.text)
		fatal("out of memory");
	/* No key or value contains '#', so it can start a comment anywhere. */
	work[strcspn(work, "#")] = '\0';
	seg.text[strcspn(seg.text, "#\r\n")] = '\0';
	for (end = seg.text + strlen(seg.text); end > seg.text && isspace((unsigned char)end[-1]);)
		*--end = '\0';
	if (parse_segment(cfg, work, &seg))
		add_segment(segs, n, cap, &seg);
	else if (!strcmp(origin, "--send"))
		line_error(&seg, "no segment given");
	else
		free(seg.text);
	free(work);
}

static int open_packet_socket(struct config *cfg)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct ifreq ifr = { 0 };
	int fd;

	cfg->ifindex = if_nametoindex(cfg->ifname);
	if (!cfg->ifindex)
		fatal("interface %s: %s", cfg->ifname, strerror(errno));

	/* Protocol 0: this socket only sends, so it never queues received frames. */
	fd = socket(PF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fatal("AF_PACKET socket: %s (needs CAP_NET_RAW)", strerror(errno));
	sll.sll_ifindex = cfg->ifindex;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		fatal("bind to %s: %s", cfg->ifname, strerror(errno));

	if (!cfg->have_src_mac) {
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", cfg->ifname);
		if (ioctl(fd, SIOCGIFHWADDR, &ifr))
			fatal("MAC address of %s: %s", cfg->ifname, strerror(errno));
		memcpy(cfg->src_mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	}
	return fd;
}

int main(int argc, char **argv)
{
	enum { OPT_DST_MAC = 256, OPT_SRC_MAC, OPT_SEND, OPT_SPORT_FROM_SEQ };
	static const struct option longopts[] = {
		{ "iface",	required_argument,	NULL, 'i' },
		{ "dst-mac",	required_argument,	NULL, OPT_DST_MAC },
		{ "src-mac",	required_argument,	NULL, OPT_SRC_MAC },
		{ "send",	required_argument,	NULL, OPT_SEND },
		{ "sport-from-seq", no_argument,	NULL, OPT_SPORT_FROM_SEQ },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct config cfg = { 0 };
	const char *a_arg = NULL, *b_arg = NULL;
	bool have_dst_mac = false;
	struct segment *segs = NULL;
	size_t nsegs = 0, cap = 0, i;
	const char **sends = NULL;
	unsigned int nsends = 0;
	static __u8 frame[FRAME_MAX];
	__u32 ident, first_ident = 0;
	int fam_b, fd, c;

	argv[0] = (char *)prog;	/* getopt's messages, like ours, say "tcpcraft" */
	sends = calloc(argc, sizeof(*sends));
	if (!sends)
		fatal("out of memory");

	while ((c = getopt_long(argc, argv, "i:a:b:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			cfg.ifname = optarg;
			break;
		case OPT_DST_MAC:
			if (parse_mac(optarg, cfg.dst_mac))
				usage_error("--dst-mac %s: expected xx:xx:xx:xx:xx:xx", optarg);
			have_dst_mac = true;
			break;
		case OPT_SRC_MAC:
			if (parse_mac(optarg, cfg.src_mac))
				usage_error("--src-mac %s: expected xx:xx:xx:xx:xx:xx", optarg);
			cfg.have_src_mac = true;
			break;
		case 'a':
			a_arg = optarg;
			break;
		case 'b':
			b_arg = optarg;
			break;
		case OPT_SEND:
			sends[nsends++] = optarg;
			break;
		case OPT_SPORT_FROM_SEQ:
			cfg.sport_from_seq = true;
			break;
		case 'v':
			cfg.verbose = true;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (!cfg.ifname)
		usage_error("-i IFACE is required");
	if (!have_dst_mac)
		usage_error("--dst-mac MAC is required");
	if (!a_arg || !b_arg)
		usage_error("-a ADDR:PORT and -b ADDR:PORT are required");
	if (parse_endpoint(a_arg, &cfg.family, &cfg.a))
		usage_error("-a %s: expected ADDR:PORT or [IPV6ADDR]:PORT", a_arg);
	if (parse_endpoint(b_arg, &fam_b, &cfg.b))
		usage_error("-b %s: expected ADDR:PORT or [IPV6ADDR]:PORT", b_arg);
	if (fam_b != cfg.family)
		usage_error("-a and -b must both be IPv4 or both be IPv6");

	if (nsends) {
		for (i = 0; i < nsends; i++)
			take_line(&cfg, sends[i], "--send", i + 1, &segs, &nsegs, &cap);
	} else {
		unsigned int lineno = 0;
		size_t lcap = 0;
		char *line = NULL;

		while (getline(&line, &lcap, stdin) >= 0)
			take_line(&cfg, line, "line", ++lineno, &segs, &nsegs, &cap);
		if (ferror(stdin))
			fatal("reading stdin: %s", strerror(errno));
		free(line);
	}

	/*
	 * A fresh identification per datagram, except that a "next" continues
	 * the latest "first": then a pair reassembles, and a stray fragment
	 * never joins another datagram's queue.
	 */
	ident = (getpid() & 0x3ff) << 6;
	for (i = 0; i < nsegs; i++) {
		if (segs[i].frag != FRAG_NEXT || !first_ident)
			segs[i].ident = ++ident;
		else
			segs[i].ident = first_ident;
		if (segs[i].frag == FRAG_FIRST)
			first_ident = segs[i].ident;
	}

	fd = open_packet_socket(&cfg);
	for (i = 0; i < nsegs; i++) {
		size_t len;
		ssize_t n;

		if (segs[i].delay_ms)
			sleep_ms(segs[i].delay_ms);
		len = build_frame(&cfg, &segs[i], frame);
		n = send(fd, frame, len, 0);
		if (n < 0)
			fatal("%s %u: sending %zu bytes on %s: %s", segs[i].origin,
			      segs[i].where, len, cfg.ifname, strerror(errno));
		if ((size_t)n != len)
			fatal("%s %u: sent %zd of %zu bytes", segs[i].origin, segs[i].where,
			      n, len);
		if (cfg.verbose) {
			printf("sent %zu bytes (%s %u): %s\n", len, segs[i].origin,
			       segs[i].where, segs[i].text);
			fflush(stdout);
		}
	}
	close(fd);
	return 0;
}
