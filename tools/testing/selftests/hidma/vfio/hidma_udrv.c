// SPDX-License-Identifier: GPL-2.0-only
/*
 * A userspace driver for one HIDMA channel owned through vfio-platform
 * (see hidma_udrv.h). Register facts are hidma_hw.h's, from
 * Documentation/hardware.rst.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hidma_udrv.h"

#define TRE_SIZE		sizeof(struct hidma_tre)
#define EVRE_SIZE		sizeof(struct hidma_evre)
#define TRE_RING_LEN		(HIDMA_UDRV_TRE_SLOTS * TRE_SIZE)
#define EV_RING_LEN		(HIDMA_UDRV_EV_SLOTS * EVRE_SIZE)
#define TRE_MAX_LEN		0xffffffffULL

/*
 * Command completion: the known drivers poll every 1 ms for up to
 * 10 ms; this driver polls finer (the model completes commands after
 * 50 us) and allows as long as the kernel's reset handler.
 */
#define CMD_POLL_US		100
#define CMD_TIMEOUT_MS		100
#define WAIT_POLL_US		20

__u32 hidma_rd(struct hidma_udrv *h, unsigned int region, unsigned int off)
{
	return vfio_plat_read32(&h->vfio, region, off);
}

void hidma_wr(struct hidma_udrv *h, unsigned int region, unsigned int off,
	      __u32 val)
{
	vfio_plat_write32(&h->vfio, region, off, val);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/**
 * hidma_udrv_state() - the STATE field of a block's CTRLSTS
 * @h: the channel
 * @region: HIDMA_REGION_TRCA or HIDMA_REGION_EVCA
 *
 * Return: an enum hidma_state value.
 */
__u32 hidma_udrv_state(struct hidma_udrv *h, unsigned int region)
{
	return hw_get(CTRLSTS_STATE, hidma_rd(h, region, CH_CTRLSTS));
}

/* COMMAND is written, the rest of CTRLSTS read-modify-written. */
static void hidma_cmd(struct hidma_udrv *h, unsigned int region,
		      enum hidma_cmd cmd)
{
	__u32 val = hidma_rd(h, region, CH_CTRLSTS);

	val &= ~CTRLSTS_CMD;
	val |= hw_put(CTRLSTS_CMD, cmd);
	hidma_wr(h, region, CH_CTRLSTS, val);
}

static bool hidma_reset_done(struct hidma_udrv *h)
{
	return hidma_udrv_state(h, HIDMA_REGION_TRCA) == STATE_DISABLED &&
	       hidma_udrv_state(h, HIDMA_REGION_EVCA) == STATE_DISABLED &&
	       !hidma_rd(h, HIDMA_REGION_TRCA, CH_DOORBELL) &&
	       !hidma_rd(h, HIDMA_REGION_EVCA, CH_DOORBELL) &&
	       !hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR);
}

/* Is the block in one of the states of the mask (BIT(state) each)? */
static bool hidma_in_states(struct hidma_udrv *h, unsigned int region,
			    __u32 states)
{
	return HW_BIT(hidma_udrv_state(h, region)) & states;
}

/*
 * RESET both blocks and wait until both are DISABLED with the offsets a
 * RESET zeroes at zero (an idle block reads DISABLED before its RESET
 * has taken effect, so the state alone proves nothing).
 */
static int hidma_reset_blocks(struct hidma_udrv *h)
{
	long long deadline = now_ms() + CMD_TIMEOUT_MS;

	hidma_cmd(h, HIDMA_REGION_TRCA, CMD_RESET);
	hidma_cmd(h, HIDMA_REGION_EVCA, CMD_RESET);
	do {
		usleep(CMD_POLL_US);
		if (hidma_reset_done(h))
			return 0;
	} while (now_ms() < deadline);
	fprintf(stderr, "# %s: RESET timed out: TRCA 0x%08x EVCA 0x%08x\n",
		h->vfio.name, hidma_rd(h, HIDMA_REGION_TRCA, CH_CTRLSTS),
		hidma_rd(h, HIDMA_REGION_EVCA, CH_CTRLSTS));
	return -ETIMEDOUT;
}

static int hidma_enable_block(struct hidma_udrv *h, unsigned int region,
			      __u32 states)
{
	long long deadline = now_ms() + CMD_TIMEOUT_MS;

	hidma_cmd(h, region, CMD_ENABLE);
	do {
		usleep(CMD_POLL_US);
		if (hidma_in_states(h, region, states))
			return 0;
	} while (now_ms() < deadline);
	fprintf(stderr, "# %s: ENABLE of %s timed out: CTRLSTS 0x%08x\n",
		h->vfio.name, region == HIDMA_REGION_TRCA ? "TRCA" : "EVCA",
		hidma_rd(h, region, CH_CTRLSTS));
	return -ETIMEDOUT;
}

