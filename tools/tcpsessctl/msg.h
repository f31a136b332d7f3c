/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_MSG_H
#define _TCPSESSCTL_MSG_H

#include <libmnl/libmnl.h>

#include "tcpsessctl.h"

/*
 * The tcpsess messages: replies and events decoded, requests encoded, as
 * the uapi header documents them. No I/O here. A parser returns 0, or
 * -EINVAL for a message it cannot make sense of; attributes it does not
 * know (a newer module's) are skipped.
 */
int ts_parse_session(const struct nlattr *nest, struct ts_session *s);

/* A GET_SESSIONS reply: one session. */
int ts_parse_session_msg(const struct nlmsghdr *nlh, struct ts_session *s);

/*
 * Whether a message on the event socket is an event at all: anything else
 * there (an ack, another command) is not tcpsess's to complain about.
 */
bool ts_is_event_msg(const struct nlmsghdr *nlh);
int ts_parse_event(const struct nlmsghdr *nlh, struct ts_event *ev);
int ts_parse_stats(const struct nlmsghdr *nlh, struct ts_stats *st);
int ts_parse_config(const struct nlmsghdr *nlh, struct ts_config *cfg);

/* Appends TCPSESS_A_FILTER, if any filter is set. */
void ts_put_filter(struct nlmsghdr *nlh, const struct ts_filter *f);

/* Appends TCPSESS_A_CONFIG with the keys present in cfg. */
void ts_put_config(struct nlmsghdr *nlh, const struct ts_config *cfg);

/*
 * The configuration key whose attribute starts offset bytes into req, a
 * request built by ts_put_config(); -1 if none does. This names the key
 * behind an extack NLMSGERR_ATTR_OFFS.
 */
int ts_config_key_at(const struct nlmsghdr *req, u32 offset);

#endif /* _TCPSESSCTL_MSG_H */
