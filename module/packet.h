/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PACKET_H
#define _TCPSESS_PACKET_H

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/tcp.h>

#include "session.h"

/* A TCP segment as the tracker needs it, read from an skb. */
struct tcpsess_packet {
	struct tcpsess_tuple tuple;	/* src is this segment's sender */
	struct tcpsess_seg seg;
	u32 segments;			/* on the wire: more than one for GSO */
	u32 hdrlen;			/* of each: IP, extension and TCP headers */
};

enum tcpsess_parse_result {
	TCPSESS_PARSE_OK,
	TCPSESS_PARSE_NOT_TCP,		/* none of our business */
	TCPSESS_PARSE_FRAGMENT,		/* TCP, but a fragment: not reassembled */
	TCPSESS_PARSE_INVALID,		/* TCP, malformed: see *reason */
};

/* The window-scale option of a SYN, or TCPSESS_WSCALE_NONE. */
u8 tcpsess_parse_wscale(const struct sk_buff *skb, unsigned int optoff,
			unsigned int optlen);

/*
 * Whether the TCP checksum of a received segment is wrong. The netfilter
 * helpers trust a device that verified it, and use the sum a device
 * computed. Otherwise they sum the skb through the generic walker of
 * fragments, which for a linear skb costs several times the sum itself:
 * that case is summed here, and a good sum recorded as the helpers and
 * drivers record theirs (the outermost checksum, TCP's, is verified), so
 * that the endpoint does not sum it again.
 */
static __always_inline bool tcpsess_csum_bad(struct sk_buff *skb, u8 pf,
					     unsigned int thoff)
{
	unsigned int len = skb->len - thoff;
	__wsum sum;

	if (skb->ip_summed != CHECKSUM_NONE || skb_is_nonlinear(skb))
		return pf == NFPROTO_IPV4 ?
		       nf_ip_checksum(skb, NF_INET_PRE_ROUTING, thoff, IPPROTO_TCP) :
		       nf_ip6_checksum(skb, NF_INET_PRE_ROUTING, thoff, IPPROTO_TCP);

	sum = csum_partial(skb->data + thoff, len, 0);
	if (pf == NFPROTO_IPV4 ?
	    csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, len,
			      IPPROTO_TCP, sum) :
	    csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr, len,
			    IPPROTO_TCP, sum))
		return true;
	if (!skb_shared(skb))
		__skb_incr_checksum_unnecessary(skb);
	return false;
}

/*
 * The segments a GSO or GRO skb stands for, each with the headers of the
 * skb and at most gso_size of its payload. A driver that takes GSO from
 * a guest or a tap (SKB_GSO_DODGY) leaves gso_segs 0 for the stack to
 * count; the count is the same from gso_size.
 */
static __always_inline u32 tcpsess_gso_segments(const struct sk_buff *skb,
						u32 payload)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);

	if (likely(shinfo->gso_segs))
		return shinfo->gso_segs;
	return max_t(u32, DIV_ROUND_UP(payload, shinfo->gso_size), 1);
}

/*
 * Reads what the tracker needs from an skb without trusting any of it:
 * every header byte goes through skb_header_pointer().
 */
static __always_inline enum tcpsess_parse_result
tcpsess_parse_tcp(struct sk_buff *skb, const struct nf_hook_state *state,
		  unsigned int thoff, struct tcpsess_packet *pkt,
		  enum tcpsess_invalid_reason *reason)
{
	const struct tcphdr *th;
	/* Only skb_header_pointer() writes it, and only for a paged header. */
	struct tcphdr _th __uninitialized;
	unsigned int doff;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th) {
		*reason = TCPSESS_INVALID_HDR_TRUNCATED;
		return TCPSESS_PARSE_INVALID;
	}
	doff = th->doff * 4;
	if (doff < sizeof(*th)) {
		*reason = TCPSESS_INVALID_BAD_DATA_OFFSET;
		return TCPSESS_PARSE_INVALID;
	}
	if (thoff + doff > skb->len) {
		*reason = TCPSESS_INVALID_HDR_TRUNCATED;
		return TCPSESS_PARSE_INVALID;
	}
	/*
	 * An endpoint drops a segment with a bad checksum, so believing it
	 * would put us out of step. Local output is checksummed later, by
	 * the stack or the device.
	 */
	if (state->hook == NF_INET_PRE_ROUTING &&
	    tcpsess_csum_bad(skb, state->pf, thoff)) {
		*reason = TCPSESS_INVALID_BAD_CHECKSUM;
		return TCPSESS_PARSE_INVALID;
	}

	pkt->tuple.sport = th->source;
	pkt->tuple.dport = th->dest;
	pkt->seg.seq = ntohl(th->seq);
	pkt->seg.ack = ntohl(th->ack_seq);
	pkt->seg.win = ntohs(th->window);
	pkt->seg.flags = tcp_flag_byte(th);
	pkt->seg.len = skb->len - thoff - doff;
	pkt->seg.wscale = TCPSESS_WSCALE_NONE;
	if (th->syn && doff > sizeof(*th))
		pkt->seg.wscale = tcpsess_parse_wscale(skb, thoff + sizeof(*th),
						       doff - sizeof(*th));
	pkt->hdrlen = thoff - skb_network_offset(skb) + doff;
	pkt->segments = skb_is_gso(skb) ? tcpsess_gso_segments(skb, pkt->seg.len) : 1;
	return TCPSESS_PARSE_OK;
}

