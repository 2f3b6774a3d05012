// SPDX-License-Identifier: GPL-2.0-only
/*
 * hidma_mgmt sysfs ABI, attribute by attribute: file modes, valid values
 * land in the register, invalid ones are -EINVAL and change nothing, the
 * number syntax each file accepts and rejects (spelled out in
 * Documentation/ABI/testing/sysfs-driver-hidma_mgmt, kept compatible with
 * the kernel's hdma_mgmt), a weight of 0 taken as 1, an unprivileged user
 * cannot write, concurrent writers of the two halves of one register do
 * not lose each other's update.
 *
 * Registers are read through the model's test interface (vmctl qom-get,
 * see Documentation/virtual-platform.rst), never through the driver.
 * Every test restores what it changed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define MGMT		"/sys/bus/platform/devices/b000000.hidma-mgmt"
#define NOBODY		65534
#define MAX_CHANS	32

/* Contents of a write, as written: no newline added. */
static int sysfs_write(const char *path, const char *val)
{
	ssize_t ret;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ret = write(fd, val, strlen(val));
	ret = ret < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int sysfs_read(const char *path, unsigned long *val)
{
	char buf[64], *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = 0;
	errno = 0;
	*val = strtoul(buf, &end, 10);
	if (errno || end == buf || strcmp(end, "\n"))
		return -EINVAL;
	return 0;
}

static unsigned long read_or_die(struct __test_metadata *_metadata,
				 const char *path)
{
	unsigned long val = 0;

	ASSERT_EQ(0, sysfs_read(path, &val)) TH_LOG("reading %s", path);
	return val;
}

/*
 * A QOM property of the model, e.g. "mgmt-max-xactions", "chan3-qos",
 * asked of the host's bridge as vmctl asks it (tools/testing/guest/vmctl:
 * one request line on the control port, one "ok VALUE" / "err ..." line
 * back, under vmctl's lock directory), without vmctl's processes: this
 * test reads some 170 registers, and under TCG each vmctl (sh, stty, tr,
 * rm) cost about a third of a second, most of the test's time.
 */
#define VMCTL_PORT	"/dev/hvc0"
#define VMCTL_LOCK	"/run/vmctl.lock"

/* vmctl's lock: a directory holding its owner's pid, broken when the
 * owner is gone.
 */
static int vmctl_lock(void)
{
	char buf[32];
	int fd, tries;
	ssize_t n;
	pid_t owner;

	for (tries = 0; tries < 3000; tries++) {
		if (!mkdir(VMCTL_LOCK, 0755)) {
			fd = open(VMCTL_LOCK "/pid", O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd >= 0) {
				snprintf(buf, sizeof(buf), "%d\n", getpid());
				n = write(fd, buf, strlen(buf));
				close(fd);
				if (n != (ssize_t)strlen(buf))
					return -EIO;
			}
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
		fd = open(VMCTL_LOCK "/pid", O_RDONLY);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			buf[n > 0 ? n : 0] = 0;
			owner = atoi(buf);
			if (owner > 0 && kill(owner, 0) && errno == ESRCH) {
				unlink(VMCTL_LOCK "/pid");
				rmdir(VMCTL_LOCK);
				continue;
			}
		}
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static void vmctl_unlock(void)
{
	unlink(VMCTL_LOCK "/pid");
	rmdir(VMCTL_LOCK);
}

static int model_get(const char *prop, unsigned long *val)
{
	char req[128], buf[128], *end;
	struct termios tio;
	size_t n = 0;
	ssize_t r;
	int fd, ret;

	ret = vmctl_lock();
	if (ret)
		return ret;
	fd = open(VMCTL_PORT, O_RDWR | O_NOCTTY);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	/* As vmctl: the port must not echo the answer back to the host. */
	if (!tcgetattr(fd, &tio)) {
		cfmakeraw(&tio);
		tcsetattr(fd, TCSANOW, &tio);
	}
	snprintf(req, sizeof(req), "qom-get /machine/hidma %s\n", prop);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		ret = -EIO;
		goto close;
	}
	/* One line back; a byte at a time, so nothing after it is taken. */
	while (n < sizeof(buf) - 1) {
		r = read(fd, buf + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || buf[n] == '\n')
			break;
		if (buf[n] != '\r')
			n++;
	}
	buf[n] = 0;
	if (strncmp(buf, "ok ", 3)) {
		fprintf(stderr, "vmctl qom-get %s: %s\n", prop, buf);
		ret = -EIO;
		goto close;
	}
	*val = strtoul(buf + 3, &end, 0);
	ret = end == buf + 3 ? -EINVAL : 0;
close:
	close(fd);
out:
	vmctl_unlock();
	return ret;
}

static unsigned long field(unsigned long reg, int shift, int width)
{
	return (reg >> shift) & ((1UL << width) - 1);
}

static int nr_channels(void)
{
	unsigned long n = 0;

	if (sysfs_read(MGMT "/dma_channels", &n) || n < 1 || n > MAX_CHANS)
		return -1;
	return n;
}

/* Invalid for every file. "" is a zero-length write: sysfs returns 0 and
 * never calls the driver, so only "nothing changed" is checked for it.
 * 4294967297 and 0x100000080 are 1 and 128 truncated to 32 bits, which
 * the kernel's driver accepted as such.
 */
static const char *const invalid_common[] = {
	"", "\n", " ", "abc", "-1", "-0", "1 ", " 1", "1.0", "0x", "0x1g",
	"12abc", "4294967296", "4294967297", "0x100000080",
	"18446744073709551616", "99999999999999999999999999999999", "--1",
	NULL,
};

FIXTURE(attr) {
	int nr;				/* files: 1, or one per channel */
	char path[MAX_CHANS][160];
	char reg[MAX_CHANS][32];
	unsigned long saved[MAX_CHANS];
};

FIXTURE_VARIANT(attr) {
	const char *file;		/* below MGMT; %d: channel */
	const char *reg;		/* model property; %d: channel */
	int shift;
	int width;
	const char *const *valid;
	const char *const *invalid;
	bool per_chan;
	unsigned long form;		/* valid, spelled every way */
	unsigned long other;		/* valid, != form */
};

#define BURST_VALID	((const char *const[]){ "128", "256", "1024", "0x200", "512\n", NULL })
#define BURST_INVALID	((const char *const[]){ "0", "1", "64", "100", "127", "129", "192", \
					       "1000", "1023", "2048", "4096", "65536", NULL })
