/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_NL_H
#define _TCPSESSCTL_NL_H

#include <libmnl/libmnl.h>

#include "tcpsessctl.h"

#define TS_NL_REQ_SIZE	4096
#define TS_NL_RX_SIZE	65536	/* more than a dump message can be */

/* What the kernel said about a request that failed, or warned about it. */
struct ts_nl_error {
	int err;		/* 0 or a negative errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, or "" */
	bool has_offset;
	u32 offset;		/* NLMSGERR_ATTR_OFFS: into the request */
};

struct ts_nl {
	struct mnl_socket *sock;
	u32 portid;
	u32 seq;
	u16 family;		/* the tcpsess family's id */
	u32 events_group;	/* its events group's id; 0 if it has none */
	char *rx;
	/* Kept after sending, for NLMSGERR_ATTR_OFFS to point into. */
	char req[TS_NL_REQ_SIZE];
	struct ts_nl_error error;
};

/*
 * Called for each message of the family in a reply or in the event
 * stream. Returns 0 to go on, 1 to stop, or a negative errno.
 */
typedef int (*ts_nl_cb)(const struct nlmsghdr *nlh, void *data);

/*
 * Opens a generic netlink socket with extended acks and resolves the
 * family. Returns 0 or a negative errno: -ENOENT when the module is not
 * loaded. On error nl is closed.
 */
int ts_nl_open(struct ts_nl *nl);
void ts_nl_close(struct ts_nl *nl);

/* Starts a request of the family in nl->req. */
struct nlmsghdr *ts_nl_msg(struct ts_nl *nl, u8 cmd, u16 flags);

/*
 * Sends nl->req and hands each reply to cb until the kernel acks, ends
 * the dump or fails. Returns 0 or a negative errno, with the kernel's
 * reasons in nl->error.
 */
int ts_nl_talk(struct ts_nl *nl, ts_nl_cb cb, void *data);

int ts_nl_set_rcvbuf(struct ts_nl *nl, int bytes);

/* Joins the events group: -EPERM without CAP_NET_ADMIN. */
int ts_nl_join_events(struct ts_nl *nl);

int ts_nl_fd(const struct ts_nl *nl);

/*
 * Reads what one recv() gives, without blocking, and hands each event to
 * cb. Returns 0, 1 if cb asked to stop, or a negative errno: -EAGAIN when
 * there was nothing, -ENOBUFS when the kernel dropped events for want of
 * room.
 */
int ts_nl_recv_events(struct ts_nl *nl, ts_nl_cb cb, void *data);

/*
 * Decodes an NLMSG_ERROR or NLMSG_DONE message into e, extack included.
 * Returns e->err.
 */
int ts_nl_parse_error(const struct nlmsghdr *nlh, struct ts_nl_error *e);

/* Decodes a CTRL_CMD_GETFAMILY reply: the id, and the events group's. */
int ts_nl_parse_family(const struct nlmsghdr *nlh, u16 *family, u32 *group);

#endif /* _TCPSESSCTL_NL_H */
