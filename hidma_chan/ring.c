// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel: the TRE ring (producer side) and the event ring
 * (consumer side, the reaper).
 *
 * Sizing. A channel may have desc-count requests outstanding. The TRE
 * ring has desc-count + 1 slots, because DOORBELL equal to the read
 * offset means "empty" and one slot therefore always stays free. The
 * descriptor pool holds exactly desc-count descriptors and every
 * descriptor needs one TRE, so an issued descriptor always finds a free
 * slot: issue_pending never has to hold work back for lack of room.
 *
 * The event ring has as many slots as the TRE ring. The engine stalls
 * rather than overwrite an unconsumed event, and it can hold at most
 * nslots - 1 of them. Unconsumed events all belong to TREs whose slots
 * are still in use (a slot is released only when its event is consumed,
 * and the event DOORBELL is written before the lock that protects the
 * ring is dropped), and at most nslots - 1 TREs are in use: the event
 * ring can never fill up.
 *
 * Finding events. Every event the engine writes has a non-zero
 * completion code, and the reaper zeroes each event it consumes before
 * the event DOORBELL hands the slot back, so a slot with a code in it is
 * an event the engine wrote since. The reaper therefore reads the event
 * ring in memory and never the WRITE_PTR register: on the real SoC an
 * uncached register read crosses the interconnect, and it would be the
 * one register read per completion interrupt. Each reset returns the
 * engine's WRITE_PTR to slot 0, so the whole ring is zeroed with it.
 */
#include <linux/bitfield.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>

#include "hidma_chan.h"
#include "trace.h"

/* DMA_INTERRUPT fills this many bytes after the TRE ring. */
#define HIDMA_SCRATCH_SIZE	sizeof(struct hidma_tre)

/**
 * hidma_ring_alloc() - allocate both rings and the descriptor pool
 * @chan: the channel being probed
 * @ndesc: requests the channel may have outstanding
 *
 * Rings are coherent memory managed by devres (freed after remove). The
 * descriptor pool (desc.c) gets @ndesc descriptors, one per usable slot.
 *
 * Return: 0 or -ENOMEM.
 */
int hidma_ring_alloc(struct hidma_chan *chan, u32 ndesc)
{
	size_t tre_bytes;

	chan->ndesc = ndesc;
	chan->nslots = ndesc + 1;
	tre_bytes = chan->nslots * sizeof(struct hidma_tre);

	chan->tre_ring = dmam_alloc_coherent(chan->dev,
					     tre_bytes + HIDMA_SCRATCH_SIZE,
					     &chan->tre_ring_dma, GFP_KERNEL);
	if (!chan->tre_ring)
		return -ENOMEM;
	chan->scratch_dma = chan->tre_ring_dma + tre_bytes;

	chan->ev_ring = dmam_alloc_coherent(chan->dev,
					    chan->nslots * sizeof(struct hidma_evre),
					    &chan->ev_ring_dma, GFP_KERNEL);
	if (!chan->ev_ring)
		return -ENOMEM;

	return 0;
}

/*
 * After a reset the engine's read offset, WRITE_PTR and both doorbells
 * are zero: so are ours, and the event ring is empty. Caller holds the
 * lock, or owns the channel, and the engine writes no event meanwhile
 * (reset, or enabled with nothing in its ring).
 */
void hidma_ring_reset_indices(struct hidma_chan *chan)
{
	chan->tre_tail = 0;
	chan->ev_head = 0;
	chan->nactive = 0;
	/* Events of before the reset must not read as new ones. */
	memset(chan->ev_ring, 0, chan->nslots * sizeof(struct hidma_evre));
}

static u32 hidma_ring_next(struct hidma_chan *chan, u32 slot)
{
	return slot + 1 == chan->nslots ? 0 : slot + 1;
}

