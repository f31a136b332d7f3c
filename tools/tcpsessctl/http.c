// SPDX-License-Identifier: GPL-2.0
/*
 * Just enough HTTP/1.1 (RFC 9112) to be scraped: one request per
 * connection, judged from its head alone. Anything else a client sends
 * gets a definite answer, never a crash or a wait beyond the head's size.
 */
#include <string.h>
#include <strings.h>

#include "http.h"

/* RFC 9110's tchar: the bytes of a method or a header's name. */
static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t token_len(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_tchar(s[i]))
		i++;
	return i;
}

/*
 * The line at *pos, without its LF or CRLF; advances *pos past it.
 * Returns false while the line is incomplete.
 */
static bool next_line(const char *buf, size_t len, size_t *pos,
		      const char **line, size_t *line_len)
{
	const char *nl = memchr(buf + *pos, '\n', len - *pos);

	if (!nl)
		return false;
	*line = buf + *pos;
	*line_len = nl - *line;
	if (*line_len && (*line)[*line_len - 1] == '\r')
		(*line_len)--;
	*pos = nl - buf + 1;
	return true;
}

struct request_line {
	const char *method, *target;
	size_t method_len, target_len;
};

/* A byte that has no place on a request line, nor in a header. */
static bool is_ctl(unsigned char c)
{
	return c < ' ' || c == 0x7f;
}

/*
 * method SP request-target SP HTTP/1.x, nothing more, nothing less.
 * Returns 0 or the status refusing it: 400, or 505 for another version.
 */
static int parse_request_line(const char *s, size_t len,
			      struct request_line *rl)
{
	const char *v;
	size_t i;

	rl->method = s;
	rl->method_len = token_len(s, len);
	if (!rl->method_len || rl->method_len == len || s[rl->method_len] != ' ')
		return 400;
	rl->target = s + rl->method_len + 1;
	for (i = 0; rl->target + i < s + len; i++)
		if (rl->target[i] == ' ' || is_ctl(rl->target[i]) ||
		    (unsigned char)rl->target[i] > 0x7f)
			break;
	rl->target_len = i;
	v = rl->target + i;
	if (!i || v == s + len || *v != ' ')
		return 400;
	v++;
	if (s + len - v != 8 || memcmp(v, "HTTP/", 5) || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return 400;
	return v[5] == '1' ? 0 : 505;
}

/*
 * Whether the start of a request line, its end not yet come, can no
 * longer become one: junk is answered at once, not when time runs out.
 */
static bool line_hopeless(const char *s, size_t len)
{
	size_t i = token_len(s, len);

	if (i < len && (!i || s[i] != ' '))
		return true;
	for (; i < len; i++)
		if ((is_ctl(s[i]) && !(s[i] == '\r' && i == len - 1)) ||
		    (unsigned char)s[i] > 0x7f)
			return true;
	return false;
}

/*
 * The path of an origin-form or absolute-form target ("" for
 * "http://host"), its query cut off. False for any other form.
 */
static bool target_path(const struct request_line *rl, const char **path,
			size_t *len)
{
	const char *t = rl->target, *end = t + rl->target_len, *p;

	if (rl->target_len > 7 && !strncasecmp(t, "http://", 7)) {
		p = memchr(t + 7, '/', end - t - 7);
		t = p ? p : end;
	} else if (t[0] != '/') {
		return false;
	}
	p = memchr(t, '?', end - t);
	*path = t;
	*len = (p ? p : end) - t;
	return true;
}

/* What the request line alone decides: 0 if the head must be read on. */
static int judge_request_line(const struct request_line *rl, bool *head_only)
{
	const char *path;
	size_t len;

	*head_only = rl->method_len == 4 && !memcmp(rl->method, "HEAD", 4);
	if (!*head_only && !(rl->method_len == 3 &&
			     !memcmp(rl->method, "GET", 3)))
		return 405;
	if (!target_path(rl, &path, &len))
		return 400;
	if (len != strlen(TS_HTTP_PATH) || memcmp(path, TS_HTTP_PATH, len))
		return 404;
	return 0;
}

/* name ":" value, with no space before the colon and no control bytes. */
static bool header_ok(const char *s, size_t len)
{
	size_t name = token_len(s, len), i;

	if (!name || name == len || s[name] != ':')
		return false;
	for (i = name + 1; i < len; i++)
		if (is_ctl(s[i]) && s[i] != '\t')
			return false;
	return true;
}

int ts_http_judge(const char *buf, size_t len, bool *head_only)
{
	struct request_line rl;
	const char *line;
	size_t pos = 0, line_len;
	int status;

	*head_only = false;
	/* RFC 9112 section 2.2: empty lines before a request are ignored. */
	while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n'))
		pos++;
	if (!next_line(buf, len, &pos, &line, &line_len)) {
		if (line_hopeless(buf + pos, len - pos))
			return 400;
		return len >= TS_HTTP_HEAD_MAX ? 414 : 0;
	}
	status = parse_request_line(line, line_len, &rl);
	if (!status)
		status = judge_request_line(&rl, head_only);
	if (status)
		return status;
	for (;;) {
		if (!next_line(buf, len, &pos, &line, &line_len))
			return len >= TS_HTTP_HEAD_MAX ? 431 : 0;
		if (!line_len)
			return pos > TS_HTTP_HEAD_MAX ? 431 : 200;
		if (!header_ok(line, line_len))
			return 400;
	}
}

const char *ts_http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	}
	return "Unknown";
}

void ts_http_response_head(FILE *f, int status, const char *content_type,
			   size_t length)
{
	fprintf(f, "HTTP/1.1 %d %s\r\n", status, ts_http_reason(status));
	if (status == 405)
		fputs("Allow: GET, HEAD\r\n", f);
	fprintf(f,
		"Content-Type: %s\r\n"
		"Content-Length: %zu\r\n"
		"Connection: close\r\n"
		"\r\n",
		content_type, length);
}
