// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest-programmed mess: a channel bound to vfio-platform, driven by a
 * userspace driver that breaks every rule Documentation/hardware.rst
 * sets (garbage TREs, lengths of zero and of 4 GiB, rings at unmapped
 * addresses or in the channel's own registers, doorbells past the ring,
 * rings of length zero, misaligned or wrapping rings, DMA and MSIs aimed
 * at the channel's own registers). Each test checks what that document
 * ("Errors") and the model's documented choices say the channel
 * reports: the error event,
 * the interrupt cause, the channel state; and then that VFIO_DEVICE_RESET
 * and a normal set-up bring the channel back to work.
 *
 *   HIDMA_VFIO_DEVICE=b100000.dma-controller ./vfio_hidma_mess [harness options]
 *
 * The channel must be bound to vfio-platform first (hidma-handoff
 * to-vfio). No test lets the channel touch memory the process does not
 * own: every address is the process's DMA memory, an address nothing
 * answers at, or the channel's own registers.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "hidma_udrv.h"

#define TIMEOUT_MS		2000
/* Far from RAM and from anything the virt machine maps; never mapped. */
#define BAD_BUS_ADDR		0xdead00000000ULL
#define BUF_HALF		65536
#define TRE_SIZE		sizeof(struct hidma_tre)
#define EVRE_SIZE		sizeof(struct hidma_evre)
#define TRE_RING_LEN		(HIDMA_UDRV_TRE_SLOTS * TRE_SIZE)
#define EV_RING_LEN		(HIDMA_UDRV_EV_SLOTS * EVRE_SIZE)
#define EVRE_ERR(cause)		(hw_put(EVRE_CODE, EVRE_ERROR) | \
				 hw_put(EVRE_INFO, (cause)))
#define EVRE_OK			hw_put(EVRE_CODE, EVRE_SUCCESS)
/* Offsets Documentation/hardware.rst does not list: read 0, ignore writes. */
#define UNLISTED_OFF		0x800

static const char *device_name;

FIXTURE(mess) {
	struct hidma_udrv h;
	struct vfio_dma_mem buf;
	unsigned char *src;
	unsigned char *dst;
	__u64 trca_phys;
	__u64 evca_phys;
	bool msi;
};

