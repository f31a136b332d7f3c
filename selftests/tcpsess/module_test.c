// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading tcpsess, and its module parameters (SPEC section 4).
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "tcpsess_ksft.h"

/* The defaults SPEC section 4 promises, written out independently. */
static const struct {
	const char *name;
	const char *value;
} spec_defaults[] = {
	{ "max_sessions", "262144" },
	{ "timeout_syn_sent", "120" },
	{ "timeout_syn_recv", "60" },
	{ "timeout_established", "432000" },
	{ "timeout_fin_wait_1", "120" },
	{ "timeout_fin_wait_2", "60" },
	{ "timeout_closing", "120" },
	{ "timeout_last_ack", "30" },
	{ "timeout_time_wait", "120" },
	{ "timeout_closed", "10" },
	{ "mode", "monitor" },
	{ "pickup", "1" },
	{ "event_rate", "10000" },
	{ "timeout_pickup", "300" },
	{ "report_interval", "0" },
};

static void read_param(struct __test_metadata *_metadata, const char *name,
		       char *buf, size_t size)
{
	char path[256];
	ssize_t len;

	snprintf(path, sizeof(path), TCPSESS_SYSFS "/parameters/%s", name);
	len = tcpsess_read_file(path, buf, size);
	ASSERT_GT(len, 0) TH_LOG("reading %s: %s", path, strerror(-len));
	buf[strcspn(buf, "\n")] = '\0';
}

FIXTURE(module) {};

FIXTURE_SETUP(module)
{
	if (tcpsess_loaded())
		ASSERT_EQ(0, tcpsess_unload());
}

FIXTURE_TEARDOWN(module)
{
	if (tcpsess_loaded())
		tcpsess_unload();
}

TEST_F(module, load_and_unload)
{
	ASSERT_EQ(0, tcpsess_load(""));
	ASSERT_TRUE(tcpsess_loaded());
	ASSERT_EQ(0, access(TCPSESS_PROC "/sessions", R_OK));
	ASSERT_EQ(0, tcpsess_unload());
	ASSERT_FALSE(tcpsess_loaded());
	ASSERT_NE(0, access(TCPSESS_PROC, F_OK));
	ASSERT_EQ(ENOENT, errno);
}

TEST_F(module, load_twice_fails_cleanly)
{
	char buf[4096];

	ASSERT_EQ(0, tcpsess_load(""));
	ASSERT_EQ(-EEXIST, tcpsess_load(""));
	/* The first instance is untouched by the failed second load. */
	ASSERT_TRUE(tcpsess_loaded());
	ASSERT_GT(tcpsess_read_file(TCPSESS_PROC "/stats", buf, sizeof(buf)), 0);
	ASSERT_EQ(0, tcpsess_unload());
	ASSERT_FALSE(tcpsess_loaded());
}

TEST_F(module, unload_when_not_loaded_fails)
{
	ASSERT_EQ(-ENOENT, tcpsess_unload());
}

TEST_F(module, parameter_defaults)
{
	char value[64];
	size_t i;

	ASSERT_EQ(0, tcpsess_load(""));
	for (i = 0; i < ARRAY_SIZE(spec_defaults); i++) {
		read_param(_metadata, spec_defaults[i].name, value, sizeof(value));
		EXPECT_STREQ(spec_defaults[i].value, value)
			TH_LOG("parameter %s", spec_defaults[i].name);
	}
}

/*
 * A namespace's table grows to a power of two at most, never below the
 * 1024 buckets it starts with; the parameter says what it got.
 */