static void hidma_ring_base(struct hidma_udrv *h, unsigned int region,
			    const void *ring, __u32 len)
{
	__u64 bus = vfio_dma_bus(&h->mem, ring);

	hidma_wr(h, region, CH_RING_LOW, (__u32)bus);
	hidma_wr(h, region, CH_RING_HIGH, (__u32)(bus >> 32));
	hidma_wr(h, region, CH_RING_LEN, len);
}

/* ops->init: the set-up order of Documentation/hardware.rst. */
static int hidma_udrv_init(struct hidma_udrv *h)
{
	int ret;

	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, 0);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_CLR, IRQ_ALL);
	ret = hidma_reset_blocks(h);
	if (ret)
		return ret;
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_CLR, IRQ_ALL);
	/*
	 * The line is low now. A trigger left from before (vfio-platform
	 * then keeps the interrupt masked) is counted and unmasked.
	 */
	ret = hidma_udrv_irq_wait(h, 0);
	if (ret < 0)
		return ret;
	ret = vfio_plat_irq_unmask(&h->vfio);
	if (ret)
		return ret;
	h->irq_masked = false;
	h->since_ieob = 0;

	memset(h->tre_ring, 0, TRE_RING_LEN);
	memset(h->ev_ring, 0, EV_RING_LEN);
	h->tre_wr = 0;
	h->tre_rd = 0;
	h->ev_rd = 0;
	h->pending = 0;
	h->error_status = 0;
	h->causes = 0;

	hidma_ring_base(h, HIDMA_REGION_TRCA, h->tre_ring, TRE_RING_LEN);
	hidma_ring_base(h, HIDMA_REGION_EVCA, h->ev_ring, EV_RING_LEN);
	/* vfio-platform exposes the SPI: use the wired line, not MSIs. */
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_INTCTRL,
		 hw_put(INTCTRL_MODE, INTCTRL_WIRED));

	ret = hidma_enable_block(h, HIDMA_REGION_EVCA, HW_BIT(STATE_ENABLED));
	if (ret)
		return ret;
	ret = hidma_enable_block(h, HIDMA_REGION_TRCA, HW_BIT(STATE_ENABLED) |
				 HW_BIT(STATE_RUNNING));
	if (ret)
		return ret;
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, h->irq_mode ? IRQ_ALL : 0);
	return 0;
}

/* ops->remove: leave the channel masked and DISABLED. */
static void hidma_udrv_remove(struct hidma_udrv *h)
{
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_EN, 0);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_CLR, IRQ_ALL);
	hidma_reset_blocks(h);
	hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_CLR, IRQ_ALL);
	h->pending = 0;
}

static void hidma_put_tre(struct hidma_udrv *h, __u32 type, __u64 src,
			  __u64 dst, __u32 len, bool ieob)
{
	struct hidma_tre *tre = &h->tre_ring[h->tre_wr / TRE_SIZE];
	__u32 cfg = hw_put(TRE_TYPE, type) | hw_put(TRE_CHID, h->chid);

	/*
	 * An interrupt at least every HIDMA_UDRV_IEOB_EVERY TREs, so that a
	 * waiter sleeping on it frees event slots before the ring fills.
	 */
	if (ieob || ++h->since_ieob >= HIDMA_UDRV_IEOB_EVERY) {
		cfg |= TRE_IEOB;
		h->since_ieob = 0;
	}
	tre->cfg = htole32(cfg);
	tre->len = htole32(len);
	tre->src_lo = htole32((__u32)src);
	tre->src_hi = htole32((__u32)(src >> 32));
	tre->dst_lo = htole32((__u32)dst);
	tre->dst_hi = htole32((__u32)(dst >> 32));
	tre->rsvd[0] = 0;
	tre->rsvd[1] = 0;
	h->tre_len[h->tre_wr / TRE_SIZE] = len;
	h->tre_wr = (h->tre_wr + TRE_SIZE) % TRE_RING_LEN;
	h->pending++;
}

/* The doorbell write orders the TREs before it (vfio_plat_write32()). */
static void hidma_doorbell(struct hidma_udrv *h)
{
	hidma_wr(h, HIDMA_REGION_TRCA, CH_DOORBELL, h->tre_wr);
	h->stats.doorbells++;
}

static unsigned int tres_for(__u64 size)
{
	return (size + TRE_MAX_LEN - 1) / TRE_MAX_LEN;
}

/* Queue one transfer of @size bytes as TREs of at most TRE_MAX_LEN. */
static void hidma_put_transfer(struct hidma_udrv *h, __u32 type, __u64 src,
			       __u64 dst, __u64 size, bool ieob)
{
	while (size) {
		__u32 len = size > TRE_MAX_LEN ? TRE_MAX_LEN : size;

		hidma_put_tre(h, type, src, dst, len, ieob && size == len);
		if (type == TRE_MEMCPY)
			src += len;
		dst += len;
		size -= len;
	}
}

