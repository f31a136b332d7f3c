// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>

#include "config.h"
#include "msg.h"

/* Whether attr's payload has exactly the size its type needs. */
static bool valid(const struct nlattr *attr, enum mnl_attr_data_type type)
{
	return mnl_attr_validate(attr, type) == 0;
}

static bool valid_genl(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + GENL_HDRLEN;
}

/*
 * Where each session attribute goes: the type its payload must have and
 * the field of struct ts_session it fills, which has that type's size.
 * Attributes this build does not know are skipped.
 */
struct session_field {
	enum mnl_attr_data_type type;	/* MNL_TYPE_UNSPEC: not a field */
	size_t offset;
};

#define FIELD(nltype, member) { (nltype), offsetof(struct ts_session, member) }

static const struct session_field session_fields[] = {
	[TCPSESS_SESSION_ID]		= FIELD(MNL_TYPE_U64, id),
	[TCPSESS_SESSION_FAMILY]	= FIELD(MNL_TYPE_U8, family),
	[TCPSESS_SESSION_SRC_ADDR]	= FIELD(MNL_TYPE_BINARY, src),
	[TCPSESS_SESSION_SRC_PORT]	= FIELD(MNL_TYPE_U16, sport),
	[TCPSESS_SESSION_DST_ADDR]	= FIELD(MNL_TYPE_BINARY, dst),
	[TCPSESS_SESSION_DST_PORT]	= FIELD(MNL_TYPE_U16, dport),
	[TCPSESS_SESSION_STATE]		= FIELD(MNL_TYPE_U8, state),
	[TCPSESS_SESSION_AGE_MS]	= FIELD(MNL_TYPE_U64, age_ms),
	[TCPSESS_SESSION_IDLE_MS]	= FIELD(MNL_TYPE_U64, idle_ms),
	[TCPSESS_SESSION_PKTS_ORIG]	= FIELD(MNL_TYPE_U64, pkts[TCPSESS_DIR_ORIG]),
	[TCPSESS_SESSION_BYTES_ORIG]	= FIELD(MNL_TYPE_U64, bytes[TCPSESS_DIR_ORIG]),
	[TCPSESS_SESSION_PKTS_REPLY]	= FIELD(MNL_TYPE_U64, pkts[TCPSESS_DIR_REPLY]),
	[TCPSESS_SESSION_BYTES_REPLY]	= FIELD(MNL_TYPE_U64, bytes[TCPSESS_DIR_REPLY]),
	[TCPSESS_SESSION_RTT_SYN_US]	= FIELD(MNL_TYPE_U32, rtt_syn_us),
	[TCPSESS_SESSION_RTT_ACK_US]	= FIELD(MNL_TYPE_U32, rtt_ack_us),
	[TCPSESS_SESSION_RETRANS_ORIG]	= FIELD(MNL_TYPE_U32, retrans[TCPSESS_DIR_ORIG]),
	[TCPSESS_SESSION_RETRANS_REPLY]	= FIELD(MNL_TYPE_U32, retrans[TCPSESS_DIR_REPLY]),
	[TCPSESS_SESSION_HISTORY]	= FIELD(MNL_TYPE_NUL_STRING, history),
	[TCPSESS_SESSION_FLAGS]		= FIELD(MNL_TYPE_U32, flags),
	[TCPSESS_SESSION_IPBYTES_ORIG]	= FIELD(MNL_TYPE_U64, ipbytes[TCPSESS_DIR_ORIG]),
	[TCPSESS_SESSION_IPBYTES_REPLY]	= FIELD(MNL_TYPE_U64, ipbytes[TCPSESS_DIR_REPLY]),
};

static_assert(ARRAY_SIZE(session_fields) == __TCPSESS_SESSION_MAX,
	      "a session attribute without its field");

