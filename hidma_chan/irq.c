// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: interrupts (MSI or the wired line), the service routine
 * that reaps and completes, error handling and recovery.
 *
 * Interrupts. One handler serves the wired line and every MSI vector. On
 * the wired line it reads IRQ_STAT, clears what it read and reads it
 * again to flush the clear. An MSI vector names its cause, and the engine
 * signals every raise of a cause (see Documentation/hardware.rst,
 * "Interrupts"), so the end-of-block vector neither reads nor clears
 * IRQ_STAT, and the reaper finds events in memory (ring.c): a completion
 * interrupt costs no register read and one write (the event doorbell),
 * whatever the number of transfers it completes. The other vectors
 * (errors) read IRQ_STAT to learn every pending cause.
 *
 * Work per interrupt is bounded: the handler reaps at most reap_budget
 * events (module parameter, default HIDMA_REAP_BUDGET), with interrupts
 * off, and leaves the rest to the tasklet, which reaps in passes of the
 * same size, runs the client callbacks in between and reschedules itself
 * while events remain.
 *
 * Error policy. A failed TRE stops the transfer channel. The descriptor
 * it belongs to completes with the cause as its result. The descriptors
 * behind it never ran (the engine executes TREs in order and nothing
 * after the failing one), so they are RETRIED: put back at the head of
 * the issued queue in their original order. The failed descriptor of a
 * client that cannot learn a result (no callback_result) goes with them,
 * first, once; it is reported only if it fails again. They go into the
 * ring again
 * once the recovery work has reset and re-enabled the channel AND the
 * failed descriptor's callback has returned (&hidma_chan.hold): a client
 * that terminates from that callback finds them still queued and aborts
 * them before any of them runs; a client that does nothing sees them run
 * after its callback. A failed descriptor without a callback holds
 * nothing back. Documentation/hidma-chan.rst, "Errors", is the client's
 * side of this.
 */
#include <linux/bitfield.h>
#include <linux/error-injection.h>
#include <linux/io.h>
#include <linux/platform_device.h>

#include <hidma_compat.h>

#include "hidma_chan.h"
#include "trace.h"

/* Ordered work for the recovery and the channel release (see main.c). */
struct workqueue_struct *hidma_chan_wq;

/*
 * The engine signals cause b by writing MSI_DATA + b to one address: keep
 * vector 0's message, the base of the block. Called by the MSI layer at
 * activation, with the IRQ descriptor's raw lock held, possibly while the
 * device is runtime-suspended: so it only records the message.
 * hidma_hw_start() writes it into the engine every time it programs the
 * channel, with the device resumed; the message of an active vector does
 * not change while the channel runs.
 */
