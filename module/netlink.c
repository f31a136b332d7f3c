// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family: what include/uapi/linux/tcpsess.h documents.
 * Every request is validated strictly against its policy, so anything the
 * policy does not name is refused before a handler runs; handlers check
 * only what a policy cannot say, and explain it in extack.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "compat.h"
#include "gc.h"
#include "history.h"
#include "netlink.h"
#include "pernet.h"
#include "table.h"

/* Not const: 6.1's policy wants a plain pointer. Sealed after init instead. */
static struct netlink_range_validation tcpsess_max_sessions_range __ro_after_init = {
	.min = 1,
	.max = TCPSESS_MAX_SESSIONS_LIMIT,
};

static struct netlink_range_validation tcpsess_timeout_range __ro_after_init = {
	.min = 1,
	.max = TCPSESS_TIMEOUT_LIMIT,
};

static struct netlink_range_validation tcpsess_event_rate_range __ro_after_init = {
	.min = 0,
	.max = TCPSESS_EVENT_RATE_LIMIT,
};

static struct netlink_range_validation tcpsess_report_interval_range __ro_after_init = {
	.min = 0,
	.max = TCPSESS_REPORT_INTERVAL_LIMIT,
};

static const struct nla_policy tcpsess_timeouts_policy[TCPSESS_STATE_MAX + 1] = {
	[TCPSESS_STATE_SYN_SENT ... TCPSESS_STATE_CLOSED] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsess_timeout_range),
};

static const struct nla_policy tcpsess_config_policy[TCPSESS_CONFIG_MAX + 1] = {
	[TCPSESS_CONFIG_MAX_SESSIONS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsess_max_sessions_range),
	[TCPSESS_CONFIG_TIMEOUTS] = NLA_POLICY_NESTED(tcpsess_timeouts_policy),
	[TCPSESS_CONFIG_MODE] = NLA_POLICY_MAX(NLA_U8, TCPSESS_MODE_MAX),
	[TCPSESS_CONFIG_PICKUP] = NLA_POLICY_MAX(NLA_U8, 1),
	[TCPSESS_CONFIG_EVENT_RATE] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsess_event_rate_range),
	[TCPSESS_CONFIG_TIMEOUT_PICKUP] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsess_timeout_range),
	[TCPSESS_CONFIG_REPORT_INTERVAL] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &tcpsess_report_interval_range),
};

/*
 * Only for binaries: 6.1 reports a failed integer attribute with its policy
 * and trips over a validation function there.
 */
static int tcpsess_nl_validate_addr(const struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	int len = nla_len(attr);

	if (len == sizeof(__be32) || len == sizeof(struct in6_addr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "address must be 4 or 16 bytes");
	return -EINVAL;
}

static const struct nla_policy tcpsess_filter_policy[TCPSESS_FILTER_MAX + 1] = {
	[TCPSESS_FILTER_FAMILY] = NLA_POLICY_RANGE(NLA_U8, AF_INET, AF_INET6),
	[TCPSESS_FILTER_ADDR] =
		NLA_POLICY_VALIDATE_FN(NLA_BINARY, tcpsess_nl_validate_addr,
				       sizeof(struct in6_addr)),
	[TCPSESS_FILTER_PORT] = { .type = NLA_U16 },
	[TCPSESS_FILTER_STATE] = NLA_POLICY_RANGE(NLA_U8, TCPSESS_STATE_SYN_SENT,
						  TCPSESS_STATE_MAX),
};

/* Commands that take no attributes still get a policy: one that allows none. */
static const struct nla_policy tcpsess_no_attrs_policy[TCPSESS_A_MAX + 1] = {};

static const struct nla_policy tcpsess_get_sessions_policy[TCPSESS_A_MAX + 1] = {
	[TCPSESS_A_FILTER] = NLA_POLICY_NESTED(tcpsess_filter_policy),
};

static const struct nla_policy tcpsess_set_config_policy[TCPSESS_A_MAX + 1] = {
	[TCPSESS_A_CONFIG] = NLA_POLICY_NESTED(tcpsess_config_policy),
};

static int tcpsess_addr_len(u8 family)
{
	return family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr);
}

