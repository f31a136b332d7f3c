/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TCPSESSCTL_EXPORT_H
#define _TCPSESSCTL_EXPORT_H

#include "nl.h"

/* What "tcpsessctl export" was asked to do. */
struct ts_export_opts {
	const char *host;	/* the collector */
	const char *port;
	bool tcp;		/* else UDP */
	u32 active_timeout;	/* seconds; 0: final records only */
	u32 domain;		/* observation domain id */
	u32 rcvbuf;		/* the event socket's; 0: a default */
};

/*
 * Sets the namespace's report_interval, the active timeout. Returns 0 or
 * a negative errno, with the kernel's reasons in nl->error.
 */
int ts_export_set_interval(struct ts_nl *nl, u32 seconds);

/*
 * Exports the events of nl, which has joined the events group, until
 * sigfd is readable; then sends what is pending and the final options
 * record. Returns the exit status.
 */
int ts_export_run(struct ts_nl *nl, const struct ts_export_opts *o,
		  int sigfd);

#endif /* _TCPSESSCTL_EXPORT_H */