static void hidma_write_msi_msg(struct msi_desc *desc, struct msi_msg *msg)
{
	struct hidma_chan *chan = dev_get_drvdata(msi_desc_to_dev(desc));

	if (desc->msi_index)
		return;
	WRITE_ONCE(chan->msi_addr, (u64)msg->address_hi << 32 | msg->address_lo);
	WRITE_ONCE(chan->msi_data, msg->data);
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
 * hidma_chan_reset_async() - stop the engine now, recover in the work
 * @chan: the channel, RUNNING; caller holds &hidma_chan.lock
 *
 * Sends RESET to both halves and leaves the waiting, and the enabling
 * that follows, to hidma_chan_recover_work(). Nothing is pushed or
 * reaped meanwhile.
 */
void hidma_chan_reset_async(struct hidma_chan *chan)
{
	lockdep_assert_held(&chan->lock);

	hidma_hw_stop(chan);
	chan->state = HIDMA_CHAN_RESETTING;
	chan->stats.resets++;
	queue_work(hidma_chan_wq, &chan->recover_work);
}

/*
 * Complete the failed TRE, take the rest back for a retry, reset. The
 * reaper has consumed every successful event before this, so the oldest
 * TRE in flight is the one that failed. @causes is 0 if the ring state
 * itself was inconsistent.
 */
static void hidma_chan_fail(struct hidma_chan *chan, u32 causes, bool *kick)
{
	unsigned long bits = causes, bit;
	struct hidma_chan_desc *d;
	bool again = false;
	u32 retried;

	lockdep_assert_held(&chan->lock);

	for_each_set_bit(bit, &bits, HIDMA_IRQ_NR_CAUSES)
		chan->stats.causes[bit]++;

	d = hidma_ring_take_oldest(chan);
	hidma_chan_reset_async(chan);
	if (d && !d->tx.callback_result && !d->tried_again) {
		/*
		 * A client that cannot learn a result (no callback_result:
		 * async_tx under md RAID, which panics on DMA_ERROR and
		 * takes a legacy callback as success) gets one more try, at
		 * the head of the queue: a transient fault must not become a
		 * lost copy. A second failure is reported.
		 */
		d->tried_again = true;
		chan->stats.tried_again++;
		list_add(&d->node, &chan->active);
		chan->nactive++;
		again = true;
	}
	retried = hidma_ring_unpush(chan);
	chan->stats.retried += retried;

	trace_hidma_chan_error(chan, causes, d ? d->tx.cookie : 0, retried);
	dev_warn_ratelimited(chan->dev,
			     "transfer error (causes %#x, cookie %d%s): resetting channel, %u retried\n",
			     causes, d ? d->tx.cookie : 0,
			     again ? ", tried once more" : "", retried);

	if (d && !again &&
	    hidma_desc_complete(chan, d, hidma_cause_result(causes), kick)) {
		chan->hold = true;
		chan->hold_cookie = d->tx.cookie;
		chan->stats.held++;
	}
}

/**
 * hidma_chan_service() - reap, complete, and act on errors
 * @chan: the channel; caller holds &hidma_chan.lock
 * @budget: events to reap at most
 *
 * Called by the interrupt handler, the tasklet, and for polled clients by
 * device_tx_status() and prep. Error causes the handler recorded are
 * acted on only once every event before the failed one is reaped.
 *
 * Return: true if the tasklet must run (callbacks, or events left).
 */
bool hidma_chan_service(struct hidma_chan *chan, u32 budget)
{
	struct hidma_chan_desc *d, *n;
	enum hidma_reap reap;
	bool kick = false;
	LIST_HEAD(done);

	lockdep_assert_held(&chan->lock);

	if (chan->state != HIDMA_CHAN_RUNNING || chan->gone)
		return false;

	reap = hidma_ring_reap(chan, budget, &done);
	list_for_each_entry_safe(d, n, &done, node) {
		list_del_init(&d->node);
		hidma_desc_complete(chan, d, DMA_TRANS_NOERROR, &kick);
	}

	switch (reap) {
	case HIDMA_REAP_MORE:
		chan->reap_more = true;
		chan->stats.budget_exhausted++;
		return true;
	case HIDMA_REAP_BAD:
		chan->err_causes = 0;
		hidma_chan_fail(chan, 0, &kick);
		break;
	case HIDMA_REAP_IDLE:
	case HIDMA_REAP_ERROR:
		/*
		 * An error event waits at the head, or the failure wrote no
		 * event at all (event write error): either way the oldest
		 * TRE in flight failed, if the cause has arrived.
		 */
		if (chan->err_causes) {
			u32 causes = chan->err_causes;

			chan->err_causes = 0;
			hidma_chan_fail(chan, causes, &kick);
		}
		break;
	}
	return kick;
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
	if (chan->msi && irq == chan->eob_virq) {
		stat = HIDMA_IRQ_EOB;
	} else {
		stat = readl(chan->evca + HIDMA_EVCA_IRQ_STAT) & HIDMA_IRQ_ALL;
		if (!stat) {
			chan->stats.spurious_irqs++;
			spin_unlock(&chan->lock);
			/*
			 * An MSI is ours by construction; another vector's
			 * run may simply have handled its cause already.
			 */
			return chan->msi ? IRQ_HANDLED : IRQ_NONE;
		}
		writel(stat, chan->evca + HIDMA_EVCA_IRQ_CLR);
		/*
		 * The reaper looks for events in memory: on the wired line
		 * the clear must have reached the engine before it looks,
		 * or an event written meanwhile would have its cause
		 * cleared unseen and raise no new interrupt. The read
		 * flushes the posted write. (An MSI is a message of its
		 * own: clearing the cause cancels none.)
		 */
		if (!chan->msi)
			readl(chan->evca + HIDMA_EVCA_IRQ_STAT);
	}
	chan->stats.irqs++;

	/* Causes seen while not RUNNING are stale: ignored (and cleared). */
	if (chan->state == HIDMA_CHAN_RUNNING && !chan->gone) {
		chan->err_causes |= stat & HIDMA_IRQ_ERRORS;
		kick = hidma_chan_service(chan, chan->reap_budget);
	}
	spin_unlock(&chan->lock);

	if (kick)
		tasklet_schedule(&chan->tasklet);
	return IRQ_HANDLED;
}

/**
 * hidma_chan_tasklet() - the channel's bottom half
 * @t: &hidma_chan.tasklet
 *
 * Reaps on where the interrupt handler's budget ended, then runs the
 * completion callbacks (desc.c), and comes back while events remain. A
 * tasklet because that is the context dmaengine clients are written for
 * (callbacks come from the engine's tasklet, never from interrupt
 * context), because it can be scheduled from any context, including
 * device_tx_status() called by a polling client, and because it runs on
 * the interrupted CPU right after the hard IRQ, without a scheduler
 * round trip.
 */
void hidma_chan_tasklet(struct tasklet_struct *t)
{
	struct hidma_chan *chan = from_tasklet(chan, t, tasklet);
	unsigned long flags;
	bool again = false;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->reap_more) {
		chan->reap_more = false;
		again = hidma_chan_service(chan, chan->reap_budget) &&
			chan->reap_more;
	}
	spin_unlock_irqrestore(&chan->lock, flags);

	hidma_desc_run_completions(chan);
	if (again)
		tasklet_schedule(&chan->tasklet);
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

/**
 * hidma_setup_msi() - a block of MSIs, one handler per cause bit
 * @chan: the channel, reset and masked
 *
 * Not inlined and open to the kernel's function error injection
 * (fail_function): an MSI domain that is not ready yet (-EPROBE_DEFER)
 * cannot be produced on demand otherwise, and the probe's answer to it
 * (defer, do not fall back) is tested that way (chan/msi_defer).
 *
 * Return: 0 or a negative error code, nothing left requested.
 */
noinline int hidma_setup_msi(struct hidma_chan *chan)
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

	chan->eob_virq = msi_get_virq(chan->dev, 0);
	chan->msi = true;
	chan->msi_nvec = HIDMA_IRQ_NR_CAUSES;
	return 0;
}
ALLOW_ERROR_INJECTION(hidma_setup_msi, ERRNO);

