/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the test tools (tcpcraft, tcppeer) share: the exit status of a bad
 * command line and how they refuse one, and a sleep that signals do not
 * cut short.
 */
#ifndef _TCPSESS_TOOL_H
#define _TCPSESS_TOOL_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kselftest.h"	/* for __printf and __noreturn */

#define EXIT_USAGE	2

/* The tool's name, for its messages; each tool defines it. */
extern const char *prog;

static inline void __noreturn __printf(1, 2) usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", prog);
	exit(EXIT_USAGE);
}

static inline void sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

#endif /* _TCPSESS_TOOL_H */
