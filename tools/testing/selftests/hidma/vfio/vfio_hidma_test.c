// SPDX-License-Identifier: GPL-2.0-only
/*
 * The HIDMA userspace driver against a channel bound to vfio-platform:
 * copies and fills with data checks, polled and interrupt driven, errors
 * on bad addresses, VFIO_DEVICE_RESET idle and with work pending.
 *
 *   HIDMA_VFIO_DEVICE=b100000.dma-controller ./vfio_hidma_test [harness options]
 *
 * The channel must be bound to vfio-platform first (hidma-handoff
 * to-vfio). Every test opens the device and closes it again (the
 * harness runs each in its own process), so vfio-platform resets the
 * channel around each one. With HIDMA_VFIO_STATS=FILE each test appends
 * one line of the driver's counters (struct hidma_udrv_stats) to FILE,
 * for the caller to compare with the model's statistics.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/vfio.h>

#include "kselftest_harness.h"

#include "hidma_udrv.h"

#define TIMEOUT_MS		10000
/* Guard bytes checked on both sides of every destination. */
#define GUARD			64
/* Far from RAM and from anything the virt machine maps; never mapped. */
#define BAD_BUS_ADDR		0xdead00000000ULL

static const char *device_name;

/**
 * struct bufs - a test's data buffers
 * @mem: DMA-able memory, two chunks
 * @src: the first chunk, sources
 * @dst: the second chunk, destinations
 * @half: size of each chunk; bus addresses are contiguous within it
 */
struct bufs {
	struct vfio_dma_mem mem;
	unsigned char *src;
	unsigned char *dst;
	size_t half;
};

FIXTURE(hidma) {
	struct hidma_udrv h;
	struct bufs b;
};

FIXTURE_VARIANT(hidma) {
	bool irq;
};

FIXTURE_VARIANT_ADD(hidma, polled) {
	.irq = false,
};

FIXTURE_VARIANT_ADD(hidma, irq) {
	.irq = true,
};

/* One line of counters per test for HIDMA_VFIO_STATS. */
static void stats_report(const char *test, const struct hidma_udrv_stats *s)
{
	const char *path = getenv("HIDMA_VFIO_STATS");
	FILE *f;

	if (!path)
		return;
	f = fopen(path, "a");
	if (!f)
		return;
	fprintf(f, "%s doorbells %llu tres %llu errors %llu bytes %llu",
		test, (unsigned long long)s->doorbells,
		(unsigned long long)s->tres, (unsigned long long)s->errors,
		(unsigned long long)s->bytes);
	fprintf(f, " irqs %llu vfio_resets %llu\n",
		(unsigned long long)s->irqs,
		(unsigned long long)s->vfio_resets);
	fclose(f);
}

/*
 * Open the channel, give it its source and destination chunks (mapped
 * through the container under an IOMMU) and start it.
 */
static void chan_setup(struct __test_metadata *_metadata,
		       struct hidma_udrv *h, struct bufs *b, bool irq)
{
	size_t hsz = hugepage_size();
	int ret;

	ret = hidma_udrv_open(h, device_name, irq);
	ASSERT_EQ(0, ret) TH_LOG("open %s: %s", device_name, strerror(-ret));

	/* Source and destination each in one contiguous chunk. */
	b->half = hsz ? hsz : 2 << 20;
	ret = vfio_dma_alloc(&h->vfio, &b->mem, 2 * b->half);
	ASSERT_EQ(0, ret) TH_LOG("DMA memory: %s", strerror(-ret));
	b->src = b->mem.va;
	b->dst = b->src + b->half;
	ASSERT_LE(b->half, vfio_dma_contig(&b->mem, b->src));
	ASSERT_LE(b->half, vfio_dma_contig(&b->mem, b->dst));

	ret = h->ops->init(h);
	ASSERT_EQ(0, ret) TH_LOG("init: %s", strerror(-ret));
}

