// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: interrupts (MSI or the wired line), error handling and
 * recovery.
 *
 * One handler serves the wired line and every MSI vector alike: it reads
 * IRQ_STAT, clears what it read, then reaps, so an event written after
 * the reaper's WRITE_PTR read raises a new interrupt. It runs the reaper
 * itself, in hard-IRQ context, under the channel lock: nothing waits for
 * a bottom half before the next TRE runs, and the tasklet is scheduled
 * only when callbacks are due.
 *
 * Error policy. A failed TRE stops the transfer channel. The descriptor
 * it belongs to completes with the cause as its result. The descriptors
 * behind it never ran (the engine executes TREs in order and nothing
 * after the failing one), so they are RETRIED: put back at the head of
 * the issued queue and pushed again, in their original order, once the
 * recovery work has reset and re-enabled the channel. Clients need not
 * terminate; a client whose later transfers depend on an earlier one
 * sees the earlier one fail first, in its callback.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/platform_device.h>

#include <hidma_compat.h>

#include "hidma_chan.h"
#include "trace.h"

static void hidma_write_msi_msg(struct msi_desc *desc, struct msi_msg *msg)
{
	struct hidma_chan *chan = dev_get_drvdata(msi_desc_to_dev(desc));

	/*
	 * The engine signals cause b by writing MSI_DATA + b to one address:
	 * program vector 0's message, the base of the block. Runs under the
	 * IRQ descriptor lock, at activation, before any client can start
	 * the channel; hidma_hw_start() writes the cached copy again after
	 * every reset.
	 */
	if (desc->msi_index)
		return;
	chan->msi_addr = (u64)msg->address_hi << 32 | msg->address_lo;
	chan->msi_data = msg->data;
	hidma_hw_write_msi(chan);
}

static enum dmaengine_tx_result hidma_cause_result(u32 causes)
{
	if (causes & HIDMA_IRQ_DATA_READ_ERR)
		return DMA_TRANS_READ_FAILED;
	if (causes & HIDMA_IRQ_DATA_WRITE_ERR)
		return DMA_TRANS_WRITE_FAILED;
	/*
	 * Event write failed (the data may or may not have landed, no event
	 * says which), TRE read failed or invalid TRE (the transfer never
	 * started), or the ring state made no sense: nothing is known about
	 * the client's buffers, the transfer was aborted.
	 */
	return DMA_TRANS_ABORTED;
}

/**
 * hidma_chan_fail() - complete the failed TRE, retry the rest, reset
 * @chan: the channel; caller holds &hidma_chan.lock
 * @causes: the error causes from IRQ_STAT, or 0 if the ring state itself
 *	was inconsistent
 * @kick: set if the completion tasklet must run
 *
 * The reaper has already consumed every successful event, so the oldest
 * TRE in flight is the one that failed (its error event, if one was
 * written, is left unconsumed; the reset discards it).
 */
void hidma_chan_fail(struct hidma_chan *chan, u32 causes, bool *kick)
{
	unsigned long bits = causes, bit;
	struct hidma_chan_desc *d;
	u32 retried;

	lockdep_assert_held(&chan->lock);

	for_each_set_bit(bit, &bits, HIDMA_IRQ_NR_CAUSES)
		chan->stats.causes[bit]++;

	d = list_first_entry_or_null(&chan->active, struct hidma_chan_desc,
				     node);
	retried = d ? chan->nactive - 1 : 0;
	trace_hidma_chan_error(chan, causes, d ? d->tx.cookie : 0, retried);
	dev_warn_ratelimited(chan->dev,
			     "transfer error (causes %#x, cookie %d): resetting channel, %u retried\n",
			     causes, d ? d->tx.cookie : 0, retried);

	/* Stop whatever may still be running; the work waits for it. */
	hidma_hw_cmd(chan->trca, HIDMA_CMD_RESET);
	hidma_hw_cmd(chan->evca, HIDMA_CMD_RESET);

	if (d) {
		list_del_init(&d->node);
		chan->nactive--;
		hidma_desc_complete(chan, d, hidma_cause_result(causes), kick);
	}
	chan->stats.retried += chan->nactive;
	list_splice_init(&chan->active, &chan->issued);
	chan->nactive = 0;

	chan->state = HIDMA_CHAN_RESETTING;
	chan->stats.resets++;
	queue_work(hidma_chan_wq, &chan->recover_work);
}

static irqreturn_t hidma_chan_irq(int irq, void *data)
{
	struct hidma_chan *chan = data;
	bool kick = false;
	u32 stat;

	/*
	 * The registers stay mapped for as long as the handler is
	 * registered, also once the channel is gone.
	 */
	spin_lock(&chan->lock);
	stat = readl(chan->evca + HIDMA_EVCA_IRQ_STAT) & HIDMA_IRQ_ALL;
	if (!stat) {
		chan->stats.spurious_irqs++;
		spin_unlock(&chan->lock);
		/*
		 * An MSI is ours by construction; another vector's run may
		 * simply have handled its cause already.
		 */
		return chan->msi ? IRQ_HANDLED : IRQ_NONE;
	}
	writel(stat, chan->evca + HIDMA_EVCA_IRQ_CLR);
	chan->stats.irqs++;

	/* Causes seen while OFF or RESETTING are stale: cleared, ignored. */
	if (chan->state == HIDMA_CHAN_RUNNING && !chan->gone) {
		kick = hidma_ring_reap(chan);
		if ((stat & HIDMA_IRQ_ERRORS) &&
		    chan->state == HIDMA_CHAN_RUNNING)
			hidma_chan_fail(chan, stat & HIDMA_IRQ_ERRORS, &kick);
	}
	spin_unlock(&chan->lock);

	if (kick)
		tasklet_schedule(&chan->tasklet);
	return IRQ_HANDLED;
}