#define XACT_VALID	((const char *const[]){ "0", "1", "16", "0x1f", "31\n", NULL })
#define XACT_INVALID	((const char *const[]){ "32", "33", "63", "255", "65536", NULL })

FIXTURE_VARIANT_ADD(attr, max_write_request) {
	.file = "max_write_request", .reg = "mgmt-max-bus-req-len",
	.shift = 16, .width = 16, .valid = BURST_VALID, .invalid = BURST_INVALID,
	.form = 512, .other = 128,
};

FIXTURE_VARIANT_ADD(attr, max_read_request) {
	.file = "max_read_request", .reg = "mgmt-max-bus-req-len",
	.shift = 0, .width = 16, .valid = BURST_VALID, .invalid = BURST_INVALID,
	.form = 512, .other = 128,
};

FIXTURE_VARIANT_ADD(attr, max_wr_xactions) {
	.file = "max_wr_xactions", .reg = "mgmt-max-xactions",
	.shift = 16, .width = 5, .valid = XACT_VALID, .invalid = XACT_INVALID,
	.form = 17, .other = 3,
};

FIXTURE_VARIANT_ADD(attr, max_rd_xactions) {
	.file = "max_rd_xactions", .reg = "mgmt-max-xactions",
	.shift = 0, .width = 5, .valid = XACT_VALID, .invalid = XACT_INVALID,
	.form = 17, .other = 3,
};

FIXTURE_VARIANT_ADD(attr, chreset_timeout_cycles) {
	.file = "chreset_timeout_cycles", .reg = "mgmt-chreset-timeout",
	.shift = 0, .width = 20,
	.valid = (const char *const[]){ "1", "1280", "0x500", "0xfffff", "1048575\n", NULL },
	.invalid = (const char *const[]){ "0", "1048576", "0x100000", "4294967295", NULL },
	.form = 1280, .other = 1,
};

