/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HIDMA channel driver: the structures shared by its files, and the
 * functions each file offers the others.
 *
 * Layers. Each file calls only the files below it, never one above:
 *
 *   main.c    probe, remove, shutdown, power management, sysfs, module
 *   dma.c     the dmaengine provider: prep, submit, issue, status,
 *             pause, resume, terminate, synchronize, registration and
 *             the channel's lifetime (hidma_chan_put())
 *   irq.c     interrupts, the service routine that reaps and completes
 *             (shared with polled clients), error handling, recovery
 *   desc.c    descriptors: the pool, cookies, the failure record,
 *             completion bookkeeping and the completion tasklet that
 *             runs client callbacks
 *   ring.c    the rings: writes TREs and rings the doorbell (producer),
 *             consumes events and hands back the descriptors they finish
 *             (reaper); it decides nothing about their outcome
 *   hw.c      register sequences: commands, reset, start
 *
 * debugfs.c and trace.h are leaves that read the structures below.
 *
 * Who owns a descriptor: desc.c while it is free, prepared, submitted or
 * issued (its lists), ring.c from the doorbell until the reaper hands it
 * back (the active list), irq.c (or dma.c for terminate) while it decides
 * the outcome, and desc.c again from completion to its return to the
 * pool. The data path reads top to bottom: dma.c (prep, submit, issue)
 * -> ring.c (TRE, doorbell) -> the engine -> irq.c (interrupt) -> ring.c
 * (reap) -> desc.c (complete, callback).
 *
 * Documentation/hidma-chan.rst describes the design: data and control
 * flow, locking, the reaping algorithm, error recovery and ring sizing.
 * Documentation/hardware.rst describes the engine.
 */
#ifndef HIDMA_CHAN_H
#define HIDMA_CHAN_H

#include <linux/dmaengine.h>
#include <linux/interrupt.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/msi.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "regs.h"

/* Default number of outstanding requests: a TRE ring of 1024 slots. */
#define HIDMA_CHAN_DEFAULT_DESC		1023
#define HIDMA_CHAN_MAX_DESC		8191
/* Bound on every wait for a channel command (hardware.rst, "Commands"). */
#define HIDMA_CMD_TIMEOUT_US		20000
/* How long removal lets queued work finish before it aborts the rest. */
#define HIDMA_DRAIN_MS			2000
/*
 * Events one pass of the reaper consumes at most (hard IRQ, tasklet): the
 * default of the reap_budget module parameter.
 */
#define HIDMA_REAP_BUDGET		64

/**
 * struct hidma_chan_variant - what a compatible string implies
 * @chid_reg: TRCA offset of the channel index register
 * @msi: the revision can signal interrupts as MSIs
 * @rev: revision as text, for logs and debugfs
 */
struct hidma_chan_variant {
	u32 chid_reg;
	bool msi;
	const char *rev;
};

/**
 * enum hidma_desc_op - what a software descriptor asks of the engine
 * @HIDMA_OP_MEMCPY: copy @len bytes from @src to @dst
 * @HIDMA_OP_MEMSET: fill @len bytes at @dst with the 64-bit pattern
 * @HIDMA_OP_INTERRUPT: a real 8-byte fill of the channel's scratch area
 *	with IEOB set, so the engine raises EOB once everything before it
 *	is done (DMA_INTERRUPT)
 */
enum hidma_desc_op {
	HIDMA_OP_MEMCPY,
	HIDMA_OP_MEMSET,
	HIDMA_OP_INTERRUPT,
};

/**
 * struct hidma_chan_desc - one software descriptor, backing one TRE
 * @tx: the dmaengine descriptor handed to the client
 * @node: link in exactly one of the &struct hidma_chan lists, or in none
 *	while prepared and not yet submitted (or while the completion
 *	tasklet owns it); protected by &hidma_chan.lock
 * @op: the operation
 * @ieob: the client asked for an interrupt (DMA_PREP_INTERRUPT)
 * @len: bytes to transfer
 * @src: memcpy source bus address, or the memset pattern
 * @dst: destination bus address
 * @slot: TRE ring slot while on &hidma_chan.active
 * @tried_again: it failed once and was put back for one more try
 * @result: completion result, valid once reaped
 * @residue: bytes not known to be transferred, valid once reaped
 *
 * Descriptors come from a pool allocated at probe, as many as the TRE
 * ring has usable slots, so prep never allocates memory and every issued
 * descriptor always finds a free slot.
 */
struct hidma_chan_desc {
	struct dma_async_tx_descriptor tx;
	struct list_head node;
	enum hidma_desc_op op;
	bool ieob;
	u32 len;
	u64 src;
	dma_addr_t dst;
	u32 slot;
	bool tried_again;
	enum dmaengine_tx_result result;
	u32 residue;
};

