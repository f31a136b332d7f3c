// SPDX-License-Identifier: GPL-2.0
/*
 * Throwaway module for testing the VM harness: loading it fires a WARN, which
 * a correct harness must turn into a failed run. Never part of tcpsess.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init tcpsess_harness_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit tcpsess_harness_warn_exit(void)
{
}

module_init(tcpsess_harness_warn_init);
module_exit(tcpsess_harness_warn_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Fires a WARN on load to prove the tcpsess VM harness catches it");