static void chan_teardown(struct __test_metadata *_metadata,
			  struct hidma_udrv *h, struct bufs *b)
{
	if (!h->ops)
		return;
	h->ops->remove(h);
	stats_report(_metadata->name, &h->stats);
	vfio_dma_free(&h->vfio, &b->mem);
	hidma_udrv_close(h);
}

FIXTURE_SETUP(hidma)
{
	if (!device_name)
		SKIP(return, "HIDMA_VFIO_DEVICE names no channel");
	chan_setup(_metadata, &self->h, &self->b, variant->irq);
}

FIXTURE_TEARDOWN(hidma)
{
	chan_teardown(_metadata, &self->h, &self->b);
}

/* Bus address of a byte of the fixture's buffers. */
#define BUS(p)	vfio_dma_bus(&self->b.mem, (p))

static void fill_random(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

/* First index in [p, p + len) whose byte differs from @val, or -1. */
static long first_not(const unsigned char *p, size_t len, unsigned char val)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != val)
			return i;
	return -1;
}

/*
 * Polled mode masks every cause: no interrupt may have come. (In
 * interrupt mode, work done before the driver waits may raise and clear
 * its cause without any trigger; memcpy_then_interrupt_* tests triggers.)
 */
static void check_irqs(struct __test_metadata *_metadata,
		       struct hidma_udrv *h, bool irq)
{
	if (irq)
		return;
	ASSERT_EQ(0, h->stats.irqs);
	ASSERT_EQ(0, vfio_plat_irq_wait(&h->vfio, 0));
}

/*
 * Copy @len bytes from src + @soff to dst + @doff (each after a guard
 * area) and check the copy and the guard bytes around it.
 */
static void check_memcpy(struct __test_metadata *_metadata,
			 struct hidma_udrv *h, struct bufs *b, size_t len,
			 size_t soff, size_t doff, unsigned int seed)
{
	unsigned char *s = b->src + GUARD + soff;
	unsigned char *d = b->dst + GUARD + doff;

	fill_random(s, len, seed);
	memset(b->dst, 0xa5, len + doff + 2 * GUARD);
	ASSERT_EQ(0, h->ops->memcpy_start(h, vfio_dma_bus(&b->mem, s),
					  vfio_dma_bus(&b->mem, d), len, 1));
	ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
	ASSERT_EQ(0, memcmp(s, d, len))
		TH_LOG("copy of %zu bytes differs", len);
	ASSERT_EQ(-1, first_not(b->dst, GUARD + doff, 0xa5));
	ASSERT_EQ(-1, first_not(d + len, GUARD, 0xa5))
		TH_LOG("copy of %zu bytes wrote past its end", len);
}

/* Fill @len bytes at dst + @doff with @val, check it and the guards. */
static void check_memset(struct __test_metadata *_metadata,
			 struct hidma_udrv *h, struct bufs *b, size_t len,
			 size_t doff, unsigned char val)
{
	unsigned char *d = b->dst + GUARD + doff;

	memset(b->dst, 0xa5, len + doff + 2 * GUARD);
	ASSERT_EQ(0, h->ops->memset_start(h, vfio_dma_bus(&b->mem, d), val,
					  len));
	ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
	ASSERT_EQ(-1, first_not(d, len, val))
		TH_LOG("fill of %zu bytes with 0x%02x", len, val);
	ASSERT_EQ(-1, first_not(b->dst, GUARD + doff, 0xa5));
	ASSERT_EQ(-1, first_not(d + len, GUARD, 0xa5));
}