static int hidma_udrv_memcpy_start(struct hidma_udrv *h, __u64 src,
				   __u64 dst, __u64 size, unsigned int count)
{
	unsigned int i;

	if (!size || !count)
		return -EINVAL;
	if (h->pending + count * tres_for(size) > HIDMA_UDRV_MAX_PENDING)
		return -ENOSPC;
	for (i = 0; i < count; i++)
		hidma_put_transfer(h, TRE_MEMCPY, src, dst, size,
				   i == count - 1);
	hidma_doorbell(h);
	return 0;
}

static int hidma_udrv_memset_start(struct hidma_udrv *h, __u64 dst,
				   __u8 value, __u64 size)
{
	/* Byte k of the destination gets byte k mod 8 of the pattern. */
	__u64 pattern = value * 0x0101010101010101ULL;

	if (!size)
		return -EINVAL;
	if (h->pending + tres_for(size) > HIDMA_UDRV_MAX_PENDING)
		return -ENOSPC;
	hidma_put_transfer(h, TRE_MEMSET, pattern, dst, size, true);
	hidma_doorbell(h);
	return 0;
}

/**
 * hidma_udrv_reap() - account for the events the channel has written
 * @h: the channel
 * @consume: hand the slots back to the channel (EVCA doorbell); without
 *	it the events are only counted, and the channel stalls once the
 *	event ring is full
 *
 * Events come in TRE order, one per TRE. A success adds the TRE's length
 * to @h->stats.bytes; anything else is an error, the first one kept in
 * @h->error_status.
 *
 * Return: the number of events accounted for.
 */
unsigned int hidma_udrv_reap(struct hidma_udrv *h, bool consume)
{
	/* Events written before WRITE_PTR are visible after reading it. */
	__u32 wp = hidma_rd(h, HIDMA_REGION_EVCA, EVCA_WRITE_PTR);
	unsigned int n = 0;

	if (wp >= EV_RING_LEN || wp % EVRE_SIZE)
		return 0;
	while (h->ev_rd != wp && h->pending) {
		__u32 status = le32toh(h->ev_ring[h->ev_rd / EVRE_SIZE].status);
		__u32 code = hw_get(EVRE_CODE, status);

		h->stats.tres++;
		if (code == EVRE_SUCCESS) {
			h->stats.bytes += h->tre_len[h->tre_rd / TRE_SIZE];
		} else {
			h->stats.errors++;
			if (!h->error_status)
				h->error_status = status;
		}
		h->tre_rd = (h->tre_rd + TRE_SIZE) % TRE_RING_LEN;
		h->ev_rd = (h->ev_rd + EVRE_SIZE) % EV_RING_LEN;
		h->pending--;
		n++;
	}
	if (consume && n)
		hidma_wr(h, HIDMA_REGION_EVCA, CH_DOORBELL, h->ev_rd);
	return n;
}

/* Reap, then take the pending causes (the wired line drops with them). */
static void hidma_collect(struct hidma_udrv *h)
{
	__u32 stat;

	hidma_udrv_reap(h, true);
	stat = hidma_rd(h, HIDMA_REGION_EVCA, EVCA_IRQ_STAT);
	if (stat) {
		hidma_wr(h, HIDMA_REGION_EVCA, EVCA_IRQ_CLR, stat);
		h->causes |= stat;
		/* An EOB may have come with events written after the reap. */
		hidma_udrv_reap(h, true);
	}
}

/**
 * hidma_udrv_irq_wait() - wait for the channel's interrupt
 * @h: the channel
 * @timeout_ms: how long; 0 only checks
 *
 * Counts the triggers in @h->stats.irqs. After a trigger vfio-platform
 * keeps the level interrupt masked; the next ops->wait unmasks it once it
 * has cleared the causes.
 *
 * Return: the number of triggers (0 on timeout), or -errno.
 */
int hidma_udrv_irq_wait(struct hidma_udrv *h, int timeout_ms)
{
	int n = vfio_plat_irq_wait(&h->vfio, timeout_ms);

	if (n > 0) {
		h->stats.irqs += n;
		h->irq_masked = true;
	}
	return n;
}

/*
 * ops->wait. In interrupt mode: vfio-platform masks the level interrupt
 * when it fires; the driver reaps, clears the causes (dropping the line)
 * and only then unmasks, so that a cause raised meanwhile fires again.
 * A trigger that came before the wait (the work may be done already) is
 * taken at the start; one that comes after the last check is taken by
 * the next wait.
 */