/* An upper bound of what tcpsess_nl_put_session() writes. */
size_t tcpsess_nl_session_size(void)
{
	return nla_total_size(0) +				/* the nest */
	       9 * nla_total_size_64bit(sizeof(u64)) +		/* id, times, counters */
	       2 * nla_total_size(sizeof(struct in6_addr)) +	/* addresses */
	       2 * nla_total_size(sizeof(u16)) +		/* ports */
	       2 * nla_total_size(sizeof(u8)) +			/* family, state */
	       5 * nla_total_size(sizeof(u32)) +		/* rtts, retrans, flags */
	       nla_total_size(TCPSESS_HISTORY_LEN + 1);
}

static int tcpsess_nl_put_endpoints(struct sk_buff *skb,
				    const struct tcpsess_tuple *tuple)
{
	int alen = tcpsess_addr_len(tuple->family);

	if (nla_put_u8(skb, TCPSESS_SESSION_FAMILY, tuple->family) ||
	    nla_put(skb, TCPSESS_SESSION_SRC_ADDR, alen, &tuple->src) ||
	    nla_put_u16(skb, TCPSESS_SESSION_SRC_PORT, ntohs(tuple->sport)) ||
	    nla_put(skb, TCPSESS_SESSION_DST_ADDR, alen, &tuple->dst) ||
	    nla_put_u16(skb, TCPSESS_SESSION_DST_PORT, ntohs(tuple->dport)))
		return -EMSGSIZE;
	return 0;
}

