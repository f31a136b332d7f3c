// SPDX-License-Identifier: GPL-2.0
/*
 * The stats as Prometheus metrics: the text exposition format 0.0.4, as
 * `promtool check metrics` judges it. Names follow Prometheus' conventions
 * (counters end in _total, units are seconds and bytes), and what /proc
 * splits into one line per reason or state is one family with a label.
 * A total the labels already add up to (sessions_active, sessions_ended,
 * packets_invalid) is not repeated: sum() gives it.
 */
#include "metrics.h"
#include "util.h"

enum source {
	SRC_COUNTER,	/* one counter, unlabelled */
	SRC_STATES,	/* the state gauges, by state */
	SRC_ENDED,	/* the ended_<reason> counters, by reason */
	SRC_INVALID,	/* the invalid_<reason> counters, by reason */
	SRC_RTT,	/* the two handshake histograms, by leg */
};

static const struct family {
	const char *name;
	const char *type;
	enum source src;
	unsigned int stat;	/* SRC_COUNTER: enum tcpsess_stat */
	const char *help;
} families[] = {
	{ "tcpsess_sessions", "gauge", SRC_STATES, 0,
	  "Sessions tracked now, by state." },
	{ "tcpsess_sessions_limit", "gauge", SRC_COUNTER,
	  TCPSESS_STAT_SESSIONS_MAX,
	  "Most sessions tracked at once (max_sessions)." },
	{ "tcpsess_sessions_created_total", "counter", SRC_COUNTER,
	  TCPSESS_STAT_SESSIONS_CREATED, "Sessions created." },
	{ "tcpsess_sessions_ended_total", "counter", SRC_ENDED, 0,
	  "Sessions ended, by reason." },
	{ "tcpsess_packets_total", "counter", SRC_COUNTER,
	  TCPSESS_STAT_PACKETS_SEEN,
	  "TCP segments seen, invalid ones and fragments included." },
	{ "tcpsess_packets_invalid_total", "counter", SRC_INVALID, 0,
	  "Segments found invalid, by reason." },
	{ "tcpsess_fragments_ignored_total", "counter", SRC_COUNTER,
	  TCPSESS_STAT_FRAGMENTS_IGNORED,
	  "IP fragments that reached the tracker unreassembled, not tracked." },
	{ "tcpsess_table_full_total", "counter", SRC_COUNTER,
	  TCPSESS_STAT_TABLE_FULL,
	  "Sessions not tracked because the table was full." },
	{ "tcpsess_events_sent_total", "counter", SRC_COUNTER,
	  TCPSESS_STAT_EVENTS_SENT, "Session events sent to listeners." },
	{ "tcpsess_events_suppressed_total", "counter", SRC_COUNTER,
	  TCPSESS_STAT_EVENTS_SUPPRESSED,
	  "Session events not sent: over event_rate." },
	{ "tcpsess_memory_bytes", "gauge", SRC_COUNTER,
	  TCPSESS_STAT_MEMORY_BYTES,
	  "Kernel memory the tracker holds for this namespace." },
	{ "tcpsess_handshake_rtt_seconds", "histogram", SRC_RTT, 0,
	  "Handshake RTTs: leg syn is SYN to SYN-ACK, ack SYN-ACK to the third ACK." },
};

static const char *const leg_names[] = {
	[TS_RTT_SYN] = "syn",
	[TS_RTT_ACK] = "ack",
};

static const u32 rtt_bounds_us[] = TCPSESS_RTT_BOUNDS_US;

static_assert(ARRAY_SIZE(rtt_bounds_us) == TCPSESS_RTT_BUCKETS,
	      "one bound per bucket");

/* Room for any u64 in decimal with its NUL, and so for any label value. */
#define VALUE_LEN	32

/*
 * us microseconds as decimal seconds, exactly and in one spelling for
 * every bound: "0.00005", "2.5", "5". Floating point would round a
 * large sum and spell small bounds "5e-05".
 */
static void format_seconds(char *buf, size_t len, u64 us)
{
	unsigned int frac = us % 1000000, digits = 6;
	int n;

	n = snprintf(buf, len, "%llu", (unsigned long long)(us / 1000000));
	if (!frac || n < 0 || (size_t)n >= len)
		return;
	while (!(frac % 10)) {
		frac /= 10;
		digits--;
	}
	snprintf(buf + n, len - n, ".%0*u", (int)digits, frac);
}

static void escape(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && quote)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

void ts_metrics_family(FILE *f, const char *name, const char *type,
		       const char *help)
{
	fprintf(f, "# HELP %s ", name);
	escape(f, help, false);
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

void ts_metrics_label_value(FILE *f, const char *value)
{
	fputc('"', f);
	escape(f, value, true);
	fputc('"', f);
}

struct label {
	const char *name;
	const char *value;
};

/* name+suffix{labels} value */
static void sample(FILE *f, const char *name, const char *suffix,
		   const struct label *labels, unsigned int nlabels,
		   const char *value)
{
	unsigned int i;

	fprintf(f, "%s%s", name, suffix);
	for (i = 0; i < nlabels; i++) {
		fprintf(f, "%c%s=", i ? ',' : '{', labels[i].name);
		ts_metrics_label_value(f, labels[i].value);
	}
	fprintf(f, "%s %s\n", nlabels ? "}" : "", value);
}

static void sample_u64(FILE *f, const char *name, const char *label,
		       const char *label_value, u64 value)
{
	struct label l = { label, label_value };
	char buf[VALUE_LEN];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)value);
	sample(f, name, "", &l, label ? 1 : 0, buf);
}

