/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the kernels we build for differ. Force-included into
 * every file of the module; written against the newest API, with older
 * kernels patched up here. Kbuild probes the headers rather than trusting
 * version numbers, since Debian backports blur them.
 */
#ifndef _TCPSESS_COMPAT_H
#define _TCPSESS_COMPAT_H

/* Before any kernel header, so that every message of the module carries it. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

/*
 * 6.12 wraps a dump's request in a struct genl_info; 6.1 hands out the
 * attributes directly.
 */
static inline struct nlattr **tcpsess_dump_attrs(struct netlink_callback *cb)
{
#ifdef TCPSESS_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * Without this flag anyone may join a multicast group, and the events show
 * every connection of the namespace: a kernel without it gets no module
 * rather than an open event stream.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "no GENL_MCAST_CAP_NET_ADMIN: anyone could join the events group"
#endif

/*
 * Before 5.13 defragmentation, once enabled in a namespace, stayed on until
 * the namespace went: there was nothing to give back.
 */
#ifdef TCPSESS_HAVE_NF_DEFRAG_DISABLE
#define tcpsess_defrag_ipv4_disable nf_defrag_ipv4_disable
#define tcpsess_defrag_ipv6_disable nf_defrag_ipv6_disable
#else
static inline void tcpsess_defrag_ipv4_disable(struct net *net) {}
static inline void tcpsess_defrag_ipv6_disable(struct net *net) {}
#endif

#endif /* _TCPSESS_COMPAT_H */