static bool read_file(const char *fmt, const char *name, void *out,
		      size_t size, ssize_t *len)
{
	char path[160];
	int fd;

	snprintf(path, sizeof(path), fmt, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	*len = read(fd, out, size);
	close(fd);
	return *len > 0;
}

/*
 * The bus addresses of the channel's own two register blocks, from its
 * device tree node's reg (one or two cells per address and size).
 */
static void own_regions(__u64 *trca_phys, __u64 *evca_phys, bool *msi)
{
	__be32 cells[8];
	ssize_t len;

	if (read_file("/sys/bus/platform/devices/%s/of_node/reg", device_name,
		      cells, sizeof(cells), &len)) {
		if (len == 32) {
			*trca_phys = (__u64)be32toh(cells[0]) << 32 |
				     be32toh(cells[1]);
			*evca_phys = (__u64)be32toh(cells[4]) << 32 |
				     be32toh(cells[5]);
		} else if (len == 16) {
			*trca_phys = be32toh(cells[0]);
			*evca_phys = be32toh(cells[2]);
		}
	}
	*msi = hidma_udrv_msi_capable(device_name);
}

FIXTURE_SETUP(mess)
{
	int ret;

	if (!device_name)
		SKIP(return, "HIDMA_VFIO_DEVICE names no channel");
	ret = hidma_udrv_open(&self->h, device_name, true);
	ASSERT_EQ(0, ret) TH_LOG("open %s: %s", device_name, strerror(-ret));
	ret = vfio_dma_alloc(&self->h.vfio, &self->buf, 2 * BUF_HALF);
	ASSERT_EQ(0, ret) TH_LOG("DMA memory: %s", strerror(-ret));
	self->src = self->buf.va;
	self->dst = self->src + BUF_HALF;
	ASSERT_LE(2 * BUF_HALF, vfio_dma_contig(&self->buf, self->src));
	own_regions(&self->trca_phys, &self->evca_phys, &self->msi);
	ret = self->h.ops->init(&self->h);
	ASSERT_EQ(0, ret) TH_LOG("init: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(mess)
{
	if (!self->h.ops)
		return;
	self->h.ops->remove(&self->h);
	vfio_dma_free(&self->h.vfio, &self->buf);
	hidma_udrv_close(&self->h);
}

#define SRC(off)	vfio_dma_bus(&self->buf, self->src + (off))
#define DST(off)	vfio_dma_bus(&self->buf, self->dst + (off))

static __u32 tre_cfg(__u32 type, __u32 chid)
{
	return hw_put(TRE_TYPE, type) | hw_put(TRE_CHID, chid) | TRE_IEOB;
}

/* One raw TRE at the producer offset, then the doorbell. */
static void put_raw(struct hidma_udrv *h, __u32 cfg, __u32 len, __u64 src,
		    __u64 dst, __u32 rsvd0, __u32 rsvd1)
{
	struct hidma_tre *t = &h->tre_ring[h->tre_wr / TRE_SIZE];

	t->cfg = htole32(cfg);
	t->len = htole32(len);
	t->src_lo = htole32((__u32)src);
	t->src_hi = htole32((__u32)(src >> 32));
	t->dst_lo = htole32((__u32)dst);
	t->dst_hi = htole32((__u32)(dst >> 32));
	t->rsvd[0] = htole32(rsvd0);
	t->rsvd[1] = htole32(rsvd1);
	h->tre_wr = (h->tre_wr + TRE_SIZE) % TRE_RING_LEN;
	hidma_wr(h, HIDMA_REGION_TRCA, CH_DOORBELL, h->tre_wr);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Wait until the block reads @state; false after TIMEOUT_MS. */
static bool wait_state(struct hidma_udrv *h, unsigned int region,
		       __u32 state)
{
	long long deadline = now_ms() + TIMEOUT_MS;

	do {
		if (hidma_udrv_state(h, region) == state)
			return true;
		usleep(200);
	} while (now_ms() < deadline);
	return hidma_udrv_state(h, region) == state;
}

/* Wait until WRITE_PTR reads @wp; false after TIMEOUT_MS. */
static bool wait_write_ptr(struct hidma_udrv *h, __u32 wp)
{
	long long deadline = now_ms() + TIMEOUT_MS;

	do {
		if (hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR) == wp)
			return true;
		usleep(200);
	} while (now_ms() < deadline);
	return false;
}

static void cmd(struct hidma_udrv *h, unsigned int region, __u32 c)
{
	__u32 v = hidma_rd(h, region, CH_CTRLSTS) & ~CTRLSTS_CMD;

	hidma_wr(h, region, CH_CTRLSTS, v | hw_put(CTRLSTS_CMD, c));
}

/*
 * The channel stopped on a failed TRE with @cause: TRCA STOPPED, the
 * cause raised (no EOB), the wired interrupt fired, and, with @evre, an
 * error event naming the cause at @at in the event ring.
 */
static void expect_error(struct __test_metadata *_metadata,
			 struct hidma_udrv *h, unsigned int cause, bool evre,
			 __u32 at)
{
	__u32 stat, ev;

	ASSERT_TRUE(wait_state(h, HIDMA_REGION_TRCA, STATE_STOPPED))
		TH_LOG("TRCA state %u, IRQ_STAT 0x%x",
		       hidma_udrv_state(h, HIDMA_REGION_TRCA),
		       hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT));
	stat = hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT);
	ASSERT_TRUE(stat & HW_BIT(cause)) TH_LOG("IRQ_STAT 0x%x", stat);
	ASSERT_FALSE(stat & HW_BIT(CAUSE_EOB)) TH_LOG("IRQ_STAT 0x%x", stat);
	ASSERT_LT(0, hidma_udrv_irq_wait(h, TIMEOUT_MS))
		TH_LOG("no interrupt for cause %u", cause);
	if (evre) {
		ASSERT_EQ(at + EVRE_SIZE,
			  hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
		ev = le32toh(h->ev_ring[at / EVRE_SIZE].status);
		ASSERT_EQ(EVRE_ERR(cause), ev) TH_LOG("event 0x%08x", ev);
	}
}

/* VFIO_DEVICE_RESET and set-up: the channel copies again. */
static void recover_bufs(struct __test_metadata *_metadata,
			 struct hidma_udrv *h, struct vfio_dma_mem *buf,
			 unsigned char *src, unsigned char *dst)
{
	int i;

	ASSERT_EQ(0, h->ops->reset(h));
	for (i = 0; i < 4096; i++)
		src[i] = i * 13 + 7;
	memset(dst, 0, 4096);
	ASSERT_EQ(0, h->ops->memcpy_start(h, vfio_dma_bus(buf, src),
					  vfio_dma_bus(buf, dst), 4096, 1));
	ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
	ASSERT_EQ(0, memcmp(src, dst, 4096));
}

/* In a test: recover the fixture's channel. */
#define RECOVER() \
	recover_bufs(_metadata, &self->h, &self->buf, self->src, self->dst)

/* After VFIO_DEVICE_RESET, program both rings by hand; nothing enabled. */
static void program(struct hidma_udrv *h, __u64 tr, __u32 tr_len, __u64 ev,
		    __u32 ev_len)
{
	hidma_wr(h, HIDMA_REGION_TRCA, CH_RING_LOW, (__u32)tr);
	hidma_wr(h, HIDMA_REGION_TRCA, CH_RING_HIGH, (__u32)(tr >> 32));
	hidma_wr(h, HIDMA_REGION_TRCA, CH_RING_LEN, tr_len);
	hidma_wr(h, HIDMA_REGION_EVCA, CH_RING_LOW, (__u32)ev);
	hidma_wr(h, HIDMA_REGION_EVCA, CH_RING_HIGH, (__u32)(ev >> 32));
	hidma_wr(h, HIDMA_REGION_EVCA, CH_RING_LEN, ev_len);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_INTCTRL,
		 hw_put(INTCTRL_MODE, INTCTRL_WIRED));
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_CLR, IRQ_ALL);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, IRQ_ALL);
	h->tre_wr = 0;
}