/**
 * hidma_irq_wired() - the wired interrupt the firmware gives, checked
 * @chan: the channel, its registers not touched yet
 * @use_msi: MSIs are allowed (module parameter)
 *
 * Called before the first register access, so that a channel with no
 * interrupt it could use fails its probe leaving the hardware as it was:
 * without a wired line, only an MSI revision with MSIs allowed and an MSI
 * domain (IORT mapping, msi-parent) may go on.
 *
 * Return: the wired line, 0 if there is none but MSIs may be had, or a
 * negative error code (after one message saying what is missing).
 */
int hidma_irq_wired(struct hidma_chan *chan, bool use_msi)
{
	struct platform_device *pdev = to_platform_device(chan->dev);
	int irq;

	irq = platform_get_irq_optional(pdev, 0);
	if (irq > 0 || irq == -EPROBE_DEFER)
		return irq;
	if (!chan->variant->msi)
		return dev_err_probe(chan->dev, -EINVAL,
				     "firmware gives no interrupt: no wired interrupt, and revision %s has no MSIs\n",
				     chan->variant->rev);
	if (!use_msi)
		return dev_err_probe(chan->dev, -EINVAL,
				     "firmware gives no interrupt: no wired interrupt, and MSIs are off (use_msi=0)\n");
	if (!dev_get_msi_domain(chan->dev))
		return dev_err_probe(chan->dev, -EINVAL,
				     "firmware gives no interrupt: no wired interrupt, and no MSI domain (no IORT mapping or msi-parent)\n");
	return 0;
}

/**
 * hidma_irq_setup() - request the channel's interrupts
 * @chan: the channel, reset and masked, with drvdata set
 * @use_msi: MSIs are allowed (module parameter)
 * @wired: the wired line from hidma_irq_wired(), 0 if there is none
 *
 * Revisions 1.1 and later try a block of MSIs, one per cause bit; when
 * the platform has none to give (no msi-parent, no MSI domain) the wired
 * line is used, as on revision 1.0. An MSI domain that is not ready yet
 * (-EPROBE_DEFER) defers the probe instead: falling back then would keep
 * the channel on its wired line for good.
 *
 * Return: 0 or a negative error code (after one message, unless the
 * probe is deferred).
 */
