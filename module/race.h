/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Race windows, for tests only. Two CPUs once raced at each point below,
 * in a window of a few instructions that a test could hit only by luck.
 * A module built with TCPSESS_RACE_WINDOWS=1 (see Kbuild) can hold one
 * point open for a given time (the race_window parameter, race.c), so a
 * selftest can put the other CPU's segment into it every time, and fail
 * every time on the code that had the race. Any other build has no
 * parameter, and each window is an empty inline.
 */
#ifndef _TCPSESS_RACE_H
#define _TCPSESS_RACE_H

enum tcpsess_race_point {
	TCPSESS_RACE_NONE,
	/* The evictor has chosen its victim and not yet ended it. */
	TCPSESS_RACE_EVICT,
	/* A new session is in the table and its NEW not yet sent. */
	TCPSESS_RACE_NEW,
	__TCPSESS_RACE_MAX,
};

#ifdef TCPSESS_RACE_WINDOWS
void tcpsess_race_window(enum tcpsess_race_point point);
#else
static inline void tcpsess_race_window(enum tcpsess_race_point point)
{
}
#endif

#endif /* _TCPSESS_RACE_H */
