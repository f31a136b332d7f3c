// SPDX-License-Identifier: GPL-2.0
#include "compat.h"
#include "evict.h"
#include "hooks.h"
#include "pernet.h"
#include "proc.h"
#include "table.h"

unsigned int tcpsess_net_id __read_mostly;

/*
 * While the module is loaded, net_init runs for every namespace that
 * exists already, in insmod's context: that task made none of them, so
 * they get no cgroup of their own. Namespaces cannot be made meanwhile
 * (the pernet rwsem), so the flag tells one case from the other.
 */
static bool tcpsess_registering;

static int __net_init tcpsess_net_init(struct net *net)
{
	struct tcpsess_net *tn = tcpsess_pernet(net);
	int err;

	tn->net = net;
	tn->memcg = tcpsess_registering ? NULL : tcpsess_memcg_get_current();
	tn->config = tcpsess_default_config;
	atomic_set(&tn->count, 0);
	tcpsess_events_net_init(tn);
	tcpsess_gc_net_init(tn);

	err = tcpsess_table_net_init(tn);
	if (err)
		goto err_table;
	err = tcpsess_stats_init(tn);
	if (err)
		goto err_stats;
	err = tcpsess_evict_net_init(tn);
	if (err)
		goto err_evict;
	err = tcpsess_proc_net_init(tn);
	if (err)
		goto err_proc;
	err = tcpsess_hooks_net_init(tn);
	if (err)
		goto err_hooks;
	return 0;

err_hooks:
	tcpsess_proc_net_exit(tn);
err_proc:
	tcpsess_evict_net_uninit(tn);
err_evict:
	tcpsess_stats_uninit(tn);
err_stats:
	tcpsess_table_net_uninit(tn);
err_table:
	tcpsess_memcg_put(tn->memcg);
	return err;
}

/*
 * Unhooking does not wait for a CPU still inside a hook, which may yet make
 * a session. The core runs a grace period between pre_exit and exit, after
 * which none is: so the flush in exit is final.
 */
static void __net_exit tcpsess_net_pre_exit(struct net *net)
{
	tcpsess_hooks_net_exit(tcpsess_pernet(net));
}

static void __net_exit tcpsess_net_exit(struct net *net)
{
	struct tcpsess_net *tn = tcpsess_pernet(net);

	tcpsess_proc_net_exit(tn);
	tcpsess_gc_net_exit(tn);
	tcpsess_table_net_stop(tn);
	tcpsess_table_flush_net(tn, TCPSESS_END_FLUSHED);
}

/*
 * A reader may still stand on a session of these namespaces under RCU;
 * one grace period for the whole batch lets it leave.
 */
static void __net_exit tcpsess_net_exit_batch(struct list_head *net_exit_list)
{
	struct net *net;

	synchronize_rcu();
	list_for_each_entry(net, net_exit_list, exit_list) {
		struct tcpsess_net *tn = tcpsess_pernet(net);

		WARN_ON_ONCE(atomic_read(&tn->count));
		tcpsess_table_net_uninit(tn);
		tcpsess_evict_net_uninit(tn);
		tcpsess_stats_uninit(tn);
		tcpsess_memcg_put(tn->memcg);
	}
}

static struct pernet_operations tcpsess_net_ops = {
	.init = tcpsess_net_init,
	.pre_exit = tcpsess_net_pre_exit,
	.exit = tcpsess_net_exit,
	.exit_batch = tcpsess_net_exit_batch,
	.id = &tcpsess_net_id,
	.size = sizeof(struct tcpsess_net),
};

int tcpsess_pernet_init(void)
{
	int err;

	tcpsess_registering = true;
	err = register_pernet_subsys(&tcpsess_net_ops);
	tcpsess_registering = false;
	return err;
}

void tcpsess_pernet_uninit(void)
{
	unregister_pernet_subsys(&tcpsess_net_ops);
}