FIXTURE_VARIANT_ADD(attr, priority) {
	.file = "chanops/chan%d/priority", .reg = "chan%d-qos",
	.shift = 15, .width = 1, .per_chan = true,
	.valid = (const char *const[]){ "1", "0", "0x1", "0\n", NULL },
	.invalid = (const char *const[]){ "2", "3", "255", "32768", NULL },
	.form = 1, .other = 0,
};

FIXTURE_VARIANT_ADD(attr, weight) {
	.file = "chanops/chan%d/weight", .reg = "chan%d-qos",
	.shift = 8, .width = 7, .per_chan = true,
	.valid = (const char *const[]){ "1", "2", "7", "0xf", "15\n", NULL },
	.invalid = (const char *const[]){ "16", "17", "127", "128", "255", NULL },
	.form = 7, .other = 2,
};

FIXTURE_SETUP(attr)
{
	int i, chans = nr_channels();

	ASSERT_LT(0, chans) TH_LOG("no bound management device at " MGMT);
	self->nr = variant->per_chan ? chans : 1;
	for (i = 0; i < self->nr; i++) {
		snprintf(self->path[i], sizeof(self->path[i]), MGMT "/");
		snprintf(self->path[i] + strlen(self->path[i]),
			 sizeof(self->path[i]) - strlen(self->path[i]), variant->file, i);
		snprintf(self->reg[i], sizeof(self->reg[i]), variant->reg, i);
		self->saved[i] = read_or_die(_metadata, self->path[i]);
	}
}

FIXTURE_TEARDOWN(attr)
{
	char val[32];
	int i;

	for (i = 0; i < self->nr; i++) {
		snprintf(val, sizeof(val), "%lu", self->saved[i]);
		EXPECT_EQ(0, sysfs_write(self->path[i], val));
	}
}

TEST_F(attr, mode_0644_root)
{
	struct stat st;
	int i;

	for (i = 0; i < self->nr; i++) {
		ASSERT_EQ(0, stat(self->path[i], &st));
		EXPECT_EQ(0644, st.st_mode & 07777) TH_LOG("%s", self->path[i]);
		EXPECT_EQ(0, st.st_uid);
	}
}

TEST_F_TIMEOUT(attr, reads_match_register, 600)
{
	unsigned long reg;
	int i;

	for (i = 0; i < self->nr; i++) {
		ASSERT_EQ(0, model_get(self->reg[i], &reg));
		EXPECT_EQ(field(reg, variant->shift, variant->width),
			  read_or_die(_metadata, self->path[i]))
			TH_LOG("%s vs %s = %#lx", self->path[i], self->reg[i], reg);
	}
}

TEST_F_TIMEOUT(attr, valid_values_land_in_register, 600)
{
	const char *const *v;
	unsigned long want, reg;
	int i;

	for (i = 0; i < self->nr; i++) {
		for (v = variant->valid; *v; v++) {
			want = strtoul(*v, NULL, 0);
			ASSERT_EQ(0, sysfs_write(self->path[i], *v))
				TH_LOG("writing '%s' to %s", *v, self->path[i]);
			EXPECT_EQ(want, read_or_die(_metadata, self->path[i]));
			ASSERT_EQ(0, model_get(self->reg[i], &reg));
			EXPECT_EQ(want, field(reg, variant->shift, variant->width))
				TH_LOG("'%s': %s = %#lx", *v, self->reg[i], reg);
		}
	}
}

/*
 * Checks one rejected write: -EINVAL, and the file did not change. A read
 * of the file reads the register (reads_match_register pins that), so
 * this is a check of the register too; the callers also compare the
 * model's register before and after each batch of rejected writes, which
 * costs a round trip to the host per read.
 */
static void check_rejected(struct __test_metadata *_metadata,
			   const char *path, const char *val)
{
	unsigned long before;
	int ret;

	before = read_or_die(_metadata, path);
	ret = sysfs_write(path, val);
	EXPECT_TRUE(ret == -EINVAL || (!*val && !ret))
		TH_LOG("writing '%s' to %s: %d", val, path, ret);
	EXPECT_EQ(before, read_or_die(_metadata, path)) TH_LOG("after '%s'", val);
}

