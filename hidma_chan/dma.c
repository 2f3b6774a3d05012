// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: the dmaengine provider. The operations a client calls
 * (prep, submit, issue, status, pause, resume, terminate, synchronize,
 * alloc and free of channel resources), registration with dmaengine and
 * of_dma, and the channel's lifetime once it is registered.
 *
 * Descriptors and cookies are desc.c's; the ring is ring.c's; reaping,
 * errors and recovery are irq.c's. No function here sleeps except
 * alloc/free_chan_resources and synchronize.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/of.h>
#include <linux/of_dma.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>

#include "hidma_chan.h"
#include "trace.h"

static dma_cookie_t hidma_tx_submit(struct dma_async_tx_descriptor *tx);

/* ---- dmaengine operations ---- */

/* Work is accepted while a client holds a channel that is not dead. */
static bool hidma_accepting(struct hidma_chan *chan)
{
	return !chan->gone && (chan->state == HIDMA_CHAN_RUNNING ||
			       chan->state == HIDMA_CHAN_RESETTING ||
			       chan->state == HIDMA_CHAN_ASLEEP);
}

static struct dma_async_tx_descriptor *
hidma_prep(struct hidma_chan *chan, enum hidma_desc_op op, dma_addr_t dst,
	   u64 src, size_t len, unsigned long flags)
{
	struct hidma_chan_desc *d = NULL;
	unsigned long lflags;
	bool kick = false;

	if (!len || len > HIDMA_TRE_MAX_LEN)
		return NULL;

	spin_lock_irqsave(&chan->lock, lflags);
	/*
	 * While the device is being removed nothing new is prepared; what
	 * was prepared before may still be submitted (async_tx submits a
	 * dependent descriptor from its parent's callback) and drains.
	 */
	if (hidma_accepting(chan) && !chan->closing) {
		d = hidma_desc_get(chan);
		if (!d) {
			/* A polling client frees descriptors by reaping. */
			chan->stats.polled_reaps++;
			kick = hidma_chan_service(chan, U32_MAX);
			d = hidma_desc_get(chan);
			if (!d)
				chan->stats.prep_full++;
		}
	}
	spin_unlock_irqrestore(&chan->lock, lflags);
	if (kick)
		tasklet_schedule(&chan->tasklet);
	if (!d)
		return NULL;

	d->op = op;
	d->ieob = op == HIDMA_OP_INTERRUPT || (flags & DMA_PREP_INTERRUPT);
	d->len = len;
	d->src = src;
	d->dst = dst;
	d->result = DMA_TRANS_NOERROR;
	d->residue = len;
	d->tried_again = false;

	d->tx.flags = flags;
	d->tx.cookie = -EBUSY;
	d->tx.tx_submit = hidma_tx_submit;
	d->tx.callback = NULL;
	d->tx.callback_result = NULL;
	d->tx.callback_param = NULL;
	d->tx.unmap = NULL;
	txd_clear_next(&d->tx);
	txd_clear_parent(&d->tx);

	return &d->tx;
}

static struct dma_async_tx_descriptor *
hidma_prep_memcpy(struct dma_chan *dchan, dma_addr_t dst, dma_addr_t src,
		  size_t len, unsigned long flags)
{
	return hidma_prep(to_hidma_chan(dchan), HIDMA_OP_MEMCPY, dst, src, len,
			  flags);
}

static struct dma_async_tx_descriptor *
hidma_prep_memset(struct dma_chan *dchan, dma_addr_t dst, int value,
		  size_t len, unsigned long flags)
{
	/* The value is one byte; the engine repeats an 8-byte pattern. */
	u64 pattern = (u8)value * 0x0101010101010101ULL;

	return hidma_prep(to_hidma_chan(dchan), HIDMA_OP_MEMSET, dst, pattern,
			  len, flags);
}

static struct dma_async_tx_descriptor *
hidma_prep_interrupt(struct dma_chan *dchan, unsigned long flags)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);

	return hidma_prep(chan, HIDMA_OP_INTERRUPT, chan->scratch_dma, 0,
			  sizeof(u64), flags);
}

