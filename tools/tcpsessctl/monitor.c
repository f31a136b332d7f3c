// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's bookkeeping. The kernel numbers the events it sends, one
 * sequence per namespace, so a gap is loss; a filtered event still counts.
 *
 * Two things keep a gap from being read at once. Events are numbered and
 * multicast on whichever CPU saw the segment, so two may swap places on
 * the way: a missing number gets TS_REORDER_MS to turn up. And ENOBUFS is
 * reported at the next recv(), before the events queued ahead of the one
 * dropped, so an overrun waits for the gap it caused; once it has been
 * seen, though, a gap is loss without waiting.
 */
#include <errno.h>
#include <string.h>

#include "filter.h"
#include "monitor.h"
#include "output.h"

static void report_loss(FILE *err, u64 lost, bool overrun)
{
	const char *why = overrun ? " (receive buffer overrun)" : "";

	if (lost)
		fprintf(err, "%s: lost %llu events%s\n", TS_PROG,
			(unsigned long long)lost, why);
	else
		fprintf(err, "%s: lost events%s\n", TS_PROG, why);
	fflush(err);
}

void ts_monitor_overrun(struct ts_monitor *m)
{
	m->overrun = true;
}

static bool seen(const struct ts_monitor *m, u64 seq)
{
	unsigned int bit = seq % TS_SEQ_WINDOW;

	return m->seen[bit / TS_SEQ_WORD_BITS] & (1UL << (bit % TS_SEQ_WORD_BITS));
}

static void mark(struct ts_monitor *m, u64 seq, bool on)
{
	unsigned int bit = seq % TS_SEQ_WINDOW;
	unsigned long mask = 1UL << (bit % TS_SEQ_WORD_BITS);

	if (on)
		m->seen[bit / TS_SEQ_WORD_BITS] |= mask;
	else
		m->seen[bit / TS_SEQ_WORD_BITS] &= ~mask;
}

/* Gives up waiting for what is missing below end; returns how many. */
static u64 settle(struct ts_monitor *m, u64 end)
{
	u64 lost = 0;

	for (; m->next_seq < end && m->next_seq <= m->max_seq; m->next_seq++) {
		if (!seen(m, m->next_seq))
			lost++;
		mark(m, m->next_seq, false);
	}
	if (m->next_seq < end) {
		lost += end - m->next_seq;
		m->next_seq = end;
	}
	m->hole = false;
	return lost;
}

static void restart(struct ts_monitor *m, u64 seq)
{
	memset(m->seen, 0, sizeof(m->seen));
	m->have_seq = true;
	m->hole = false;
	m->next_seq = seq + 1;
	m->max_seq = seq;
}

void ts_monitor_account(struct ts_monitor *m, const struct ts_event *ev,
			u64 now_ms, FILE *err)
{
	u64 seq = ev->seq, lost = 0;

	if (!ts_event_has(ev, TCPSESS_A_EVENT_SEQ))
		return;
	if (!m->have_seq) {
		restart(m, seq);
		return;
	}
	if (seq < m->next_seq) {
		/* Far back is a module reloaded; near, one given up on. */
		if (m->next_seq - seq > TS_SEQ_WINDOW)
			restart(m, seq);
		return;
	}
	/* Further ahead than any reordering: all before it are lost. */
	if (seq - m->next_seq >= TS_SEQ_WINDOW)
		lost += settle(m, seq);
	mark(m, seq, true);
	if (seq > m->max_seq)
		m->max_seq = seq;
	while (m->next_seq <= m->max_seq && seen(m, m->next_seq)) {
		mark(m, m->next_seq++, false);
		m->hole = false;
	}
	if (m->next_seq <= m->max_seq) {
		if (!m->hole) {
			m->hole = true;
			m->hole_since_ms = now_ms;
		}
		if (m->overrun || now_ms - m->hole_since_ms >= TS_REORDER_MS)
			lost += settle(m, m->max_seq + 1);
	}
	if (lost) {
		m->lost += lost;
		report_loss(err, lost, m->overrun);
		m->overrun = false;
	}
}

int ts_monitor_event(struct ts_monitor *m, const struct ts_event *ev,
		     u64 now_ms, FILE *out, FILE *err)
{
	ts_monitor_account(m, ev, now_ms, err);
	if (!ts_filter_empty(m->filter) &&
	    (!ts_event_has(ev, TCPSESS_A_SESSION) ||
	     !ts_filter_match(m->filter, &ev->s)))
		return 0;
	if (m->zeek) {
		if (!ts_print_zeek_conn(out, m->zeek, ev, m->zeek->wall_us()))
			return 0;
	} else if (m->json) {
		ts_print_event_json(out, ev);
	} else {
		ts_print_event_text(out, ev);
	}
	/* Whoever reads the pipe sees each event as it happens. */
	if (fflush(out) == EOF)
		return errno ? -errno : -EIO;
	return ++m->printed == m->count;
}

/* Events lost before the first one read leave no gap to count. */
void ts_monitor_finish(struct ts_monitor *m, FILE *err)
{
	u64 lost = 0;

	if (m->have_seq && m->next_seq <= m->max_seq)
		lost = settle(m, m->max_seq + 1);
	m->lost += lost;
	if (lost || m->overrun)
		report_loss(err, lost, m->overrun);
	m->overrun = false;
}
