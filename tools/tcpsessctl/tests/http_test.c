// SPDX-License-Identifier: GPL-2.0
/*
 * The judge of what a scraper's client sends: good requests whole and in
 * pieces, other paths and methods, garbage, endless lines, and the
 * answer's head byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "http.h"

static int judge(const char *request, bool *head_only)
{
	return ts_http_judge(request, strlen(request), head_only);
}

#define EXPECT_JUDGED(status, request) do {				\
	const char *__req = (request);					\
	bool __head;							\
	EXPECT_EQ(status, judge(__req, &__head)) {			\
		TH_LOG("request: \"%s\"", __req);			\
	}								\
} while (0)

static const char *const good[] = {
	"GET /metrics HTTP/1.1\r\nHost: 10.1.0.1:9101\r\n"
	"User-Agent: Prometheus/2.42.0\r\nAccept: text/plain;version=0.0.4\r\n"
	"Accept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n",
	"GET /metrics HTTP/1.0\r\n\r\n",
	"GET /metrics HTTP/1.1\n\n",			/* LF alone ends lines */
	"GET /metrics HTTP/1.1\r\nHost: x\n\r\n",
	"\r\n\r\nGET /metrics HTTP/1.1\r\n\r\n",	/* empty lines first */
	"GET /metrics? HTTP/1.1\r\n\r\n",
	"GET /metrics?name[]=tcpsess_sessions&x=%20 HTTP/1.1\r\n\r\n",
	"GET http://10.1.0.1:9101/metrics HTTP/1.1\r\n\r\n",
	"GET HTTP://[fd01::1]:9101/metrics?a=b HTTP/1.1\r\n\r\n",
	"GET /metrics HTTP/1.1\r\nX-Empty:\r\nX-Tab:\tv\t\r\n\r\n",
	"GET /metrics HTTP/1.1\r\nX-Latin: caf\xe9\r\n\r\n",	/* obs-text */
};

TEST(good_requests)
{
	unsigned int i;
	bool head;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		head = true;
		EXPECT_EQ(200, judge(good[i], &head)) {
			TH_LOG("request %u: \"%s\"", i, good[i]);
		}
		EXPECT_FALSE(head);
	}
}

TEST(head_is_get_without_a_body)
{
	bool head = false;

	EXPECT_EQ(200, judge("HEAD /metrics HTTP/1.1\r\n\r\n", &head));
	EXPECT_TRUE(head);
	EXPECT_EQ(404, judge("HEAD / HTTP/1.1\r\n\r\n", &head));
	EXPECT_TRUE(head);
	EXPECT_EQ(405, judge("POST /metrics HTTP/1.1\r\n\r\n", &head));
	EXPECT_FALSE(head);
}

/* Whatever the pieces a request arrives in, it is never judged early. */
TEST(every_prefix_waits_for_more)
{
	unsigned int i;
	size_t len;
	bool head;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		for (len = 0; len < strlen(good[i]); len++) {
			EXPECT_EQ(0, ts_http_judge(good[i], len, &head)) {
				TH_LOG("request %u cut at %zu", i, len);
			}
		}
	}
}