static dma_cookie_t hidma_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct hidma_chan *chan = to_hidma_chan(tx->chan);
	struct hidma_chan_desc *d = to_hidma_desc(tx);
	unsigned long flags;
	dma_cookie_t cookie;

	spin_lock_irqsave(&chan->lock, flags);
	if (!hidma_accepting(chan)) {
		/* The client keeps no reference after a failed submit. */
		spin_unlock_irqrestore(&chan->lock, flags);
		dma_descriptor_unmap(tx);
		spin_lock_irqsave(&chan->lock, flags);
		hidma_desc_put(chan, d);
		spin_unlock_irqrestore(&chan->lock, flags);
		return -EIO;
	}
	cookie = hidma_cookie_assign(chan, tx);
	list_add_tail(&d->node, &chan->submitted);
	chan->stats.submitted++;
	trace_hidma_chan_submit(chan, d);
	spin_unlock_irqrestore(&chan->lock, flags);

	return cookie;
}

static void hidma_issue_pending(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;

	spin_lock_irqsave(&chan->lock, flags);
	list_splice_tail_init(&chan->submitted, &chan->issued);
	hidma_ring_push(chan);
	spin_unlock_irqrestore(&chan->lock, flags);
}

static struct hidma_chan_desc *hidma_find_desc(struct hidma_chan *chan,
					       dma_cookie_t cookie)
{
	struct list_head *lists[] = {
		&chan->active, &chan->issued, &chan->submitted,
	};
	struct hidma_chan_desc *d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(d, lists[i], node)
			if (d->tx.cookie == cookie)
				return d;
	return NULL;
}

/*
 * Residue granularity is the descriptor: one TRE, and the engine reports
 * nothing about a TRE until its event. A pending or running descriptor
 * reports its whole length, a completed one 0, a failed or aborted one
 * its whole length (nothing is known to have been transferred).
 */
static enum dma_status hidma_tx_status(struct dma_chan *dchan,
				       dma_cookie_t cookie,
				       struct dma_tx_state *txstate)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	struct hidma_chan_desc *d;
	dma_cookie_t last, done;
	enum dma_status status;
	unsigned long flags;
	bool kick = false;
	u32 residue = 0;

	spin_lock_irqsave(&chan->lock, flags);
	status = dma_async_is_complete(cookie, dchan->completed_cookie,
				       dchan->cookie);
	if (status != DMA_COMPLETE && chan->state == HIDMA_CHAN_RUNNING) {
		/*
		 * Polled clients complete here, without any interrupt; the
		 * tasklet takes what the budget leaves.
		 */
		chan->stats.polled_reaps++;
		kick = hidma_chan_service(chan, chan->reap_budget);
	}

	last = dchan->cookie;
	done = dchan->completed_cookie;
	status = dma_async_is_complete(cookie, done, last);
	if (status == DMA_COMPLETE) {
		if (hidma_cookie_failed(chan, cookie, &residue))
			status = DMA_ERROR;
	} else {
		d = hidma_find_desc(chan, cookie);
		if (d)
			residue = d->len;
		if (chan->paused)
			status = DMA_PAUSED;
	}
	spin_unlock_irqrestore(&chan->lock, flags);

	if (kick)
		tasklet_schedule(&chan->tasklet);

	if (txstate) {
		txstate->last = last;
		txstate->used = done;
		txstate->residue = residue;
	}
	return status;
}

/*
 * Pause is granular to the TRE: SUSPEND lets the TRE in flight finish
 * and stops before the next, and a TRE may be up to 4 GiB long. So pause
 * neither spins nor waits: it stops pushing work at once, sends SUSPEND
 * and returns. The TRE in flight completes normally (its callback runs),
 * the rest report DMA_PAUSED until resume. While the channel is
 * resetting or asleep there is nothing in flight and the flag alone
 * keeps the ring empty.
 */
static int hidma_pause(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->gone) {
		ret = -ENODEV;
	} else if (!chan->paused) {
		chan->paused = true;
		if (chan->state == HIDMA_CHAN_RUNNING)
			hidma_hw_cmd(chan->trca, HIDMA_CMD_SUSPEND);
	}
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret;
}

/*
 * ENABLE resumes a SUSPENDED transfer channel from the next TRE, and the
 * engine carries out commands in the order they were written, so resume
 * needs no wait for the SUSPEND to have taken effect either
 * (Documentation/hardware.rst, "Commands and states").
 */
static int hidma_resume(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->gone) {
		ret = -ENODEV;
	} else if (chan->paused) {
		chan->paused = false;
		if (chan->state == HIDMA_CHAN_RUNNING) {
			hidma_hw_cmd(chan->trca, HIDMA_CMD_ENABLE);
			hidma_ring_push(chan);
		}
	}
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret;
}

