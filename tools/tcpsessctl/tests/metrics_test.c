// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus exposition: byte for byte what a scrape gets, families
 * left out when the kernel did not report them, histograms in the order
 * and with the bounds the format wants, escaping, and promtool's verdict
 * (when $PROMTOOL names it: the Makefile finds it).
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "metrics.h"

/* What ts_metrics_write (or call, with f) writes; free() it. */
#define CAPTURE(var, call) do {						\
	size_t __len;							\
	FILE *f = open_memstream(&(var), &__len);			\
	ASSERT_NE(NULL, f);						\
	call;								\
	ASSERT_EQ(0, fclose(f));					\
} while (0)

/* A namespace after some real use: every value distinct where it can be. */
static void full_stats(struct ts_stats *st)
{
	static const u64 counters[] = {
		[TCPSESS_STAT_SESSIONS_ACTIVE] = 7,
		[TCPSESS_STAT_SESSIONS_MAX] = 65536,
		[TCPSESS_STAT_SESSIONS_CREATED] = 1200,
		[TCPSESS_STAT_SESSIONS_ENDED] = 1193,
		[TCPSESS_STAT_ENDED_FIN] = 1100,
		[TCPSESS_STAT_ENDED_RST] = 80,
		[TCPSESS_STAT_ENDED_TIMEOUT] = 10,
		[TCPSESS_STAT_ENDED_EVICTED] = 2,
		[TCPSESS_STAT_ENDED_FLUSHED] = 1,
		[TCPSESS_STAT_ENDED_REUSED] = 0,
		[TCPSESS_STAT_PACKETS_SEEN] = 98765,
		[TCPSESS_STAT_PACKETS_INVALID] = 17,
		[TCPSESS_STAT_FRAGMENTS_IGNORED] = 3,
		[TCPSESS_STAT_TABLE_FULL] = 4,
		[TCPSESS_STAT_EVENTS_SENT] = 4800,
		[TCPSESS_STAT_EVENTS_SUPPRESSED] = 5,
		[TCPSESS_STAT_MEMORY_BYTES] = 1052672,
	};
	static const u64 states[] = { 0, 1, 0, 4, 0, 0, 0, 0, 2, 0 };
	static const u64 invalid[] = {
		0, 1, 0, 5, 2, 0, 1, 0, 0, 3, 1, 2, 1, 0, 1
	};
	static const u64 syn[TCPSESS_RTT_BUCKETS] = {
		0, 12, 300, 800, 1100, 1180, 1195, 1198, 1199, 1199, 1199,
		1199, 1199, 1200, 1200, 1200
	};
	static const u64 ack[TCPSESS_RTT_BUCKETS] = {
		40, 500, 1000, 1150, 1190, 1197, 1198, 1198, 1198, 1198, 1198,
		1198, 1198, 1198, 1198, 1198
	};
	unsigned int i;

	static_assert(ARRAY_SIZE(counters) == __TCPSESS_STAT_MAX, "counters");
	static_assert(ARRAY_SIZE(states) == __TCPSESS_STATE_MAX, "states");
	static_assert(ARRAY_SIZE(invalid) == __TCPSESS_INVALID_MAX, "invalid");
	memset(st, 0, sizeof(*st));
	memcpy(st->counter, counters, sizeof(counters));
	memcpy(st->state, states, sizeof(states));
	memcpy(st->invalid, invalid, sizeof(invalid));
	/* As msg.c decodes them: type 0 is padding, never a value. */
	st->has_counter = (TS_BIT(__TCPSESS_STAT_MAX) - 1) & ~1ULL;
	st->has_state = (TS_BIT(__TCPSESS_STATE_MAX) - 1) & ~1ULL;
	st->has_invalid = (TS_BIT(__TCPSESS_INVALID_MAX) - 1) & ~1ULL;
	for (i = 0; i < TCPSESS_RTT_BUCKETS; i++) {
		st->rtt[TS_RTT_SYN][TCPSESS_RTT_HIST_LE + i] = syn[i];
		st->rtt[TS_RTT_ACK][TCPSESS_RTT_HIST_LE + i] = ack[i];
	}
	st->rtt[TS_RTT_SYN][TCPSESS_RTT_HIST_COUNT] = 1200;
	st->rtt[TS_RTT_SYN][TCPSESS_RTT_HIST_SUM_US] = 415250;
	st->rtt[TS_RTT_ACK][TCPSESS_RTT_HIST_COUNT] = 1199;
	st->rtt[TS_RTT_ACK][TCPSESS_RTT_HIST_SUM_US] = 5321000;
	st->has_rtt[TS_RTT_SYN] = (TS_BIT(__TCPSESS_RTT_HIST_MAX) - 1) & ~1ULL;
	st->has_rtt[TS_RTT_ACK] = st->has_rtt[TS_RTT_SYN];
}