TEST_F(hidma, device_info_then_regions_then_irq)
{
	struct vfio_plat *v = &self->h.vfio;
	__u32 irq = VFIO_IRQ_INFO_EVENTFD | VFIO_IRQ_INFO_MASKABLE |
		    VFIO_IRQ_INFO_AUTOMASKED;

	ASSERT_TRUE(v->flags & VFIO_DEVICE_FLAGS_PLATFORM);
	ASSERT_TRUE(v->flags & VFIO_DEVICE_FLAGS_RESET)
		TH_LOG("vfio-platform found no reset handler");
	ASSERT_LE(2, v->num_regions);
	ASSERT_LE(HIDMA_REGION_SIZE, v->regions[HIDMA_REGION_TRCA].size);
	ASSERT_LE(HIDMA_REGION_SIZE, v->regions[HIDMA_REGION_EVCA].size);
	ASSERT_LE(1, v->num_irqs);
	/* A level interrupt: vfio-platform masks it on every trigger. */
	ASSERT_EQ(irq, v->irq_flags & irq);
	TH_LOG("%s: group %s, channel %u, registers by %s", v->name,
	       v->group_path, self->h.chid,
	       v->regions[0].map ? "mmap" : "read/write");
}

TEST_F(hidma, init_then_remove_10x)
{
	int i;

	for (i = 0; i < 10; i++) {
		ASSERT_EQ(STATE_ENABLED,
			  hidma_udrv_state(&self->h, HIDMA_REGION_TRCA));
		ASSERT_EQ(STATE_ENABLED,
			  hidma_udrv_state(&self->h, HIDMA_REGION_EVCA));
		self->h.ops->remove(&self->h);
		ASSERT_EQ(STATE_DISABLED,
			  hidma_udrv_state(&self->h, HIDMA_REGION_TRCA));
		ASSERT_EQ(STATE_DISABLED,
			  hidma_udrv_state(&self->h, HIDMA_REGION_EVCA));
		ASSERT_EQ(0, self->h.ops->init(&self->h));
	}
	check_memcpy(_metadata, &self->h, &self->b, 4096, 0, 0, 1);
}