/*
 * Does not sleep and runs no callback of an aborted descriptor. What
 * already finished is reaped first and completes normally. If TREs are
 * in flight (or the engine may be suspended by pause) the channel is
 * reset: the RESET command goes out now, and the descriptors the engine
 * may still be working on are released (unmapped) only once the recovery
 * work has seen the reset complete; device_synchronize() waits for that.
 * Descriptors that never reached the engine are released at once.
 */
static int hidma_terminate_all(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	LIST_HEAD(aborted);
	bool kick;

	spin_lock_irqsave(&chan->lock, flags);
	kick = hidma_chan_service(chan, U32_MAX);
	if (chan->state == HIDMA_CHAN_RUNNING && !chan->gone &&
	    (chan->nactive || chan->paused)) {
		hidma_desc_park_active(chan);
		hidma_chan_reset_async(chan);
	}
	hidma_desc_abort_all(chan, &aborted);
	chan->paused = false;
	chan->hold = false;
	spin_unlock_irqrestore(&chan->lock, flags);

	if (kick)
		tasklet_schedule(&chan->tasklet);
	hidma_desc_release(chan, &aborted);
	return 0;
}

static void hidma_synchronize(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);

	/* The reset that stops the engine completes in the work. */
	flush_work(&chan->recover_work);
	hidma_desc_drain_completions(chan);
}

static int hidma_alloc_chan_resources(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	int ret;

	mutex_lock(&chan->ctrl);
	if (chan->gone || chan->closing) {
		ret = -ENODEV;
		goto out;
	}

	/* Registers powered for as long as a client can queue work. */
	ret = pm_runtime_resume_and_get(chan->dev);
	if (ret)
		goto out;
	chan->pm_held = true;

	spin_lock_irqsave(&chan->lock, flags);
	hidma_desc_pool_reset(chan);
	hidma_ring_reset_indices(chan);
	chan->paused = false;
	chan->hold = false;
	chan->err_causes = 0;
	chan->reap_more = false;
	spin_unlock_irqrestore(&chan->lock, flags);

	ret = hidma_hw_reset(chan);
	if (!ret)
		ret = hidma_hw_start(chan);
	if (ret) {
		hidma_hw_reset(chan);
		pm_runtime_mark_last_busy(chan->dev);
		pm_runtime_put_autosuspend(chan->dev);
		chan->pm_held = false;
		goto out;
	}

	spin_lock_irqsave(&chan->lock, flags);
	chan->state = HIDMA_CHAN_RUNNING;
	spin_unlock_irqrestore(&chan->lock, flags);
	ret = chan->ndesc;
out:
	mutex_unlock(&chan->ctrl);
	return ret;
}

/**
 * hidma_chan_stop() - take the channel from its client, quiet and idle
 * @chan: the channel; caller holds &hidma_chan.ctrl
 * @gone: the device is going away: refuse everything from now on
 *
 * Nothing is accepted any more (if @gone), queued work is dropped with no
 * callback, the recovery work is finished, the channel is reset (no DMA
 * in flight) with its causes masked and cleared, and only then are the
 * aborted descriptors released.
 *
 * Return: 0, or the error of a reset that did not complete.
 */
int hidma_chan_stop(struct hidma_chan *chan, bool gone)
{
	unsigned long flags;
	LIST_HEAD(aborted);
	int ret;

	lockdep_assert_held(&chan->ctrl);

	spin_lock_irqsave(&chan->lock, flags);
	if (gone)
		chan->gone = true;
	hidma_desc_park_active(chan);
	hidma_desc_abort_all(chan, &aborted);
	chan->state = HIDMA_CHAN_OFF;
	chan->paused = false;
	chan->hold = false;
	spin_unlock_irqrestore(&chan->lock, flags);

	/* The work sees OFF (or gone) and leaves the hardware to us. */
	cancel_work_sync(&chan->recover_work);
	ret = hidma_hw_reset(chan);
	if (ret)
		dev_err(chan->dev, "reset failed: DMA may still be in flight\n");

	hidma_desc_release(chan, &aborted);
	hidma_desc_release_aborted(chan);
	return ret;
}

/*
 * Nothing queued or in flight any more, or nothing that can move. Reaps
 * too, for work whose client asked for no interrupt and does not poll.
 */