/**
 * enum hidma_chan_state - software view of the channel
 * @HIDMA_CHAN_OFF: no client; hardware reset, interrupts masked
 * @HIDMA_CHAN_RUNNING: rings programmed, both channels enabled; work is
 *	pushed to the ring (unless paused) and reaped
 * @HIDMA_CHAN_RESETTING: a reset was requested (terminate with work in
 *	flight, or an error); the recovery work owns the hardware until it
 *	sets RUNNING again. Nothing is pushed or reaped; the ring is empty.
 * @HIDMA_CHAN_DEAD: a reset or enable timed out; nothing is accepted
 *	until the client releases the channel and a new one allocates it
 * @HIDMA_CHAN_ASLEEP: the system is suspended with a client holding the
 *	channel: the hardware is reset, unfinished work waits on the issued
 *	list, work is still accepted; resume programs the channel again
 */
enum hidma_chan_state {
	HIDMA_CHAN_OFF,
	HIDMA_CHAN_RUNNING,
	HIDMA_CHAN_RESETTING,
	HIDMA_CHAN_DEAD,
	HIDMA_CHAN_ASLEEP,
};

/**
 * struct hidma_chan_failure - one cookie that did not succeed
 * @cookie: the cookie, or 0 for an unused entry
 * @residue: bytes not transferred, reported by device_tx_status()
 *
 * The cookie watermark alone would report such a cookie as complete; the
 * failure record (&hidma_chan.fails) is consulted first. It is indexed by
 * cookie modulo its size, a power of two of at least four times the
 * descriptor pool, so an entry is overwritten only by a failure of a
 * cookie issued that many cookies later: long after the client gave the
 * descriptor back (a client can hold at most the pool at once).
 */
struct hidma_chan_failure {
	dma_cookie_t cookie;
	u32 residue;
};

/**
 * struct hidma_chan_stats - counters shown in debugfs
 * @submitted: descriptors accepted by tx_submit
 * @pushed: TREs written to the ring
 * @tre_doorbells: TRCA doorbell writes
 * @completed: descriptors completed successfully
 * @failed: descriptors completed with an error result
 * @aborted: descriptors dropped by terminate, removal or a dead channel
 * @retried: descriptors re-queued after an error of an earlier one
 * @held: errors after which queued work waited for the failure callback
 * @tried_again: failed descriptors of result-blind clients tried once more
 * @reaps: reaper passes that consumed at least one event
 * @events: events consumed
 * @ev_doorbells: EVCA doorbell writes
 * @polled_reaps: reaper passes from device_tx_status or prep
 * @budget_exhausted: reaper passes that left events for the tasklet
 * @irqs: interrupt handler runs that found a cause
 * @spurious_irqs: interrupt handler runs that found none
 * @resets: recoveries (terminate with work in flight, errors)
 * @sleeps: system suspends with a client holding the channel
 * @prep_full: prep refused for want of a free descriptor
 * @causes: error interrupts seen, per cause bit
 */
struct hidma_chan_stats {
	u64 submitted;
	u64 pushed;
	u64 tre_doorbells;
	u64 completed;
	u64 failed;
	u64 aborted;
	u64 retried;
	u64 held;
	u64 tried_again;
	u64 reaps;
	u64 events;
	u64 ev_doorbells;
	u64 polled_reaps;
	u64 budget_exhausted;
	u64 irqs;
	u64 spurious_irqs;
	u64 resets;
	u64 sleeps;
	u64 prep_full;
	u64 causes[HIDMA_IRQ_NR_CAUSES];
};

