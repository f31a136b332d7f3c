// SPDX-License-Identifier: GPL-2.0
/*
 * Race windows (see race.h): built only with TCPSESS_RACE_WINDOWS=1.
 *
 * race_window=POINT:US holds POINT open for US µs each time a CPU passes
 * it, and "none" closes it again; root may write it at any time, so a
 * test opens a window only around the race it stages. One point at a
 * time: a test stages one race at a time, and one word read whole never
 * pairs a point with another point's time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "race.h"

/* Long enough for any test, short of the soft lockup detector's 20 s. */
#define TCPSESS_RACE_US_MAX	5000000U
#define TCPSESS_RACE_US_BITS	24
#define TCPSESS_RACE_US_MASK	(BIT(TCPSESS_RACE_US_BITS) - 1)
static_assert(TCPSESS_RACE_US_MAX <= TCPSESS_RACE_US_MASK);

static const char *const tcpsess_race_names[__TCPSESS_RACE_MAX] = {
	[TCPSESS_RACE_NONE]	= "none",
	[TCPSESS_RACE_EVICT]	= "evict",
	[TCPSESS_RACE_NEW]	= "new",
};

/* The point above TCPSESS_RACE_US_BITS, its µs below. */
static u32 tcpsess_race;

static int tcpsess_race_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strcspn(val, ":\n");
	unsigned int point;
	u32 us = 0;

	for (point = 0; point < __TCPSESS_RACE_MAX; point++)
		if (strlen(tcpsess_race_names[point]) == len &&
		    !strncmp(val, tcpsess_race_names[point], len))
			break;
	if (point == __TCPSESS_RACE_MAX)
		goto invalid;
	/* "none" alone; an open point with its time. */
	if (val[len] == ':') {
		if (point == TCPSESS_RACE_NONE ||
		    kstrtou32(val + len + 1, 0, &us) || us > TCPSESS_RACE_US_MAX)
			goto invalid;
	} else if (point != TCPSESS_RACE_NONE) {
		goto invalid;
	}
	WRITE_ONCE(tcpsess_race, point << TCPSESS_RACE_US_BITS | us);
	return 0;

invalid:
	pr_err("race_window: '%s' is neither none nor evict:US or new:US, US up to %u\n",
	       val, TCPSESS_RACE_US_MAX);
	return -EINVAL;
}

static int tcpsess_race_get(char *buf, const struct kernel_param *kp)
{
	u32 race = READ_ONCE(tcpsess_race);
	unsigned int point = race >> TCPSESS_RACE_US_BITS;

	if (point == TCPSESS_RACE_NONE)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%s:%u\n", tcpsess_race_names[point],
			  (u32)(race & TCPSESS_RACE_US_MASK));
}

static const struct kernel_param_ops tcpsess_race_ops = {
	.set = tcpsess_race_set,
	.get = tcpsess_race_get,
};

module_param_cb(race_window, &tcpsess_race_ops, NULL, 0644);
MODULE_PARM_DESC(race_window,
		 "TEST BUILDS ONLY: none, or POINT:US to hold evict or new open for US µs");

/*
 * Busy-waits, since the points are in softirq or under a session lock,
 * in slices of a millisecond, as udelay() wants.
 */
void tcpsess_race_window(enum tcpsess_race_point point)
{
	u32 race = READ_ONCE(tcpsess_race);
	u32 us = race & TCPSESS_RACE_US_MASK;

	if (race >> TCPSESS_RACE_US_BITS != point)
		return;
	while (us) {
		u32 slice = min(us, 1000U);

		udelay(slice);
		us -= slice;
	}
}