static bool hidma_chan_idle(struct hidma_chan *chan)
{
	unsigned long flags;
	bool idle, kick;

	spin_lock_irqsave(&chan->lock, flags);
	kick = hidma_chan_service(chan, chan->reap_budget);
	idle = chan->state != HIDMA_CHAN_RUNNING || chan->paused ||
	       (list_empty(&chan->submitted) && list_empty(&chan->issued) &&
		list_empty(&chan->active));
	spin_unlock_irqrestore(&chan->lock, flags);
	if (kick)
		tasklet_schedule(&chan->tasklet);
	return idle;
}

/**
 * hidma_chan_drain() - let queued work finish before the device goes
 * @chan: the channel being removed; process context
 *
 * A client that never terminates (async_tx, for md RAID) waits for the
 * callback of every descriptor it submitted: aborting them under it
 * would stall it for good. So removal first refuses to prepare new work
 * (such a client then copies by CPU or on another channel), still takes
 * the submission of descriptors prepared before (async_tx submits a
 * dependent descriptor from its parent's callback), and lets what is
 * queued complete normally, for at most HIDMA_DRAIN_MS; whatever is left
 * then is aborted by the quiesce that follows. A paused channel, or one
 * not running, has nothing that will finish and is not waited for.
 */
void hidma_chan_drain(struct hidma_chan *chan)
{
	unsigned long flags, deadline;

	spin_lock_irqsave(&chan->lock, flags);
	chan->closing = true;
	spin_unlock_irqrestore(&chan->lock, flags);

	deadline = jiffies + msecs_to_jiffies(HIDMA_DRAIN_MS);
	while (!hidma_chan_idle(chan)) {
		if (time_after(jiffies, deadline)) {
			dev_warn(chan->dev,
				 "work still queued after %u ms: aborting it\n",
				 HIDMA_DRAIN_MS);
			return;
		}
		usleep_range(500, 1000);
	}
}

static void hidma_free_chan_resources(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;

	mutex_lock(&chan->ctrl);
	if (!chan->gone)
		hidma_chan_stop(chan, false);
	hidma_desc_drain_completions(chan);

	spin_lock_irqsave(&chan->lock, flags);
	hidma_desc_pool_reset(chan);
	spin_unlock_irqrestore(&chan->lock, flags);

	if (chan->pm_held) {
		pm_runtime_mark_last_busy(chan->dev);
		pm_runtime_put_autosuspend(chan->dev);
		chan->pm_held = false;
	}
	mutex_unlock(&chan->ctrl);
}

/* ---- lifetime and registration ---- */

static void hidma_chan_release(struct kref *ref)
{
	struct hidma_chan *chan = container_of(ref, struct hidma_chan, ref);

	hidma_desc_pool_free(chan);
	mutex_destroy(&chan->ctrl);
	put_device(chan->dev);
	kfree(chan);
}

/* Drop a reference: the bound driver's, or the dma_device's. */
void hidma_chan_put(struct hidma_chan *chan)
{
	kref_put(&chan->ref, hidma_chan_release);
}

static bool hidma_filter_this(struct dma_chan *dchan, void *param)
{
	return dchan == param;
}

/*
 * #dma-cells = <1>: the node is one channel and the cell, its index
 * within the node, must be 0. A phandle without a cell (trees written
 * before the binding settled on one cell) names the same channel. The
 * channel is taken for the client's exclusive use, like any channel
 * requested by a filter.
 */
static struct dma_chan *hidma_of_xlate(struct of_phandle_args *args,
				       struct of_dma *ofdma)
{
	struct hidma_chan *chan = ofdma->of_dma_data;
	dma_cap_mask_t mask;

	if (args->args_count > 1 || (args->args_count == 1 && args->args[0]))
		return NULL;
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	return dma_request_channel(mask, hidma_filter_this, &chan->dchan);
}

static bool hidma_filter_none(struct dma_chan *dchan, void *param)
{
	return false;
}

/*
 * The dmaengine core calls device_release from dma_chan_put() with its
 * dma_list_mutex held, and its callers go on using the channel under that
 * mutex: dma_release_channel() reads chan->slave and dbg_client_name,
 * dmaengine_put() walks the device's channel list. So the channel must
 * outlive that critical section. Asking the core for a channel that no
 * filter accepts takes and releases the mutex and has no other effect:
 * once it returns the core is done with this channel, and the reference
 * can go. On the driver's workqueue, which module exit drains.
 */