TEST_F_TIMEOUT(attr, invalid_values_rejected_unchanged, 600)
{
	unsigned long reg_before, reg_after;
	const char *const *v;
	int i;

	/* Start from a value that is not the reset value. */
	ASSERT_EQ(0, sysfs_write(self->path[0], variant->valid[1]));
	for (i = 0; i < self->nr; i += self->nr > 1 ? self->nr - 1 : 1) {
		ASSERT_EQ(0, model_get(self->reg[i], &reg_before));
		for (v = variant->invalid; *v; v++)
			check_rejected(_metadata, self->path[i], *v);
		for (v = invalid_common; *v; v++)
			check_rejected(_metadata, self->path[i], *v);
		ASSERT_EQ(0, model_get(self->reg[i], &reg_after));
		EXPECT_EQ(reg_before, reg_after)
			TH_LOG("%s after the rejected writes to %s", self->reg[i], self->path[i]);
	}
}

/*
 * The number syntax, form by form, with the value in decimal (%1$lu), hex
 * (%1$lx, %1$lX) or octal (%1$lo). Accepted: what the kernel's kstrtoul()
 * based driver accepted, so its admin scripts keep working: decimal,
 * 0x/0X hex, 0-prefixed octal, one leading '+', one trailing newline.
 */
static const char *const forms_accepted[] = {
	"%1$lu", "%1$lu\n", "+%1$lu", "+%1$lu\n", "0x%1$lx", "0X%1$lX\n",
	"0x%1$lX", "+0x%1$lx", "0%1$lo", "+0%1$lo\n", NULL,
};

/* Rejected with EINVAL: any other whitespace, another sign, a second
 * newline, a sign after the prefix, prefixes kstrtou32() does not know.
 */
static const char *const forms_rejected[] = {
	" %1$lu", "\t%1$lu", "\n%1$lu", "%1$lu ", "%1$lu\t", "%1$lu\n\n",
	"%1$lu\r\n", "%1$lu\n ", "++%1$lu", "+-%1$lu", "-+%1$lu", "-%1$lu",
	"+ %1$lu", "+", "+\n", "0x+%1$lx", "0x-%1$lx", "0x %1$lx", "0o%1$lo",
	"0b1", "0d%1$lu", "%1$lu.", NULL,
};

static void write_form(struct __test_metadata *_metadata, const char *path,
		       const char *form, unsigned long val, int want)
{
	char buf[64];
	int ret;

	/* A format from the tables above: one value, three notations. */
	snprintf(buf, sizeof(buf), form, val);
	ret = sysfs_write(path, buf);
	EXPECT_EQ(want, ret) TH_LOG("writing \"%s\" (form \"%s\") to %s",
				    buf, form, path);
}

TEST_F_TIMEOUT(attr, number_forms, 600)
{
	unsigned long reg_before, reg;
	const char *const *f;
	char other[32];
	int i;

	snprintf(other, sizeof(other), "%lu", variant->other);
	for (i = 0; i < self->nr; i += self->nr > 1 ? self->nr - 1 : 1) {
		for (f = forms_accepted; *f; f++) {
			ASSERT_EQ(0, sysfs_write(self->path[i], other));
			write_form(_metadata, self->path[i], *f, variant->form, 0);
			EXPECT_EQ(variant->form, read_or_die(_metadata, self->path[i]))
				TH_LOG("after form \"%s\"", *f);
		}
		/* What the file shows is the register. */
		ASSERT_EQ(0, model_get(self->reg[i], &reg_before));
		EXPECT_EQ(variant->form, field(reg_before, variant->shift, variant->width))
			TH_LOG("%s = %#lx", self->reg[i], reg_before);
		for (f = forms_rejected; *f; f++) {
			write_form(_metadata, self->path[i], *f, variant->other, -EINVAL);
			EXPECT_EQ(variant->form, read_or_die(_metadata, self->path[i]))
				TH_LOG("after form \"%s\"", *f);
		}
		ASSERT_EQ(0, model_get(self->reg[i], &reg));
		EXPECT_EQ(reg_before, reg) TH_LOG("%s after the rejected forms", self->reg[i]);
	}
}

