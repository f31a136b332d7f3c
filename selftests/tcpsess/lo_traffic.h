/* SPDX-License-Identifier: GPL-2.0 */
/* Real TCP over loopback in the caller's namespace, until stopped (lo_traffic.c). */
#ifndef _TCPSESS_LO_TRAFFIC_H
#define _TCPSESS_LO_TRAFFIC_H

#include <sys/types.h>

#include "portable.h"

/*
 * Brings lo up and forks a child that opens, uses and closes connections
 * to 127.0.0.1 (and ::1 where there is IPv6) in every way a session can
 * end, and keeps a few dozen long ones busy. Returns the child's pid, or a
 * negative errno; *port is the IPv4 listener's port.
 */
pid_t lo_traffic_start(u16 *port);

/* Stops the child; 0 if it was still running, as it should have been. */
int lo_traffic_stop(pid_t pid);

#endif /* _TCPSESS_LO_TRAFFIC_H */