/**
 * struct hidma_chan - one HIDMA channel: a dma_device with one dma_chan
 * @dd: the dmaengine device
 * @dchan: its only channel
 * @dev: the platform device (a reference is held until release)
 * @variant: revision-specific data
 * @trca: transfer channel registers
 * @evca: event channel registers
 * @chid: channel index within the HIDMA instance (TREs must carry it)
 * @ref: lifetime: one reference held by the bound driver, one by @dd
 *	from registration until the dmaengine core's device_release
 * @release_work: drops @dd's reference once the dmaengine core is done
 *	with the channel (see hidma_dd_release_work())
 * @nslots: slots in each ring; usable TRE slots are @nslots - 1
 * @tre_ring: TRE ring, followed by the scratch area, coherent memory
 * @tre_ring_dma: bus address of @tre_ring
 * @ev_ring: event ring, coherent memory
 * @ev_ring_dma: bus address of @ev_ring
 * @scratch_dma: bus address of an 8-byte area that DMA_INTERRUPT fills
 * @ndesc: descriptors in @pool (@nslots - 1)
 * @pool: the descriptors, allocated at probe, freed at release
 * @lock: protects everything below down to @stats, and serialises
 *	every register access made outside the sleeping set-up sequences;
 *	taken in hard-IRQ context
 * @state: software state of the channel
 * @paused: device_pause() is in effect: nothing is pushed
 * @hold: an error's failure callback has not run yet: the work queued
 *	behind the failed descriptor is not pushed until it has (see irq.c)
 * @hold_cookie: the failed descriptor's cookie while @hold is set
 * @closing: the device is being removed: no new work is accepted, what
 *	is queued may still finish (hidma_chan_drain())
 * @gone: removed or shut down: no register access, nothing accepted
 * @tre_tail: next TRE slot to write (producer)
 * @ev_head: next event slot to read (consumer)
 * @nactive: descriptors on @active (TREs in flight)
 * @free: descriptors available to prep
 * @submitted: submitted, waiting for issue_pending, in cookie order
 * @issued: issued, waiting for the ring (only while paused or while the
 *	channel is resetting), in cookie order
 * @active: in the TRE ring, in ring order
 * @completed: reaped, waiting for the completion tasklet
 * @wait_ack: done, waiting for the client to ack them (no DMA_CTRL_ACK)
 * @aborted: aborted by terminate while the engine may still touch them:
 *	released (unmapped, back to the pool, no callback) only once the
 *	reset that stops the engine has completed
 * @fails: the failure record, @nfails entries (a power of two)
 * @nfails: entries in @fails
 * @reap_budget: events one reaper pass consumes at most (module parameter)
 * @reap_more: the last reaper pass left events behind (budget): the
 *	tasklet goes on reaping
 * @err_causes: error causes the interrupt handler read but could not act
 *	on yet, because successful events before the failed one were still
 *	to be reaped; the tasklet acts on them once they are
 * @stats: counters
 * @tasklet: reaps what the interrupt left behind and runs completion
 *	callbacks, with no driver lock held
 * @recover_work: resets and re-enables the channel after an error or a
 *	terminate with work in flight; sleeps while it polls
 * @ctrl: serialises alloc/free_chan_resources, remove and shutdown
 *	(runtime PM reference, hardware bring-up and tear-down)
 * @pm_held: a runtime-PM reference is held for a client; under @ctrl
 * @slept: the channel was RUNNING when the system suspended; under @ctrl
 * @irq: wired interrupt, or 0 when MSIs are used
 * @msi: MSIs are in use
 * @msi_nvec: MSI vectors allocated
 * @eob_virq: the Linux IRQ of the end-of-block vector, when MSIs are used
 * @msi_addr: MSI target address the platform gave vector 0
 * @msi_data: MSI payload of vector 0 (the base of the block)
 * @debugfs: this channel's debugfs directory
 */
struct hidma_chan {
	struct dma_device dd;
	struct dma_chan dchan;
	struct device *dev;
	const struct hidma_chan_variant *variant;
	void __iomem *trca;
	void __iomem *evca;
	u32 chid;
	struct kref ref;
	struct work_struct release_work;

	u32 nslots;
	struct hidma_tre *tre_ring;
	dma_addr_t tre_ring_dma;
	struct hidma_evre *ev_ring;
	dma_addr_t ev_ring_dma;
	dma_addr_t scratch_dma;
	u32 ndesc;
	struct hidma_chan_desc *pool;

	spinlock_t lock;		/* see the kernel-doc above */
	enum hidma_chan_state state;
	bool paused;
	bool hold;
	dma_cookie_t hold_cookie;
	bool closing;
	bool gone;
	u32 tre_tail;
	u32 ev_head;
	u32 nactive;
	struct list_head free;
	struct list_head submitted;
	struct list_head issued;
	struct list_head active;
	struct list_head completed;
	struct list_head wait_ack;
	struct list_head aborted;
	struct hidma_chan_failure *fails;
	u32 nfails;
	bool reap_more;
	u32 reap_budget;
	u32 err_causes;
	struct hidma_chan_stats stats;

	struct tasklet_struct tasklet;
	struct work_struct recover_work;

	struct mutex ctrl;	/* see the kernel-doc above */
	bool pm_held;
	bool slept;

	int irq;
	bool msi;
	unsigned int msi_nvec;
	unsigned int eob_virq;
	u64 msi_addr;
	u32 msi_data;

	struct dentry *debugfs;
};

static inline struct hidma_chan *to_hidma_chan(struct dma_chan *dchan)
{
	return container_of(dchan, struct hidma_chan, dchan);
}