TEST_F_TIMEOUT(hidma, memcpy_sizes_and_offsets_then_check_data, 300)
{
	static const size_t sizes[] = {
		1, 2, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 1000, 4095,
		4096, 4097, 65535, 65536, 100000, 1 << 20,
	};
	static const size_t offs[] = { 0, 1, 3, 8, 4095 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (j = 0; j < ARRAY_SIZE(offs); j++)
			check_memcpy(_metadata, &self->h, &self->b, sizes[i],
				     offs[j], offs[(j + i) % ARRAY_SIZE(offs)],
				     i * 7 + j);
	ASSERT_EQ(0, self->h.stats.errors);
	ASSERT_EQ(ARRAY_SIZE(sizes) * ARRAY_SIZE(offs), self->h.stats.tres);
	check_irqs(_metadata, &self->h, variant->irq);
}

TEST_F_TIMEOUT(hidma, memset_sizes_and_values_then_check_data, 300)
{
	static const size_t sizes[] = {
		1, 2, 7, 8, 9, 15, 16, 17, 100, 4096, 4099, 65536, 1 << 20,
	};
	static const size_t offs[] = { 0, 1, 6 };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (j = 0; j < ARRAY_SIZE(offs); j++)
			check_memset(_metadata, &self->h, &self->b, sizes[i],
				     offs[j], 0x11 * (i + j) + 0x5c);
	ASSERT_EQ(0, self->h.stats.errors);
	ASSERT_EQ(ARRAY_SIZE(sizes) * ARRAY_SIZE(offs), self->h.stats.tres);
	check_irqs(_metadata, &self->h, variant->irq);
}

/* A full TRE ring in one doorbell: more TREs than the event ring holds. */
TEST_F_TIMEOUT(hidma, memcpy_511_tres_one_doorbell_then_check_data, 120)
{
	unsigned char *src = self->b.src, *dst = self->b.dst;
	const size_t len = 2048;

	fill_random(src, len, 42);
	memset(dst, 0, len + GUARD);
	ASSERT_EQ(0, self->h.ops->memcpy_start(&self->h, BUS(src), BUS(dst),
					       len, HIDMA_UDRV_MAX_PENDING));
	ASSERT_EQ(-ENOSPC, self->h.ops->memcpy_start(&self->h, BUS(src),
						     BUS(dst), len, 1));
	ASSERT_EQ(0, self->h.ops->wait(&self->h, TIMEOUT_MS));
	ASSERT_EQ(0, memcmp(src, dst, len));
	ASSERT_EQ(-1, first_not(dst + len, GUARD, 0));
	ASSERT_EQ(HIDMA_UDRV_MAX_PENDING, self->h.stats.tres);
	ASSERT_EQ(1, self->h.stats.doorbells);
	check_irqs(_metadata, &self->h, variant->irq);
}

/* Many doorbells while earlier TREs are in flight, one wait at the end. */
TEST_F_TIMEOUT(hidma, memcpy_200_doorbells_then_one_wait_then_check_data, 120)
{
	unsigned char *src = self->b.src, *dst = self->b.dst;
	const size_t len = 4096 + 8;
	const int n = 200;
	int i;

	fill_random(src, n * len, 7);
	memset(dst, 0, n * len + GUARD);
	for (i = 0; i < n; i++)
		ASSERT_EQ(0, self->h.ops->memcpy_start(&self->h,
						       BUS(src + i * len),
						       BUS(dst + i * len),
						       len, 1));
	ASSERT_EQ(0, self->h.ops->wait(&self->h, TIMEOUT_MS));
	ASSERT_EQ(0, memcmp(src, dst, n * len));
	ASSERT_EQ(-1, first_not(dst + n * len, GUARD, 0));
	ASSERT_EQ(n, self->h.stats.doorbells);
	ASSERT_EQ(n, self->h.stats.tres);
	check_irqs(_metadata, &self->h, variant->irq);
}

/*
 * The level interrupt as vfio-platform forwards it: it fires on EOB, stays
 * masked until the driver unmasks it (however long the cause stays
 * pending), does not fire on unmask once the cause is cleared, and fires
 * again on the next EOB. Polled: it never fires.
 */
TEST_F(hidma, memcpy_then_interrupt_then_masked_then_unmask_then_memcpy_then_interrupt)
{
	struct hidma_udrv *h = &self->h;
	const int quiet_ms = 300;
	int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, h->ops->memcpy_start(h, BUS(self->b.src),
						  BUS(self->b.dst), 4096, 1));
		if (!variant->irq) {
			ASSERT_EQ(0, hidma_udrv_irq_wait(h, quiet_ms));
			ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
			continue;
		}
		ASSERT_LT(0, hidma_udrv_irq_wait(h, TIMEOUT_MS))
			TH_LOG("no interrupt for EOB %d", i);
		ASSERT_TRUE(hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT) &
			    HW_BIT(CAUSE_EOB));
		/* Cause pending, line high, but masked: nothing more. */
		ASSERT_EQ(0, hidma_udrv_irq_wait(h, quiet_ms));
		/* Reaps, clears the cause, unmasks: the line is low. */
		ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
		ASSERT_EQ(0, hidma_udrv_irq_wait(h, quiet_ms));
	}
	ASSERT_EQ(2, h->stats.tres);
	check_irqs(_metadata, h, variant->irq);
}

/*
 * A transfer that faults: the channel writes an error event naming the
 * cause, raises the cause and stops. The wait ends on the error, well
 * before its timeout; VFIO_DEVICE_RESET and init bring the channel back.
 */
