/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_EVENTS_H
#define _TCPSESS_EVENTS_H

#include <linux/spinlock.h>

#include "session.h"

struct tcpsess_net;

/* A namespace's event stream: its sequence and its token bucket. */
struct tcpsess_events {
	spinlock_t lock;	/* all below, and the order events go out in */
	u64 seq;		/* of the last event sent */
	u64 tokens;		/* in events x NSEC_PER_SEC */
	u64 last_ns;
};

void tcpsess_events_net_init(struct tcpsess_net *tn);
bool tcpsess_events_wanted(const struct tcpsess_net *tn);

/*
 * Each returns at once when nobody listens; callable from the packet path.
 * An event about a session is sent under its bucket lock, so that its
 * sequence number follows the order of the session's changes.
 */
void tcpsess_event_session(struct tcpsess_net *tn, enum tcpsess_event event,
			   const struct tcpsess_snapshot *snap, u8 old_state);
void tcpsess_event_invalid(struct tcpsess_net *tn,
			   enum tcpsess_invalid_reason reason,
			   const struct tcpsess_snapshot *snap,
			   const struct tcpsess_tuple *tuple, int dir);

#endif /* _TCPSESS_EVENTS_H */