/* ENABLE both blocks and give the commands time to complete. */
static void enable_both(struct hidma_udrv *h)
{
	cmd(h, HIDMA_REGION_EVCA, CMD_ENABLE);
	cmd(h, HIDMA_REGION_TRCA, CMD_ENABLE);
	usleep(20000);
}

static void fresh(struct __test_metadata *_metadata, struct hidma_udrv *h)
{
	ASSERT_EQ(0, vfio_plat_reset(&h->vfio));
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_EVCA));
	memset(h->ev_ring, 0, EV_RING_LEN);
}

/* Invalid TRE types: error event with cause 14, no data moved. */
TEST_F(mess, tre_type_invalid_then_error_event_then_reset_then_memcpy)
{
	static const __u32 types[] = { 0, 1, 2, 5, 6, 0x80, 0xff };
	struct hidma_udrv *h = &self->h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		memset(self->src, 0x11, 256);
		memset(self->dst, 0x22, 256);
		put_raw(h, tre_cfg(types[i], h->chid), 256, SRC(0), DST(0),
			0, 0);
		expect_error(_metadata, h, CAUSE_INVALID_TRE, true, 0);
		ASSERT_EQ(0x22, self->dst[0]) TH_LOG("type %u moved data",
						     types[i]);
		ASSERT_EQ(0, h->ops->reset(h));
	}
	RECOVER();
}

TEST_F(mess, tre_length_zero_then_error_event_then_reset_then_memcpy)
{
	put_raw(&self->h, tre_cfg(TRE_MEMCPY, self->h.chid), 0, SRC(0),
		DST(0), 0, 0);
	expect_error(_metadata, &self->h, CAUSE_INVALID_TRE, true, 0);
	RECOVER();
}

TEST_F(mess, tre_other_channel_then_error_event_then_reset_then_memcpy)
{
	put_raw(&self->h, tre_cfg(TRE_MEMSET, (self->h.chid + 1) & 0xff), 64,
		0, DST(0), 0, 0);
	expect_error(_metadata, &self->h, CAUSE_INVALID_TRE, true, 0);
	RECOVER();
}

