// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink plumbing: the socket, the family, requests and their
 * acks, extack. libmnl's mnl_cb_run() turns an error ack into errno and
 * drops its extack, so the replies are walked here instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/genetlink.h>

#include "nl.h"

static int copy_extack(const struct nlmsghdr *nlh, size_t offset,
		       struct ts_nl_error *e)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    MNL_ALIGN(offset) > nlh->nlmsg_len - MNL_NLMSG_HDRLEN)
		return 0;
	mnl_attr_for_each(attr, nlh, offset) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
				break;
			snprintf(e->msg, sizeof(e->msg), "%s",
				 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(attr, MNL_TYPE_U32))
				break;
			e->offset = mnl_attr_get_u32(attr);
			e->has_offset = true;
			break;
		}
	}
	return 0;
}

int ts_nl_parse_error(const struct nlmsghdr *nlh, struct ts_nl_error *e)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	size_t len = nlh->nlmsg_len - MNL_NLMSG_HDRLEN;
	int code = 0;

	memset(e, 0, sizeof(*e));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN) {
		code = -EBADMSG;
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump ends with its error code, if the kernel sent one. */
		if (len >= sizeof(int)) {
			memcpy(&code, err, sizeof(int));
			copy_extack(nlh, sizeof(int), e);
		}
	} else if (len < sizeof(*err)) {
		code = -EBADMSG;
	} else {
		code = err->error;
		/* Without NLM_F_CAPPED the request comes back whole. */
		copy_extack(nlh, nlh->nlmsg_flags & NLM_F_CAPPED ? sizeof(*err) :
			    sizeof(int) + (size_t)err->msg.nlmsg_len, e);
	}
	e->err = code > 0 ? -code : code;
	return e->err;
}

static int family_groups(const struct nlattr *nest, u32 *group)
{
	const struct nlattr *grp, *attr;

	mnl_attr_for_each_nested(grp, nest) {
		const char *name = NULL;
		u32 id = 0;

		if (mnl_attr_validate(grp, MNL_TYPE_NESTED))
			continue;
		mnl_attr_for_each_nested(attr, grp) {
			switch (mnl_attr_get_type(attr)) {
			case CTRL_ATTR_MCAST_GRP_NAME:
				if (!mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
					name = mnl_attr_get_str(attr);
				break;
			case CTRL_ATTR_MCAST_GRP_ID:
				if (!mnl_attr_validate(attr, MNL_TYPE_U32))
					id = mnl_attr_get_u32(attr);
				break;
			}
		}
		if (name && id && !strcmp(name, TCPSESS_MCGRP_EVENTS))
			*group = id;
	}
	return 0;
}

int ts_nl_parse_family(const struct nlmsghdr *nlh, u16 *family, u32 *group)
{
	const struct nlattr *attr;

	*family = 0;
	*group = 0;
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return -EBADMSG;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		switch (mnl_attr_get_type(attr)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(attr, MNL_TYPE_U16))
				return -EBADMSG;
			*family = mnl_attr_get_u16(attr);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			if (mnl_attr_validate(attr, MNL_TYPE_NESTED))
				return -EBADMSG;
			family_groups(attr, group);
			break;
		}
	}
	return *family ? 0 : -EBADMSG;
}