#define RTT "tcpsess_handshake_rtt_seconds"

static const char full_exposition[] =
	"# HELP tcpsess_sessions Sessions tracked now, by state.\n"
	"# TYPE tcpsess_sessions gauge\n"
	"tcpsess_sessions{state=\"syn_sent\"} 1\n"
	"tcpsess_sessions{state=\"syn_recv\"} 0\n"
	"tcpsess_sessions{state=\"established\"} 4\n"
	"tcpsess_sessions{state=\"fin_wait_1\"} 0\n"
	"tcpsess_sessions{state=\"fin_wait_2\"} 0\n"
	"tcpsess_sessions{state=\"closing\"} 0\n"
	"tcpsess_sessions{state=\"last_ack\"} 0\n"
	"tcpsess_sessions{state=\"time_wait\"} 2\n"
	"tcpsess_sessions{state=\"closed\"} 0\n"
	"# HELP tcpsess_sessions_limit Most sessions tracked at once (max_sessions).\n"
	"# TYPE tcpsess_sessions_limit gauge\n"
	"tcpsess_sessions_limit 65536\n"
	"# HELP tcpsess_sessions_created_total Sessions created.\n"
	"# TYPE tcpsess_sessions_created_total counter\n"
	"tcpsess_sessions_created_total 1200\n"
	"# HELP tcpsess_sessions_ended_total Sessions ended, by reason.\n"
	"# TYPE tcpsess_sessions_ended_total counter\n"
	"tcpsess_sessions_ended_total{reason=\"fin\"} 1100\n"
	"tcpsess_sessions_ended_total{reason=\"rst\"} 80\n"
	"tcpsess_sessions_ended_total{reason=\"timeout\"} 10\n"
	"tcpsess_sessions_ended_total{reason=\"evicted\"} 2\n"
	"tcpsess_sessions_ended_total{reason=\"flushed\"} 1\n"
	"tcpsess_sessions_ended_total{reason=\"reused\"} 0\n"
	"# HELP tcpsess_packets_total TCP segments seen, invalid ones and fragments included.\n"
	"# TYPE tcpsess_packets_total counter\n"
	"tcpsess_packets_total 98765\n"
	"# HELP tcpsess_packets_invalid_total Segments found invalid, by reason.\n"
	"# TYPE tcpsess_packets_invalid_total counter\n"
	"tcpsess_packets_invalid_total{reason=\"hdr_truncated\"} 1\n"
	"tcpsess_packets_invalid_total{reason=\"bad_data_offset\"} 0\n"
	"tcpsess_packets_invalid_total{reason=\"bad_checksum\"} 5\n"
	"tcpsess_packets_invalid_total{reason=\"bad_flags\"} 2\n"
	"tcpsess_packets_invalid_total{reason=\"syn_unexpected\"} 0\n"
	"tcpsess_packets_invalid_total{reason=\"synack_unexpected\"} 1\n"
	"tcpsess_packets_invalid_total{reason=\"synack_bad_ack\"} 0\n"
	"tcpsess_packets_invalid_total{reason=\"ack_bad_ack\"} 0\n"
	"tcpsess_packets_invalid_total{reason=\"seq_out_of_window\"} 3\n"
	"tcpsess_packets_invalid_total{reason=\"ack_out_of_window\"} 1\n"
	"tcpsess_packets_invalid_total{reason=\"rst_out_of_window\"} 2\n"
	"tcpsess_packets_invalid_total{reason=\"rst_inexact\"} 1\n"
	"tcpsess_packets_invalid_total{reason=\"data_after_fin\"} 0\n"
	"tcpsess_packets_invalid_total{reason=\"midstream\"} 1\n"
	"# HELP tcpsess_fragments_ignored_total IP fragments that reached the tracker unreassembled, not tracked.\n"
	"# TYPE tcpsess_fragments_ignored_total counter\n"
	"tcpsess_fragments_ignored_total 3\n"
	"# HELP tcpsess_table_full_total Sessions not tracked because the table was full.\n"
	"# TYPE tcpsess_table_full_total counter\n"
	"tcpsess_table_full_total 4\n"
	"# HELP tcpsess_events_sent_total Session events sent to listeners.\n"
	"# TYPE tcpsess_events_sent_total counter\n"
	"tcpsess_events_sent_total 4800\n"
	"# HELP tcpsess_events_suppressed_total Session events not sent: over event_rate.\n"
	"# TYPE tcpsess_events_suppressed_total counter\n"
	"tcpsess_events_suppressed_total 5\n"
	"# HELP tcpsess_memory_bytes Kernel memory the tracker holds for this namespace.\n"
	"# TYPE tcpsess_memory_bytes gauge\n"
	"tcpsess_memory_bytes 1052672\n"
	"# HELP " RTT " Handshake RTTs: leg syn is SYN to SYN-ACK, ack SYN-ACK to the third ACK.\n"
	"# TYPE " RTT " histogram\n"
	RTT "_bucket{leg=\"syn\",le=\"0.00005\"} 0\n"
	RTT "_bucket{leg=\"syn\",le=\"0.0001\"} 12\n"
	RTT "_bucket{leg=\"syn\",le=\"0.00025\"} 300\n"
	RTT "_bucket{leg=\"syn\",le=\"0.0005\"} 800\n"
	RTT "_bucket{leg=\"syn\",le=\"0.001\"} 1100\n"
	RTT "_bucket{leg=\"syn\",le=\"0.0025\"} 1180\n"
	RTT "_bucket{leg=\"syn\",le=\"0.005\"} 1195\n"
	RTT "_bucket{leg=\"syn\",le=\"0.01\"} 1198\n"
	RTT "_bucket{leg=\"syn\",le=\"0.025\"} 1199\n"
	RTT "_bucket{leg=\"syn\",le=\"0.05\"} 1199\n"
	RTT "_bucket{leg=\"syn\",le=\"0.1\"} 1199\n"
	RTT "_bucket{leg=\"syn\",le=\"0.25\"} 1199\n"
	RTT "_bucket{leg=\"syn\",le=\"0.5\"} 1199\n"
	RTT "_bucket{leg=\"syn\",le=\"1\"} 1200\n"
	RTT "_bucket{leg=\"syn\",le=\"2.5\"} 1200\n"
	RTT "_bucket{leg=\"syn\",le=\"5\"} 1200\n"
	RTT "_bucket{leg=\"syn\",le=\"+Inf\"} 1200\n"
	RTT "_sum{leg=\"syn\"} 0.41525\n"
	RTT "_count{leg=\"syn\"} 1200\n"
	RTT "_bucket{leg=\"ack\",le=\"0.00005\"} 40\n"
	RTT "_bucket{leg=\"ack\",le=\"0.0001\"} 500\n"
	RTT "_bucket{leg=\"ack\",le=\"0.00025\"} 1000\n"
	RTT "_bucket{leg=\"ack\",le=\"0.0005\"} 1150\n"
	RTT "_bucket{leg=\"ack\",le=\"0.001\"} 1190\n"
	RTT "_bucket{leg=\"ack\",le=\"0.0025\"} 1197\n"
	RTT "_bucket{leg=\"ack\",le=\"0.005\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"0.01\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"0.025\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"0.05\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"0.1\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"0.25\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"0.5\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"1\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"2.5\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"5\"} 1198\n"
	RTT "_bucket{leg=\"ack\",le=\"+Inf\"} 1199\n"
	RTT "_sum{leg=\"ack\"} 5.321\n"
	RTT "_count{leg=\"ack\"} 1199\n";