/* Reserved bits and words are ignored (model choice): the copy works. */
TEST_F(mess, tre_reserved_bits_set_then_memcpy_works)
{
	struct hidma_udrv *h = &self->h;
	__u32 ev;
	int i;

	for (i = 0; i < 1024; i++)
		self->src[i] = i ^ 0x5a;
	memset(self->dst, 0, 1024);
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid) | 0xfffe0000, 1024, SRC(0),
		DST(0), 0xdeadbeef, 0xffffffff);
	ASSERT_TRUE(wait_write_ptr(h, EVRE_SIZE));
	ev = le32toh(h->ev_ring[0].status);
	ASSERT_EQ(EVRE_OK, ev) TH_LOG("event 0x%08x", ev);
	ASSERT_EQ(0, memcmp(self->src, self->dst, 1024));
	ASSERT_TRUE(wait_state(h, HIDMA_REGION_TRCA, STATE_ENABLED));
}

/*
 * 64 TREs of random bytes, each on a freshly set-up channel. A random
 * TRE that happens to be a valid memcpy or memset for this channel gets
 * addresses nothing answers at, so no memory is touched: every one must
 * end in an error event naming the cause it raised.
 */
TEST_F(mess, tre_garbage_then_error_events_then_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;
	unsigned int seed = 0x1d3a, i, k;

	for (i = 0; i < 64; i++) {
		__u32 w[8], type, stat, ev, cause;

		for (k = 0; k < 8; k++) {
			seed = seed * 1103515245 + 12345;
			w[k] = seed ^ (seed >> 16) * 2654435761u;
		}
		/* now and then a valid type and this channel's index */
		if (i % 4 == 0)
			w[0] = (w[0] & ~(TRE_TYPE | TRE_CHID)) |
			       hw_put(TRE_TYPE, TRE_MEMCPY + (i / 4) % 2) |
			       hw_put(TRE_CHID, h->chid);
		type = hw_get(TRE_TYPE, w[0]);
		if ((type == TRE_MEMCPY || type == TRE_MEMSET) &&
		    hw_get(TRE_CHID, w[0]) == h->chid) {
			w[3] = BAD_BUS_ADDR >> 32;
			w[5] = BAD_BUS_ADDR >> 32;
		}
		put_raw(h, w[0], w[1], (__u64)w[3] << 32 | w[2],
			(__u64)w[5] << 32 | w[4], w[6], w[7]);
		ASSERT_TRUE(wait_state(h, HIDMA_REGION_TRCA, STATE_STOPPED))
			TH_LOG("TRE %u (cfg 0x%08x len 0x%x): state %u", i,
			       w[0], w[1], hidma_udrv_state(h, HIDMA_REGION_TRCA));
		stat = hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT);
		ASSERT_TRUE(wait_write_ptr(h, EVRE_SIZE));
		ev = le32toh(h->ev_ring[0].status);
		cause = hw_get(EVRE_INFO, ev);
		ASSERT_EQ(EVRE_ERROR, hw_get(EVRE_CODE, ev))
			TH_LOG("TRE %u: event 0x%08x", i, ev);
		ASSERT_TRUE(cause == CAUSE_INVALID_TRE ||
			    cause == CAUSE_DATA_READ ||
			    cause == CAUSE_DATA_WRITE)
			TH_LOG("TRE %u: cause %u", i, cause);
		ASSERT_EQ(HW_BIT(cause), stat & IRQ_ALL)
			TH_LOG("TRE %u: IRQ_STAT 0x%x, event 0x%08x", i, stat,
			       ev);
		ASSERT_EQ(0, h->ops->reset(h));
	}
	RECOVER();
}

/* Transfers of 4 GiB - 1 at addresses nothing answers at. */
TEST_F(mess, tre_huge_length_then_error_event_then_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;

	put_raw(h, tre_cfg(TRE_MEMSET, h->chid), 0xffffffff, 0x4242424242424242ULL,
		BAD_BUS_ADDR, 0, 0);
	expect_error(_metadata, h, CAUSE_DATA_WRITE, true, 0);
	ASSERT_EQ(0, h->ops->reset(h));
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 0xffffffff, BAD_BUS_ADDR,
		DST(0), 0, 0);
	expect_error(_metadata, h, CAUSE_DATA_READ, true, 0);
	ASSERT_EQ(0, h->ops->reset(h));
	/* the first burst reads fine, its write fails */
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 0xffffffff, SRC(0),
		BAD_BUS_ADDR, 0, 0);
	expect_error(_metadata, h, CAUSE_DATA_WRITE, true, 0);
	ASSERT_EQ(0, h->ops->reset(h));
	/* a destination that wraps past 2^64 */
	put_raw(h, tre_cfg(TRE_MEMSET, h->chid), 0x1000, 0,
		0xffffffffffffff00ULL, 0, 0);
	expect_error(_metadata, h, CAUSE_DATA_WRITE, true, 0);
	RECOVER();
}

