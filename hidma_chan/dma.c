// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: the dmaengine provider.
 *
 * A descriptor's life: prep takes it from the pool (free list); tx_submit
 * gives it a cookie and queues it on "submitted"; issue_pending moves
 * the submitted ones to "issued" and pushes them into the TRE ring
 * ("active"); the reaper completes them in ring order and puts them on
 * "completed" for the tasklet, which unmaps, runs the client's callback
 * with no lock held and returns them to the pool (or to "wait_ack" until
 * the client acks them). Every list is protected by chan->lock, which
 * the interrupt handler also takes; no function here sleeps except
 * alloc/free_chan_resources and synchronize.
 *
 * Cookies are handled here rather than with the helpers in
 * drivers/dma/dmaengine.h, which are private to the kernel tree:
 * dchan.cookie is the last cookie assigned, dchan.completed_cookie the
 * last one completed, both under chan->lock. One in-order ring means
 * cookies complete in the order they were assigned, so "completed" is a
 * single watermark. Cookies that failed or were aborted are remembered in
 * a small log (struct hidma_chan_errlog) so that device_tx_status()
 * reports them as DMA_ERROR rather than complete.
 */
#include <linux/dma-mapping.h>
#include <linux/of.h>
#include <linux/of_dma.h>
#include <linux/pm_runtime.h>

#include "hidma_chan.h"
#include "trace.h"

/* ---- cookies and the error log (chan->lock held) ---- */

static dma_cookie_t hidma_cookie_assign(struct hidma_chan *chan,
					struct dma_async_tx_descriptor *tx)
{
	dma_cookie_t cookie = chan->dchan.cookie + 1;

	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	chan->dchan.cookie = cookie;
	tx->cookie = cookie;
	return cookie;
}

/* Is @c in (@after, @last]? Cookies wrap from INT_MAX to DMA_MIN_COOKIE. */
static bool hidma_cookie_in(dma_cookie_t c, dma_cookie_t after,
			    dma_cookie_t last)
{
	if (after <= last)
		return c > after && c <= last;
	return c > after || c <= last;
}

void hidma_errlog_add(struct hidma_chan *chan, dma_cookie_t after,
		      dma_cookie_t last, u32 residue)
{
	struct hidma_chan_errlog *e = &chan->errlog[chan->errlog_next];

	lockdep_assert_held(&chan->lock);

	e->after = after;
	e->last = last;
	e->residue = residue;
	chan->errlog_next = (chan->errlog_next + 1) % HIDMA_CHAN_ERRLOG_LEN;
}

static const struct hidma_chan_errlog *
hidma_errlog_find(struct hidma_chan *chan, dma_cookie_t cookie)
{
	unsigned int i, idx;

	lockdep_assert_held(&chan->lock);

	/* newest first */
	for (i = 1; i <= HIDMA_CHAN_ERRLOG_LEN; i++) {
		idx = (chan->errlog_next + HIDMA_CHAN_ERRLOG_LEN - i) %
		      HIDMA_CHAN_ERRLOG_LEN;
		if (chan->errlog[idx].after == chan->errlog[idx].last)
			continue;
		if (hidma_cookie_in(cookie, chan->errlog[idx].after,
				    chan->errlog[idx].last))
			return &chan->errlog[idx];
	}
	return NULL;
}

/* ---- descriptor pool ---- */

static dma_cookie_t hidma_tx_submit(struct dma_async_tx_descriptor *tx);

/* Every descriptor back on the free list. No client, nothing in flight. */
static void hidma_pool_reset(struct hidma_chan *chan)
{
	u32 i;

	INIT_LIST_HEAD(&chan->free);
	INIT_LIST_HEAD(&chan->submitted);
	INIT_LIST_HEAD(&chan->issued);
	INIT_LIST_HEAD(&chan->active);
	INIT_LIST_HEAD(&chan->completed);
	INIT_LIST_HEAD(&chan->wait_ack);
	chan->nactive = 0;
	for (i = 0; i < chan->ndesc; i++)
		list_add_tail(&chan->pool[i].node, &chan->free);
}