static void bad_address_case(struct __test_metadata *_metadata,
			     struct hidma_udrv *h, bool irq, __u64 src,
			     __u64 dst, unsigned int cause)
{
	struct timespec t0, t1;
	long ms;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT_EQ(0, h->ops->memcpy_start(h, src, dst, 4096, 1));
	ret = h->ops->wait(h, TIMEOUT_MS);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ASSERT_EQ(-EIO, ret) TH_LOG("wait: %s after %ld ms", strerror(-ret), ms);
	ASSERT_GT(TIMEOUT_MS / 2, ms);

	ASSERT_EQ(EVRE_ERROR, hw_get(EVRE_CODE, h->error_status))
		TH_LOG("event 0x%08x", h->error_status);
	ASSERT_EQ(cause, hw_get(EVRE_INFO, h->error_status));
	ASSERT_TRUE(h->causes & HW_BIT(cause))
		TH_LOG("causes 0x%08x", h->causes);
	ASSERT_EQ(1, h->stats.errors);
	ASSERT_EQ(STATE_STOPPED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	check_irqs(_metadata, h, irq);

	ASSERT_EQ(0, h->ops->reset(h));
	ASSERT_EQ(STATE_ENABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
}

TEST_F(hidma, memcpy_from_bad_address_then_error_event_then_vfio_reset_then_memcpy)
{
	bad_address_case(_metadata, &self->h, variant->irq, BAD_BUS_ADDR,
			 BUS(self->b.dst), CAUSE_DATA_READ);
	check_memcpy(_metadata, &self->h, &self->b, 8192, 0, 0, 3);
}

TEST_F(hidma, memcpy_to_bad_address_then_error_event_then_vfio_reset_then_memcpy)
{
	bad_address_case(_metadata, &self->h, variant->irq, BUS(self->b.src),
			 BAD_BUS_ADDR, CAUSE_DATA_WRITE);
	check_memcpy(_metadata, &self->h, &self->b, 8192, 0, 0, 4);
}

/* After VFIO_DEVICE_RESET: both blocks DISABLED, masked, causes clear. */
static void check_quiet(struct __test_metadata *_metadata,
			struct hidma_udrv *h)
{
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_EVCA));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_TRCA, CH_DOORBELL));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, CH_DOORBELL));
}

TEST_F(hidma, vfio_reset_idle_then_quiet_then_init_then_memcpy)
{
	check_memcpy(_metadata, &self->h, &self->b, 4096, 0, 0, 5);
	ASSERT_EQ(0, vfio_plat_reset(&self->h.vfio));
	self->h.stats.vfio_resets++;
	check_quiet(_metadata, &self->h);
	ASSERT_EQ(0, self->h.ops->init(&self->h));
	check_memcpy(_metadata, &self->h, &self->b, 65536, 1, 2, 6);
}

/*
 * More TREs than the event ring holds and no event consumed: the channel
 * stalls RUNNING with work pending (and, in interrupt mode, its line
 * asserted and masked). VFIO_DEVICE_RESET leaves it DISABLED, masked,
 * causes clear, offsets zero, and it stays so; init and a copy work.
 */