static void hidma_ring_write_tre(struct hidma_chan *chan, u32 slot,
				 const struct hidma_chan_desc *d)
{
	struct hidma_tre *tre = &chan->tre_ring[slot];
	enum hidma_tre_type type;
	u32 cfg;

	type = d->op == HIDMA_OP_MEMCPY ? HIDMA_TRE_MEMCPY : HIDMA_TRE_MEMSET;
	cfg = FIELD_PREP(HIDMA_TRE_CFG_TYPE, type) |
	      FIELD_PREP(HIDMA_TRE_CFG_CHID, chan->chid);
	if (d->ieob)
		cfg |= HIDMA_TRE_CFG_IEOB;

	tre->cfg = cpu_to_le32(cfg);
	tre->len = cpu_to_le32(d->len);
	tre->src_lo = cpu_to_le32(lower_32_bits(d->src));
	tre->src_hi = cpu_to_le32(upper_32_bits(d->src));
	tre->dst_lo = cpu_to_le32(lower_32_bits(d->dst));
	tre->dst_hi = cpu_to_le32(upper_32_bits(d->dst));
	tre->rsvd[0] = 0;
	tre->rsvd[1] = 0;
}

/*
 * Whether issued work may go into the ring now: the channel runs, is
 * neither paused nor removed, and no failure callback is pending.
 */
static bool hidma_ring_can_push(struct hidma_chan *chan)
{
	lockdep_assert_held(&chan->lock);

	return chan->state == HIDMA_CHAN_RUNNING && !chan->paused &&
	       !chan->hold && !chan->gone;
}

/**
 * hidma_ring_push() - move issued descriptors into the TRE ring
 * @chan: the channel; caller holds &hidma_chan.lock
 *
 * Writes one TRE per issued descriptor and then the TRCA doorbell once;
 * writel() orders the TRE stores before the doorbell. Does nothing
 * unless hidma_ring_can_push(): descriptors then wait on
 * &hidma_chan.issued for resume, for the end of a reset, or for a
 * failure callback.
 */
void hidma_ring_push(struct hidma_chan *chan)
{
	struct hidma_chan_desc *d, *n;
	u32 pushed = 0;

	if (!hidma_ring_can_push(chan))
		return;

	list_for_each_entry_safe(d, n, &chan->issued, node) {
		/* Cannot happen: the pool is as large as the ring. */
		if (WARN_ON_ONCE(chan->nactive >= chan->nslots - 1))
			break;
		hidma_ring_write_tre(chan, chan->tre_tail, d);
		d->slot = chan->tre_tail;
		chan->tre_tail = hidma_ring_next(chan, chan->tre_tail);
		list_move_tail(&d->node, &chan->active);
		chan->nactive++;
		pushed++;
	}
	if (!pushed)
		return;

	writel(chan->tre_tail * sizeof(struct hidma_tre),
	       chan->trca + HIDMA_CH_DOORBELL);
	chan->stats.pushed += pushed;
	chan->stats.tre_doorbells++;
	trace_hidma_chan_issue(chan, pushed);
}

/**
 * hidma_ring_take_oldest() - unlink the oldest descriptor in flight
 * @chan: the channel; caller holds &hidma_chan.lock
 *
 * After an error the oldest TRE in flight is the one that failed: the
 * reaper has consumed every successful event before it. Its error event,
 * if the engine could write one, is left unconsumed; the reset that
 * follows discards it.
 *
 * Return: the descriptor, or NULL if nothing is in flight.
 */
struct hidma_chan_desc *hidma_ring_take_oldest(struct hidma_chan *chan)
{
	struct hidma_chan_desc *d;

	lockdep_assert_held(&chan->lock);

	d = list_first_entry_or_null(&chan->active, struct hidma_chan_desc,
				     node);
	if (d) {
		list_del_init(&d->node);
		chan->nactive--;
	}
	return d;
}

/**
 * hidma_ring_unpush() - take every TRE in flight back out of the ring
 * @chan: the channel; caller holds &hidma_chan.lock and is resetting it
 *
 * The descriptors go back to the head of the issued list in ring order,
 * to be written again once the channel runs. A reset sets the engine's
 * offsets to zero; so are ours afterwards (hidma_ring_reset_indices()).
 *
 * Return: how many descriptors were taken back.
 */
u32 hidma_ring_unpush(struct hidma_chan *chan)
{
	u32 n = chan->nactive;

	lockdep_assert_held(&chan->lock);

	list_splice_init(&chan->active, &chan->issued);
	chan->nactive = 0;
	return n;
}