static void hidma_pool_init(struct hidma_chan *chan)
{
	u32 i;

	for (i = 0; i < chan->ndesc; i++) {
		struct hidma_chan_desc *d = &chan->pool[i];

		dma_async_tx_descriptor_init(&d->tx, &chan->dchan);
		d->tx.tx_submit = hidma_tx_submit;
	}
	hidma_pool_reset(chan);
}

/* A finished descriptor goes back to the pool once the client acked it. */
static void hidma_desc_retire(struct hidma_chan *chan, struct hidma_chan_desc *d)
{
	lockdep_assert_held(&chan->lock);

	if (async_tx_test_ack(&d->tx))
		list_add(&d->node, &chan->free);
	else
		list_add_tail(&d->node, &chan->wait_ack);
}

/**
 * hidma_desc_complete() - mark a descriptor done
 * @chan: the channel; caller holds &hidma_chan.lock
 * @d: the descriptor, already unlinked from its list
 * @result: how it ended
 * @kick: set if the completion tasklet must run
 *
 * The cookie is marked complete before the callback can run. Descriptors
 * with nothing left to do (no callback, no unmap data, no dependency)
 * return to the pool at once, so polled clients never involve the
 * tasklet.
 */
void hidma_desc_complete(struct hidma_chan *chan, struct hidma_chan_desc *d,
			 enum dmaengine_tx_result result, bool *kick)
{
	struct dma_async_tx_descriptor *tx = &d->tx;

	lockdep_assert_held(&chan->lock);

	d->result = result;
	d->residue = result == DMA_TRANS_NOERROR ? 0 : d->len;
	chan->dchan.completed_cookie = tx->cookie;
	if (result == DMA_TRANS_NOERROR) {
		chan->stats.completed++;
	} else {
		chan->stats.failed++;
		hidma_errlog_add(chan, tx->cookie - 1, tx->cookie, d->residue);
	}
	trace_hidma_chan_complete(chan, d);

	if (tx->callback || tx->callback_result || tx->unmap || txd_next(tx)) {
		list_add_tail(&d->node, &chan->completed);
		*kick = true;
	} else {
		hidma_desc_retire(chan, d);
	}
}

/**
 * hidma_chan_abort_all() - take every queued and in-flight descriptor
 * @chan: the channel; caller holds &hidma_chan.lock
 * @out: an empty list that receives the descriptors
 *
 * Their cookies are marked complete in the watermark sense and logged as
 * failed; no callback will run for them. The caller stops the hardware
 * if anything was in flight and hands @out to
 * hidma_chan_release_descs() once the lock is dropped.
 */
void hidma_chan_abort_all(struct hidma_chan *chan, struct list_head *out)
{
	dma_cookie_t last = chan->dchan.cookie;
	dma_cookie_t done = chan->dchan.completed_cookie;
	struct hidma_chan_desc *d;

	lockdep_assert_held(&chan->lock);

	list_splice_tail_init(&chan->active, out);
	list_splice_tail_init(&chan->issued, out);
	list_splice_tail_init(&chan->submitted, out);
	chan->nactive = 0;
	list_for_each_entry(d, out, node)
		chan->stats.aborted++;

	if (last != done) {
		hidma_errlog_add(chan, done, last, 0);
		chan->dchan.completed_cookie = last;
	}
}

/**
 * hidma_chan_release_descs() - return aborted descriptors to the pool
 * @chan: the channel; caller holds no driver lock
 * @descs: descriptors from hidma_chan_abort_all()
 *
 * Releases their unmap data (outside the lock) without running any
 * callback.
 */
void hidma_chan_release_descs(struct hidma_chan *chan, struct list_head *descs)
{
	struct hidma_chan_desc *d;
	unsigned long flags;

	if (list_empty(descs))
		return;
	list_for_each_entry(d, descs, node)
		dma_descriptor_unmap(&d->tx);

	spin_lock_irqsave(&chan->lock, flags);
	list_splice_init(descs, &chan->free);
	spin_unlock_irqrestore(&chan->lock, flags);
}

