// SPDX-License-Identifier: GPL-2.0
/*
 * The monitor's bookkeeping: losses counted from sequence gaps and told
 * on stderr, filters, --count, and one flushed line per event.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "filter.h"
#include "monitor.h"

FIXTURE(mon) {
	struct ts_filter filter;
	struct ts_monitor m;
	char *out_text, *err_text;
	size_t out_len, err_len;
	FILE *out, *err;
};

FIXTURE_SETUP(mon)
{
	memset(&self->filter, 0, sizeof(self->filter));
	memset(&self->m, 0, sizeof(self->m));
	self->m.filter = &self->filter;
	self->out = open_memstream(&self->out_text, &self->out_len);
	self->err = open_memstream(&self->err_text, &self->err_len);
	ASSERT_NE(NULL, self->out);
	ASSERT_NE(NULL, self->err);
}

FIXTURE_TEARDOWN(mon)
{
	fclose(self->out);
	fclose(self->err);
	free(self->out_text);
	free(self->err_text);
}

/* A NEW event of session id, port dport, with sequence number seq. */
static struct ts_event new_event(u64 seq, u64 id, u16 dport)
{
	struct ts_event ev = { 0 };

	ev.present = TS_BIT(TCPSESS_A_EVENT) | TS_BIT(TCPSESS_A_EVENT_SEQ) |
		     TS_BIT(TCPSESS_A_SESSION);
	ev.type = TCPSESS_EVENT_NEW;
	ev.seq = seq;
	ev.s.present = TS_BIT(TCPSESS_SESSION_ID) |
		       TS_BIT(TCPSESS_SESSION_FAMILY) |
		       TS_BIT(TCPSESS_SESSION_SRC_ADDR) |
		       TS_BIT(TCPSESS_SESSION_SRC_PORT) |
		       TS_BIT(TCPSESS_SESSION_DST_ADDR) |
		       TS_BIT(TCPSESS_SESSION_DST_PORT) |
		       TS_BIT(TCPSESS_SESSION_STATE);
	ev.s.id = id;
	ev.s.family = 4;
	inet_pton(AF_INET, "10.0.0.1", ev.s.src);
	inet_pton(AF_INET, "10.0.0.2", ev.s.dst);
	ev.s.sport = 40000;
	ev.s.dport = dport;
	ev.s.state = TCPSESS_STATE_SYN_SENT;
	return ev;
}

/* An event read at time now (ms). */
static int feed_at(struct ts_monitor *m, u64 now, u64 seq, u64 id, u16 dport,
		   FILE *out, FILE *err)
{
	struct ts_event ev = new_event(seq, id, dport);

	return ts_monitor_event(m, &ev, now, out, err);
}

#define feed(m, seq, id, dport, out, err) \
	feed_at(m, 0, seq, id, dport, out, err)

/* What has been reported on stderr so far. */
static const char *errors(FILE *err, char *const *text)
{
	fflush(err);
	return *text ? *text : "";
}

TEST_F(mon, each_event_a_flushed_line)
{
	ASSERT_EQ(0, feed(&self->m, 1, 17, 80, self->out, self->err));
	/* Flushed: already in the buffer without an fflush() of ours. */
	ASSERT_STREQ("NEW 17 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT\n",
		     self->out_text);
	ASSERT_EQ(0, feed(&self->m, 2, 18, 80, self->out, self->err));
	ASSERT_EQ(2, self->m.printed);
	ASSERT_STREQ("NEW 17 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT\n"
		     "NEW 18 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT\n",
		     self->out_text);
	ts_monitor_finish(&self->m, self->err);
	fflush(self->err);
	ASSERT_EQ(0, self->err_len);
}

TEST_F(mon, json_lines)
{
	static const char want[] = "{\"event\":\"NEW\",\"seq\":7,\"id\":17,";

	self->m.json = true;
	ASSERT_EQ(0, feed(&self->m, 7, 17, 80, self->out, self->err));
	ASSERT_EQ(0, strncmp(self->out_text, want, strlen(want)));
	ASSERT_EQ('\n', self->out_text[self->out_len - 1]);
	ASSERT_NE(NULL, strstr(self->out_text,
			       ",\"community_id\":\"1:3k1SoWXs/FltHw2aBCgUTgbDQF4=\""));
	/* Text output keeps the /proc-like fields, nothing more. */
	self->m.json = false;
	ASSERT_EQ(0, feed(&self->m, 8, 17, 80, self->out, self->err));
	ASSERT_STREQ("NEW 17 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT\n",
		     strchr(self->out_text, '\n') + 1);
}

