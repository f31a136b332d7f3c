// SPDX-License-Identifier: GPL-2.0
/*
 * Replacing a file atomically, as --textfile does: the content, the mode,
 * and nothing left behind, whether it works or not.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "util.h"

FIXTURE(dir) {
	char path[64];
	char file[96];
};

FIXTURE_SETUP(dir)
{
	snprintf(self->path, sizeof(self->path), "/tmp/tcpsess-util-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->path));
	snprintf(self->file, sizeof(self->file), "%s/tcpsess.prom",
		 self->path);
}

FIXTURE_TEARDOWN(dir)
{
	unlink(self->file);
	rmdir(self->path);
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* How many names dir holds, . and .. aside. */
static int entries(const char *path)
{
	struct dirent *d;
	DIR *dir = opendir(path);
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			n++;
	closedir(dir);
	return n;
}

TEST_F(dir, writes_then_replaces)
{
	struct stat st;
	mode_t old = umask(027);

	ASSERT_EQ(0, ts_write_file_atomic(self->file, "a 1\n", 4));
	EXPECT_STREQ("a 1\n", slurp(self->file));
	ASSERT_EQ(0, stat(self->file, &st));
	/* As a file created under the umask, not mkstemp's 0600. */
	EXPECT_EQ(0640, st.st_mode & 0777);

	umask(022);
	ASSERT_EQ(0, ts_write_file_atomic(self->file, "b 2\nc 3\n", 8));
	EXPECT_STREQ("b 2\nc 3\n", slurp(self->file));
	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_EQ(0644, st.st_mode & 0777);
	/* No temporary file left beside it. */
	EXPECT_EQ(1, entries(self->path));

	ASSERT_EQ(0, ts_write_file_atomic(self->file, "", 0));
	EXPECT_STREQ("", slurp(self->file));
	umask(old);
}

TEST_F(dir, failure_leaves_nothing)
{
	char missing[128];

	snprintf(missing, sizeof(missing), "%s/no/such.prom", self->path);
	EXPECT_EQ(-ENOENT, ts_write_file_atomic(missing, "x", 1));
	/* A directory in the way: the temporary file is cleaned up. */
	ASSERT_EQ(0, mkdir(self->file, 0755));
	EXPECT_GT(0, ts_write_file_atomic(self->file, "x", 1));
	EXPECT_EQ(1, entries(self->path));
	rmdir(self->file);
}

TEST_F(dir, relative_path)
{
	char cwd[256];

	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_EQ(0, chdir(self->path));
	EXPECT_EQ(0, ts_write_file_atomic("tcpsess.prom", "r 1\n", 4));
	ASSERT_EQ(0, chdir(cwd));
	EXPECT_STREQ("r 1\n", slurp(self->file));
	EXPECT_EQ(1, entries(self->path));
}

TEST_HARNESS_MAIN