static bool rtt_complete(const struct ts_stats *st, unsigned int leg)
{
	u64 all = TS_BIT(TCPSESS_RTT_HIST_COUNT) | TS_BIT(TCPSESS_RTT_HIST_SUM_US);
	unsigned int i;

	for (i = 0; i < TCPSESS_RTT_BUCKETS; i++)
		all |= TS_BIT(TCPSESS_RTT_HIST_LE + i);
	return (st->has_rtt[leg] & all) == all;
}

/* Buckets in ascending order, +Inf, _sum, _count: as client libraries do. */
static void rtt_leg(FILE *f, const char *name, const struct ts_stats *st,
		    unsigned int leg)
{
	const u64 *h = st->rtt[leg];
	struct label l[] = { { "leg", leg_names[leg] }, { "le", NULL } };
	char le[VALUE_LEN], value[VALUE_LEN];
	unsigned int i;

	l[1].value = le;
	for (i = 0; i < TCPSESS_RTT_BUCKETS; i++) {
		format_seconds(le, sizeof(le), rtt_bounds_us[i]);
		snprintf(value, sizeof(value), "%llu",
			 (unsigned long long)h[TCPSESS_RTT_HIST_LE + i]);
		sample(f, name, "_bucket", l, 2, value);
	}
	snprintf(value, sizeof(value), "%llu",
		 (unsigned long long)h[TCPSESS_RTT_HIST_COUNT]);
	l[1].value = "+Inf";
	sample(f, name, "_bucket", l, 2, value);
	format_seconds(le, sizeof(le), h[TCPSESS_RTT_HIST_SUM_US]);
	sample(f, name, "_sum", l, 1, le);
	sample(f, name, "_count", l, 1, value);
}

/* The counter behind an end reason: ended_fin ... ended_reused. */
static unsigned int ended_stat(unsigned int reason)
{
	return TCPSESS_STAT_ENDED_FIN + reason - TCPSESS_END_FIN;
}

static_assert(TCPSESS_STAT_ENDED_REUSED - TCPSESS_STAT_ENDED_FIN ==
	      TCPSESS_END_REUSED - TCPSESS_END_FIN, "an end counter per reason");

/* Whether the kernel reported anything of the family. */
static bool family_present(const struct family *fam, const struct ts_stats *st)
{
	u64 ended = 0;
	unsigned int r;

	switch (fam->src) {
	case SRC_COUNTER:
		return st->has_counter & TS_BIT(fam->stat);
	case SRC_STATES:
		return st->has_state & ~TS_BIT(TCPSESS_STATE_NONE);
	case SRC_ENDED:
		for (r = TCPSESS_END_FIN; r <= TCPSESS_END_REUSED; r++)
			ended |= TS_BIT(ended_stat(r));
		return st->has_counter & ended;
	case SRC_INVALID:
		return st->has_invalid & ~TS_BIT(TCPSESS_INVALID_NONE);
	case SRC_RTT:
		return rtt_complete(st, TS_RTT_SYN) ||
		       rtt_complete(st, TS_RTT_ACK);
	}
	return false;
}

static void family_samples(FILE *f, const struct family *fam,
			   const struct ts_stats *st)
{
	char lower[TCPSESS_NAME_LEN];
	unsigned int i;

	switch (fam->src) {
	case SRC_COUNTER:
		sample_u64(f, fam->name, NULL, NULL, st->counter[fam->stat]);
		break;
	case SRC_STATES:
		for (i = TCPSESS_STATE_NONE + 1; i < __TCPSESS_STATE_MAX; i++) {
			if (!(st->has_state & TS_BIT(i)))
				continue;
			tcpsess_state_name_lower(i, lower);
			sample_u64(f, fam->name, "state", lower, st->state[i]);
		}
		break;
	case SRC_ENDED:
		for (i = TCPSESS_END_FIN; i <= TCPSESS_END_REUSED; i++) {
			if (!(st->has_counter & TS_BIT(ended_stat(i))))
				continue;
			ts_strcase(lower, sizeof(lower),
				   tcpsess_end_reason_name(i), false);
			sample_u64(f, fam->name, "reason", lower,
				   st->counter[ended_stat(i)]);
		}
		break;
	case SRC_INVALID:
		for (i = TCPSESS_INVALID_NONE + 1; i < __TCPSESS_INVALID_MAX; i++)
			if (st->has_invalid & TS_BIT(i))
				sample_u64(f, fam->name, "reason",
					   tcpsess_invalid_reason_name(i),
					   st->invalid[i]);
		break;
	case SRC_RTT:
		for (i = 0; i < ARRAY_SIZE(leg_names); i++)
			if (rtt_complete(st, i))
				rtt_leg(f, fam->name, st, i);
		break;
	}
}

void ts_metrics_write(FILE *f, const struct ts_stats *st)
{
	const struct family *fam;

	for (fam = families; fam < families + ARRAY_SIZE(families); fam++) {
		if (!family_present(fam, st))
			continue;
		ts_metrics_family(f, fam->name, fam->type, fam->help);
		family_samples(f, fam, st);
	}
}