/* A TRE ring nothing answers at: TRE read failure, cause 9. */
TEST_F(mess, tre_ring_unmapped_then_error_event_then_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;

	fresh(_metadata, h);
	program(h, BAD_BUS_ADDR, TRE_RING_LEN, vfio_dma_bus(&h->mem, h->ev_ring),
		EV_RING_LEN);
	enable_both(h);
	ASSERT_EQ(STATE_ENABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	hidma_wr(h, HIDMA_REGION_TRCA, CH_DOORBELL, TRE_SIZE);
	expect_error(_metadata, h, CAUSE_TRE_READ, true, 0);
	RECOVER();
}

/*
 * An event ring nothing answers at: the data moves, the event write
 * fails (cause 1), WRITE_PTR stays, the channel stops.
 */
TEST_F(mess, event_ring_unmapped_then_event_write_error_then_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;

	fresh(_metadata, h);
	program(h, vfio_dma_bus(&h->mem, h->tre_ring), TRE_RING_LEN,
		BAD_BUS_ADDR, EV_RING_LEN);
	enable_both(h);
	memset(self->src, 0x77, 512);
	memset(self->dst, 0, 512);
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 512, SRC(0), DST(0), 0, 0);
	expect_error(_metadata, h, CAUSE_EVENT_WRITE, false, 0);
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
	ASSERT_EQ(0x77, self->dst[511]);
	RECOVER();
}

/*
 * Doorbells past the ring's end or not on an element: ignored, the
 * register keeps its value, nothing runs; the channel still works.
 */
TEST_F(mess, doorbell_past_ring_ignored_then_memcpy)
{
	static const __u32 bad[] = {
		TRE_RING_LEN, TRE_RING_LEN + TRE_SIZE, 0xffffffe0, 16, 0x80000000,
	};
	struct hidma_udrv *h = &self->h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		hidma_wr(h, HIDMA_REGION_TRCA, CH_DOORBELL, bad[i]);
		ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_TRCA, CH_DOORBELL))
			TH_LOG("TRCA DOORBELL 0x%x taken", bad[i]);
	}
	hidma_wr(h, HIDMA_REGION_EVCA, CH_DOORBELL, EV_RING_LEN);
	hidma_wr(h, HIDMA_REGION_EVCA, CH_DOORBELL, 8);
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, CH_DOORBELL));
	usleep(20000);
	ASSERT_EQ(STATE_ENABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT));
	/* no reset needed: the channel never took the bad values */
	for (i = 0; i < 4096; i++)
		self->src[i] = i;
	ASSERT_EQ(0, h->ops->memcpy_start(h, SRC(0), DST(0), 4096, 1));
	ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
	ASSERT_EQ(0, memcmp(self->src, self->dst, 4096));
}

/*
 * Ring size register 0: ENABLE leaves the block DISABLED, no doorbell is
 * taken. With the event ring's length 0 the transfer channel enables
 * but makes no progress: no data, no event.
 */
TEST_F(mess, ring_length_zero_then_enable_refused_then_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;
	__u64 tr = vfio_dma_bus(&h->mem, h->tre_ring);
	__u64 ev = vfio_dma_bus(&h->mem, h->ev_ring);

	fresh(_metadata, h);
	program(h, tr, 0, ev, EV_RING_LEN);
	enable_both(h);
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(STATE_ENABLED, hidma_udrv_state(h, HIDMA_REGION_EVCA));
	hidma_wr(h, HIDMA_REGION_TRCA, CH_DOORBELL, TRE_SIZE);
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_TRCA, CH_DOORBELL));

	fresh(_metadata, h);
	program(h, tr, TRE_RING_LEN, ev, 0);
	enable_both(h);
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_EVCA));
	ASSERT_EQ(STATE_ENABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	memset(self->src, 0x33, 256);
	memset(self->dst, 0, 256);
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 256, SRC(0), DST(0), 0, 0);
	usleep(50000);
	ASSERT_EQ(0, self->dst[0]);
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR));
	ASSERT_EQ(STATE_RUNNING, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT));
	RECOVER();
}