/* A segment's endpoints alone, for an INVALID event with no session. */
int tcpsess_nl_put_tuple(struct sk_buff *skb, const struct tcpsess_tuple *tuple)
{
	struct nlattr *nest = nla_nest_start(skb, TCPSESS_A_SESSION);

	if (!nest)
		return -EMSGSIZE;
	if (tcpsess_nl_put_endpoints(skb, tuple)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int tcpsess_nl_put_session(struct sk_buff *skb, const struct tcpsess_snapshot *snap)
{
	struct nlattr *nest = nla_nest_start(skb, TCPSESS_A_SESSION);
	char history[TCPSESS_HISTORY_LEN + 1];

	if (!nest)
		return -EMSGSIZE;
	tcpsess_history_format(snap->history, history, sizeof(history));
	if (nla_put_u64_64bit(skb, TCPSESS_SESSION_ID, snap->id, TCPSESS_SESSION_PAD) ||
	    tcpsess_nl_put_endpoints(skb, &snap->tuple) ||
	    nla_put_u8(skb, TCPSESS_SESSION_STATE, snap->state) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_AGE_MS, snap->age_ms,
			      TCPSESS_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_IDLE_MS, snap->idle_ms,
			      TCPSESS_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_PKTS_ORIG,
			      snap->packets[TCPSESS_DIR_ORIG], TCPSESS_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_BYTES_ORIG,
			      snap->bytes[TCPSESS_DIR_ORIG], TCPSESS_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_PKTS_REPLY,
			      snap->packets[TCPSESS_DIR_REPLY], TCPSESS_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_BYTES_REPLY,
			      snap->bytes[TCPSESS_DIR_REPLY], TCPSESS_SESSION_PAD) ||
	    (snap->rtt_syn_us != TCPSESS_RTT_NONE &&
	     nla_put_u32(skb, TCPSESS_SESSION_RTT_SYN_US, snap->rtt_syn_us)) ||
	    (snap->rtt_ack_us != TCPSESS_RTT_NONE &&
	     nla_put_u32(skb, TCPSESS_SESSION_RTT_ACK_US, snap->rtt_ack_us)) ||
	    nla_put_u32(skb, TCPSESS_SESSION_RETRANS_ORIG,
			snap->retrans[TCPSESS_DIR_ORIG]) ||
	    nla_put_u32(skb, TCPSESS_SESSION_RETRANS_REPLY,
			snap->retrans[TCPSESS_DIR_REPLY]) ||
	    nla_put_string(skb, TCPSESS_SESSION_HISTORY, history) ||
	    nla_put_u32(skb, TCPSESS_SESSION_FLAGS, snap->flags) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_IPBYTES_ORIG,
			      snap->ipbytes[TCPSESS_DIR_ORIG], TCPSESS_SESSION_PAD) ||
	    nla_put_u64_64bit(skb, TCPSESS_SESSION_IPBYTES_REPLY,
			      snap->ipbytes[TCPSESS_DIR_REPLY], TCPSESS_SESSION_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

struct tcpsess_filter {
	u8 family;			/* AF_*, 0 for any */
	u8 addr_family;			/* AF_* of addr, 0 for no addr */
	u8 state;			/* 0 for any */
	bool has_port;
	u16 port;
	union tcpsess_addr addr;
};

/*
 * Like /proc, the dump moves a bucket at a time, its place a walk position
 * (table.h): a bucket that does not fit in this message is taken back
 * whole and sent in the next, so a session that lives through the dump is
 * in it exactly once. Only a bucket too big for an empty message is split,
 * at a count of its matching sessions; should the table grow before the
 * rest is sent, the rest is the bucket's whole share of the new table, and
 * what was sent of it may be sent again.
 *
 * The filter is read on the first call rather than in a start callback:
 * 6.1 gives a start callback no extack, while every kernel sends a dump
 * call's error and extack in the NLMSG_DONE that ends the dump.
 */
struct tcpsess_dump_ctx {
	u64 pos;
	unsigned int skip;
	unsigned int skip_size;		/* the table's size skip counts in */
	bool started;
	struct tcpsess_filter filter;
};

/* The policy has checked all it can; together the values may match nothing. */
static int tcpsess_nl_parse_filter(struct nlattr *attr, struct tcpsess_filter *f,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[TCPSESS_FILTER_MAX + 1];
	int err;

	memset(f, 0, sizeof(*f));
	if (!attr)
		return 0;
	err = nla_parse_nested(tb, TCPSESS_FILTER_MAX, attr, tcpsess_filter_policy,
			       extack);
	if (err)
		return err;

	if (tb[TCPSESS_FILTER_FAMILY]) {
		f->family = nla_get_u8(tb[TCPSESS_FILTER_FAMILY]);
		if (f->family != AF_INET && f->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[TCPSESS_FILTER_FAMILY],
					    "family must be AF_INET or AF_INET6");
			return -EINVAL;
		}
	}
	if (tb[TCPSESS_FILTER_ADDR]) {
		int len = nla_len(tb[TCPSESS_FILTER_ADDR]);

		f->addr_family = len == sizeof(__be32) ? AF_INET : AF_INET6;
		nla_memcpy(&f->addr, tb[TCPSESS_FILTER_ADDR], len);
	}
	if (tb[TCPSESS_FILTER_PORT]) {
		f->port = nla_get_u16(tb[TCPSESS_FILTER_PORT]);
		f->has_port = true;
	}
	if (tb[TCPSESS_FILTER_STATE])
		f->state = nla_get_u8(tb[TCPSESS_FILTER_STATE]);
	return 0;
}

static bool tcpsess_filter_match(const struct tcpsess_filter *f,
				 const struct tcpsess_snapshot *snap)
{
	const struct tcpsess_tuple *t = &snap->tuple;

	if (f->family && t->family != f->family)
		return false;
	if (f->state && snap->state != f->state)
		return false;
	if (f->has_port && ntohs(t->sport) != f->port && ntohs(t->dport) != f->port)
		return false;
	if (f->addr_family &&
	    (t->family != f->addr_family ||
	     (memcmp(&t->src, &f->addr, sizeof(f->addr)) &&
	      memcmp(&t->dst, &f->addr, sizeof(f->addr)))))
		return false;
	return true;
}

static int tcpsess_nl_fill_session(struct sk_buff *skb, struct netlink_callback *cb,
				   const struct tcpsess_snapshot *snap)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &tcpsess_genl_family, NLM_F_MULTI,
			  TCPSESS_CMD_GET_SESSIONS);
	if (!hdr)
		return -EMSGSIZE;
	if (tcpsess_nl_put_session(skb, snap)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int tcpsess_nl_sessions_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct tcpsess_dump_ctx *ctx = (struct tcpsess_dump_ctx *)cb->ctx;
	struct tcpsess_net *tn = tcpsess_pernet(sock_net(skb->sk));
	unsigned int matched, bucket_start;
	struct tcpsess_bucket bucket;
	struct tcpsess_snapshot snap;
	struct tcpsess_session *s;
	struct tcpsess_buckets *b;
	int err;

	static_assert(sizeof(*ctx) <= sizeof(cb->ctx));
	if (!ctx->started) {
		err = tcpsess_nl_parse_filter(tcpsess_dump_attrs(cb)[TCPSESS_A_FILTER],
					      &ctx->filter, cb->extack);
		if (err)
			return err;
		ctx->started = true;
	}

	mutex_lock(&tn->table.walk_mutex);
	b = tcpsess_table_walked(&tn->table);
	if (ctx->skip && ctx->skip_size != b->size)
		ctx->skip = 0;
	for (; ctx->pos < TCPSESS_WALK_END;
	     ctx->pos = tcpsess_walk_next(b, ctx->pos), ctx->skip = 0) {
		bucket = tcpsess_walk_bucket(b, &ctx->pos);
		bucket_start = skb->len;
		matched = 0;
		rcu_read_lock();
		for (s = tcpsess_walk_first(b, bucket); s; s = tcpsess_walk_after(s)) {
			if (!tcpsess_session_visible(s, tn))
				continue;
			tcpsess_session_snapshot(s, tcpsess_walk_lock(bucket), &snap);
			if (!tcpsess_filter_match(&ctx->filter, &snap))
				continue;
			if (matched++ < ctx->skip)
				continue;
			if (tcpsess_nl_fill_session(skb, cb, &snap) == 0)
				continue;
			/* This message is full. */
			rcu_read_unlock();
			if (bucket_start) {
				/* Take the bucket back; it goes first next time. */
				skb_trim(skb, bucket_start);
			} else {
				ctx->skip = matched - 1;
				ctx->skip_size = b->size;
			}
			mutex_unlock(&tn->table.walk_mutex);
			return skb->len;
		}
		rcu_read_unlock();
		cond_resched();
	}
	mutex_unlock(&tn->table.walk_mutex);
	return skb->len;
}

/*
 * A nest of u64s keyed by an enum whose value 0 means nothing (UNSPEC or
 * NONE): that type is never a value, so it pads.
 */
static int tcpsess_nl_put_array(struct sk_buff *skb, int type, const u64 *values,
				unsigned int count)
{
	struct nlattr *nest = nla_nest_start(skb, type);
	unsigned int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < count; i++)
		if (nla_put_u64_64bit(skb, i, values[i], TCPSESS_STATS_INDEX_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int tcpsess_nl_fill_stats(struct sk_buff *msg, const void *data)
{
	const struct tcpsess_stats_snapshot *stats = data;
	struct nlattr *nest = nla_nest_start(msg, TCPSESS_A_STATS);

	if (!nest ||
	    tcpsess_nl_put_array(msg, TCPSESS_STATS_COUNTERS, stats->counter,
				 __TCPSESS_STAT_MAX) ||
	    tcpsess_nl_put_array(msg, TCPSESS_STATS_STATES, stats->state,
				 __TCPSESS_STATE_MAX) ||
	    tcpsess_nl_put_array(msg, TCPSESS_STATS_INVALID, stats->invalid,
				 __TCPSESS_INVALID_MAX) ||
	    tcpsess_nl_put_array(msg, TCPSESS_STATS_RTT_SYN,
				 stats->rtt[TCPSESS_RTT_SYN], __TCPSESS_RTT_HIST_MAX) ||
	    tcpsess_nl_put_array(msg, TCPSESS_STATS_RTT_ACK,
				 stats->rtt[TCPSESS_RTT_ACK], __TCPSESS_RTT_HIST_MAX))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Answers a request with one message whose attributes fill() writes. */
static int tcpsess_nl_reply(struct genl_info *info, u8 cmd,
			    int (*fill)(struct sk_buff *msg, const void *data),
			    const void *data)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &tcpsess_genl_family, 0, cmd);
	if (!hdr || fill(msg, data)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int tcpsess_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpsess_stats_snapshot stats;

	tcpsess_stats_read(tcpsess_pernet(genl_info_net(info)), &stats);
	return tcpsess_nl_reply(info, TCPSESS_CMD_GET_STATS,
				tcpsess_nl_fill_stats, &stats);
}

static int tcpsess_nl_fill_config(struct sk_buff *msg, const void *data)
{
	const struct tcpsess_config *config = data;
	struct nlattr *nest, *timeouts;
	unsigned int state;

	nest = nla_nest_start(msg, TCPSESS_A_CONFIG);
	if (!nest ||
	    nla_put_u32(msg, TCPSESS_CONFIG_MAX_SESSIONS, READ_ONCE(config->max_sessions)) ||
	    nla_put_u8(msg, TCPSESS_CONFIG_MODE, READ_ONCE(config->mode)) ||
	    nla_put_u8(msg, TCPSESS_CONFIG_PICKUP, READ_ONCE(config->pickup)) ||
	    nla_put_u32(msg, TCPSESS_CONFIG_EVENT_RATE, READ_ONCE(config->event_rate)) ||
	    nla_put_u32(msg, TCPSESS_CONFIG_TIMEOUT_PICKUP,
			READ_ONCE(config->timeout_pickup)) ||
	    nla_put_u32(msg, TCPSESS_CONFIG_REPORT_INTERVAL,
			READ_ONCE(config->report_interval)))
		return -EMSGSIZE;
	timeouts = nla_nest_start(msg, TCPSESS_CONFIG_TIMEOUTS);
	if (!timeouts)
		return -EMSGSIZE;
	for (state = TCPSESS_STATE_NONE + 1; state <= TCPSESS_STATE_MAX; state++)
		if (nla_put_u32(msg, state, READ_ONCE(config->timeout[state])))
			return -EMSGSIZE;
	nla_nest_end(msg, timeouts);
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * The family runs its requests in parallel (see tcpsess_genl_family), so
 * a SET and a GET of configuration take this instead of genl_mutex: a GET
 * then sees a SET whole or not at all. The packet path reads each field
 * on its own, locklessly.
 */
static DEFINE_MUTEX(tcpsess_config_mutex);

static int tcpsess_nl_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct tcpsess_config config;

	mutex_lock(&tcpsess_config_mutex);
	config = tcpsess_pernet(genl_info_net(info))->config;
	mutex_unlock(&tcpsess_config_mutex);
	return tcpsess_nl_reply(info, TCPSESS_CMD_GET_CONFIG, tcpsess_nl_fill_config,
				&config);
}

/*
 * CAP_NET_ADMIN in an unprivileged user namespace is anyone's for the
 * asking (unshare -Urn), so such a namespace may lower its share of kernel
 * memory but not raise it past what the host's administrator allowed.
 */
static int tcpsess_nl_check_max_sessions(const struct net *net,
					 const struct nlattr *attr,
					 struct netlink_ext_ack *extack)
{
	if (!attr || net->user_ns == &init_user_ns ||
	    nla_get_u32(attr) <= tcpsess_default_config.max_sessions)
		return 0;
	/* 6.1 has no formatted extack; the limit is in /sys/module. */
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "max_sessions above the module parameter needs the initial user namespace");
	return -EPERM;
}

/*
 * The policy and the checks before the first change have looked at every
 * value, so nothing after it can fail: a request is applied whole or not
 * at all.
 */
static int tcpsess_nl_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct tcpsess_config *config = &tcpsess_pernet(net)->config;
	struct nlattr *tb[TCPSESS_CONFIG_MAX + 1];
	struct nlattr *timeouts[TCPSESS_STATE_MAX + 1];
	unsigned int state;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, TCPSESS_A_CONFIG)) {
		NL_SET_ERR_MSG(info->extack, "TCPSESS_A_CONFIG is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, TCPSESS_CONFIG_MAX, info->attrs[TCPSESS_A_CONFIG],
			       tcpsess_config_policy, info->extack);
	if (err)
		return err;
	memset(timeouts, 0, sizeof(timeouts));
	if (tb[TCPSESS_CONFIG_TIMEOUTS]) {
		err = nla_parse_nested(timeouts, TCPSESS_STATE_MAX,
				       tb[TCPSESS_CONFIG_TIMEOUTS],
				       tcpsess_timeouts_policy, info->extack);
		if (err)
			return err;
	}
	err = tcpsess_nl_check_max_sessions(net, tb[TCPSESS_CONFIG_MAX_SESSIONS],
					    info->extack);
	if (err)
		return err;

	mutex_lock(&tcpsess_config_mutex);
	if (tb[TCPSESS_CONFIG_MAX_SESSIONS])
		WRITE_ONCE(config->max_sessions,
			   nla_get_u32(tb[TCPSESS_CONFIG_MAX_SESSIONS]));
	if (tb[TCPSESS_CONFIG_MODE])
		WRITE_ONCE(config->mode, nla_get_u8(tb[TCPSESS_CONFIG_MODE]));
	if (tb[TCPSESS_CONFIG_PICKUP])
		WRITE_ONCE(config->pickup, nla_get_u8(tb[TCPSESS_CONFIG_PICKUP]));
	if (tb[TCPSESS_CONFIG_EVENT_RATE])
		WRITE_ONCE(config->event_rate,
			   nla_get_u32(tb[TCPSESS_CONFIG_EVENT_RATE]));
	for (state = TCPSESS_STATE_NONE + 1; state <= TCPSESS_STATE_MAX; state++)
		if (timeouts[state])
			WRITE_ONCE(config->timeout[state], nla_get_u32(timeouts[state]));
	if (tb[TCPSESS_CONFIG_TIMEOUT_PICKUP])
		WRITE_ONCE(config->timeout_pickup,
			   nla_get_u32(tb[TCPSESS_CONFIG_TIMEOUT_PICKUP]));
	if (tb[TCPSESS_CONFIG_REPORT_INTERVAL])
		WRITE_ONCE(config->report_interval,
			   nla_get_u32(tb[TCPSESS_CONFIG_REPORT_INTERVAL]));
	mutex_unlock(&tcpsess_config_mutex);
	/* A shorter timeout may have made sessions due: look now. */
	if (tb[TCPSESS_CONFIG_TIMEOUTS] || tb[TCPSESS_CONFIG_TIMEOUT_PICKUP])
		tcpsess_gc_expect(tcpsess_pernet(net), (u32)jiffies);
	/* UPDATEs may now be due sooner than the next pass. */
	if (tb[TCPSESS_CONFIG_REPORT_INTERVAL])
		tcpsess_gc_report_changed(tcpsess_pernet(net));
	return 0;
}