TEST_F(module, hashsize_rounds_up)
{
	char value[64];

	ASSERT_EQ(0, tcpsess_load("hashsize=3000"));
	read_param(_metadata, "hashsize", value, sizeof(value));
	ASSERT_STREQ("4096", value);
	ASSERT_EQ(0, tcpsess_unload());
	ASSERT_EQ(0, tcpsess_load("hashsize=100"));
	read_param(_metadata, "hashsize", value, sizeof(value));
	ASSERT_STREQ("1024", value);
	ASSERT_EQ(0, tcpsess_unload());
	ASSERT_EQ(0, tcpsess_load(""));
	read_param(_metadata, "hashsize", value, sizeof(value));
	ASSERT_STREQ("16777216", value);
}

/*
 * Unless told, max_sessions_total is a sixteenth of RAM in IPv6 sessions
 * (176 bytes, Memory in Documentation/design.md), within 16384..2^30:
 * what modinfo says.
 */
TEST_F(module, max_sessions_total_from_ram)
{
	unsigned long long mem_kb = 0, want;
	char value[64], meminfo[4096], *line;
	int fields;

	ASSERT_GT(tcpsess_read_file("/proc/meminfo", meminfo, sizeof(meminfo)), 0);
	line = strstr(meminfo, "MemTotal:");
	ASSERT_NE(NULL, line);
	fields = sscanf(line, "MemTotal: %llu kB", &mem_kb);
	ASSERT_EQ(1, fields);
	want = mem_kb * 1024 / 16 / 176;
	want = want < 16384 ? 16384 : want > (1U << 30) ? (1U << 30) : want;

	ASSERT_EQ(0, tcpsess_load(""));
	read_param(_metadata, "max_sessions_total", value, sizeof(value));
	ASSERT_EQ(want, strtoull(value, NULL, 10)) TH_LOG("MemTotal %llu kB", mem_kb);
}

/*
 * The sessions show other people's connections: the file is not for
 * everyone, unlike the counters.
 */
TEST_F(module, proc_modes)
{
	struct stat st;

	ASSERT_EQ(0, tcpsess_load(""));
	ASSERT_EQ(0, stat(TCPSESS_PROC "/sessions", &st));
	EXPECT_EQ(0440, st.st_mode & 0777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
	ASSERT_EQ(0, stat(TCPSESS_PROC "/stats", &st));
	EXPECT_EQ(0444, st.st_mode & 0777);
}

TEST_F(module, parameters_are_read_only)
{
	char path[256];
	struct stat st;
	size_t i;
	int fd;

	ASSERT_EQ(0, tcpsess_load(""));
	for (i = 0; i < ARRAY_SIZE(spec_defaults); i++) {
		snprintf(path, sizeof(path), TCPSESS_SYSFS "/parameters/%s",
			 spec_defaults[i].name);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0444, st.st_mode & 0777) TH_LOG("%s", path);
		/* Not even root: the defaults are fixed once loaded. */
		fd = open(path, O_WRONLY);
		EXPECT_LT(fd, 0) TH_LOG("%s opened for writing", path);
		if (fd >= 0)
			close(fd);
	}
}

/* Values a user may load with, at the edges of each range. */
FIXTURE(accepted) {};
FIXTURE_VARIANT(accepted) {
	const char *name;
	const char *value;
};

FIXTURE_VARIANT_ADD(accepted, max_sessions_min) { "max_sessions", "1" };
FIXTURE_VARIANT_ADD(accepted, max_sessions_max) { "max_sessions", "16777216" };
FIXTURE_VARIANT_ADD(accepted, timeout_min) { "timeout_syn_sent", "1" };
FIXTURE_VARIANT_ADD(accepted, timeout_max) { "timeout_established", "1728000" };
FIXTURE_VARIANT_ADD(accepted, pickup_off) { "pickup", "0" };
FIXTURE_VARIANT_ADD(accepted, event_rate_unlimited) { "event_rate", "0" };
FIXTURE_VARIANT_ADD(accepted, report_interval_min) { "report_interval", "1" };
FIXTURE_VARIANT_ADD(accepted, report_interval_max) { "report_interval", "86400" };
FIXTURE_VARIANT_ADD(accepted, mode_enforce) { "mode", "enforce" };
FIXTURE_VARIANT_ADD(accepted, hex_number) { "timeout_closed", "0x20" };
FIXTURE_VARIANT_ADD(accepted, hashsize_power_of_two) { "hashsize", "4096" };
FIXTURE_VARIANT_ADD(accepted, max_sessions_total_min) { "max_sessions_total", "1" };
FIXTURE_VARIANT_ADD(accepted, max_sessions_total_max) { "max_sessions_total", "1073741824" };