static int session_attr(const struct nlattr *attr, struct ts_session *s,
			unsigned int *src_len, unsigned int *dst_len)
{
	unsigned int type = mnl_attr_get_type(attr);
	unsigned int len = mnl_attr_get_payload_len(attr);
	const struct session_field *field;
	void *dst;

	if (type >= __TCPSESS_SESSION_MAX ||
	    session_fields[type].type == MNL_TYPE_UNSPEC)
		return 0;
	field = &session_fields[type];
	dst = (char *)s + field->offset;
	if (field->type != MNL_TYPE_BINARY && !valid(attr, field->type))
		return -EINVAL;
	switch (field->type) {
	case MNL_TYPE_U8:
		*(u8 *)dst = mnl_attr_get_u8(attr);
		break;
	case MNL_TYPE_U16:
		*(u16 *)dst = mnl_attr_get_u16(attr);
		break;
	case MNL_TYPE_U32:
		*(u32 *)dst = mnl_attr_get_u32(attr);
		break;
	case MNL_TYPE_U64:
		*(u64 *)dst = mnl_attr_get_u64(attr);
		break;
	case MNL_TYPE_BINARY:
		if (len != 4 && len != 16)
			return -EINVAL;
		memset(dst, 0, sizeof(s->src));
		memcpy(dst, mnl_attr_get_payload(attr), len);
		*(type == TCPSESS_SESSION_SRC_ADDR ? src_len : dst_len) = len;
		break;
	default:
		/* A longer history than this build knows is cut, not refused. */
		snprintf(dst, sizeof(s->history), "%s", mnl_attr_get_str(attr));
		break;
	}
	if (type == TCPSESS_SESSION_FAMILY) {
		s->family = ts_af_to_ip_version(s->family);
		if (!s->family)
			return -EINVAL;
	}
	s->present |= TS_BIT(type);
	return 0;
}

int ts_parse_session(const struct nlattr *nest, struct ts_session *s)
{
	unsigned int src_len = 0, dst_len = 0, alen;
	const struct nlattr *attr;

	memset(s, 0, sizeof(*s));
	if (!valid(nest, MNL_TYPE_NESTED))
		return -EINVAL;
	mnl_attr_for_each_nested(attr, nest)
		if (session_attr(attr, s, &src_len, &dst_len))
			return -EINVAL;

	/* The addresses must agree with each other and with the family. */
	alen = src_len ? src_len : dst_len;
	if (src_len && dst_len && src_len != dst_len)
		return -EINVAL;
	if (!ts_has(s, TCPSESS_SESSION_FAMILY) && alen) {
		s->family = alen == 4 ? 4 : 6;
		s->present |= TS_BIT(TCPSESS_SESSION_FAMILY);
	}
	if (alen && alen != ts_addr_len(s->family))
		return -EINVAL;
	return 0;
}

int ts_parse_session_msg(const struct nlmsghdr *nlh, struct ts_session *s)
{
	const struct nlattr *attr;

	if (!valid_genl(nlh))
		return -EINVAL;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == TCPSESS_A_SESSION)
			return ts_parse_session(attr, s);
	return -EINVAL;
}

static int event_attr(const struct nlattr *attr, struct ts_event *ev)
{
	unsigned int type = mnl_attr_get_type(attr);

	switch (type) {
	case TCPSESS_A_EVENT:
	case TCPSESS_A_OLD_STATE:
	case TCPSESS_A_REASON:
	case TCPSESS_A_DIR:
		if (!valid(attr, MNL_TYPE_U8))
			return -EINVAL;
		break;
	case TCPSESS_A_EVENT_SEQ:
		if (!valid(attr, MNL_TYPE_U64))
			return -EINVAL;
		ev->seq = mnl_attr_get_u64(attr);
		break;
	case TCPSESS_A_SESSION:
		if (ts_parse_session(attr, &ev->s))
			return -EINVAL;
		break;
	default:
		return 0;
	}

	switch (type) {
	case TCPSESS_A_EVENT:
		ev->type = mnl_attr_get_u8(attr);
		break;
	case TCPSESS_A_OLD_STATE:
		ev->old_state = mnl_attr_get_u8(attr);
		break;
	case TCPSESS_A_REASON:
		ev->reason = mnl_attr_get_u8(attr);
		break;
	case TCPSESS_A_DIR:
		ev->dir = mnl_attr_get_u8(attr);
		break;
	}
	ev->present |= TS_BIT(type);
	return 0;
}