static struct hidma_chan_desc *hidma_desc_get(struct hidma_chan *chan)
{
	struct hidma_chan_desc *d, *n;
	unsigned long flags;
	bool kick = false;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->gone || (chan->state != HIDMA_CHAN_RUNNING &&
			   chan->state != HIDMA_CHAN_RESETTING)) {
		d = NULL;
		goto out;
	}

	if (list_empty(&chan->free)) {
		list_for_each_entry_safe(d, n, &chan->wait_ack, node)
			if (async_tx_test_ack(&d->tx))
				list_move(&d->node, &chan->free);
	}
	if (list_empty(&chan->free) && chan->state == HIDMA_CHAN_RUNNING) {
		chan->stats.polled_reaps++;
		kick = hidma_ring_reap(chan);
	}

	d = list_first_entry_or_null(&chan->free, struct hidma_chan_desc, node);
	if (d)
		list_del_init(&d->node);
	else
		chan->stats.prep_full++;
out:
	spin_unlock_irqrestore(&chan->lock, flags);
	if (kick)
		tasklet_schedule(&chan->tasklet);
	return d;
}

/* ---- completion tasklet ---- */

static void hidma_desc_callback(struct dma_async_tx_descriptor *tx,
				const struct dmaengine_result *res)
{
	dma_async_tx_callback_result cb_result = tx->callback_result;
	dma_async_tx_callback cb = tx->callback;
	void *param = tx->callback_param;

	if (cb_result)
		cb_result(param, res);
	else if (cb)
		cb(param);
}

/**
 * hidma_chan_complete_tasklet() - run completion callbacks
 * @t: &hidma_chan.tasklet
 *
 * Takes the whole completed list in one go, then, with no driver lock
 * held, releases each descriptor's unmap data, calls its callback (which
 * may prep, submit, issue or terminate on this channel) and runs its
 * async_tx dependencies, in completion order. A tasklet because that is
 * the context dmaengine clients are written for (client.rst: callbacks
 * come from the engine's tasklet, never from interrupt context), because
 * it can be scheduled from any context, including device_tx_status()
 * called by a polling client, and because it runs on the interrupted CPU
 * right after the hard IRQ, without a scheduler round trip.
 */
void hidma_chan_complete_tasklet(struct tasklet_struct *t)
{
	struct hidma_chan *chan = from_tasklet(chan, t, tasklet);
	struct hidma_chan_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&chan->lock, flags);
	list_splice_tail_init(&chan->completed, &done);
	spin_unlock_irqrestore(&chan->lock, flags);

	list_for_each_entry(d, &done, node) {
		struct dmaengine_result res = {
			.result = d->result,
			.residue = d->residue,
		};

		dma_descriptor_unmap(&d->tx);
		hidma_desc_callback(&d->tx, &res);
		dma_run_dependencies(&d->tx);
	}

	spin_lock_irqsave(&chan->lock, flags);
	list_for_each_entry_safe(d, n, &done, node) {
		list_del(&d->node);
		hidma_desc_retire(chan, d);
	}
	spin_unlock_irqrestore(&chan->lock, flags);
}

/**
 * hidma_chan_drain_completions() - wait until no callback runs or waits
 * @chan: the channel; process context, no driver lock held
 *
 * tasklet_kill() waits for a scheduled or running tasklet, but a
 * tasklet_schedule() that lands while it holds the SCHED bit is lost. So
 * look at the completed list afterwards and schedule and wait again if
 * anything is left. Only descriptors that complete while this runs
 * (work submitted after the terminate) can remain; they are left
 * scheduled, never stranded.
 */
void hidma_chan_drain_completions(struct hidma_chan *chan)
{
	unsigned long flags;
	bool empty;
	int i;

	for (i = 0; i < 3; i++) {
		tasklet_kill(&chan->tasklet);
		spin_lock_irqsave(&chan->lock, flags);
		empty = list_empty(&chan->completed);
		spin_unlock_irqrestore(&chan->lock, flags);
		if (empty)
			return;
		tasklet_schedule(&chan->tasklet);
	}
}

/* ---- dmaengine operations ---- */