/* Misaligned, partial-element and wrapping rings: ENABLE refused. */
TEST_F(mess, ring_misaligned_or_partial_or_wrapping_then_enable_refused)
{
	static const struct {
		__u64 tr_off;
		__u32 tr_len;
		__u64 ev_off;
		__u32 ev_len;
		__u32 tr_state, ev_state;
	} cases[] = {
		{ 16, TRE_RING_LEN, 0, EV_RING_LEN, STATE_DISABLED, STATE_ENABLED },
		{ 0, 48, 8, EV_RING_LEN, STATE_DISABLED, STATE_DISABLED },
		{ 0, TRE_RING_LEN, 0, 24, STATE_ENABLED, STATE_DISABLED },
		{ 0, 0xffffffe0, 0, 0xfffffff0, STATE_ENABLED, STATE_ENABLED },
	};
	struct hidma_udrv *h = &self->h;
	__u64 tr = vfio_dma_bus(&h->mem, h->tre_ring);
	__u64 ev = vfio_dma_bus(&h->mem, h->ev_ring);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		fresh(_metadata, h);
		program(h, tr + cases[i].tr_off, cases[i].tr_len,
			ev + cases[i].ev_off, cases[i].ev_len);
		enable_both(h);
		ASSERT_EQ(cases[i].tr_state,
			  hidma_udrv_state(h, HIDMA_REGION_TRCA))
			TH_LOG("case %u", i);
		ASSERT_EQ(cases[i].ev_state,
			  hidma_udrv_state(h, HIDMA_REGION_EVCA))
			TH_LOG("case %u", i);
	}
	/* a ring that would wrap past 2^64 */
	fresh(_metadata, h);
	program(h, 0xffffffffffffffe0ULL, 2 * TRE_SIZE,
		0xfffffffffffffff0ULL, 2 * EVRE_SIZE);
	enable_both(h);
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_TRCA));
	ASSERT_EQ(STATE_DISABLED, hidma_udrv_state(h, HIDMA_REGION_EVCA));
	RECOVER();
}

/* Ring registers written while ENABLED are ignored; work goes on. */
TEST_F(mess, ring_registers_written_while_enabled_ignored_then_memcpy)
{
	struct hidma_udrv *h = &self->h;
	__u32 low = hidma_rd(h, HIDMA_REGION_TRCA, CH_RING_LOW);
	int i;

	hidma_wr(h, HIDMA_REGION_TRCA, CH_RING_LEN, 0);
	hidma_wr(h, HIDMA_REGION_TRCA, CH_RING_LOW, 3);
	hidma_wr(h, HIDMA_REGION_EVCA, CH_RING_LEN, 0);
	ASSERT_EQ(TRE_RING_LEN, hidma_rd(h, HIDMA_REGION_TRCA, CH_RING_LEN));
	ASSERT_EQ(low, hidma_rd(h, HIDMA_REGION_TRCA, CH_RING_LOW));
	ASSERT_EQ(EV_RING_LEN, hidma_rd(h, HIDMA_REGION_EVCA, CH_RING_LEN));
	for (i = 0; i < 4096; i++)
		self->src[i] = i * 3;
	ASSERT_EQ(0, h->ops->memcpy_start(h, SRC(0), DST(0), 4096, 1));
	ASSERT_EQ(0, h->ops->wait(h, TIMEOUT_MS));
	ASSERT_EQ(0, memcmp(self->src, self->dst, 4096));
}

/*
 * The TRE ring in the channel's own registers: the engine's 8-byte reads
 * of its registers read zero (registers take 32-bit accesses only), so
 * the TRE is invalid.
 */