TEST(every_family_byte_for_byte)
{
	struct ts_stats st;
	char *text;

	full_stats(&st);
	CAPTURE(text, ts_metrics_write(f, &st));
	EXPECT_STREQ(full_exposition, text);
	free(text);
}

/* The first line of text that starts with prefix, or NULL. */
static const char *line_with(const char *text, const char *prefix)
{
	const char *p = text;

	for (; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			return p;
	return NULL;
}

/*
 * Read back as a scraper would: per leg, the buckets' le are the uapi's
 * bounds in seconds, ascending, their counts never decrease, +Inf comes
 * last and equals _count, and _sum and _count follow.
 */
TEST(histograms_cumulative_in_order)
{
	static const u32 bounds_us[] = TCPSESS_RTT_BOUNDS_US;
	static const char *const legs[] = { "syn", "ack" };
	struct ts_stats st;
	unsigned int leg, i;
	const char *p;
	char *text, prefix[96], *end;
	double le, prev_le;
	unsigned long long n, prev, count;

	full_stats(&st);
	CAPTURE(text, ts_metrics_write(f, &st));
	for (leg = 0; leg < 2; leg++) {
		snprintf(prefix, sizeof(prefix), RTT "_bucket{leg=\"%s\",le=\"",
			 legs[leg]);
		p = line_with(text, prefix);
		ASSERT_NE(NULL, p);
		prev = 0;
		prev_le = 0;
		for (i = 0; i <= TCPSESS_RTT_BUCKETS; i++) {
			ASSERT_EQ(0, strncmp(p, prefix, strlen(prefix)));
			p += strlen(prefix);
			if (i == TCPSESS_RTT_BUCKETS) {
				ASSERT_EQ(0, strncmp(p, "+Inf\"} ", 7));
				end = (char *)p + 7;
			} else {
				le = strtod(p, &end);
				ASSERT_EQ(0, strncmp(end, "\"} ", 3));
				end += 3;
				EXPECT_TRUE(le > prev_le);
				EXPECT_EQ(bounds_us[i], (u32)(le * 1e6 + 0.5));
				prev_le = le;
			}
			n = strtoull(end, &end, 10);
			ASSERT_EQ('\n', *end);
			EXPECT_TRUE(n >= prev);
			EXPECT_EQ(i == TCPSESS_RTT_BUCKETS ?
				  st.rtt[leg][TCPSESS_RTT_HIST_COUNT] :
				  st.rtt[leg][TCPSESS_RTT_HIST_LE + i], n);
			prev = n;
			p = end + 1;
		}
		snprintf(prefix, sizeof(prefix), RTT "_sum{leg=\"%s\"} ",
			 legs[leg]);
		ASSERT_EQ(0, strncmp(p, prefix, strlen(prefix)));
		p = strchr(p, '\n') + 1;
		snprintf(prefix, sizeof(prefix), RTT "_count{leg=\"%s\"} ",
			 legs[leg]);
		ASSERT_EQ(0, strncmp(p, prefix, strlen(prefix)));
		count = strtoull(p + strlen(prefix), NULL, 10);
		EXPECT_EQ(prev, count);
	}
	free(text);
}

/* The _sum line of the SYN leg when the RTTs add up to sum_us. */
static char *sum_line(u64 sum_us)
{
	struct ts_stats st;
	const char *p;
	char *text, *line;
	size_t len;
	FILE *f;

	full_stats(&st);
	st.rtt[TS_RTT_SYN][TCPSESS_RTT_HIST_SUM_US] = sum_us;
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	ts_metrics_write(f, &st);
	fclose(f);
	p = line_with(text, RTT "_sum{leg=\"syn\"} ");
	line = p ? strndup(p, strcspn(p, "\n")) : NULL;
	free(text);
	return line;
}

/* Seconds exactly, whatever the size: no float, so no rounding. */
TEST(sum_in_seconds_exactly)
{
	static const struct {
		u64 us;
		const char *seconds;
	} cases[] = {
		{ 0, "0" },
		{ 1, "0.000001" },
		{ 10, "0.00001" },
		{ 999999, "0.999999" },
		{ 1000000, "1" },
		{ 1000001, "1.000001" },
		{ 86400000000ULL, "86400" },
		{ UINT64_MAX, "18446744073709.551615" },
	};
	char want[96], *line;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		line = sum_line(cases[i].us);
		snprintf(want, sizeof(want), RTT "_sum{leg=\"syn\"} %s",
			 cases[i].seconds);
		EXPECT_STREQ(want, line);
		free(line);
	}
}

