/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_TRACK_H
#define _TCPSESS_TRACK_H

#include "packet.h"
#include "pernet.h"

/* Both return the netfilter verdict for the segment. */
unsigned int tcpsess_track(struct tcpsess_net *tn, const struct tcpsess_packet *pkt);
unsigned int tcpsess_track_invalid(struct tcpsess_net *tn,
				   enum tcpsess_invalid_reason reason,
				   const struct tcpsess_tuple *tuple,
				   const struct tcpsess_snapshot *snap, int dir);

#endif /* _TCPSESS_TRACK_H */