static void hidma_free_msi_irqs(struct hidma_chan *chan, unsigned int n)
{
	unsigned int i, virq;

	for (i = 0; i < n; i++) {
		virq = msi_get_virq(chan->dev, i);
		if (virq)
			free_irq(virq, chan);
	}
	hidma_msi_free_irqs(chan->dev);
}

static int hidma_setup_msi(struct hidma_chan *chan)
{
	unsigned int i, virq;
	int ret;

	ret = hidma_msi_alloc_irqs(chan->dev, HIDMA_IRQ_NR_CAUSES,
				   hidma_write_msi_msg);
	if (ret)
		return ret;

	for (i = 0; i < HIDMA_IRQ_NR_CAUSES; i++) {
		virq = msi_get_virq(chan->dev, i);
		if (!virq) {
			ret = -ENXIO;
			break;
		}
		ret = request_irq(virq, hidma_chan_irq, 0, dev_name(chan->dev),
				  chan);
		if (ret)
			break;
	}
	if (ret) {
		hidma_free_msi_irqs(chan, i);
		return ret;
	}

	chan->msi = true;
	chan->msi_nvec = HIDMA_IRQ_NR_CAUSES;
	return 0;
}

/**
 * hidma_irq_setup() - request the channel's interrupts
 * @chan: the channel, reset and masked, with drvdata set
 * @use_msi: MSIs are allowed (module parameter)
 *
 * Revisions 1.1 and later try a block of MSIs, one per cause bit; when
 * the platform has none to give (no msi-parent, no MSI domain) the wired
 * line is used, as on revision 1.0.
 *
 * Return: 0 or a negative error code.
 */
int hidma_irq_setup(struct hidma_chan *chan, bool use_msi)
{
	struct platform_device *pdev = to_platform_device(chan->dev);
	int ret;

	if (use_msi && chan->variant->msi) {
		ret = hidma_setup_msi(chan);
		if (!ret)
			return 0;
		dev_info(chan->dev, "no MSIs (%d), using the wired interrupt\n",
			 ret);
	}

	ret = platform_get_irq(pdev, 0);
	if (ret < 0)
		return ret;
	chan->irq = ret;

	ret = request_irq(chan->irq, hidma_chan_irq, 0, dev_name(chan->dev),
			  chan);
	if (ret) {
		chan->irq = 0;
		return ret;
	}
	return 0;
}

/**
 * hidma_irq_teardown() - free the interrupts hidma_irq_setup() requested
 * @chan: the channel, quiesced: causes masked and cleared
 *
 * free_irq() waits for running handlers, so none runs afterwards.
 */
void hidma_irq_teardown(struct hidma_chan *chan)
{
	if (chan->msi) {
		hidma_free_msi_irqs(chan, chan->msi_nvec);
		chan->msi = false;
		chan->msi_nvec = 0;
	} else if (chan->irq) {
		free_irq(chan->irq, chan);
		chan->irq = 0;
	}
}

/**
 * hidma_chan_recover_work() - reset and re-enable a RESETTING channel
 * @work: &hidma_chan.recover_work
 *
 * Runs on the driver's workqueue (WQ_MEM_RECLAIM: clients may need DMA
 * to make progress under memory pressure) because the reset sequence
 * polls with sleeps. While the channel is RESETTING no other path
 * touches its registers, so the work owns them until it sets RUNNING.
 * On success the retried and newly issued descriptors are pushed from
 * here at once. If the hardware does not come back the channel is DEAD
 * and everything queued completes as aborted.
 */
void hidma_chan_recover_work(struct work_struct *work)
{
	struct hidma_chan *chan = container_of(work, struct hidma_chan,
					       recover_work);
	struct hidma_chan_desc *d, *n;
	unsigned long flags;
	bool kick = false;
	int ret;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->state != HIDMA_CHAN_RESETTING || chan->gone) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&chan->lock, flags);

	ret = hidma_hw_reset(chan);
	if (!ret)
		ret = hidma_hw_start(chan);

	spin_lock_irqsave(&chan->lock, flags);
	/* free_chan_resources, remove or shutdown took over meanwhile */
	if (chan->state != HIDMA_CHAN_RESETTING || chan->gone)
		goto out;

	hidma_ring_reset_indices(chan);
	if (ret) {
		dev_err(chan->dev,
			"channel did not recover (%d); it is dead until released\n",
			ret);
		chan->state = HIDMA_CHAN_DEAD;
		list_splice_tail_init(&chan->submitted, &chan->issued);
		list_for_each_entry_safe(d, n, &chan->issued, node) {
			list_del_init(&d->node);
			hidma_desc_complete(chan, d, DMA_TRANS_ABORTED, &kick);
		}
		goto out;
	}
	chan->state = HIDMA_CHAN_RUNNING;
	hidma_ring_push(chan);
out:
	spin_unlock_irqrestore(&chan->lock, flags);
	if (kick)
		tasklet_schedule(&chan->tasklet);
}