TEST(nothing_reported_nothing_written)
{
	struct ts_stats st = { 0 };
	char *text;

	/* Values without their presence bits are not reports. */
	st.counter[TCPSESS_STAT_SESSIONS_CREATED] = 5;
	st.state[TCPSESS_STATE_ESTABLISHED] = 5;
	st.rtt[TS_RTT_SYN][TCPSESS_RTT_HIST_COUNT] = 5;
	/* Type 0 is padding: no state, no reason. */
	st.has_state = TS_BIT(TCPSESS_STATE_NONE);
	st.has_invalid = TS_BIT(TCPSESS_INVALID_NONE);
	CAPTURE(text, ts_metrics_write(f, &st));
	EXPECT_STREQ("", text);
	free(text);
}

/* An older or odd module: what it sent is shown, what it did not is not. */
TEST(families_and_samples_as_reported)
{
	struct ts_stats st = { 0 };
	char *text;

	st.has_counter = TS_BIT(TCPSESS_STAT_SESSIONS_CREATED) |
			 TS_BIT(TCPSESS_STAT_ENDED_RST) |
			 TS_BIT(TCPSESS_STAT_SESSIONS_ENDED);
	st.counter[TCPSESS_STAT_SESSIONS_CREATED] = 3;
	st.counter[TCPSESS_STAT_ENDED_RST] = 2;
	st.has_state = TS_BIT(TCPSESS_STATE_CLOSED);
	st.state[TCPSESS_STATE_CLOSED] = 1;
	st.has_invalid = TS_BIT(TCPSESS_INVALID_BAD_CHECKSUM);
	st.invalid[TCPSESS_INVALID_BAD_CHECKSUM] = 9;
	CAPTURE(text, ts_metrics_write(f, &st));
	EXPECT_STREQ("# HELP tcpsess_sessions Sessions tracked now, by state.\n"
		     "# TYPE tcpsess_sessions gauge\n"
		     "tcpsess_sessions{state=\"closed\"} 1\n"
		     "# HELP tcpsess_sessions_created_total Sessions created.\n"
		     "# TYPE tcpsess_sessions_created_total counter\n"
		     "tcpsess_sessions_created_total 3\n"
		     "# HELP tcpsess_sessions_ended_total Sessions ended, by reason.\n"
		     "# TYPE tcpsess_sessions_ended_total counter\n"
		     "tcpsess_sessions_ended_total{reason=\"rst\"} 2\n"
		     "# HELP tcpsess_packets_invalid_total Segments found invalid, by reason.\n"
		     "# TYPE tcpsess_packets_invalid_total counter\n"
		     "tcpsess_packets_invalid_total{reason=\"bad_checksum\"} 9\n",
		     text);
	free(text);
}