int hidma_irq_setup(struct hidma_chan *chan, bool use_msi, int wired)
{
	int ret;

	if (use_msi && chan->variant->msi) {
		ret = hidma_setup_msi(chan);
		if (!ret)
			return 0;
		if (ret == -EPROBE_DEFER)
			return dev_err_probe(chan->dev, ret, "MSI domain not ready\n");
		if (!wired)
			return dev_err_probe(chan->dev, ret,
					     "no MSIs, and the firmware gives no wired interrupt\n");
		dev_info(chan->dev, "no MSIs (%d), using the wired interrupt\n",
			 ret);
	}

	ret = request_irq(wired, hidma_chan_irq, 0, dev_name(chan->dev), chan);
	if (ret)
		return dev_err_probe(chan->dev, ret,
				     "cannot request the wired interrupt %d\n", wired);
	chan->irq = wired;
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
		chan->eob_virq = 0;
	} else if (chan->irq) {
		free_irq(chan->irq, chan);
		chan->irq = 0;
	}
}

/**
 * hidma_chan_restart() - the channel was reset and programmed: run it
 * @chan: the channel, RESETTING or ASLEEP; caller holds &hidma_chan.lock
 *	and owns the hardware
 * @hw_ret: how the reset and start went
 *
 * On success the channel runs and the queued descriptors go into the
 * ring (unless paused or held). If the hardware did not come back the
 * channel is DEAD and everything queued completes as aborted.
 *
 * Return: true if the tasklet must run.
 */
bool hidma_chan_restart(struct hidma_chan *chan, int hw_ret)
{
	struct hidma_chan_desc *d, *n;
	bool kick = false;

	lockdep_assert_held(&chan->lock);

	hidma_ring_reset_indices(chan);
	chan->err_causes = 0;
	chan->reap_more = false;
	if (hw_ret) {
		dev_err(chan->dev,
			"channel did not recover (%d); it is dead until released\n",
			hw_ret);
		chan->state = HIDMA_CHAN_DEAD;
		chan->hold = false;
		list_splice_tail_init(&chan->submitted, &chan->issued);
		list_for_each_entry_safe(d, n, &chan->issued, node) {
			list_del_init(&d->node);
			hidma_desc_complete(chan, d, DMA_TRANS_ABORTED, &kick);
		}
		return kick;
	}
	chan->state = HIDMA_CHAN_RUNNING;
	hidma_ring_push(chan);
	return kick;
}

/**
 * hidma_chan_recover_work() - reset and re-enable a RESETTING channel
 * @work: &hidma_chan.recover_work
 *
 * Runs on the driver's workqueue (WQ_MEM_RECLAIM: clients may need DMA
 * to make progress under memory pressure) because the reset sequence
 * polls with sleeps. While the channel is RESETTING no other path
 * touches its registers, so the work owns them until it sets RUNNING.
 * Descriptors that terminate aborted while the engine ran them are
 * released once the reset has completed, not before: until then the
 * engine may still touch their buffers. A reset that never completes
 * keeps them until the channel is released.
 */
void hidma_chan_recover_work(struct work_struct *work)
{
	struct hidma_chan *chan = container_of(work, struct hidma_chan,
					       recover_work);
	unsigned long flags;
	bool kick, owner;
	int rret, ret;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->state != HIDMA_CHAN_RESETTING || chan->gone) {
		spin_unlock_irqrestore(&chan->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&chan->lock, flags);

	rret = hidma_hw_reset(chan);
	ret = rret ?: hidma_hw_start(chan);

	spin_lock_irqsave(&chan->lock, flags);
	/* free_chan_resources, suspend, remove or shutdown took over */
	owner = chan->state == HIDMA_CHAN_RESETTING && !chan->gone;
	kick = owner && hidma_chan_restart(chan, ret);
	spin_unlock_irqrestore(&chan->lock, flags);

	if (owner && !rret)
		hidma_desc_release_aborted(chan);
	if (kick)
		tasklet_schedule(&chan->tasklet);
}
