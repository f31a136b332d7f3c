/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the kernels we build for differ, included by the
 * files that use what differs; written against the newest API, with older
 * kernels patched up here. Kbuild probes the headers rather than trusting
 * version numbers, since Debian backports blur them.
 */
#ifndef _TCPSESS_COMPAT_H
#define _TCPSESS_COMPAT_H

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

/*
 * Charging an allocation to a memory cgroup other than the current task's,
 * even from softirq, came with 5.10; before it, sessions made in softirq
 * are charged to nobody.
 */
#ifdef TCPSESS_HAVE_INT_ACTIVE_MEMCG
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>

static inline struct mem_cgroup *tcpsess_memcg_get_current(void)
{
	return get_mem_cgroup_from_mm(current->mm);
}

#define tcpsess_memcg_put mem_cgroup_put
#define tcpsess_set_active_memcg set_active_memcg
#else
struct mem_cgroup;

static inline struct mem_cgroup *tcpsess_memcg_get_current(void)
{
	return NULL;
}

static inline void tcpsess_memcg_put(struct mem_cgroup *memcg) {}

static inline struct mem_cgroup *tcpsess_set_active_memcg(struct mem_cgroup *memcg)
{
	return NULL;
}
#endif

#endif /* _TCPSESS_COMPAT_H */
