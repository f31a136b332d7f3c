// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsess: tracks every TCP session a host sees, per network namespace.
 */
#include <linux/module.h>

#include "budget.h"
#include "id.h"
#include "netlink.h"
#include "pernet.h"
#include "session.h"
#include "table.h"

static int __init tcpsess_init(void)
{
	int err;

	tcpsess_id_init();
	tcpsess_budget_init();
	err = tcpsess_session_cache_init();
	if (err)
		goto err_cache;
	tcpsess_table_init();
	/* From here on every namespace's segments reach the table. */
	err = tcpsess_pernet_init();
	if (err)
		goto err_pernet;
	/*
	 * Last, and first to go: a request must never find a namespace's
	 * state not yet made or already freed.
	 */
	err = tcpsess_netlink_init();
	if (err)
		goto err_netlink;
	return 0;

err_netlink:
	tcpsess_pernet_uninit();
err_pernet:
	tcpsess_session_cache_uninit();
err_cache:
	return err;
}

static void __exit tcpsess_exit(void)
{
	tcpsess_netlink_uninit();
	tcpsess_pernet_uninit();
	tcpsess_budget_uninit();
	tcpsess_session_cache_uninit();
}

module_init(tcpsess_init);
module_exit(tcpsess_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The tcpsess developers");
MODULE_DESCRIPTION("TCP session tracking with handshake and teardown validation");