TEST(other_paths_not_found)
{
	EXPECT_JUDGED(404, "GET / HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET /metrics/ HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET /metricsx HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET /Metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET /%6detrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET //metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET /other?/metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(404, "GET http://host HTTP/1.1\r\n\r\n");
	/* Settled by the request line: no need to wait for the headers. */
	EXPECT_JUDGED(404, "GET /other HTTP/1.1\r\n");
}

TEST(other_methods_not_allowed)
{
	EXPECT_JUDGED(405, "POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
	EXPECT_JUDGED(405, "PUT /metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(405, "DELETE /metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(405, "OPTIONS * HTTP/1.1\r\n\r\n");
	/* Methods are case-sensitive (RFC 9110 section 9.1). */
	EXPECT_JUDGED(405, "get /metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(405, "GETS /metrics HTTP/1.1\r\n");
	EXPECT_JUDGED(405, "POST /other HTTP/1.1\r\n");
}

TEST(malformed_request_lines)
{
	EXPECT_JUDGED(400, "GET /metrics\r\n\r\n");		/* HTTP/0.9 */
	EXPECT_JUDGED(400, "GET  /metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics  HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1 \r\n\r\n");
	EXPECT_JUDGED(400, " GET /metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET\t/metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1 extra\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics http/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.10\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/x.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET metrics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET * HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /met\x01rics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /m\xc3\xa9trics HTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics\rHTTP/1.1\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\r\n\r\n");
	EXPECT_JUDGED(400, ":\r\n");
	/* The version is judged before the method. */
	EXPECT_JUDGED(505, "GET /metrics HTTP/2.0\r\n\r\n");
	EXPECT_JUDGED(505, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
	EXPECT_JUDGED(505, "GET /metrics HTTP/0.9\r\n\r\n");
}

TEST(malformed_headers)
{
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nHost x\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\n: x\r\n\r\n");
	/* Obsolete line folding: a continuation line. */
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nA: b\r\n c\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nA: b\rc\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nA: b\x7f\r\n\r\n");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nA\x80: b\r\n\r\n");
	/* Judged as soon as the bad line is whole, the head unfinished. */
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\r\nno colon here\r\n");
}

TEST(nul_bytes)
{
	static const char line_nul[] = "GET /met\0rics HTTP/1.1\r\n\r\n";
	static const char header_nul[] = "GET /metrics HTTP/1.1\r\nA: \0\r\n\r\n";
	bool head;

	EXPECT_EQ(400, ts_http_judge(line_nul, sizeof(line_nul) - 1, &head));
	EXPECT_EQ(400, ts_http_judge(header_nul, sizeof(header_nul) - 1, &head));
	EXPECT_EQ(400, ts_http_judge("\0", 1, &head));
}

/* Junk is refused at its first byte, not when the client's time is up. */
TEST(junk_refused_before_a_newline)
{
	EXPECT_JUDGED(400, "\x16\x03\x01\x02");		/* a TLS hello */
	EXPECT_JUDGED(400, "\xff\xfe");
	EXPECT_JUDGED(400, "GET /metrics\x01");
	EXPECT_JUDGED(400, "GET\x01");
	EXPECT_JUDGED(400, "{\"json\": 1}");
	EXPECT_JUDGED(400, "GET /metrics HTTP/1.1\rX");
	/* Until then, what could still become a request waits. */
	EXPECT_JUDGED(0, "");
	EXPECT_JUDGED(0, "G");
	EXPECT_JUDGED(0, "GET /metrics HTTP/1.1\r");
	EXPECT_JUDGED(0, "\r\n\r\n");
	EXPECT_JUDGED(0, "BREW /pot HTCPCP/1.0");
}

/* Every byte as the first: a request may start with a tchar only. */
TEST(each_first_byte)
{
	const char *tchar_punct = "!#$%&'*+-.^_`|~";
	bool head, tchar;
	char c[1];
	int b;

	for (b = 0; b < 256; b++) {
		c[0] = (char)b;
		tchar = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
			(b >= 'A' && b <= 'Z') || (b && strchr(tchar_punct, b));
		EXPECT_EQ(tchar || b == '\r' || b == '\n' ? 0 : 400,
			  ts_http_judge(c, 1, &head)) {
			TH_LOG("byte 0x%02x", b);
		}
	}
}

static char *repeat(const char *head, char c, size_t len, const char *tail)
{
	size_t hl = strlen(head), tl = strlen(tail);
	char *s = malloc(hl + len + tl + 1);

	if (!s)
		abort();
	memcpy(s, head, hl);
	memset(s + hl, c, len);
	memcpy(s + hl + len, tail, tl + 1);
	return s;
}

TEST(too_long)
{
	char *s;
	bool head;

	/* A request line that never ends. */
	s = repeat("GET /", 'a', TS_HTTP_HEAD_MAX, "");
	EXPECT_EQ(0, ts_http_judge(s, TS_HTTP_HEAD_MAX - 1, &head));
	EXPECT_EQ(414, ts_http_judge(s, TS_HTTP_HEAD_MAX, &head));
	free(s);
	/* A header line that never ends. */
	s = repeat("GET /metrics HTTP/1.1\r\nX: ", 'a', TS_HTTP_HEAD_MAX, "");
	EXPECT_EQ(0, ts_http_judge(s, TS_HTTP_HEAD_MAX - 1, &head));
	EXPECT_EQ(431, ts_http_judge(s, TS_HTTP_HEAD_MAX, &head));
	free(s);
	/* Headers that never end, each line fine. */
	s = repeat("GET /metrics HTTP/1.1\r\n", 'a', TS_HTTP_HEAD_MAX, "");
	for (size_t i = 23; i + 5 < TS_HTTP_HEAD_MAX; i += 5)
		memcpy(s + i, "a:b\r\n", 5);
	EXPECT_EQ(431, ts_http_judge(s, TS_HTTP_HEAD_MAX, &head));
	free(s);
	/* Empty lines that never end are not a request either. */
	s = repeat("", '\n', TS_HTTP_HEAD_MAX, "");
	EXPECT_EQ(414, ts_http_judge(s, TS_HTTP_HEAD_MAX, &head));
	free(s);
	/* A head that just fits is served. */
	s = repeat("GET /metrics HTTP/1.1\r\nX: ", 'a',
		   TS_HTTP_HEAD_MAX - 23 - 3 - 4, "\r\n\r\n");
	EXPECT_EQ(TS_HTTP_HEAD_MAX, strlen(s));
	EXPECT_EQ(200, ts_http_judge(s, TS_HTTP_HEAD_MAX, &head));
	free(s);
}

/* Random bytes: always a status the server knows, never a crash. */
TEST(random_garbage)
{
	static char buf[TS_HTTP_HEAD_MAX];
	unsigned int seed = 1, round;
	size_t len, i;
	bool head;
	int status;

	for (round = 0; round < 20000; round++) {
		len = rand_r(&seed) % (round % 10 ? 64 : sizeof(buf)) + 1;
		for (i = 0; i < len; i++)
			buf[i] = round % 2 ? "GET /metrics HTTP/1.1\r\n:? "[rand_r(&seed) % 26] :
					     (char)rand_r(&seed);
		status = ts_http_judge(buf, len, &head);
		EXPECT_TRUE(status == 0 || status == 200 || status == 400 ||
			    status == 404 || status == 405 || status == 414 ||
			    status == 431 || status == 505) {
			TH_LOG("status %d", status);
		}
		if (len == sizeof(buf))
			EXPECT_NE(0, status);
	}
}

static char *head_of(int status, const char *type, size_t length)
{
	char *text;
	size_t len;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	ts_http_response_head(f, status, type, length);
	fclose(f);
	return text;
}

TEST(response_heads)
{
	char *text;

	text = head_of(200, "text/plain; version=0.0.4; charset=utf-8", 1234);
	EXPECT_STREQ("HTTP/1.1 200 OK\r\n"
		     "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		     "Content-Length: 1234\r\n"
		     "Connection: close\r\n"
		     "\r\n", text);
	free(text);
	text = head_of(405, "text/plain; charset=utf-8", 23);
	EXPECT_STREQ("HTTP/1.1 405 Method Not Allowed\r\n"
		     "Allow: GET, HEAD\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Length: 23\r\n"
		     "Connection: close\r\n"
		     "\r\n", text);
	free(text);
	text = head_of(431, "text/plain; charset=utf-8", 0);
	EXPECT_STREQ("HTTP/1.1 431 Request Header Fields Too Large\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Length: 0\r\n"
		     "Connection: close\r\n"
		     "\r\n", text);
	free(text);
}

TEST(every_status_has_a_reason)
{
	static const int statuses[] = { 200, 400, 404, 405, 408, 414, 431,
					500, 503, 505 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(statuses); i++)
		EXPECT_STRNE("Unknown", ts_http_reason(statuses[i]));
	EXPECT_STREQ("Unknown", ts_http_reason(299));
}

TEST_HARNESS_MAIN