/* A histogram short of a bucket would lie about every bucket above it. */
TEST(incomplete_histogram_left_out)
{
	struct ts_stats st;
	char *text;

	full_stats(&st);
	st.has_rtt[TS_RTT_SYN] &= ~TS_BIT(TCPSESS_RTT_HIST_LE + 3);
	CAPTURE(text, ts_metrics_write(f, &st));
	EXPECT_EQ(NULL, strstr(text, "leg=\"syn\""));
	EXPECT_NE(NULL, strstr(text, RTT "_count{leg=\"ack\"} 1199\n"));
	free(text);

	st.has_rtt[TS_RTT_ACK] &= ~TS_BIT(TCPSESS_RTT_HIST_SUM_US);
	CAPTURE(text, ts_metrics_write(f, &st));
	EXPECT_EQ(NULL, strstr(text, RTT));
	EXPECT_NE(NULL, strstr(text, "tcpsess_memory_bytes 1052672\n"));
	free(text);
}

TEST(label_values_escaped)
{
	char *text;

	CAPTURE(text, ts_metrics_label_value(f, "a\\b\"c\nd"));
	EXPECT_STREQ("\"a\\\\b\\\"c\\nd\"", text);
	free(text);
	CAPTURE(text, ts_metrics_label_value(f, ""));
	EXPECT_STREQ("\"\"", text);
	free(text);
	/* UTF-8 passes as it is. */
	CAPTURE(text, ts_metrics_label_value(f, "\xc3\xa9t\xc3\xa9"));
	EXPECT_STREQ("\"\xc3\xa9t\xc3\xa9\"", text);
	free(text);
}

