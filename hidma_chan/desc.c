// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: descriptors. The pool they come from, the cookies they
 * carry, the record of the ones that failed, their completion, and the
 * completion tasklet's half that runs client callbacks.
 *
 * A descriptor's life: prep takes it from the pool (free list); tx_submit
 * gives it a cookie and queues it on "submitted"; issue_pending moves the
 * submitted ones to "issued"; the ring takes them from there ("active")
 * and the reaper hands them back in ring order; hidma_desc_complete()
 * marks them done and queues them on "completed" for the tasklet, which
 * unmaps, runs the client's callback with no lock held and returns them
 * to the pool (or to "wait_ack" until the client acks them). Every list is
 * protected by chan->lock, which the interrupt handler also takes.
 *
 * Cookies are handled here rather than with the helpers in
 * drivers/dma/dmaengine.h, which are private to the kernel tree:
 * dchan.cookie is the last cookie assigned, dchan.completed_cookie the
 * last one completed, both under chan->lock. One in-order ring means
 * cookies complete in the order they were assigned, so "completed" is a
 * single watermark. Cookies that failed or were aborted are kept in the
 * failure record (struct hidma_chan_failure) so that device_tx_status()
 * reports them as DMA_ERROR, with their residue, rather than complete.
 */
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "hidma_chan.h"
#include "trace.h"

/**
 * hidma_desc_pool_alloc() - allocate the descriptors and the failure record
 * @chan: the channel being probed; &hidma_chan.ndesc is set
 *
 * Both live until the last reference to @chan goes (hidma_desc_pool_free()),
 * because a client may still hold descriptors after the device is unbound.
 *
 * Return: 0 or -ENOMEM.
 */
int hidma_desc_pool_alloc(struct hidma_chan *chan)
{
	chan->pool = kvcalloc(chan->ndesc, sizeof(*chan->pool), GFP_KERNEL);
	if (!chan->pool)
		return -ENOMEM;

	chan->nfails = roundup_pow_of_two(4 * chan->ndesc);
	chan->fails = kvcalloc(chan->nfails, sizeof(*chan->fails), GFP_KERNEL);
	if (!chan->fails) {
		kvfree(chan->pool);
		chan->pool = NULL;
		return -ENOMEM;
	}
	return 0;
}

void hidma_desc_pool_free(struct hidma_chan *chan)
{
	kvfree(chan->fails);
	kvfree(chan->pool);
}

/*
 * Every descriptor back on the free list, an empty failure record. No
 * client, nothing in flight: the caller owns the channel.
 */
void hidma_desc_pool_reset(struct hidma_chan *chan)
{
	u32 i;

	INIT_LIST_HEAD(&chan->free);
	INIT_LIST_HEAD(&chan->submitted);
	INIT_LIST_HEAD(&chan->issued);
	INIT_LIST_HEAD(&chan->active);
	INIT_LIST_HEAD(&chan->completed);
	INIT_LIST_HEAD(&chan->wait_ack);
	INIT_LIST_HEAD(&chan->aborted);
	chan->nactive = 0;
	for (i = 0; i < chan->ndesc; i++)
		list_add_tail(&chan->pool[i].node, &chan->free);
	memset(chan->fails, 0, chan->nfails * sizeof(*chan->fails));
}

/**
 * hidma_desc_get() - take a descriptor from the pool
 * @chan: the channel; caller holds &hidma_chan.lock
 *
 * Descriptors that waited for the client's ack and got it are recycled
 * first.
 *
 * Return: the descriptor, unlinked, or NULL if none is free.
 */
struct hidma_chan_desc *hidma_desc_get(struct hidma_chan *chan)
{
	struct hidma_chan_desc *d, *n;

	lockdep_assert_held(&chan->lock);

	if (list_empty(&chan->free)) {
		list_for_each_entry_safe(d, n, &chan->wait_ack, node)
			if (async_tx_test_ack(&d->tx))
				list_move(&d->node, &chan->free);
	}
	d = list_first_entry_or_null(&chan->free, struct hidma_chan_desc, node);
	if (d)
		list_del_init(&d->node);
	return d;
}

