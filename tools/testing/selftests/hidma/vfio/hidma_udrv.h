/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A userspace driver for one HIDMA channel owned through vfio-platform.
 *
 * Like the kernel's VFIO selftest drivers, it sits behind a small ops
 * table so that tests say what to do (init, memcpy_start, memset_start,
 * wait, reset, remove) and not how a HIDMA channel does it. The channel
 * completes TREs in order, so one wait serves copies and fills alike.
 *
 * Life cycle: hidma_udrv_open() (VFIO device, registers, interrupt, ring
 * memory), ops->init(), work, ops->remove(), hidma_udrv_close(). A
 * process that exits without the last two leaves the channel to
 * vfio-platform's reset at close.
 */
#ifndef HIDMA_UDRV_H
#define HIDMA_UDRV_H

#include <stdbool.h>
#include <linux/types.h>

#include "hidma_hw.h"
#include "vfio_plat.h"

/* Ring sizes in elements; one slot of each ring always stays free. */
#define HIDMA_UDRV_TRE_SLOTS	512
#define HIDMA_UDRV_EV_SLOTS	256
/* TREs the driver keeps in flight at most (ops->memcpy_start's limit). */
#define HIDMA_UDRV_MAX_PENDING	(HIDMA_UDRV_TRE_SLOTS - 1)
/* The engine stalls once this many events are written but not consumed. */
#define HIDMA_UDRV_EV_CAPACITY	(HIDMA_UDRV_EV_SLOTS - 1)
/* Longest run of TREs without an interrupt request. */
#define HIDMA_UDRV_IEOB_EVERY	(HIDMA_UDRV_EV_SLOTS / 2)

/**
 * struct hidma_udrv_stats - what the driver did to the channel
 * @doorbells: TRCA doorbell writes
 * @tres: TREs the channel reported with an event
 * @errors: of those, reported with an error completion code
 * @bytes: bytes of the TREs reported successful
 * @irqs: interrupt triggers received (eventfd counts)
 * @vfio_resets: VFIO_DEVICE_RESET calls
 *
 * Tests compare these with the QEMU model's per-channel statistics: the
 * model must have done exactly what this driver asked, nothing more.
 */
struct hidma_udrv_stats {
	__u64 doorbells;
	__u64 tres;
	__u64 errors;
	__u64 bytes;
	__u64 irqs;
	__u64 vfio_resets;
};

struct hidma_udrv;

/**
 * struct hidma_udrv_ops - what a test asks of the driver
 * @name: driver name
 * @init: bring the channel from any state to ENABLED with empty rings
 *	(the set-up order of Documentation/hardware.rst); 0 or -errno
 * @remove: mask, reset and leave the channel DISABLED
 * @memcpy_start: queue @count copies of @size bytes from bus address @src
 *	to bus address @dst and ring the doorbell once; an interrupt is
 *	requested for the last TRE only; 0 or -errno (-ENOSPC: ring full)
 * @memset_start: queue a fill of @size bytes at bus address @dst with
 *	@value; 0 or -errno
 * @wait: reap events until every queued TRE is reported, polling or
 *	sleeping on the interrupt; 0, -EIO if the channel reported an
 *	error (see hidma_udrv.error_status and .causes), -ETIMEDOUT
 * @reset: VFIO_DEVICE_RESET, then @init; 0 or -errno
 */
struct hidma_udrv_ops {
	const char *name;
	int (*init)(struct hidma_udrv *h);
	void (*remove)(struct hidma_udrv *h);
	int (*memcpy_start)(struct hidma_udrv *h, __u64 src, __u64 dst,
			    __u64 size, unsigned int count);
	int (*memset_start)(struct hidma_udrv *h, __u64 dst, __u8 value,
			    __u64 size);
	int (*wait)(struct hidma_udrv *h, int timeout_ms);
	int (*reset)(struct hidma_udrv *h);
};

/**
 * struct hidma_udrv - one channel and the driver's state for it
 * @ops: the driver's operations
 * @vfio: the VFIO device
 * @mem: memory for the two rings (first hugetlb page with no IOMMU)
 * @tre_ring: the TRE ring
 * @ev_ring: the event ring
 * @tre_len: length of the TRE in each ring slot, for @stats.bytes
 * @tre_wr: producer offset: where the next TRE goes (the TRCA doorbell)
 * @tre_rd: offset of the oldest TRE not yet reported
 * @ev_rd: consumer offset in the event ring (the EVCA doorbell)
 * @pending: TREs queued and not yet reported
 * @chid: the channel's index, for the TREs
 * @irq_mode: wait on the interrupt (else poll, with causes masked)
 * @irq_masked: vfio-platform masked the interrupt on a trigger not yet
 *	unmasked
 * @since_ieob: TREs queued since the last one that requests an interrupt
 * @error_status: EVRE word 0 of the first error event since @init
 * @causes: IRQ_STAT causes seen since @init
 * @stats: counters since hidma_udrv_open()
 */
struct hidma_udrv {
	const struct hidma_udrv_ops *ops;
	struct vfio_plat vfio;
	struct vfio_dma_mem mem;
	struct hidma_tre *tre_ring;
	struct hidma_evre *ev_ring;
	__u32 tre_len[HIDMA_UDRV_TRE_SLOTS];
	__u32 tre_wr;
	__u32 tre_rd;
	__u32 ev_rd;
	unsigned int pending;
	unsigned int chid;
	bool irq_mode;
	bool irq_masked;
	unsigned int since_ieob;
	__u32 error_status;
	__u32 causes;
	struct hidma_udrv_stats stats;
};

extern const struct hidma_udrv_ops hidma_udrv_ops;

int hidma_udrv_open(struct hidma_udrv *h, const char *name, bool irq_mode);
void hidma_udrv_close(struct hidma_udrv *h);
bool hidma_udrv_msi_capable(const char *name);
__u32 hidma_udrv_state(struct hidma_udrv *h, unsigned int region);
unsigned int hidma_udrv_reap(struct hidma_udrv *h, bool consume);
int hidma_udrv_irq_wait(struct hidma_udrv *h, int timeout_ms);
__u32 hidma_rd(struct hidma_udrv *h, unsigned int region, unsigned int off);
void hidma_wr(struct hidma_udrv *h, unsigned int region, unsigned int off,
	      __u32 val);

#endif /* HIDMA_UDRV_H */