static inline struct hidma_chan_desc *to_hidma_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct hidma_chan_desc, tx);
}

/* hw.c: register sequences (Documentation/hardware.rst, "Commands") */
u32 hidma_hw_read_chid(struct hidma_chan *chan);
void hidma_hw_cmd(void __iomem *base, enum hidma_ch_cmd cmd);
void hidma_hw_stop(struct hidma_chan *chan);
int hidma_hw_reset(struct hidma_chan *chan);
int hidma_hw_start(struct hidma_chan *chan);
void hidma_hw_write_msi(struct hidma_chan *chan);

/* ring.c */
/**
 * enum hidma_reap - how a reaper pass ended
 * @HIDMA_REAP_IDLE: every written event was consumed
 * @HIDMA_REAP_MORE: the budget ran out with events still written
 * @HIDMA_REAP_ERROR: the oldest unconsumed event reports an error; its
 *	cause is in IRQ_STAT and its descriptor still heads the active list
 * @HIDMA_REAP_BAD: an event carries a code the engine never writes: the
 *	engine and the driver disagree about the ring, the channel must be
 *	reset
 */
enum hidma_reap {
	HIDMA_REAP_IDLE,
	HIDMA_REAP_MORE,
	HIDMA_REAP_ERROR,
	HIDMA_REAP_BAD,
};

int hidma_ring_alloc(struct hidma_chan *chan, u32 ndesc);
void hidma_ring_reset_indices(struct hidma_chan *chan);
void hidma_ring_push(struct hidma_chan *chan);
enum hidma_reap hidma_ring_reap(struct hidma_chan *chan, u32 budget,
				struct list_head *done);
struct hidma_chan_desc *hidma_ring_take_oldest(struct hidma_chan *chan);
u32 hidma_ring_unpush(struct hidma_chan *chan);

/* desc.c */
int hidma_desc_pool_alloc(struct hidma_chan *chan);
void hidma_desc_pool_free(struct hidma_chan *chan);
void hidma_desc_pool_reset(struct hidma_chan *chan);
struct hidma_chan_desc *hidma_desc_get(struct hidma_chan *chan);
void hidma_desc_put(struct hidma_chan *chan, struct hidma_chan_desc *d);
dma_cookie_t hidma_cookie_assign(struct hidma_chan *chan,
				 struct dma_async_tx_descriptor *tx);
bool hidma_cookie_failed(struct hidma_chan *chan, dma_cookie_t cookie,
			 u32 *residue);
bool hidma_desc_complete(struct hidma_chan *chan, struct hidma_chan_desc *d,
			 enum dmaengine_tx_result result, bool *kick);
void hidma_desc_abort_all(struct hidma_chan *chan, struct list_head *out);
void hidma_desc_park_active(struct hidma_chan *chan);
void hidma_desc_release(struct hidma_chan *chan, struct list_head *descs);
void hidma_desc_release_aborted(struct hidma_chan *chan);
void hidma_desc_run_completions(struct hidma_chan *chan);
void hidma_desc_drain_completions(struct hidma_chan *chan);

/* irq.c */
extern struct workqueue_struct *hidma_chan_wq;
int hidma_setup_msi(struct hidma_chan *chan);
int hidma_irq_wired(struct hidma_chan *chan, bool use_msi);
int hidma_irq_setup(struct hidma_chan *chan, bool use_msi, int wired);
void hidma_irq_teardown(struct hidma_chan *chan);
bool hidma_chan_service(struct hidma_chan *chan, u32 budget);
void hidma_chan_reset_async(struct hidma_chan *chan);
bool hidma_chan_restart(struct hidma_chan *chan, int hw_ret);
void hidma_chan_tasklet(struct tasklet_struct *t);
void hidma_chan_recover_work(struct work_struct *work);

/* dma.c */
int hidma_chan_stop(struct hidma_chan *chan, bool gone);
void hidma_chan_drain(struct hidma_chan *chan);
int hidma_dma_register(struct hidma_chan *chan);
int hidma_of_register(struct hidma_chan *chan);
void hidma_dma_unregister(struct hidma_chan *chan);
void hidma_chan_put(struct hidma_chan *chan);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void hidma_debugfs_init(void);
void hidma_debugfs_exit(void);
void hidma_debugfs_add(struct hidma_chan *chan);
void hidma_debugfs_remove(struct hidma_chan *chan);
#else
static inline void hidma_debugfs_init(void) { }
static inline void hidma_debugfs_exit(void) { }
static inline void hidma_debugfs_add(struct hidma_chan *chan) { }
static inline void hidma_debugfs_remove(struct hidma_chan *chan) { }
#endif

#endif /* HIDMA_CHAN_H */
