/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Community ID v1 (github.com/corelight/community-id-spec): the flow hash
 * Zeek, Suricata, Wireshark and Elastic print, so that a session here can
 * be found in their logs. Both directions of a flow hash the same.
 */
#ifndef _TCPSESSCTL_COMMUNITY_ID_H
#define _TCPSESSCTL_COMMUNITY_ID_H

#include "portable.h"

/* "1:", the base64 of a SHA-1 digest (28 characters), the NUL. */
#define TS_COMMUNITY_ID_LEN	31

struct ts_flow {
	u8 family;		/* 4 or 6 */
	u8 proto;		/* IPPROTO_TCP, ... */
	u16 sport;		/* host order */
	u16 dport;
	u8 src[16];		/* network order; 4 bytes used for family 4 */
	u8 dst[16];
};

/*
 * Writes the ID of flow f under seed (0 unless every party agreed on
 * another) to buf. Only protocols with ports: ICMP's types and codes would
 * need the spec's mapping to one another, which nothing here uses.
 */
void ts_community_id(const struct ts_flow *f, u16 seed,
		     char buf[TS_COMMUNITY_ID_LEN]);

#endif /* _TCPSESSCTL_COMMUNITY_ID_H */
