// SPDX-License-Identifier: GPL-2.0
#include "pernet.h"
#include "proc.h"

unsigned int tcpsess_net_id __read_mostly;

static int __net_init tcpsess_net_init(struct net *net)
{
	struct tcpsess_net *tn = tcpsess_pernet(net);
	int err;

	tn->net = net;
	tn->config = tcpsess_default_config;

	err = tcpsess_stats_init(tn);
	if (err)
		goto err_stats;
	err = tcpsess_proc_net_init(tn);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	tcpsess_stats_uninit(tn);
err_stats:
	return err;
}

static void __net_exit tcpsess_net_exit(struct net *net)
{
	struct tcpsess_net *tn = tcpsess_pernet(net);

	tcpsess_proc_net_exit(tn);
	tcpsess_stats_uninit(tn);
}

static struct pernet_operations tcpsess_net_ops = {
	.init = tcpsess_net_init,
	.exit = tcpsess_net_exit,
	.id = &tcpsess_net_id,
	.size = sizeof(struct tcpsess_net),
};

int tcpsess_pernet_init(void)
{
	return register_pernet_subsys(&tcpsess_net_ops);
}

void tcpsess_pernet_uninit(void)
{
	unregister_pernet_subsys(&tcpsess_net_ops);
}