/*
 * Reaping: hidma_ring_reap(), called with chan->lock held from the
 * interrupt handler and the tasklet (irq.c), for polled clients from
 * device_tx_status() and prep (through irq.c), and from terminate.
 *
 * 1. Only a RUNNING channel is reaped. While a reset is pending the
 *    engine's offsets are about to return to zero and the active list is
 *    empty; a removed channel's registers may be gone.
 * 2. Walk the events in memory from our consumer slot (ev_head), at
 *    most one per TRE in flight (nactive) and at most @budget of them.
 *    A zero code means the engine has not written that event yet: the
 *    walk ends there. No register is read.
 * 3. Events come one per TRE in TRE order, so the n-th event belongs to
 *    the n-th descriptor on the active list. A success code releases
 *    that TRE slot and hands the descriptor to the caller (@done), which
 *    completes it before it drops the lock. The event is zeroed first:
 *    its slot reads empty again before the engine may reuse it.
 * 4. An error code stops the walk without consuming the event: its
 *    cause is known only from IRQ_STAT, and error causes are never
 *    masked, so the interrupt handler takes it from there and the failed
 *    TRE is not handed out twice.
 * 5. Any other code means the engine and the driver disagree about the
 *    ring: HIDMA_REAP_BAD, and the caller resets the channel.
 * 6. The engine writes a transfer's data before its event: dma_rmb()
 *    orders everything read after the pass (the clients' reads of their
 *    buffers) after the reads of the events. Then the event DOORBELL is
 *    written once for the whole batch (writel() orders the zeroed events
 *    before it), before the lock is dropped, so that no TRE slot released
 *    in step 3 is reused before the engine knows its event was consumed
 *    (see "Sizing" above).
 * 7. Report whether events are left (budget), an error waits, or all is
 *    consumed. Nothing needs restarting: the engine moves on to the next
 *    TRE on its own, and everything issued is already in the ring.
 */

/**
 * hidma_ring_reap() - consume finished events, see the comment above
 * @chan: the channel; caller holds &hidma_chan.lock
 * @budget: events to consume at most
 * @done: list that receives the finished descriptors, in ring order
 *
 * Return: how the pass ended (enum hidma_reap).
 */
enum hidma_reap hidma_ring_reap(struct hidma_chan *chan, u32 budget,
				struct list_head *done)
{
	enum hidma_reap ret = HIDMA_REAP_IDLE;
	struct hidma_chan_desc *d;
	u32 n = 0;

	lockdep_assert_held(&chan->lock);

	/* 1 */
	if (chan->state != HIDMA_CHAN_RUNNING || chan->gone)
		return HIDMA_REAP_IDLE;

	/* 2 */
	while (chan->nactive) {
		struct hidma_evre *ev = &chan->ev_ring[chan->ev_head];
		u32 code = FIELD_GET(HIDMA_EVRE_CODE,
				     le32_to_cpu(READ_ONCE(ev->status)));

		if (!code)
			break;
		/* 4, 5 */
		if (code != HIDMA_EVRE_SUCCESS) {
			if (code == HIDMA_EVRE_ERROR) {
				ret = HIDMA_REAP_ERROR;
			} else {
				dev_err_ratelimited(chan->dev,
						    "event %u has unknown code %u\n",
						    chan->ev_head, code);
				ret = HIDMA_REAP_BAD;
			}
			break;
		}
		if (n == budget) {
			ret = HIDMA_REAP_MORE;
			break;
		}
		/* 3 */
		WRITE_ONCE(ev->status, 0);
		d = list_first_entry(&chan->active, struct hidma_chan_desc, node);
		list_move_tail(&d->node, done);
		chan->nactive--;
		chan->ev_head = hidma_ring_next(chan, chan->ev_head);
		n++;
	}

	/* 6 */
	if (n) {
		dma_rmb();
		writel(chan->ev_head * sizeof(struct hidma_evre),
		       chan->evca + HIDMA_CH_DOORBELL);
		chan->stats.reaps++;
		chan->stats.events += n;
		chan->stats.ev_doorbells++;
	}

	/* 7 */
	return ret;
}