TEST_F(mess, tre_ring_in_own_registers_then_invalid_tre_then_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;

	if (!self->trca_phys)
		SKIP(return, "no register addresses in the device tree");
	fresh(_metadata, h);
	program(h, self->trca_phys, HIDMA_REGION_SIZE,
		vfio_dma_bus(&h->mem, h->ev_ring), EV_RING_LEN);
	enable_both(h);
	hidma_wr(h, HIDMA_REGION_TRCA, CH_DOORBELL, TRE_SIZE);
	expect_error(_metadata, h, CAUSE_INVALID_TRE, true, 0);
	RECOVER();
}

/* The event ring over unlisted register offsets: events vanish. */
TEST_F(mess, event_ring_in_own_registers_then_events_vanish_then_memcpy)
{
	struct hidma_udrv *h = &self->h;
	int i;

	if (!self->evca_phys)
		SKIP(return, "no register addresses in the device tree");
	fresh(_metadata, h);
	program(h, vfio_dma_bus(&h->mem, h->tre_ring), TRE_RING_LEN,
		self->evca_phys + UNLISTED_OFF, 16 * EVRE_SIZE);
	enable_both(h);
	for (i = 0; i < 3; i++) {
		memset(self->src, 0x40 + i, 128);
		put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 128, SRC(0), DST(0),
			0, 0);
		ASSERT_TRUE(wait_write_ptr(h, (i + 1) * EVRE_SIZE));
		ASSERT_EQ(0x40 + i, self->dst[127]);
	}
	ASSERT_EQ(HW_BIT(CAUSE_EOB),
		  hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT) & IRQ_ALL);
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, UNLISTED_OFF));
	RECOVER();
}

/*
 * A 4-byte copy whose destination is the channel's own TRCA CTRLSTS,
 * carrying a RESET command: the channel resets itself after finishing
 * the TRE (its event is written first).
 */
TEST_F(mess, memcpy_into_own_ctrlsts_then_self_reset_then_memcpy)
{
	struct hidma_udrv *h = &self->h;
	__u32 reset = htole32(hw_put(CTRLSTS_CMD, CMD_RESET));
	__u32 ev;

	if (!self->trca_phys)
		SKIP(return, "no register addresses in the device tree");
	memcpy(self->src, &reset, 4);
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 4, SRC(0),
		self->trca_phys + CH_CTRLSTS, 0, 0);
	ASSERT_TRUE(wait_write_ptr(h, EVRE_SIZE));
	ev = le32toh(h->ev_ring[0].status);
	ASSERT_EQ(EVRE_OK, ev) TH_LOG("event 0x%08x", ev);
	ASSERT_TRUE(wait_state(h, HIDMA_REGION_TRCA, STATE_DISABLED));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_TRCA, CH_DOORBELL));
	RECOVER();
}

/*
 * MSIs aimed at the channel's own IRQ_CLR, with MSI_DATA 1: the EOB
 * message (MSI_DATA + 0) clears EOB as it is raised. Revisions 1.1 and
 * later only.
 */
TEST_F(mess, msi_into_own_irq_clr_then_eob_cleared_then_memcpy)
{
	struct hidma_udrv *h = &self->h;
	__u64 clr = self->evca_phys + EVCA_IRQ_CLR;

	if (!self->evca_phys || !self->msi)
		SKIP(return, "no MSIs or no register addresses");
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, 0);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_MSI_ADDR_LO, (__u32)clr);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_MSI_ADDR_HI, (__u32)(clr >> 32));
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_MSI_DATA, HW_BIT(CAUSE_EOB));
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_INTCTRL,
		 hw_put(INTCTRL_MODE, INTCTRL_MSI));
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, HW_BIT(CAUSE_EOB));
	memset(self->src, 0x66, 64);
	put_raw(h, tre_cfg(TRE_MEMCPY, h->chid), 64, SRC(0), DST(0), 0, 0);
	ASSERT_TRUE(wait_write_ptr(h, EVRE_SIZE));
	ASSERT_EQ(EVRE_OK, le32toh(h->ev_ring[0].status));
	ASSERT_EQ(0, hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT) & IRQ_ALL);
	ASSERT_EQ(0x66, self->dst[63]);
	RECOVER();
}

int main(int argc, char **argv)
{
	device_name = getenv("HIDMA_VFIO_DEVICE");
	return test_harness_run(argc, argv);
}
