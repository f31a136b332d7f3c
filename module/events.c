// SPDX-License-Identifier: GPL-2.0
/*
 * The multicast event stream. With nobody listening an event costs one
 * check of the group's listener bitmap; otherwise a token bucket per
 * namespace bounds the rate, and every event sent takes the namespace's
 * next sequence number so that a listener can count what it lost.
 */
#include <linux/ktime.h>
#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "pernet.h"

void tcpsess_events_net_init(struct tcpsess_net *tn)
{
	tn->events.seq = 0;
	spin_lock_init(&tn->events.lock);
	tn->events.tokens = (u64)tn->config.event_rate * NSEC_PER_SEC;
	tn->events.last_ns = ktime_get_ns();
}

/* Callers hold rcu_read_lock() until the event is sent: see tcpsess_netlink_live. */
bool tcpsess_events_wanted(const struct tcpsess_net *tn)
{
	return READ_ONCE(tcpsess_netlink_live) &&
	       genl_has_listeners(&tcpsess_genl_family, tn->net,
				  TCPSESS_MCGRP_EVENTS_INDEX);
}

/* A second's worth of events may burst; then event_rate per second. */
static bool tcpsess_event_allowed(struct tcpsess_net *tn)
{
	u32 rate = READ_ONCE(tn->config.event_rate);
	struct tcpsess_events *ev = &tn->events;
	u64 now, elapsed, burst;
	bool allowed;

	if (!rate)
		return true;
	burst = (u64)rate * NSEC_PER_SEC;
	spin_lock_bh(&ev->lock);
	now = ktime_get_ns();
	elapsed = min_t(u64, now - ev->last_ns, NSEC_PER_SEC);
	ev->last_ns = now;
	ev->tokens = min(ev->tokens + elapsed * rate, burst);
	allowed = ev->tokens >= NSEC_PER_SEC;
	if (allowed)
		ev->tokens -= NSEC_PER_SEC;
	spin_unlock_bh(&ev->lock);
	return allowed;
}

static size_t tcpsess_event_size(void)
{
	return nla_total_size(sizeof(u8)) +		/* event */
	       nla_total_size_64bit(sizeof(u64)) +	/* seq */
	       3 * nla_total_size(sizeof(u8)) +		/* old state, reason, dir */
	       tcpsess_nl_session_size();
}

/*
 * Builds and sends one event. Exactly one of snap and tuple is given;
 * old_state, reason and dir are left out when negative. The sequence
 * number is taken and the event sent under the namespace's event lock, so
 * listeners receive events in sequence order and a gap can only be loss.
 */
static void tcpsess_event_send(struct tcpsess_net *tn, enum tcpsess_event event,
			       const struct tcpsess_snapshot *snap,
			       const struct tcpsess_tuple *tuple,
			       int old_state, int reason, int dir)
{
	struct sk_buff *skb;
	void *hdr;

	if (!tcpsess_event_allowed(tn))
		goto suppressed;
	skb = genlmsg_new(tcpsess_event_size(), GFP_ATOMIC);
	if (!skb)
		goto suppressed;
	hdr = genlmsg_put(skb, 0, 0, &tcpsess_genl_family, 0, TCPSESS_CMD_EVENT);
	if (!hdr)
		goto too_big;
	if (nla_put_u8(skb, TCPSESS_A_EVENT, event) ||
	    (old_state >= 0 && nla_put_u8(skb, TCPSESS_A_OLD_STATE, old_state)) ||
	    (reason >= 0 && nla_put_u8(skb, TCPSESS_A_REASON, reason)) ||
	    (dir >= 0 && nla_put_u8(skb, TCPSESS_A_DIR, dir)) ||
	    (snap ? tcpsess_nl_put_session(skb, snap) :
		    tcpsess_nl_put_tuple(skb, tuple)))
		goto too_big;

	spin_lock_bh(&tn->events.lock);
	if (nla_put_u64_64bit(skb, TCPSESS_A_EVENT_SEQ, ++tn->events.seq,
			      TCPSESS_A_PAD)) {
		tn->events.seq--;
		spin_unlock_bh(&tn->events.lock);
		goto too_big;
	}
	genlmsg_end(skb, hdr);
	/*
	 * Sent means given a sequence number: a listener that could not keep
	 * up (even the only one) sees the gap, so for each listener received
	 * plus lost is sent.
	 */
	genlmsg_multicast_netns(&tcpsess_genl_family, tn->net, skb, 0,
				TCPSESS_MCGRP_EVENTS_INDEX, GFP_ATOMIC);
	spin_unlock_bh(&tn->events.lock);
	tcpsess_stat_inc(tn, EVENTS_SENT);
	return;

too_big:
	WARN_ON_ONCE(1);
	nlmsg_free(skb);
suppressed:
	tcpsess_stat_inc(tn, EVENTS_SUPPRESSED);
}

void tcpsess_event_session(struct tcpsess_net *tn, enum tcpsess_event event,
			   const struct tcpsess_snapshot *snap, u8 old_state)
{
	tcpsess_event_send(tn, event, snap, NULL,
			   event == TCPSESS_EVENT_STATE ? old_state : -1,
			   event == TCPSESS_EVENT_END ? snap->end_reason : -1, -1);
}

void tcpsess_event_invalid(struct tcpsess_net *tn,
			   enum tcpsess_invalid_reason reason,
			   const struct tcpsess_snapshot *snap,
			   const struct tcpsess_tuple *tuple, int dir)
{
	tcpsess_event_send(tn, TCPSESS_EVENT_INVALID, snap, snap ? NULL : tuple,
			   -1, reason, dir);
}
