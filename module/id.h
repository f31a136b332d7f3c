/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_ID_H
#define _TCPSESS_ID_H

#include <linux/types.h>

void tcpsess_id_init(void);
u64 tcpsess_id_next(void);
u64 tcpsess_id_born_us(u64 id);
unsigned int tcpsess_id_cpu(u64 id);
u64 tcpsess_now_us(void);

#endif /* _TCPSESS_ID_H */