static int tcpsess_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	tcpsess_table_flush_net(tcpsess_pernet(genl_info_net(info)),
				TCPSESS_END_FLUSHED);
	return 0;
}

static const struct genl_ops tcpsess_genl_ops[] = {
	{
		.cmd = TCPSESS_CMD_GET_SESSIONS,
		.dumpit = tcpsess_nl_sessions_dump,
		.policy = tcpsess_get_sessions_policy,
		.maxattr = TCPSESS_A_MAX,
		/* Other people's connections, as in conntrack's table. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPSESS_CMD_GET_STATS,
		.doit = tcpsess_nl_get_stats,
		.policy = tcpsess_no_attrs_policy,
		.maxattr = TCPSESS_A_MAX,
	},
	{
		.cmd = TCPSESS_CMD_GET_CONFIG,
		.doit = tcpsess_nl_get_config,
		.policy = tcpsess_no_attrs_policy,
		.maxattr = TCPSESS_A_MAX,
	},
	{
		.cmd = TCPSESS_CMD_SET_CONFIG,
		.doit = tcpsess_nl_set_config,
		.policy = tcpsess_set_config_policy,
		.maxattr = TCPSESS_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = TCPSESS_CMD_FLUSH,
		.doit = tcpsess_nl_flush,
		.policy = tcpsess_no_attrs_policy,
		.maxattr = TCPSESS_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group tcpsess_genl_mcgrps[] = {
	[TCPSESS_MCGRP_EVENTS_INDEX] = {
		.name = TCPSESS_MCGRP_EVENTS,
		/* Events show every connection of the namespace. */
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family tcpsess_genl_family __ro_after_init = {
	.name = TCPSESS_GENL_NAME,
	.version = TCPSESS_GENL_VERSION,
	.maxattr = TCPSESS_A_MAX,
	.netnsok = true,
	/*
	 * Without this every request would hold genl_mutex, which all families
	 * without it share (nl80211, devlink, ethtool...): a dump or a flush
	 * of a big table would stall them. Dumps and flushes need no lock of
	 * ours; configuration takes tcpsess_config_mutex.
	 */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = tcpsess_genl_ops,
	.n_ops = ARRAY_SIZE(tcpsess_genl_ops),
	.mcgrps = tcpsess_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(tcpsess_genl_mcgrps),
};

/*
 * Whether events may go out through the family. Senders test it under
 * rcu_read_lock(), so once it is cleared and a grace period has passed no
 * event is in flight and the family's groups can go.
 */
bool tcpsess_netlink_live __read_mostly;

int tcpsess_netlink_init(void)
{
	int err = genl_register_family(&tcpsess_genl_family);

	if (!err)
		WRITE_ONCE(tcpsess_netlink_live, true);
	return err;
}

/* Returns once no request is being served and no event is being sent. */
void tcpsess_netlink_uninit(void)
{
	WRITE_ONCE(tcpsess_netlink_live, false);
	synchronize_rcu();
	genl_unregister_family(&tcpsess_genl_family);
}