FIXTURE_SETUP(accepted)
{
	if (tcpsess_loaded())
		ASSERT_EQ(0, tcpsess_unload());
}

FIXTURE_TEARDOWN(accepted)
{
	if (tcpsess_loaded())
		tcpsess_unload();
}

TEST_F(accepted, reads_back)
{
	char params[128], value[64];
	unsigned long expect;

	snprintf(params, sizeof(params), "%s=%s", variant->name, variant->value);
	ASSERT_EQ(0, tcpsess_load(params)) TH_LOG("insmod %s", params);
	read_param(_metadata, variant->name, value, sizeof(value));
	if (!strcmp(variant->name, "mode")) {
		ASSERT_STREQ(variant->value, value);
	} else {
		expect = strtoul(variant->value, NULL, 0);
		ASSERT_EQ(expect, strtoul(value, NULL, 10));
	}
}

/* Each of these must make insmod fail and leave nothing behind. */
FIXTURE(rejected) {};
FIXTURE_VARIANT(rejected) {
	const char *params;
};

FIXTURE_VARIANT_ADD(rejected, max_sessions_zero) { "max_sessions=0" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_huge) { "max_sessions=16777217" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_negative) { "max_sessions=-1" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_text) { "max_sessions=many" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_overflow) { "max_sessions=4294967296" };
FIXTURE_VARIANT_ADD(rejected, timeout_zero) { "timeout_syn_sent=0" };
FIXTURE_VARIANT_ADD(rejected, timeout_huge) { "timeout_established=1728001" };
FIXTURE_VARIANT_ADD(rejected, timeout_closed_zero) { "timeout_closed=0" };
FIXTURE_VARIANT_ADD(rejected, pickup_two) { "pickup=2" };
FIXTURE_VARIANT_ADD(rejected, event_rate_huge) { "event_rate=10000001" };
FIXTURE_VARIANT_ADD(rejected, report_interval_huge) { "report_interval=86401" };
FIXTURE_VARIANT_ADD(rejected, mode_unknown) { "mode=drop" };
FIXTURE_VARIANT_ADD(rejected, mode_empty) { "mode=" };
FIXTURE_VARIANT_ADD(rejected, good_then_bad) { "max_sessions=10 pickup=7" };
FIXTURE_VARIANT_ADD(rejected, hashsize_huge) { "hashsize=16777217" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_total_huge) { "max_sessions_total=1073741825" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_total_negative) { "max_sessions_total=-1" };
FIXTURE_VARIANT_ADD(rejected, max_sessions_total_text) { "max_sessions_total=ram" };

FIXTURE_SETUP(rejected)
{
	if (tcpsess_loaded())
		ASSERT_EQ(0, tcpsess_unload());
}

FIXTURE_TEARDOWN(rejected)
{
	if (tcpsess_loaded())
		tcpsess_unload();
}

TEST_F(rejected, load_fails)
{
	int err = tcpsess_load(variant->params);

	EXPECT_TRUE(err == -EINVAL || err == -ERANGE)
		TH_LOG("insmod %s returned %d", variant->params, err);
	ASSERT_FALSE(tcpsess_loaded());
	ASSERT_NE(0, access(TCPSESS_PROC, F_OK));
	/* A failed load leaves nothing that stops a good one. */
	ASSERT_EQ(0, tcpsess_load(""));
	ASSERT_EQ(0, tcpsess_unload());
}

TEST_HARNESS_MAIN