static struct dma_async_tx_descriptor *
hidma_prep(struct hidma_chan *chan, enum hidma_desc_op op, dma_addr_t dst,
	   u64 src, size_t len, unsigned long flags)
{
	struct hidma_chan_desc *d;

	if (!len || len > HIDMA_TRE_MAX_LEN)
		return NULL;

	d = hidma_desc_get(chan);
	if (!d)
		return NULL;

	d->op = op;
	d->ieob = op == HIDMA_OP_INTERRUPT || (flags & DMA_PREP_INTERRUPT);
	d->len = len;
	d->src = src;
	d->dst = dst;
	d->result = DMA_TRANS_NOERROR;
	d->residue = len;

	d->tx.flags = flags;
	d->tx.cookie = -EBUSY;
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
	if (chan->gone || (chan->state != HIDMA_CHAN_RUNNING &&
			   chan->state != HIDMA_CHAN_RESETTING)) {
		/* The client keeps no reference after a failed submit. */
		spin_unlock_irqrestore(&chan->lock, flags);
		dma_descriptor_unmap(tx);
		spin_lock_irqsave(&chan->lock, flags);
		list_add(&d->node, &chan->free);
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
 * reports its whole length, a completed one 0, a failed one what its
 * callback was told.
 */
static enum dma_status hidma_tx_status(struct dma_chan *dchan,
				       dma_cookie_t cookie,
				       struct dma_tx_state *txstate)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	const struct hidma_chan_errlog *e;
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
		/* Polled clients complete here, without any interrupt. */
		chan->stats.polled_reaps++;
		kick = hidma_ring_reap(chan);
	}

	last = dchan->cookie;
	done = dchan->completed_cookie;
	status = dma_async_is_complete(cookie, done, last);
	if (status == DMA_COMPLETE) {
		e = hidma_errlog_find(chan, cookie);
		if (e) {
			status = DMA_ERROR;
			residue = e->residue;
		}
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

static int hidma_pause(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->gone) {
		ret = -ENODEV;
		goto out;
	}
	if (chan->paused)
		goto out;
	chan->paused = true;
	/*
	 * SUSPEND lets the TRE in flight finish and stops before the next.
	 * While RESETTING (or DEAD) there is nothing in flight, and the
	 * flag alone keeps the ring empty.
	 */
	if (chan->state == HIDMA_CHAN_RUNNING) {
		hidma_hw_cmd(chan->trca, HIDMA_CMD_SUSPEND);
		ret = hidma_hw_poll_atomic(chan, chan->trca, HIDMA_STATES_HALTED);
	}
out:
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret;
}

static int hidma_resume(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&chan->lock, flags);
	if (chan->gone) {
		ret = -ENODEV;
		goto out;
	}
	if (!chan->paused)
		goto out;
	if (chan->state == HIDMA_CHAN_RUNNING &&
	    hidma_hw_state(chan->trca) == HIDMA_STATE_SUSPENDED) {
		hidma_hw_cmd(chan->trca, HIDMA_CMD_ENABLE);
		/* STOPPED: an error; the interrupt handler deals with it. */
		ret = hidma_hw_poll_atomic(chan, chan->trca, HIDMA_STATES_ON |
					   BIT(HIDMA_STATE_STOPPED));
		if (ret)
			goto out;
	}
	chan->paused = false;
	hidma_ring_push(chan);
out:
	spin_unlock_irqrestore(&chan->lock, flags);
	return ret;
}

/*
 * Does not sleep and runs no callback of an aborted descriptor. What
 * already finished is reaped first and completes normally. If TREs are
 * in flight (or the engine is suspended by pause) the channel is reset:
 * the RESET command goes out now and the recovery work waits for it and
 * re-enables the channel; device_synchronize() waits for that work.
 */