/* HELP escapes backslash and newline only: a quote stays a quote. */
TEST(help_escaped)
{
	char *text;

	CAPTURE(text, ts_metrics_family(f, "x_total", "counter",
					"a \"b\" c\\d\ne"));
	EXPECT_STREQ("# HELP x_total a \"b\" c\\\\d\\ne\n"
		     "# TYPE x_total counter\n", text);
	free(text);
}

/*
 * promtool check metrics <path: its exit status, its words in out. Run
 * without a shell, so that memcheck following children meets only it.
 */
static int promtool_check(const char *promtool, const char *path, char *out,
			  size_t outlen)
{
	char *const argv[] = { (char *)promtool, "check", "metrics", NULL };
	posix_spawn_file_actions_t fa;
	size_t len = 0;
	ssize_t n;
	int pipefd[2], status = -1;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, path, O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	if (posix_spawn(&pid, promtool, &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	while (pid > 0 && (n = read(pipefd[0], out + len, outlen - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	if (pid > 0 && waitpid(pid, &status, 0) != pid)
		status = -1;
	return status;
}

/* Prometheus' own linter, on the full exposition and on a sparse one. */
TEST(promtool_accepts)
{
	const char *promtool = getenv("PROMTOOL");
	char path[64], out[4096];
	struct ts_stats st;
	int fd, round;
	FILE *f;

	if (!promtool || !promtool[0])
		SKIP(return, "promtool not found (scripts/setup.sh extracts it)");
	for (round = 0; round < 2; round++) {
		snprintf(path, sizeof(path), "/tmp/tcpsess-metrics-XXXXXX");
		full_stats(&st);
		if (round) {
			st.has_rtt[TS_RTT_SYN] = 0;
			st.has_state = 0;
		}
		fd = mkstemp(path);
		ASSERT_LE(0, fd);
		f = fdopen(fd, "w");
		ASSERT_NE(NULL, f);
		ts_metrics_write(f, &st);
		ASSERT_EQ(0, fclose(f));
		EXPECT_EQ(0, promtool_check(promtool, path, out, sizeof(out))) {
			TH_LOG("promtool says: %s", out);
		}
		EXPECT_STREQ("", out);
		unlink(path);
	}
}

TEST_HARNESS_MAIN