static struct nlmsghdr *put_msg(struct ts_nl *nl, u16 type, u8 cmd,
				u8 version, u16 flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(nl->req, 0, sizeof(nl->req));
	nlh = mnl_nlmsg_put_header(nl->req);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *ts_nl_msg(struct ts_nl *nl, u8 cmd, u16 flags)
{
	return put_msg(nl, nl->family, cmd, TCPSESS_GENL_VERSION, flags);
}

/*
 * One datagram into nl->rx. Returns its length, 0 for one to ignore (not
 * from the kernel), or a negative errno.
 */
static ssize_t nl_recv(struct ts_nl *nl, int flags)
{
	struct sockaddr_nl addr;
	struct iovec iov = { nl->rx, TS_NL_RX_SIZE };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(mnl_socket_get_fd(nl->sock), &msg, flags);
	if (n < 0)
		return -errno;
	if (msg.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	/* Any process can send to our port id; only the kernel is heard. */
	if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
		return 0;
	return n;
}

/*
 * Hands the messages of one datagram to cb. With seq set, only the replies
 * to that request count, and *done is set by its ack, error or end.
 */
static int walk(struct ts_nl *nl, ssize_t len, u16 type, u32 seq,
		ts_nl_cb cb, void *data, bool *done)
{
	const struct nlmsghdr *nlh = (const void *)nl->rx;
	int len_left = len, ret;

	for (; mnl_nlmsg_ok(nlh, len_left); nlh = mnl_nlmsg_next(nlh, &len_left)) {
		if (seq && (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != nl->portid))
			continue;
		if (nlh->nlmsg_type == NLMSG_ERROR ||
		    nlh->nlmsg_type == NLMSG_DONE) {
			if (!seq)
				continue;
			*done = true;
			return ts_nl_parse_error(nlh, &nl->error);
		}
		if (nlh->nlmsg_type != type || !cb)
			continue;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
			snprintf(nl->error.msg, sizeof(nl->error.msg),
				 "the dump was interrupted by a change, try again");
			return -EINTR;
		}
		ret = cb(nlh, data);
		if (ret)
			return ret;
	}
	return len_left > 0 ? -EBADMSG : 0;
}

static int talk(struct ts_nl *nl, u16 type, ts_nl_cb cb, void *data)
{
	const struct nlmsghdr *req = (const void *)nl->req;
	bool done = false;
	ssize_t n;
	int ret;

	memset(&nl->error, 0, sizeof(nl->error));
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	while (!done) {
		n = nl_recv(nl, 0);
		if (n == -EINTR)
			continue;
		if (n < 0)
			return n;
		ret = walk(nl, n, type, req->nlmsg_seq, cb, data, &done);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	return 0;
}

int ts_nl_talk(struct ts_nl *nl, ts_nl_cb cb, void *data)
{
	return talk(nl, nl->family, cb, data);
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ts_nl *nl = data;

	return ts_nl_parse_family(nlh, &nl->family, &nl->events_group);
}

static int resolve(struct ts_nl *nl)
{
	struct nlmsghdr *nlh;

	nlh = put_msg(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, TCPSESS_GENL_NAME);
	return talk(nl, GENL_ID_CTRL, family_cb, nl);
}

int ts_nl_open(struct ts_nl *nl)
{
	int one = 1, ret;

	memset(nl, 0, sizeof(*nl));
	nl->seq = time(NULL);
	nl->rx = malloc(TS_NL_RX_SIZE);
	if (!nl->rx)
		return -ENOMEM;
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		ts_nl_close(nl);
		return ret;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Both are best effort: without them errors just say less. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	ret = resolve(nl);
	if (!ret && !nl->family)
		ret = -EBADMSG;
	if (ret)
		ts_nl_close(nl);
	return ret;
}

void ts_nl_close(struct ts_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->rx);
	nl->rx = NULL;
}

int ts_nl_set_rcvbuf(struct ts_nl *nl, int bytes)
{
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF,
		       &bytes, sizeof(bytes)) < 0)
		return -errno;
	return 0;
}

int ts_nl_join_events(struct ts_nl *nl)
{
	int group = nl->events_group;

	if (!group)
		return -ENOENT;
	if (mnl_socket_setsockopt(nl->sock, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

int ts_nl_fd(const struct ts_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

int ts_nl_recv_events(struct ts_nl *nl, ts_nl_cb cb, void *data)
{
	ssize_t n = nl_recv(nl, MSG_DONTWAIT);

	if (n < 0)
		return n;
	return walk(nl, n, nl->family, 0, cb, data, NULL);
}
