/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When a session expires: the idle timeout of its state, in its
 * namespace's configuration. The packet path, the reaper and the readers
 * of /proc and dumps all ask, without the session's lock.
 */
#ifndef _TCPSESS_EXPIRY_H
#define _TCPSESS_EXPIRY_H

#include <linux/jiffies.h>

#include "pernet.h"
#include "session.h"

/* The jiffies after which a session is expired, unless refreshed first. */
static inline u32 tcpsess_session_deadline(const struct tcpsess_session *s,
					   const struct tcpsess_net *tn)
{
	u8 state = READ_ONCE(s->fsm.state);
	u32 timeout = READ_ONCE(tn->config.timeout[state]);

	/* Never longer than a confirmed session in the same state. */
	if (unlikely(READ_ONCE(s->flags) & TCPSESS_SESSION_PROVISIONAL))
		timeout = min(timeout, READ_ONCE(tn->config.timeout_pickup));
	return READ_ONCE(s->last_seen) + timeout * HZ;
}

/* Racy by design: a stale answer only delays a session's end by one scan. */
static inline bool tcpsess_session_expired(const struct tcpsess_session *s,
					   const struct tcpsess_net *tn)
{
	return time_after32((u32)jiffies, tcpsess_session_deadline(s, tn));
}

#endif /* _TCPSESS_EXPIRY_H */