bool ts_is_event_msg(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	return valid_genl(nlh) && genl->cmd == TCPSESS_CMD_EVENT;
}

int ts_parse_event(const struct nlmsghdr *nlh, struct ts_event *ev)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;

	memset(ev, 0, sizeof(*ev));
	if (!valid_genl(nlh) || genl->cmd != TCPSESS_CMD_EVENT)
		return -EINVAL;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (event_attr(attr, ev))
			return -EINVAL;
	return ts_event_has(ev, TCPSESS_A_EVENT) ? 0 : -EINVAL;
}

/*
 * One nest of u64 counters, each attribute's type the value of the enum
 * that indexes values. Values this build does not know are skipped, and
 * so is type 0, which no enum gives a counter: the kernel pads with it.
 */
static int stats_array(const struct nlattr *nest, u64 *values, u64 *present,
		       unsigned int count)
{
	const struct nlattr *attr;

	if (!valid(nest, MNL_TYPE_NESTED))
		return -EINVAL;
	mnl_attr_for_each_nested(attr, nest) {
		unsigned int type = mnl_attr_get_type(attr);

		if (type == TCPSESS_STATS_INDEX_PAD || type >= count)
			continue;
		if (!valid(attr, MNL_TYPE_U64))
			return -EINVAL;
		values[type] = mnl_attr_get_u64(attr);
		*present |= TS_BIT(type);
	}
	return 0;
}

static int stats_nest(const struct nlattr *nest, struct ts_stats *st)
{
	const struct nlattr *attr;
	int err = 0;

	if (!valid(nest, MNL_TYPE_NESTED))
		return -EINVAL;
	mnl_attr_for_each_nested(attr, nest) {
		switch (mnl_attr_get_type(attr)) {
		case TCPSESS_STATS_COUNTERS:
			err = stats_array(attr, st->counter, &st->has_counter,
					  __TCPSESS_STAT_MAX);
			break;
		case TCPSESS_STATS_STATES:
			err = stats_array(attr, st->state, &st->has_state,
					  __TCPSESS_STATE_MAX);
			break;
		case TCPSESS_STATS_INVALID:
			err = stats_array(attr, st->invalid, &st->has_invalid,
					  __TCPSESS_INVALID_MAX);
			break;
		case TCPSESS_STATS_RTT_SYN:
			err = stats_array(attr, st->rtt[TS_RTT_SYN],
					  &st->has_rtt[TS_RTT_SYN],
					  __TCPSESS_RTT_HIST_MAX);
			break;
		case TCPSESS_STATS_RTT_ACK:
			err = stats_array(attr, st->rtt[TS_RTT_ACK],
					  &st->has_rtt[TS_RTT_ACK],
					  __TCPSESS_RTT_HIST_MAX);
			break;
		}
		if (err)
			return err;
	}
	/* NONE is no state and no reason: never shown. */
	st->has_state &= ~TS_BIT(TCPSESS_STATE_NONE);
	st->has_invalid &= ~TS_BIT(TCPSESS_INVALID_NONE);
	return 0;
}

int ts_parse_stats(const struct nlmsghdr *nlh, struct ts_stats *st)
{
	const struct nlattr *attr;

	memset(st, 0, sizeof(*st));
	if (!valid_genl(nlh))
		return -EINVAL;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == TCPSESS_A_STATS)
			return stats_nest(attr, st);
	return -EINVAL;
}