/*
 * A weight of 0 is taken as 1, as the kernel's driver took it: the write
 * succeeds, the file and the register then hold 1; the register never
 * holds 0.
 */
TEST(weight_zero_is_one)
{
	static const char *const zeros[] = { "0", "0\n", "+0", "0x0", "00", NULL };
	int chans = nr_channels(), i;
	const char *const *z;
	unsigned long saved, reg;
	char path[160], prop[32], val[32];

	ASSERT_LT(0, chans);
	for (i = 0; i < chans; i += chans > 1 ? chans - 1 : 1) {
		snprintf(path, sizeof(path), MGMT "/chanops/chan%d/weight", i);
		snprintf(prop, sizeof(prop), "chan%d-qos", i);
		saved = read_or_die(_metadata, path);
		for (z = zeros; *z; z++) {
			ASSERT_EQ(0, sysfs_write(path, "9"));
			EXPECT_EQ(0, sysfs_write(path, *z)) TH_LOG("'%s' to %s", *z, path);
			EXPECT_EQ(1, read_or_die(_metadata, path)) TH_LOG("after '%s'", *z);
		}
		ASSERT_EQ(0, model_get(prop, &reg));
		EXPECT_EQ(1, field(reg, 8, 7)) TH_LOG("%s = %#lx", prop, reg);
		snprintf(val, sizeof(val), "%lu", saved);
		EXPECT_EQ(0, sysfs_write(path, val));
	}
}

/* In a child that has become nobody: 10 if open for writing was refused
 * with EACCES, 11 if refused otherwise, 12 if the write went through, 13
 * if reading was refused, 14 if privileges could not be dropped.
 */
static int as_nobody(const char *path, const char *val)
{
	char buf[32];
	pid_t pid;
	int fd, status;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
			_exit(14);
		fd = open(path, O_RDONLY);
		if (fd < 0 || read(fd, buf, sizeof(buf)) <= 0)
			_exit(13);
		close(fd);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			_exit(errno == EACCES ? 10 : 11);
		_exit(write(fd, val, strlen(val)) < 0 ? 11 : 12);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F_TIMEOUT(attr, unprivileged_write_denied, 600)
{
	unsigned long before, reg_before, reg_after;
	int i;

	for (i = 0; i < self->nr; i++) {
		before = read_or_die(_metadata, self->path[i]);
		ASSERT_EQ(0, model_get(self->reg[i], &reg_before));
		EXPECT_EQ(10, as_nobody(self->path[i], variant->valid[0]))
			TH_LOG("%s", self->path[i]);
		EXPECT_EQ(before, read_or_die(_metadata, self->path[i]));
		ASSERT_EQ(0, model_get(self->reg[i], &reg_after));
		EXPECT_EQ(reg_before, reg_after);
	}
}

TEST(read_only_files)
{
	static const char *const files[] = {
		"hw_version_major", "hw_version_minor", "dma_channels", NULL,
	};
	const char *const *f;
	char path[160];
	unsigned long before;
	struct stat st;

	for (f = files; *f; f++) {
		snprintf(path, sizeof(path), MGMT "/%s", *f);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(0444, st.st_mode & 07777) TH_LOG("%s", path);
		before = read_or_die(_metadata, path);
		/* kernfs refuses to open a file without a w bit for writing,
		 * root included, as it did for the kernel's hdma_mgmt.
		 */
		EXPECT_EQ(-EACCES, sysfs_write(path, "1")) TH_LOG("root wrote %s", path);
		EXPECT_EQ(before, read_or_die(_metadata, path));
		EXPECT_EQ(10, as_nobody(path, "1")) TH_LOG("nobody: %s", path);
	}
}

TEST(chanops_layout)
{
	int chans = nr_channels(), i, files;
	struct dirent *de;
	char path[160];
	struct stat st;
	DIR *d;

	ASSERT_LT(0, chans);
	snprintf(path, sizeof(path), MGMT "/chanops");
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	for (i = 0; i <= chans; i++) {
		snprintf(path, sizeof(path), MGMT "/chanops/chan%d", i);
		if (i == chans) {
			EXPECT_NE(0, stat(path, &st)) TH_LOG("%s exists", path);
			break;
		}
		d = opendir(path);
		ASSERT_NE(NULL, d) TH_LOG("%s", path);
		files = 0;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			EXPECT_TRUE(!strcmp(de->d_name, "priority") ||
				    !strcmp(de->d_name, "weight"))
				TH_LOG("unexpected %s/%s", path, de->d_name);
			files++;
		}
		closedir(d);
		EXPECT_EQ(2, files) TH_LOG("%s", path);
	}
}