/* A descriptor that was never submitted goes straight back. Lock held. */
void hidma_desc_put(struct hidma_chan *chan, struct hidma_chan_desc *d)
{
	lockdep_assert_held(&chan->lock);

	list_add(&d->node, &chan->free);
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

/* ---- cookies and the failure record (chan->lock held) ---- */

dma_cookie_t hidma_cookie_assign(struct hidma_chan *chan,
				 struct dma_async_tx_descriptor *tx)
{
	dma_cookie_t cookie = chan->dchan.cookie + 1;

	lockdep_assert_held(&chan->lock);

	if (cookie < DMA_MIN_COOKIE)
		cookie = DMA_MIN_COOKIE;
	chan->dchan.cookie = cookie;
	tx->cookie = cookie;
	return cookie;
}

static struct hidma_chan_failure *hidma_failure_slot(struct hidma_chan *chan,
						     dma_cookie_t cookie)
{
	return &chan->fails[(u32)cookie & (chan->nfails - 1)];
}

/**
 * hidma_cookie_failed() - did a completed cookie fail?
 * @chan: the channel; caller holds &hidma_chan.lock
 * @cookie: a cookie at or below the completion watermark
 * @residue: set to the bytes not transferred if it failed
 *
 * Return: true if @cookie failed or was aborted.
 */
bool hidma_cookie_failed(struct hidma_chan *chan, dma_cookie_t cookie,
			 u32 *residue)
{
	const struct hidma_chan_failure *f = hidma_failure_slot(chan, cookie);

	lockdep_assert_held(&chan->lock);

	if (cookie < DMA_MIN_COOKIE || f->cookie != cookie)
		return false;
	*residue = f->residue;
	return true;
}

/* Record how @d ended; a success clears what an older lap left behind. */
static void hidma_failure_note(struct hidma_chan *chan,
			       struct hidma_chan_desc *d)
{
	struct hidma_chan_failure *f = hidma_failure_slot(chan, d->tx.cookie);

	if (d->result != DMA_TRANS_NOERROR) {
		f->cookie = d->tx.cookie;
		f->residue = d->residue;
	} else if (unlikely(f->cookie == d->tx.cookie)) {
		f->cookie = 0;
	}
}

/**
 * hidma_desc_complete() - mark a descriptor done
 * @chan: the channel; caller holds &hidma_chan.lock
 * @d: the descriptor, already unlinked from its list
 * @result: how it ended
 * @kick: set if the completion tasklet must run
 *
 * The cookie is marked complete before the callback can run; a failure
 * is recorded with the whole length as residue (nothing is known to have
 * been transferred). Descriptors with nothing left to do (no callback,
 * no unmap data, no dependency) return to the pool at once, so polled
 * clients never involve the tasklet.
 *
 * Return: true if the descriptor waits for the tasklet (a callback,
 * unmap data or a dependency must run).
 */
bool hidma_desc_complete(struct hidma_chan *chan, struct hidma_chan_desc *d,
			 enum dmaengine_tx_result result, bool *kick)
{
	struct dma_async_tx_descriptor *tx = &d->tx;

	lockdep_assert_held(&chan->lock);

	d->result = result;
	d->residue = result == DMA_TRANS_NOERROR ? 0 : d->len;
	chan->dchan.completed_cookie = tx->cookie;
	hidma_failure_note(chan, d);
	if (result == DMA_TRANS_NOERROR)
		chan->stats.completed++;
	else
		chan->stats.failed++;
	trace_hidma_chan_complete(chan, d);

	if (tx->callback || tx->callback_result || tx->unmap || txd_next(tx)) {
		list_add_tail(&d->node, &chan->completed);
		*kick = true;
		return true;
	}
	hidma_desc_retire(chan, d);
	return false;
}

/* An aborted descriptor: its cookie reads as failed, its whole length left. */
static void hidma_desc_abort(struct hidma_chan *chan, struct hidma_chan_desc *d)
{
	d->result = DMA_TRANS_ABORTED;
	d->residue = d->len;
	hidma_failure_note(chan, d);
	chan->stats.aborted++;
}

/**
 * hidma_desc_abort_all() - take every queued descriptor that never ran
 * @chan: the channel; caller holds &hidma_chan.lock; nothing is in flight
 *	(the active list is empty or the caller took it)
 * @out: an empty list that receives the descriptors
 *
 * Their cookies are marked complete in the watermark sense and recorded
 * as failed with their whole length as residue; no callback will run for
 * them. The caller hands @out to hidma_desc_release() once the lock is
 * dropped.
 */
void hidma_desc_abort_all(struct hidma_chan *chan, struct list_head *out)
{
	struct hidma_chan_desc *d;

	lockdep_assert_held(&chan->lock);

	list_splice_tail_init(&chan->issued, out);
	list_splice_tail_init(&chan->submitted, out);
	list_for_each_entry(d, out, node)
		hidma_desc_abort(chan, d);
	chan->dchan.completed_cookie = chan->dchan.cookie;
}

/**
 * hidma_desc_park_active() - abort what is in flight, release it later
 * @chan: the channel; caller holds &hidma_chan.lock and has just told the
 *	engine to reset
 *
 * The engine may still touch these descriptors' buffers until the reset
 * completes, so they wait on &hidma_chan.aborted, and
 * hidma_desc_release_aborted() releases them once it has.
 */
void hidma_desc_park_active(struct hidma_chan *chan)
{
	struct hidma_chan_desc *d;

	lockdep_assert_held(&chan->lock);

	list_for_each_entry(d, &chan->active, node)
		hidma_desc_abort(chan, d);
	list_splice_tail_init(&chan->active, &chan->aborted);
	chan->nactive = 0;
}

/**
 * hidma_desc_release() - return aborted descriptors to the pool
 * @chan: the channel; caller holds no driver lock
 * @descs: descriptors the engine no longer touches
 *
 * Releases their unmap data (outside the lock) without running any
 * callback.
 */
void hidma_desc_release(struct hidma_chan *chan, struct list_head *descs)
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

/**
 * hidma_desc_release_aborted() - release what terminate parked
 * @chan: the channel; caller holds no driver lock, and the reset that
 *	followed the terminate has completed
 */
void hidma_desc_release_aborted(struct hidma_chan *chan)
{
	unsigned long flags;
	LIST_HEAD(descs);

	spin_lock_irqsave(&chan->lock, flags);
	list_splice_init(&chan->aborted, &descs);
	spin_unlock_irqrestore(&chan->lock, flags);
	hidma_desc_release(chan, &descs);
}

/* ---- completion callbacks ---- */

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
 * hidma_desc_run_completions() - run completion callbacks
 * @chan: the channel; caller holds no driver lock (the tasklet)
 *
 * Takes the whole completed list in one go, then, with no driver lock
 * held, releases each descriptor's unmap data, calls its callback (which
 * may prep, submit, issue or terminate on this channel) and runs its
 * async_tx dependencies, in completion order. If one of them is the
 * failed descriptor the channel held its queue for (&hidma_chan.hold),
 * the queue may move again once its callback has returned.
 */