TEST_F(hidma, vfio_reset_with_work_pending_then_quiet_then_init_then_memcpy)
{
	const unsigned int queued = HIDMA_UDRV_EV_CAPACITY + 16;
	const __u32 full = HIDMA_UDRV_EV_CAPACITY * sizeof(struct hidma_evre);
	struct hidma_udrv *h = &self->h;
	const size_t len = 4096;
	int i;

	ASSERT_EQ(0, h->ops->memcpy_start(h, BUS(self->b.src),
					  BUS(self->b.dst), len, queued));
	for (i = 0; i < TIMEOUT_MS; i++) {
		if (hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR) == full)
			break;
		usleep(1000);
	}
	ASSERT_EQ(full, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
	usleep(10000);
	/* Still stalled: nothing goes past a full event ring. */
	ASSERT_EQ(full, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
	ASSERT_EQ(STATE_RUNNING, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(HIDMA_UDRV_EV_CAPACITY, hidma_udrv_reap(h, false));
	ASSERT_EQ(queued - HIDMA_UDRV_EV_CAPACITY, h->pending);

	ASSERT_EQ(0, vfio_plat_reset(&h->vfio));
	h->stats.vfio_resets++;
	check_quiet(_metadata, h);
	usleep(10000);
	check_quiet(_metadata, h);

	ASSERT_EQ(0, h->ops->init(h));
	check_memcpy(_metadata, h, &self->b, len, 0, 0, 8);
	ASSERT_EQ(HIDMA_UDRV_EV_CAPACITY + 1, h->stats.tres);
}

/*
 * Isolation under VFIO type1 (a group behind an IOMMU): the channel
 * reaches what this process mapped with VFIO_IOMMU_MAP_DMA and nothing
 * else. A TRE aimed at an IOVA that was mapped and is no longer, at a
 * page of this process it never mapped for the device, or at the host
 * kernel's own memory by its physical address ends in the contract's
 * data read or write error, the memory it aimed at is untouched, nothing
 * of it reaches the destination, and VFIO_DEVICE_RESET and init bring
 * the channel back. Run with an IOMMU only (the shell test excludes the
 * fixture with no-IOMMU groups, where nothing isolates the device).
 */
#define CANARY		0x3c
#define IOMMU_PROBE	4096

FIXTURE(iommu) {
	struct hidma_udrv h;
	struct bufs b;
	unsigned char *page;	/* never mapped for the device */
	__u64 page_pa;
};

FIXTURE_SETUP(iommu)
{
	if (!device_name)
		SKIP(return, "HIDMA_VFIO_DEVICE names no channel");
	chan_setup(_metadata, &self->h, &self->b, false);
	ASSERT_FALSE(self->h.vfio.noiommu)
		TH_LOG("a no-IOMMU group: nothing isolates the channel");

	self->page = mmap(NULL, IOMMU_PROBE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED |
			  MAP_POPULATE, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	memset(self->page, CANARY, IOMMU_PROBE);
	ASSERT_EQ(0, vfio_phys_addr(self->page, &self->page_pa));
}

FIXTURE_TEARDOWN(iommu)
{
	if (self->page && self->page != MAP_FAILED)
		munmap(self->page, IOMMU_PROBE);
	chan_teardown(_metadata, &self->h, &self->b);
}

/* @addr is no IOVA of the container's mappings (the fixture's buffers). */
static void assert_not_mapped(struct __test_metadata *_metadata,
			      const struct bufs *b, __u64 addr)
{
	__u64 lo = b->mem.bus[0];

	ASSERT_TRUE(addr + IOMMU_PROBE <= lo || addr >= lo + b->mem.size)
		TH_LOG("0x%llx is inside the mapping at 0x%llx",
		       (unsigned long long)addr, (unsigned long long)lo);
}

/* An IOVA that was mapped for the device and is not any more. */
static __u64 stale_iova(struct __test_metadata *_metadata,
			struct hidma_udrv *h)
{
	struct vfio_dma_mem m;
	__u64 iova;

	if (vfio_dma_alloc(&h->vfio, &m, IOMMU_PROBE))
		return 0;
	iova = vfio_dma_bus(&m, m.va);
	vfio_dma_free(&h->vfio, &m);
	return iova;
}

/* Start of the host kernel's code, a physical address, from /proc/iomem. */
static __u64 kernel_code_pa(void)
{
	unsigned long long lo = 0, hi;
	char line[256];
	FILE *f;

	f = fopen("/proc/iomem", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, ": Kernel code") &&
		    sscanf(line, " %llx-%llx", &lo, &hi) == 2)
			break;
	fclose(f);
	return lo;
}

/* A read from @addr fails, and nothing of it reaches the destination. */
static void read_isolated(struct __test_metadata *_metadata,
			  struct hidma_udrv *h, struct bufs *b, __u64 addr)
{
	ASSERT_NE(0, addr);
	assert_not_mapped(_metadata, b, addr);
	memset(b->dst, 0xa5, IOMMU_PROBE);
	bad_address_case(_metadata, h, false, addr, vfio_dma_bus(&b->mem, b->dst),
			 CAUSE_DATA_READ);
	ASSERT_EQ(-1, first_not(b->dst, IOMMU_PROBE, 0xa5))
		TH_LOG("the destination received data read from 0x%llx",
		       (unsigned long long)addr);
	check_memcpy(_metadata, h, b, 8192, 0, 0, 9);
}

/* A write to @addr fails. */
static void write_isolated(struct __test_metadata *_metadata,
			   struct hidma_udrv *h, struct bufs *b, __u64 addr)
{
	ASSERT_NE(0, addr);
	assert_not_mapped(_metadata, b, addr);
	fill_random(b->src, IOMMU_PROBE, 11);
	bad_address_case(_metadata, h, false, vfio_dma_bus(&b->mem, b->src),
			 addr, CAUSE_DATA_WRITE);
	check_memcpy(_metadata, h, b, 8192, 0, 0, 10);
}

TEST_F(iommu, memcpy_from_unmapped_iova_then_read_error_then_memcpy)
{
	read_isolated(_metadata, &self->h, &self->b,
		      stale_iova(_metadata, &self->h));
}

TEST_F(iommu, memcpy_to_unmapped_iova_then_write_error_then_memcpy)
{
	write_isolated(_metadata, &self->h, &self->b,
		       stale_iova(_metadata, &self->h));
}

TEST_F(iommu, memcpy_from_own_page_never_mapped_then_read_error_then_memcpy)
{
	read_isolated(_metadata, &self->h, &self->b, self->page_pa);
}

TEST_F(iommu, memcpy_to_own_page_never_mapped_then_write_error_then_canary_intact)
{
	write_isolated(_metadata, &self->h, &self->b, self->page_pa);
	ASSERT_EQ(-1, first_not(self->page, IOMMU_PROBE, CANARY))
		TH_LOG("the device wrote to memory never mapped for it");
}

TEST_F(iommu, memcpy_from_host_kernel_code_then_read_error_then_memcpy)
{
	read_isolated(_metadata, &self->h, &self->b, kernel_code_pa());
}

/*
 * The software MSI window belongs to the kernel: VFIO_IOMMU_MAP_DMA
 * refuses to map anything there, and nothing is mapped there for a
 * vfio-platform device (vfio-platform sets up no MSIs), so an MSI the
 * owner aims into the window, where the kernel would map the interrupt
 * controller's doorbell, faults in the SMMU and rings nothing. The copy
 * that raised it completes; the shell test finds the SMMU's event at
 * the window's address under the channel's stream ID.
 */
#define SW_MSI_BASE	0x8000000ULL
#define SW_MSI_PROBE	(SW_MSI_BASE + 0x40)

TEST_F(iommu, msi_into_sw_msi_window_then_map_refused_and_msi_faults_then_memcpy)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct hidma_udrv *h = &self->h;

	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)self->page;
	map.iova = SW_MSI_BASE;
	map.size = IOMMU_PROBE;
	ASSERT_NE(0, ioctl(h->vfio.container, VFIO_IOMMU_MAP_DMA, &map))
		TH_LOG("the owner mapped memory into the software MSI window");
	ASSERT_EQ(EINVAL, errno);

	if (hidma_udrv_msi_capable(device_name)) {
		/*
		 * The kernel prints 10 SMMU events per 5 s; the faults of
		 * the tests before filled the window. Let it close so
		 * that the MSI's one event shows.
		 */
		sleep(6);
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, 0);
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_MSI_ADDR_LO, (__u32)SW_MSI_PROBE);
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_MSI_ADDR_HI, 0);
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_MSI_DATA, 0);
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_INTCTRL,
			 hw_put(INTCTRL_MODE, INTCTRL_MSI));
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, HW_BIT(CAUSE_EOB));
	}
	check_memcpy(_metadata, h, &self->b, 4096, 0, 0, 12);
	/* In MSI mode the wired line stays low: nothing reached the owner. */
	ASSERT_EQ(0, vfio_plat_irq_wait(&h->vfio, 100));
	ASSERT_EQ(0, h->stats.errors);
}

int main(int argc, char **argv)
{
	device_name = getenv("HIDMA_VFIO_DEVICE");
	return test_harness_run(argc, argv);
}
