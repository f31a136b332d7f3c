/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESS_GC_H
#define _TCPSESS_GC_H

void tcpsess_gc_init(void);
void tcpsess_gc_uninit(void);

#endif /* _TCPSESS_GC_H */
