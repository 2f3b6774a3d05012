// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: commands and the set-up and reset sequences
 * (Documentation/hardware.rst, "Commands and states" and "Starting and
 * stopping a channel").
 *
 * The sleeping sequences (hidma_hw_reset(), hidma_hw_start()) run only
 * where the caller owns the hardware exclusively: probe, alloc/free of
 * channel resources (under &hidma_chan.ctrl), remove and shutdown after
 * the recovery work is cancelled, and the recovery work itself while the
 * channel is RESETTING, a state in which no other path touches the
 * registers.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/iopoll.h>

#include "hidma_chan.h"

u32 hidma_hw_read_chid(struct hidma_chan *chan)
{
	return FIELD_GET(HIDMA_CHID_INDEX,
			 readl(chan->trca + chan->variant->chid_reg));
}

/* CTRLSTS.COMMAND is written read-modify-write; STATE is read only. */
void hidma_hw_cmd(void __iomem *base, enum hidma_ch_cmd cmd)
{
	u32 val = readl(base + HIDMA_CH_CTRLSTS);

	val &= ~HIDMA_CTRLSTS_CMD;
	val |= FIELD_PREP(HIDMA_CTRLSTS_CMD, cmd);
	writel(val, base + HIDMA_CH_CTRLSTS);
}

static bool hidma_state_in(u32 ctrlsts, u32 states)
{
	u32 state = FIELD_GET(HIDMA_CTRLSTS_STATE, ctrlsts);

	return state < 32 && (BIT(state) & states);
}

static const char *hidma_half(struct hidma_chan *chan, void __iomem *base)
{
	return base == chan->trca ? "transfer" : "event";
}

/* Wait, sleeping, until the half at @base is in one of @states. */
static int hidma_hw_poll(struct hidma_chan *chan, void __iomem *base,
			 u32 states)
{
	u32 val;
	int ret;

	ret = readl_poll_timeout(base + HIDMA_CH_CTRLSTS, val,
				 hidma_state_in(val, states), 50,
				 HIDMA_CMD_TIMEOUT_US);
	if (ret)
		dev_err(chan->dev, "%s channel stuck in state %lu\n",
			hidma_half(chan, base),
			FIELD_GET(HIDMA_CTRLSTS_STATE, val));
	return ret;
}

/* Mask every cause, then clear whatever is pending. */
static void hidma_hw_mask_clear(struct hidma_chan *chan)
{
	writel(0, chan->evca + HIDMA_EVCA_IRQ_EN);
	writel(HIDMA_IRQ_ALL, chan->evca + HIDMA_EVCA_IRQ_CLR);
}

/**
 * hidma_hw_stop() - tell both halves to reset, without waiting
 * @chan: the channel; caller holds &hidma_chan.lock
 *
 * The transfer channel first, so that it stops issuing bus cycles. The
 * caller leaves the waiting to whoever owns the channel next (the
 * recovery work, free_chan_resources, remove).
 */
void hidma_hw_stop(struct hidma_chan *chan)
{
	hidma_hw_cmd(chan->trca, HIDMA_CMD_RESET);
	hidma_hw_cmd(chan->evca, HIDMA_CMD_RESET);
}

/**
 * hidma_hw_reset() - bring the channel to a known, quiet state
 * @chan: the channel; the caller owns its hardware exclusively
 *
 * Masks and clears the interrupt causes, resets the transfer channel (so
 * that it stops issuing bus cycles) and then the event channel, waits
 * for both to report DISABLED, and clears the causes the reset may have
 * left behind. Whatever a previous owner (a VM, a crashed kernel) left
 * is gone afterwards: a reset aborts work and zeroes the read offset,
 * WRITE_PTR and both doorbells. May sleep.
 *
 * Return: 0, or -ETIMEDOUT if a channel did not reach DISABLED.
 */
int hidma_hw_reset(struct hidma_chan *chan)
{
	int ret, ret2;

	hidma_hw_mask_clear(chan);
	hidma_hw_stop(chan);
	ret = hidma_hw_poll(chan, chan->trca, HIDMA_STATES_DISABLED);
	ret2 = hidma_hw_poll(chan, chan->evca, HIDMA_STATES_DISABLED);
	hidma_hw_mask_clear(chan);

	return ret ?: ret2;
}

/* The MSI message irq.c recorded at activation; the device is resumed. */
void hidma_hw_write_msi(struct hidma_chan *chan)
{
	u64 addr = READ_ONCE(chan->msi_addr);

	writel(lower_32_bits(addr), chan->evca + HIDMA_EVCA_MSI_ADDR_LO);
	writel(upper_32_bits(addr), chan->evca + HIDMA_EVCA_MSI_ADDR_HI);
	writel(READ_ONCE(chan->msi_data), chan->evca + HIDMA_EVCA_MSI_DATA);
}

/**
 * hidma_hw_start() - program the rings and enable a reset channel
 * @chan: the channel, freshly reset by hidma_hw_reset(); the caller owns
 *	its hardware exclusively and has reset the software ring indices
 *
 * Programs both rings, selects the interrupt mode (the reset value is
 * MSI mode, so the wired line must be chosen explicitly), enables the
 * event channel and then the transfer channel, waiting for each, and
 * finally unmasks every cause: end of block and all errors. May sleep.
 *
 * Return: 0, or -ETIMEDOUT if a channel did not come up.
 */
int hidma_hw_start(struct hidma_chan *chan)
{
	enum hidma_intctrl_mode mode;
	int ret;

	writel(lower_32_bits(chan->tre_ring_dma), chan->trca + HIDMA_CH_RING_LOW);
	writel(upper_32_bits(chan->tre_ring_dma), chan->trca + HIDMA_CH_RING_HIGH);
	writel(chan->nslots * sizeof(struct hidma_tre),
	       chan->trca + HIDMA_CH_RING_LEN);
	writel(lower_32_bits(chan->ev_ring_dma), chan->evca + HIDMA_CH_RING_LOW);
	writel(upper_32_bits(chan->ev_ring_dma), chan->evca + HIDMA_CH_RING_HIGH);
	writel(chan->nslots * sizeof(struct hidma_evre),
	       chan->evca + HIDMA_CH_RING_LEN);

	mode = chan->msi ? HIDMA_INTCTRL_MSI : HIDMA_INTCTRL_WIRED;
	writel(FIELD_PREP(HIDMA_INTCTRL_MODE, mode),
	       chan->evca + HIDMA_EVCA_INTCTRL);
	if (chan->msi)
		hidma_hw_write_msi(chan);

	hidma_hw_cmd(chan->evca, HIDMA_CMD_ENABLE);
	ret = hidma_hw_poll(chan, chan->evca, HIDMA_STATES_ON);
	if (ret)
		return ret;
	hidma_hw_cmd(chan->trca, HIDMA_CMD_ENABLE);
	ret = hidma_hw_poll(chan, chan->trca, HIDMA_STATES_ON);
	if (ret)
		return ret;

	writel(HIDMA_IRQ_ALL, chan->evca + HIDMA_EVCA_IRQ_EN);
	return 0;
}
