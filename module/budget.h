/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_BUDGET_H
#define _TCPSESS_BUDGET_H

#include <linux/types.h>

struct tcpsess_net;

void tcpsess_budget_init(void);
void tcpsess_budget_uninit(void);
bool tcpsess_budget_take(struct tcpsess_net *tn);
void tcpsess_budget_give_back(struct tcpsess_net *tn);

#endif /* _TCPSESS_BUDGET_H */
