/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_PACKET_H
#define _TCPSESS_PACKET_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "session.h"

/* A TCP segment as the tracker needs it, read from an skb. */
struct tcpsess_packet {
	struct tcpsess_tuple tuple;	/* src is this segment's sender */
	struct tcpsess_seg seg;
	u32 segments;			/* on the wire: more than one for GSO */
};

enum tcpsess_parse_result {
	TCPSESS_PARSE_OK,
	TCPSESS_PARSE_NOT_TCP,		/* none of our business */
	TCPSESS_PARSE_FRAGMENT,		/* TCP, but a non-first fragment */
	TCPSESS_PARSE_INVALID,		/* TCP, malformed: see *reason */
};

enum tcpsess_parse_result tcpsess_parse(struct sk_buff *skb,
					const struct nf_hook_state *state,
					struct tcpsess_packet *pkt,
					enum tcpsess_invalid_reason *reason);

#endif /* _TCPSESS_PACKET_H */
