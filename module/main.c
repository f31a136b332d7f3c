// SPDX-License-Identifier: GPL-2.0
/*
 * tcpsess: tracks every TCP session a host sees, per network namespace.
 */
#include <linux/module.h>

#include "pernet.h"

static int __init tcpsess_init(void)
{
	int err;

	err = tcpsess_pernet_init();
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	return err;
}

static void __exit tcpsess_exit(void)
{
	tcpsess_pernet_uninit();
}

module_init(tcpsess_init);
module_exit(tcpsess_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The tcpsess developers");
MODULE_DESCRIPTION("TCP session tracking with handshake and teardown validation");