static int hidma_udrv_wait(struct hidma_udrv *h, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int ret;

	if (h->irq_mode) {
		ret = hidma_udrv_irq_wait(h, 0);
		if (ret < 0)
			return ret;
	}
	for (;;) {
		hidma_collect(h);
		if (h->irq_masked) {
			ret = vfio_plat_irq_unmask(&h->vfio);
			if (ret)
				return ret;
			h->irq_masked = false;
		}
		if (h->error_status || (h->causes & IRQ_ERRORS))
			return -EIO;
		if (!h->pending)
			return 0;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		if (!h->irq_mode) {
			usleep(WAIT_POLL_US);
			continue;
		}
		ret = hidma_udrv_irq_wait(h, deadline - now_ms());
		if (ret < 0)
			return ret;
	}
}

static int hidma_udrv_reset(struct hidma_udrv *h)
{
	int ret;

	ret = vfio_plat_reset(&h->vfio);
	h->stats.vfio_resets++;
	if (ret)
		return ret;
	return hidma_udrv_init(h);
}

const struct hidma_udrv_ops hidma_udrv_ops = {
	.name = "hidma",
	.init = hidma_udrv_init,
	.remove = hidma_udrv_remove,
	.memcpy_start = hidma_udrv_memcpy_start,
	.memset_start = hidma_udrv_memset_start,
	.wait = hidma_udrv_wait,
	.reset = hidma_udrv_reset,
};

/* Revision 1.2 reports the channel index at its own offset. */
static bool hidma_is_v12(const char *name)
{
	char path[128], buf[256];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/modalias",
		 name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return strstr(buf, "qcom,hidma-1.2") || strstr(buf, "QCOM8063");
}

/**
 * hidma_udrv_msi_capable() - whether the channel can raise MSIs
 * @name: the channel's platform device name
 *
 * Revision 1.1 and later can; the device's modalias (its DT compatible or
 * its ACPI ID) tells the revision.
 *
 * Return: false for revision 1.0 or when the modalias cannot be read.
 */
bool hidma_udrv_msi_capable(const char *name)
{
	char path[128], alias[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/%s/modalias",
		 name);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(alias, sizeof(alias), f))
		alias[0] = 0;
	fclose(f);
	return alias[0] && !strstr(alias, "qcom,hidma-1.0") &&
	       !strstr(alias, "QCOM8061");
}

/**
 * hidma_udrv_open() - take a channel bound to vfio-platform
 * @h: the driver state, filled in
 * @name: the channel's platform device name
 * @irq_mode: wait on the interrupt rather than poll
 *
 * Opens the VFIO device (vfio-platform resets the channel), checks it has
 * the two register regions and the interrupt, wires the interrupt to an
 * eventfd (in both modes: in polled mode no trigger may arrive) and
 * allocates the rings. The channel is not touched; ops->init sets it up.
 * On failure, hidma_udrv_close() releases what was set up.
 *
 * Return: 0 or -errno.
 */
int hidma_udrv_open(struct hidma_udrv *h, const char *name, bool irq_mode)
{
	int ret;

	memset(h, 0, sizeof(*h));
	h->ops = &hidma_udrv_ops;
	h->irq_mode = irq_mode;
	ret = vfio_plat_open(&h->vfio, name);
	if (ret)
		return ret;
	if (h->vfio.num_regions < 2 || h->vfio.num_irqs < 1 ||
	    h->vfio.regions[HIDMA_REGION_TRCA].size < HIDMA_REGION_SIZE ||
	    h->vfio.regions[HIDMA_REGION_EVCA].size < HIDMA_REGION_SIZE)
		return -ENODEV;
	ret = vfio_plat_irq_wire(&h->vfio);
	if (ret)
		return ret;

	ret = vfio_dma_alloc(&h->vfio, &h->mem, TRE_RING_LEN + EV_RING_LEN);
	if (ret)
		return ret;
	if (vfio_dma_contig(&h->mem, h->mem.va) < TRE_RING_LEN + EV_RING_LEN)
		return -ENOMEM;
	h->tre_ring = h->mem.va;
	h->ev_ring = (struct hidma_evre *)((char *)h->mem.va + TRE_RING_LEN);

	h->chid = hw_get(CHID_INDEX,
			 hidma_rd(h, HIDMA_REGION_TRCA, hidma_is_v12(name) ?
				  TRCA_CHID_V12 : TRCA_CHID));
	return 0;
}

/**
 * hidma_udrv_close() - release what hidma_udrv_open() set up
 * @h: the driver state
 *
 * Closing the VFIO device makes vfio-platform reset the channel.
 */
void hidma_udrv_close(struct hidma_udrv *h)
{
	vfio_dma_free(&h->vfio, &h->mem);
	vfio_plat_close(&h->vfio);
}