static void hidma_dd_release_work(struct work_struct *work)
{
	struct hidma_chan *chan = container_of(work, struct hidma_chan,
					       release_work);
	dma_cap_mask_t mask;

	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	WARN_ON(dma_request_channel(mask, hidma_filter_none, NULL));
	hidma_chan_put(chan);
}

static void hidma_dd_release(struct dma_device *dd)
{
	struct hidma_chan *chan = container_of(dd, struct hidma_chan, dd);

	queue_work(hidma_chan_wq, &chan->release_work);
}

/**
 * hidma_dma_register() - register the channel with dmaengine
 * @chan: the probed channel, interrupts requested
 *
 * On success the dma_device holds a reference to @chan, dropped by the
 * core's device_release once the device is unregistered and the last
 * client has let go of the channel. A client may allocate the channel as
 * soon as this returns: async_tx, for one, takes every public channel
 * at registration.
 *
 * Return: 0 or a negative error code.
 */
int hidma_dma_register(struct hidma_chan *chan)
{
	struct dma_device *dd = &chan->dd;
	int ret;
	u32 i;

	for (i = 0; i < chan->ndesc; i++)
		dma_async_tx_descriptor_init(&chan->pool[i].tx, &chan->dchan);
	hidma_desc_pool_reset(chan);

	dd->dev = chan->dev;
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_MEMCPY, dd->cap_mask);
	dma_cap_set(DMA_MEMSET, dd->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dd->cap_mask);
	/* The engine puts no alignment constraint on addresses or length. */
	dd->copy_align = DMAENGINE_ALIGN_1_BYTE;
	dd->fill_align = DMAENGINE_ALIGN_1_BYTE;
	dd->directions = BIT(DMA_MEM_TO_MEM);
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_DESCRIPTOR;

	dd->device_alloc_chan_resources = hidma_alloc_chan_resources;
	dd->device_free_chan_resources = hidma_free_chan_resources;
	dd->device_prep_dma_memcpy = hidma_prep_memcpy;
	dd->device_prep_dma_memset = hidma_prep_memset;
	dd->device_prep_dma_interrupt = hidma_prep_interrupt;
	dd->device_issue_pending = hidma_issue_pending;
	dd->device_tx_status = hidma_tx_status;
	dd->device_pause = hidma_pause;
	dd->device_resume = hidma_resume;
	dd->device_terminate_all = hidma_terminate_all;
	dd->device_synchronize = hidma_synchronize;
	dd->device_release = hidma_dd_release;
	INIT_WORK(&chan->release_work, hidma_dd_release_work);

	chan->dchan.device = dd;
	chan->dchan.cookie = DMA_MIN_COOKIE;
	chan->dchan.completed_cookie = DMA_MIN_COOKIE;
	list_add_tail(&chan->dchan.device_node, &dd->channels);

	ret = dma_async_device_register(dd);
	if (ret)
		return ret;
	kref_get(&chan->ref);
	return 0;
}

/**
 * hidma_of_register() - let device-tree clients find the channel
 * @chan: the registered channel
 *
 * Return: 0 or a negative error code; nothing to do without a DT node.
 */
int hidma_of_register(struct hidma_chan *chan)
{
	if (!chan->dev->of_node)
		return 0;
	return of_dma_controller_register(chan->dev->of_node, hidma_of_xlate,
					  chan);
}

/**
 * hidma_dma_unregister() - undo hidma_dma_register() and hidma_of_register()
 * @chan: the channel being removed
 *
 * No new client can find the channel afterwards; existing ones keep
 * their reference and see every operation fail once the channel is
 * marked gone.
 */
void hidma_dma_unregister(struct hidma_chan *chan)
{
	/* Does nothing if hidma_of_register() did not register the node. */
	if (chan->dev->of_node)
		of_dma_controller_free(chan->dev->of_node);
	dma_async_device_unregister(&chan->dd);
	/*
	 * With no client left, the core released the device just now and
	 * hidma_dd_release() queued the drop of its reference. Wait for it:
	 * the channel's struct device, and with it the firmware node an
	 * overlay removal frees right after remove, must be let go before
	 * remove returns. A client still holding the channel drops that
	 * reference later, when it lets go; nothing is queued then.
	 */
	flush_work(&chan->release_work);
}