TEST_F(mon, overrun_counted_from_the_gap)
{
	ASSERT_EQ(0, feed(&self->m, 10, 1, 80, self->out, self->err));
	ts_monitor_overrun(&self->m);
	ASSERT_EQ(0, feed(&self->m, 17, 2, 80, self->out, self->err));
	fflush(self->err);
	ASSERT_STREQ("tcpsessctl: lost 6 events (receive buffer overrun)\n",
		     self->err_text);
	/* Reported once; the events go on. */
	ASSERT_EQ(0, feed(&self->m, 18, 3, 80, self->out, self->err));
	fflush(self->err);
	ASSERT_STREQ("tcpsessctl: lost 6 events (receive buffer overrun)\n",
		     self->err_text);
	ASSERT_EQ(3, self->m.printed);
	/* The exporter reports the count. */
	ASSERT_EQ(6, self->m.lost);
}

/* ENOBUFS comes before the events queued ahead of the dropped one. */
TEST_F(mon, overrun_reported_before_older_events)
{
	ASSERT_EQ(0, feed(&self->m, 1, 1, 80, self->out, self->err));
	ts_monitor_overrun(&self->m);
	ASSERT_EQ(0, feed(&self->m, 2, 2, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 3, 3, 80, self->out, self->err));
	fflush(self->err);
	ASSERT_EQ(0, self->err_len);
	ASSERT_EQ(0, feed(&self->m, 5, 4, 80, self->out, self->err));
	ts_monitor_finish(&self->m, self->err);
	fflush(self->err);
	ASSERT_STREQ("tcpsessctl: lost 1 events (receive buffer overrun)\n",
		     self->err_text);
}

/* Lost before the first event read: no gap, no count, still said. */
TEST_F(mon, overrun_with_nothing_to_count_from)
{
	ts_monitor_overrun(&self->m);
	ASSERT_EQ(0, feed(&self->m, 100, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 101, 2, 80, self->out, self->err));
	fflush(self->err);
	ASSERT_EQ(0, self->err_len);
	ts_monitor_finish(&self->m, self->err);
	fflush(self->err);
	ASSERT_STREQ("tcpsessctl: lost events (receive buffer overrun)\n",
		     self->err_text);
}

TEST_F(mon, overrun_at_the_end)
{
	ASSERT_EQ(0, feed(&self->m, 1, 1, 80, self->out, self->err));
	ts_monitor_overrun(&self->m);
	ts_monitor_finish(&self->m, self->err);
	fflush(self->err);
	ASSERT_STREQ("tcpsessctl: lost events (receive buffer overrun)\n",
		     self->err_text);
}

