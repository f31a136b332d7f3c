// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "names.h"
#include "params.h"

struct tcpsess_config tcpsess_default_config = {
	.max_sessions = 262144,
	.timeout = {
		[TCPSESS_STATE_SYN_SENT]	= 120,
		[TCPSESS_STATE_SYN_RECV]	= 60,
		[TCPSESS_STATE_ESTABLISHED]	= 432000,
		[TCPSESS_STATE_FIN_WAIT_1]	= 120,
		[TCPSESS_STATE_FIN_WAIT_2]	= 60,
		[TCPSESS_STATE_CLOSING]		= 120,
		[TCPSESS_STATE_LAST_ACK]	= 30,
		[TCPSESS_STATE_TIME_WAIT]	= 120,
		[TCPSESS_STATE_CLOSED]		= 10,
	},
	.event_rate = 10000,
	.timeout_pickup = 300,
	.report_interval = 0,
	.mode = TCPSESS_MODE_MONITOR,
	.pickup = 1,
};

/*
 * The parameters are read-only once loaded: they are the defaults a new
 * namespace copies, and rejecting a bad value here makes insmod fail loudly
 * instead of tracking with a setting nobody asked for.
 */
struct tcpsess_uint_param {
	u32 *value;
	u32 min;
	u32 max;
};

static int tcpsess_uint_param_set(const char *val, const struct kernel_param *kp)
{
	const struct tcpsess_uint_param *param = kp->arg;
	u32 v;
	int err;

	err = kstrtou32(val, 0, &v);
	if (err) {
		pr_err("%s: '%s' is not a number\n", kp->name, val);
		return err;
	}
	if (v < param->min || v > param->max) {
		pr_err("%s=%u is outside %u..%u\n", kp->name, v, param->min,
		       param->max);
		return -ERANGE;
	}
	*param->value = v;
	return 0;
}

static int tcpsess_uint_param_get(char *buf, const struct kernel_param *kp)
{
	const struct tcpsess_uint_param *param = kp->arg;

	return sysfs_emit(buf, "%u\n", *param->value);
}

static const struct kernel_param_ops tcpsess_uint_param_ops = {
	.set = tcpsess_uint_param_set,
	.get = tcpsess_uint_param_get,
};

#define TCPSESS_UINT_PARAM(name, field, lo, hi)				\
	static struct tcpsess_uint_param tcpsess_param_##name = {	\
		.value = &tcpsess_default_config.field,			\
		.min = (lo),						\
		.max = (hi),						\
	};								\
	module_param_cb(name, &tcpsess_uint_param_ops,			\
			&tcpsess_param_##name, 0444)

#define TCPSESS_TIMEOUT_PARAM(name, state)				\
	TCPSESS_UINT_PARAM(timeout_##name, timeout[TCPSESS_STATE_##state], \
			   1, TCPSESS_TIMEOUT_LIMIT);			\
	MODULE_PARM_DESC(timeout_##name,				\
			 "idle timeout in " #state ", seconds (1-1728000)")

unsigned int tcpsess_hashsize;

static struct tcpsess_uint_param tcpsess_param_hashsize = {
	.value = &tcpsess_hashsize,
	.min = 0,
	.max = TCPSESS_HASHSIZE_LIMIT,
};
module_param_cb(hashsize, &tcpsess_uint_param_ops, &tcpsess_param_hashsize, 0444);
MODULE_PARM_DESC(hashsize,
		 "most buckets a namespace's session table grows to, rounded up to a power of two; 0 = 16777216 (0-16777216)");

TCPSESS_UINT_PARAM(max_sessions, max_sessions, 1, TCPSESS_MAX_SESSIONS_LIMIT);
MODULE_PARM_DESC(max_sessions, "sessions per namespace (1-16777216)");

unsigned int tcpsess_max_sessions_total;

static struct tcpsess_uint_param tcpsess_param_max_sessions_total = {
	.value = &tcpsess_max_sessions_total,
	.min = 0,
	.max = TCPSESS_MAX_SESSIONS_TOTAL_LIMIT,
};
module_param_cb(max_sessions_total, &tcpsess_uint_param_ops,
		&tcpsess_param_max_sessions_total, 0444);
MODULE_PARM_DESC(max_sessions_total,
		 "sessions of all namespaces together; 0 = RAM / 16 / 176 bytes (an IPv6 session), within 16384-1073741824 (0-1073741824)");

TCPSESS_TIMEOUT_PARAM(syn_sent, SYN_SENT);
TCPSESS_TIMEOUT_PARAM(syn_recv, SYN_RECV);
TCPSESS_TIMEOUT_PARAM(established, ESTABLISHED);
TCPSESS_TIMEOUT_PARAM(fin_wait_1, FIN_WAIT_1);
TCPSESS_TIMEOUT_PARAM(fin_wait_2, FIN_WAIT_2);
TCPSESS_TIMEOUT_PARAM(closing, CLOSING);
TCPSESS_TIMEOUT_PARAM(last_ack, LAST_ACK);
TCPSESS_TIMEOUT_PARAM(time_wait, TIME_WAIT);
TCPSESS_TIMEOUT_PARAM(closed, CLOSED);

TCPSESS_UINT_PARAM(timeout_pickup, timeout_pickup, 1, TCPSESS_TIMEOUT_LIMIT);
MODULE_PARM_DESC(timeout_pickup,
		 "idle timeout of a session picked up mid-stream until the other side confirms it, seconds (1-1728000)");

TCPSESS_UINT_PARAM(pickup, pickup, 0, 1);
MODULE_PARM_DESC(pickup, "track sessions first seen mid-stream (0-1)");

TCPSESS_UINT_PARAM(event_rate, event_rate, 0, TCPSESS_EVENT_RATE_LIMIT);
MODULE_PARM_DESC(event_rate,
		 "events per second per namespace, 0 = unlimited (0-10000000)");

TCPSESS_UINT_PARAM(report_interval, report_interval, 0,
		   TCPSESS_REPORT_INTERVAL_LIMIT);
MODULE_PARM_DESC(report_interval,
		 "seconds between UPDATE events of a live session, 0 = none (0-86400)");

static int tcpsess_mode_param_set(const char *val, const struct kernel_param *kp)
{
	unsigned int mode;

	for (mode = 0; mode <= TCPSESS_MODE_MAX; mode++) {
		if (sysfs_streq(val, tcpsess_mode_name(mode))) {
			tcpsess_default_config.mode = mode;
			return 0;
		}
	}
	pr_err("mode: '%s' is neither monitor nor enforce\n", val);
	return -EINVAL;
}

static int tcpsess_mode_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  tcpsess_mode_name(tcpsess_default_config.mode));
}

static const struct kernel_param_ops tcpsess_mode_param_ops = {
	.set = tcpsess_mode_param_set,
	.get = tcpsess_mode_param_get,
};

module_param_cb(mode, &tcpsess_mode_param_ops, NULL, 0444);
MODULE_PARM_DESC(mode, "monitor (never drop) or enforce (drop invalid)");