static int config_timeouts(const struct nlattr *nest, struct ts_config *cfg)
{
	const struct nlattr *attr;

	if (!valid(nest, MNL_TYPE_NESTED))
		return -EINVAL;
	mnl_attr_for_each_nested(attr, nest) {
		unsigned int state = mnl_attr_get_type(attr);
		unsigned int key = TS_CFG_TIMEOUT + state - 1;

		if (state == TCPSESS_STATE_NONE || state > TCPSESS_STATE_MAX)
			continue;
		if (!valid(attr, MNL_TYPE_U32))
			return -EINVAL;
		cfg->value[key] = mnl_attr_get_u32(attr);
		cfg->present |= TS_BIT(key);
	}
	return 0;
}

static int config_nest(const struct nlattr *nest, struct ts_config *cfg)
{
	const struct nlattr *attr;

	if (!valid(nest, MNL_TYPE_NESTED))
		return -EINVAL;
	mnl_attr_for_each_nested(attr, nest) {
		enum mnl_attr_data_type type = MNL_TYPE_U32;
		int key;

		switch (mnl_attr_get_type(attr)) {
		case TCPSESS_CONFIG_TIMEOUTS:
			if (config_timeouts(attr, cfg))
				return -EINVAL;
			continue;
		case TCPSESS_CONFIG_MAX_SESSIONS:
			key = TS_CFG_MAX_SESSIONS;
			break;
		case TCPSESS_CONFIG_MODE:
			key = TS_CFG_MODE;
			type = MNL_TYPE_U8;
			break;
		case TCPSESS_CONFIG_PICKUP:
			key = TS_CFG_PICKUP;
			type = MNL_TYPE_U8;
			break;
		case TCPSESS_CONFIG_EVENT_RATE:
			key = TS_CFG_EVENT_RATE;
			break;
		case TCPSESS_CONFIG_TIMEOUT_PICKUP:
			key = TS_CFG_TIMEOUT_PICKUP;
			break;
		case TCPSESS_CONFIG_REPORT_INTERVAL:
			key = TS_CFG_REPORT_INTERVAL;
			break;
		default:
			continue;
		}
		if (!valid(attr, type))
			return -EINVAL;
		cfg->value[key] = type == MNL_TYPE_U8 ? mnl_attr_get_u8(attr) :
							mnl_attr_get_u32(attr);
		cfg->present |= TS_BIT(key);
	}
	return 0;
}

int ts_parse_config(const struct nlmsghdr *nlh, struct ts_config *cfg)
{
	const struct nlattr *attr;

	memset(cfg, 0, sizeof(*cfg));
	if (!valid_genl(nlh))
		return -EINVAL;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(attr) == TCPSESS_A_CONFIG)
			return config_nest(attr, cfg);
	return -EINVAL;
}

void ts_put_filter(struct nlmsghdr *nlh, const struct ts_filter *f)
{
	struct nlattr *nest;

	if (!f->family && !f->state && !f->has_addr && !f->has_port)
		return;
	nest = mnl_attr_nest_start(nlh, TCPSESS_A_FILTER);
	if (f->family)
		mnl_attr_put_u8(nlh, TCPSESS_FILTER_FAMILY,
				ts_ip_version_to_af(f->family));
	if (f->has_addr)
		mnl_attr_put(nlh, TCPSESS_FILTER_ADDR, ts_addr_len(f->family),
			     f->addr);
	if (f->has_port)
		mnl_attr_put_u16(nlh, TCPSESS_FILTER_PORT, f->port);
	if (f->state)
		mnl_attr_put_u8(nlh, TCPSESS_FILTER_STATE, f->state);
	mnl_attr_nest_end(nlh, nest);
}