/* A gap is loss even without ENOBUFS, once it has had time to fill. */
TEST_F(mon, gap_without_overrun)
{
	ASSERT_EQ(0, feed_at(&self->m, 1000, 1, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed_at(&self->m, 1000, 3, 2, 80, self->out, self->err));
	ASSERT_EQ(0, feed_at(&self->m, 1099, 4, 3, 80, self->out, self->err));
	ASSERT_STREQ("", errors(self->err, &self->err_text));
	ASSERT_EQ(0, feed_at(&self->m, 1100, 5, 4, 80, self->out, self->err));
	ASSERT_STREQ("tcpsessctl: lost 1 events\n",
		     errors(self->err, &self->err_text));
	/* Turning up after all changes nothing. */
	ASSERT_EQ(0, feed_at(&self->m, 1200, 2, 5, 80, self->out, self->err));
	ASSERT_EQ(0, feed_at(&self->m, 1300, 6, 6, 80, self->out, self->err));
	ts_monitor_finish(&self->m, self->err);
	ASSERT_STREQ("tcpsessctl: lost 1 events\n",
		     errors(self->err, &self->err_text));
	ASSERT_EQ(6, self->m.printed);
}

/* Events sent on different CPUs may swap places: that is no loss. */
TEST_F(mon, reordered_events_are_not_lost)
{
	static const u64 order[] = { 1, 3, 2, 6, 4, 5, 7, 9, 8 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++)
		ASSERT_EQ(0, feed_at(&self->m, i * 10, order[i], i, 80,
				     self->out, self->err));
	ts_monitor_finish(&self->m, self->err);
	ASSERT_STREQ("", errors(self->err, &self->err_text));
	ASSERT_EQ(ARRAY_SIZE(order), self->m.printed);
}

TEST_F(mon, gap_still_open_at_the_end)
{
	ASSERT_EQ(0, feed(&self->m, 1, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 4, 2, 80, self->out, self->err));
	ASSERT_STREQ("", errors(self->err, &self->err_text));
	ts_monitor_finish(&self->m, self->err);
	ASSERT_STREQ("tcpsessctl: lost 2 events\n",
		     errors(self->err, &self->err_text));
}

TEST_F(mon, far_ahead_is_loss_at_once)
{
	ASSERT_EQ(0, feed(&self->m, 1, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 10001, 2, 80, self->out, self->err));
	ASSERT_STREQ("tcpsessctl: lost 9999 events\n",
		     errors(self->err, &self->err_text));
	ASSERT_EQ(0, feed(&self->m, 10002, 3, 80, self->out, self->err));
	ts_monitor_finish(&self->m, self->err);
	ASSERT_STREQ("tcpsessctl: lost 9999 events\n",
		     errors(self->err, &self->err_text));
}

/* Many losses and reorderings: what is reported adds up. */
TEST_F(mon, losses_add_up)
{
	u64 seq, now = 0, sent = 0, got = 0, lost = 0;
	char *line;
	u32 rnd = 7;

	for (seq = 1; seq <= 100000; seq++) {
		rnd = rnd * 1103515245 + 12345;
		sent++;
		if ((rnd >> 16) % 10 == 0)
			continue;	/* dropped */
		if ((rnd >> 16) % 10 == 1)
			ts_monitor_overrun(&self->m);
		now += (rnd >> 8) % 3;
		ASSERT_EQ(0, feed_at(&self->m, now, seq, seq, 80, self->out,
				     self->err));
		got++;
	}
	/* The last one arrives, so that no loss is after the last seen. */
	ASSERT_EQ(0, feed_at(&self->m, now, seq, seq, 80, self->out,
			     self->err));
	got++;
	sent++;
	ts_monitor_finish(&self->m, self->err);
	fflush(self->err);
	for (line = self->err_text; line && *line; line = strchr(line, '\n') + 1)
		lost += strtoull(line + strlen("tcpsessctl: lost "), NULL, 10);
	ASSERT_EQ(sent, got + lost);
}

TEST_F(mon, sequence_restarting_is_no_loss)
{
	ASSERT_EQ(0, feed(&self->m, 100000, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 1, 2, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 2, 3, 80, self->out, self->err));
	ts_monitor_finish(&self->m, self->err);
	ASSERT_STREQ("", errors(self->err, &self->err_text));
}

TEST_F(mon, filtered_events_still_count_for_the_sequence)
{
	char err[128];

	ASSERT_EQ(0, ts_filter_set(&self->filter, TS_FILTER_PORT, "443", err,
				   sizeof(err)));
	ASSERT_EQ(0, feed(&self->m, 1, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 2, 2, 443, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 3, 3, 80, self->out, self->err));
	ASSERT_EQ(1, self->m.printed);
	fflush(self->err);
	ASSERT_EQ(0, self->err_len);
	ASSERT_STREQ("NEW 2 10.0.0.1:40000 -> 10.0.0.2:443 SYN_SENT\n",
		     self->out_text);
}

TEST_F(mon, filters_need_a_session)
{
	struct ts_event ev = new_event(1, 1, 80);
	char err[128];

	ASSERT_EQ(0, ts_filter_set(&self->filter, TS_FILTER_AF, "4", err,
				   sizeof(err)));
	ev.present &= ~TS_BIT(TCPSESS_A_SESSION);
	ASSERT_EQ(0, ts_monitor_event(&self->m, &ev, 0, self->out, self->err));
	ASSERT_EQ(0, self->m.printed);
}

TEST_F(mon, count_stops_after_n_printed)
{
	char err[128];

	ASSERT_EQ(0, ts_filter_set(&self->filter, TS_FILTER_PORT, "80", err,
				   sizeof(err)));
	self->m.count = 2;
	ASSERT_EQ(0, feed(&self->m, 1, 1, 80, self->out, self->err));
	ASSERT_EQ(0, feed(&self->m, 2, 2, 22, self->out, self->err));
	ASSERT_EQ(1, feed(&self->m, 3, 3, 80, self->out, self->err));
}

TEST_F(mon, write_errors_reported)
{
	FILE *full = fopen("/dev/full", "w");

	if (!full)
		SKIP(return, "no /dev/full");
	ASSERT_GT(0, feed(&self->m, 1, 1, 80, full, self->err));
	fclose(full);
}

TEST_HARNESS_MAIN