static int hidma_terminate_all(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	LIST_HEAD(aborted);
	bool kick = false;

	spin_lock_irqsave(&chan->lock, flags);
	kick = hidma_ring_reap(chan);
	if (chan->state == HIDMA_CHAN_RUNNING && !chan->gone &&
	    (chan->nactive || chan->paused)) {
		hidma_hw_cmd(chan->trca, HIDMA_CMD_RESET);
		hidma_hw_cmd(chan->evca, HIDMA_CMD_RESET);
		chan->state = HIDMA_CHAN_RESETTING;
		chan->stats.resets++;
		queue_work(hidma_chan_wq, &chan->recover_work);
	}
	hidma_chan_abort_all(chan, &aborted);
	chan->paused = false;
	spin_unlock_irqrestore(&chan->lock, flags);

	if (kick)
		tasklet_schedule(&chan->tasklet);
	hidma_chan_release_descs(chan, &aborted);
	return 0;
}

static void hidma_synchronize(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);

	/* The reset that stops the engine completes in the work. */
	flush_work(&chan->recover_work);
	hidma_chan_drain_completions(chan);
}

static int hidma_alloc_chan_resources(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	int ret;

	mutex_lock(&chan->ctrl);
	if (chan->gone) {
		ret = -ENODEV;
		goto out;
	}

	/* Registers powered for as long as a client can queue work. */
	ret = pm_runtime_resume_and_get(chan->dev);
	if (ret)
		goto out;
	chan->pm_held = true;

	spin_lock_irqsave(&chan->lock, flags);
	hidma_pool_reset(chan);
	hidma_ring_reset_indices(chan);
	chan->paused = false;
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

static void hidma_free_chan_resources(struct dma_chan *dchan)
{
	struct hidma_chan *chan = to_hidma_chan(dchan);
	unsigned long flags;
	LIST_HEAD(aborted);

	mutex_lock(&chan->ctrl);
	spin_lock_irqsave(&chan->lock, flags);
	hidma_chan_abort_all(chan, &aborted);
	chan->state = HIDMA_CHAN_OFF;
	chan->paused = false;
	spin_unlock_irqrestore(&chan->lock, flags);

	/* The work sees OFF and leaves the hardware to us. */
	cancel_work_sync(&chan->recover_work);
	if (!chan->gone)
		hidma_hw_reset(chan);

	hidma_chan_release_descs(chan, &aborted);
	hidma_chan_drain_completions(chan);

	spin_lock_irqsave(&chan->lock, flags);
	hidma_pool_reset(chan);
	spin_unlock_irqrestore(&chan->lock, flags);

	if (chan->pm_held) {
		pm_runtime_mark_last_busy(chan->dev);
		pm_runtime_put_autosuspend(chan->dev);
		chan->pm_held = false;
	}
	mutex_unlock(&chan->ctrl);
}

/* ---- registration ---- */

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
 * hidma_dma_register() - register the channel with dmaengine and of_dma
 * @chan: the probed channel, interrupts requested
 *
 * On success the dma_device holds a reference to @chan, dropped by the
 * core's device_release once the device is unregistered and the last
 * client has let go of the channel.
 *
 * Return: 0 or a negative error code.
 */
int hidma_dma_register(struct hidma_chan *chan)
{
	struct dma_device *dd = &chan->dd;
	int ret;

	hidma_pool_init(chan);

	dd->dev = chan->dev;
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_MEMCPY, dd->cap_mask);
	dma_cap_set(DMA_MEMSET, dd->cap_mask);
	dma_cap_set(DMA_INTERRUPT, dd->cap_mask);
	/* The contract puts no alignment constraint on addresses or length. */
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

	if (chan->dev->of_node) {
		ret = of_dma_controller_register(chan->dev->of_node,
						 hidma_of_xlate, chan);
		if (ret) {
			dma_async_device_unregister(dd);
			return ret;
		}
	}
	return 0;
}

/**
 * hidma_dma_unregister() - undo hidma_dma_register()
 * @chan: the channel being removed
 *
 * No new client can find the channel afterwards; existing ones keep
 * their reference and see every operation fail once the channel is
 * marked gone.
 */
void hidma_dma_unregister(struct hidma_chan *chan)
{
	if (chan->dev->of_node)
		of_dma_controller_free(chan->dev->of_node);
	dma_async_device_unregister(&chan->dd);
}