void hidma_desc_run_completions(struct hidma_chan *chan)
{
	struct hidma_chan_desc *d, *n;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&chan->lock, flags);
	list_splice_tail_init(&chan->completed, &done);
	spin_unlock_irqrestore(&chan->lock, flags);
	if (list_empty(&done))
		return;

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
		if (chan->hold && d->tx.cookie == chan->hold_cookie) {
			chan->hold = false;
			hidma_ring_push(chan);
		}
		list_del(&d->node);
		hidma_desc_retire(chan, d);
	}
	spin_unlock_irqrestore(&chan->lock, flags);
}

/**
 * hidma_desc_drain_completions() - wait until no callback runs or waits
 * @chan: the channel; process context, no driver lock held
 *
 * tasklet_kill() waits for a scheduled or running tasklet, but a
 * tasklet_schedule() that lands while it holds the SCHED bit is lost. So
 * look at the completed list afterwards and schedule and wait again if
 * anything is left. Only descriptors that complete while this runs
 * (work submitted after the terminate) can remain; they are left
 * scheduled, never stranded.
 */
void hidma_desc_drain_completions(struct hidma_chan *chan)
{
	unsigned long flags;
	bool empty;
	int i;

	for (i = 0; i < 3; i++) {
		tasklet_kill(&chan->tasklet);
		spin_lock_irqsave(&chan->lock, flags);
		empty = list_empty(&chan->completed) && !chan->reap_more;
		spin_unlock_irqrestore(&chan->lock, flags);
		if (empty)
			return;
		tasklet_schedule(&chan->tasklet);
	}
}