static __always_inline enum tcpsess_parse_result
tcpsess_parse_ipv4(struct sk_buff *skb, const struct nf_hook_state *state,
		   struct tcpsess_packet *pkt, enum tcpsess_invalid_reason *reason)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol != IPPROTO_TCP)
		return TCPSESS_PARSE_NOT_TCP;
	/*
	 * Defragmentation ran before us, so a fragment here is one it let
	 * pass (an untracked one): a first fragment judged as the whole
	 * segment would misplace the sender's end and its FIN.
	 */
	if (iph->frag_off & htons(IP_OFFSET | IP_MF))
		return TCPSESS_PARSE_FRAGMENT;

	memset(&pkt->tuple, 0, sizeof(pkt->tuple));
	pkt->tuple.family = AF_INET;
	pkt->tuple.src.ip = iph->saddr;
	pkt->tuple.dst.ip = iph->daddr;
	return tcpsess_parse_tcp(skb, state, skb_network_offset(skb) + ip_hdrlen(skb),
				 pkt, reason);
}

static __always_inline enum tcpsess_parse_result
tcpsess_parse_ipv6(struct sk_buff *skb, const struct nf_hook_state *state,
		   struct tcpsess_packet *pkt, enum tcpsess_invalid_reason *reason)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	u8 nexthdr = ip6h->nexthdr;
	__be16 frag_off = 0;
	int thoff;

	thoff = ipv6_skip_exthdr(skb, skb_network_offset(skb) + sizeof(*ip6h),
				 &nexthdr, &frag_off);
	/* A broken extension header chain hides whether this is TCP at all. */
	if (thoff < 0)
		return TCPSESS_PARSE_NOT_TCP;
	/*
	 * At a non-first fragment the walk stops on the fragment header, whose
	 * first byte names the protocol the fragment belongs to. A first
	 * fragment, like IPv4's, is not the whole segment.
	 */
	if (frag_off & htons(IP6_OFFSET)) {
		const u8 *frag_nexthdr = skb_header_pointer(skb, thoff, 1, &nexthdr);

		return frag_nexthdr && *frag_nexthdr == IPPROTO_TCP ?
		       TCPSESS_PARSE_FRAGMENT : TCPSESS_PARSE_NOT_TCP;
	}
	if (nexthdr != IPPROTO_TCP)
		return TCPSESS_PARSE_NOT_TCP;
	if (frag_off & htons(IP6_MF))
		return TCPSESS_PARSE_FRAGMENT;

	memset(&pkt->tuple, 0, sizeof(pkt->tuple));
	pkt->tuple.family = AF_INET6;
	pkt->tuple.src.in6 = ip6h->saddr;
	pkt->tuple.dst.in6 = ip6h->daddr;
	return tcpsess_parse_tcp(skb, state, thoff, pkt, reason);
}

static __always_inline enum tcpsess_parse_result
tcpsess_parse(struct sk_buff *skb, const struct nf_hook_state *state,
	      struct tcpsess_packet *pkt, enum tcpsess_invalid_reason *reason)
{
	switch (state->pf) {
	case NFPROTO_IPV4:
		return tcpsess_parse_ipv4(skb, state, pkt, reason);
	case NFPROTO_IPV6:
		return tcpsess_parse_ipv6(skb, state, pkt, reason);
	default:
		return TCPSESS_PARSE_NOT_TCP;
	}
}

#endif /* _TCPSESS_PACKET_H */