void ts_put_config(struct nlmsghdr *nlh, const struct ts_config *cfg)
{
	const u32 *v = cfg->value;
	struct nlattr *nest, *timeouts;
	unsigned int state, key;

	nest = mnl_attr_nest_start(nlh, TCPSESS_A_CONFIG);
	if (cfg->present & TS_BIT(TS_CFG_MAX_SESSIONS))
		mnl_attr_put_u32(nlh, TCPSESS_CONFIG_MAX_SESSIONS,
				 v[TS_CFG_MAX_SESSIONS]);
	if (cfg->present & TS_BIT(TS_CFG_MODE))
		mnl_attr_put_u8(nlh, TCPSESS_CONFIG_MODE, v[TS_CFG_MODE]);
	if (cfg->present & TS_BIT(TS_CFG_PICKUP))
		mnl_attr_put_u8(nlh, TCPSESS_CONFIG_PICKUP, v[TS_CFG_PICKUP]);
	if (cfg->present & TS_BIT(TS_CFG_EVENT_RATE))
		mnl_attr_put_u32(nlh, TCPSESS_CONFIG_EVENT_RATE,
				 v[TS_CFG_EVENT_RATE]);
	if (cfg->present & TS_BIT(TS_CFG_TIMEOUT_PICKUP))
		mnl_attr_put_u32(nlh, TCPSESS_CONFIG_TIMEOUT_PICKUP,
				 v[TS_CFG_TIMEOUT_PICKUP]);
	if (cfg->present & TS_BIT(TS_CFG_REPORT_INTERVAL))
		mnl_attr_put_u32(nlh, TCPSESS_CONFIG_REPORT_INTERVAL,
				 v[TS_CFG_REPORT_INTERVAL]);
	timeouts = NULL;
	for (state = TCPSESS_STATE_NONE + 1; state <= TCPSESS_STATE_MAX; state++) {
		key = TS_CFG_TIMEOUT + state - 1;
		if (!(cfg->present & TS_BIT(key)))
			continue;
		if (!timeouts)
			timeouts = mnl_attr_nest_start(nlh,
						       TCPSESS_CONFIG_TIMEOUTS);
		mnl_attr_put_u32(nlh, state, v[key]);
	}
	if (timeouts)
		mnl_attr_nest_end(nlh, timeouts);
	mnl_attr_nest_end(nlh, nest);
}

static u32 offset_of(const struct nlmsghdr *req, const struct nlattr *attr)
{
	return (const char *)attr - (const char *)req;
}

static int config_key_of(unsigned int type)
{
	switch (type) {
	case TCPSESS_CONFIG_MAX_SESSIONS:
		return TS_CFG_MAX_SESSIONS;
	case TCPSESS_CONFIG_MODE:
		return TS_CFG_MODE;
	case TCPSESS_CONFIG_PICKUP:
		return TS_CFG_PICKUP;
	case TCPSESS_CONFIG_EVENT_RATE:
		return TS_CFG_EVENT_RATE;
	case TCPSESS_CONFIG_TIMEOUT_PICKUP:
		return TS_CFG_TIMEOUT_PICKUP;
	case TCPSESS_CONFIG_REPORT_INTERVAL:
		return TS_CFG_REPORT_INTERVAL;
	}
	return -1;
}

int ts_config_key_at(const struct nlmsghdr *req, u32 offset)
{
	const struct nlattr *top, *attr, *t;

	if (!valid_genl(req))
		return -1;
	mnl_attr_for_each(top, req, GENL_HDRLEN) {
		if (mnl_attr_get_type(top) != TCPSESS_A_CONFIG)
			continue;
		mnl_attr_for_each_nested(attr, top) {
			unsigned int type = mnl_attr_get_type(attr);

			if (offset_of(req, attr) == offset)
				return config_key_of(type);
			if (type != TCPSESS_CONFIG_TIMEOUTS)
				continue;
			mnl_attr_for_each_nested(t, attr) {
				unsigned int state = mnl_attr_get_type(t);

				if (offset_of(req, t) == offset &&
				    state > TCPSESS_STATE_NONE &&
				    state <= TCPSESS_STATE_MAX)
					return TS_CFG_TIMEOUT + state - 1;
			}
		}
	}
	return -1;
}
