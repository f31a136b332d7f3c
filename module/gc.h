/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_GC_H
#define _TCPSESS_GC_H

#include <linux/types.h>

void tcpsess_gc_init(void);
void tcpsess_gc_uninit(void);
void tcpsess_gc_expect(u32 deadline);

#endif /* _TCPSESS_GC_H */