/*
 * Two writers hammer the two halves of one register, each ending on its
 * own last value; afterwards both halves must hold those values.
 */
FIXTURE(pair) {
	char a[160], b[160];
	unsigned long saved_a, saved_b;
};

FIXTURE_VARIANT(pair) {
	const char *a, *b, *reg;
	int shift_a, width_a, shift_b, width_b;
	const char *a_vals[2], *b_vals[2];
};

FIXTURE_VARIANT_ADD(pair, bus_req_len) {
	.a = "max_write_request", .b = "max_read_request", .reg = "mgmt-max-bus-req-len",
	.shift_a = 16, .width_a = 16, .shift_b = 0, .width_b = 16,
	.a_vals = { "128", "512" }, .b_vals = { "1024", "256" },
};

FIXTURE_VARIANT_ADD(pair, xactions) {
	.a = "max_wr_xactions", .b = "max_rd_xactions", .reg = "mgmt-max-xactions",
	.shift_a = 16, .width_a = 5, .shift_b = 0, .width_b = 5,
	.a_vals = { "3", "29" }, .b_vals = { "30", "5" },
};

FIXTURE_VARIANT_ADD(pair, chan0_qos) {
	.a = "chanops/chan0/priority", .b = "chanops/chan0/weight", .reg = "chan0-qos",
	.shift_a = 15, .width_a = 1, .shift_b = 8, .width_b = 7,
	.a_vals = { "0", "1" }, .b_vals = { "9", "4" },
};

FIXTURE_SETUP(pair)
{
	snprintf(self->a, sizeof(self->a), MGMT "/%s", variant->a);
	snprintf(self->b, sizeof(self->b), MGMT "/%s", variant->b);
	self->saved_a = read_or_die(_metadata, self->a);
	self->saved_b = read_or_die(_metadata, self->b);
}

FIXTURE_TEARDOWN(pair)
{
	char val[32];

	snprintf(val, sizeof(val), "%lu", self->saved_a);
	EXPECT_EQ(0, sysfs_write(self->a, val));
	snprintf(val, sizeof(val), "%lu", self->saved_b);
	EXPECT_EQ(0, sysfs_write(self->b, val));
}

static pid_t hammer(const char *path, const char *const vals[2], int rounds)
{
	pid_t pid = fork();
	int i;

	if (pid)
		return pid;
	for (i = 0; i < rounds; i++)
		if (sysfs_write(path, vals[i == rounds - 1 ? 1 : i & 1]))
			_exit(1);
	_exit(0);
}

TEST_F_TIMEOUT(pair, concurrent_writers_keep_both_halves, 600)
{
	unsigned long reg, want_a, want_b;
	int status, i;
	pid_t pids[2];

	pids[0] = hammer(self->a, variant->a_vals, 400);
	pids[1] = hammer(self->b, variant->b_vals, 400);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	want_a = strtoul(variant->a_vals[1], NULL, 0);
	want_b = strtoul(variant->b_vals[1], NULL, 0);
	EXPECT_EQ(want_a, read_or_die(_metadata, self->a));
	EXPECT_EQ(want_b, read_or_die(_metadata, self->b));
	ASSERT_EQ(0, model_get(variant->reg, &reg));
	EXPECT_EQ(want_a, field(reg, variant->shift_a, variant->width_a));
	EXPECT_EQ(want_b, field(reg, variant->shift_b, variant->width_b))
		TH_LOG("%s = %#lx", variant->reg, reg);
}

TEST_HARNESS_MAIN
