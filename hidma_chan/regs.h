/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HIDMA channel register map and descriptor formats, as the project's
 * hardware reference states them (Documentation/hardware.rst, sections
 * "Channel registers" and "Descriptors").
 *
 * Each register offset is followed by its fields; a field's legal values
 * are an enum right beneath it. Code touches fields only through
 * FIELD_PREP()/FIELD_GET().
 */
#ifndef HIDMA_CHAN_REGS_H
#define HIDMA_CHAN_REGS_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

/*
 * Registers common to both halves of a channel: the transfer channel
 * (TRCA, first MMIO region) and the event channel (EVCA, second region).
 */
#define HIDMA_CH_CTRLSTS		0x000
#define HIDMA_CTRLSTS_CMD		GENMASK(23, 16)
enum hidma_ch_cmd {
	HIDMA_CMD_DISABLE = 0,
	HIDMA_CMD_ENABLE = 1,
	HIDMA_CMD_SUSPEND = 2,
	HIDMA_CMD_RESET = 9,
};

#define HIDMA_CTRLSTS_STATE		GENMASK(15, 8)
enum hidma_ch_state {
	HIDMA_STATE_DISABLED = 0,
	HIDMA_STATE_ENABLED = 1,
	HIDMA_STATE_RUNNING = 2,
	HIDMA_STATE_SUSPENDED = 3,
	HIDMA_STATE_STOPPED = 4,
};

/* Sets of states, as bit masks of BIT(state), for the polling helpers. */
#define HIDMA_STATES_DISABLED		BIT(HIDMA_STATE_DISABLED)
#define HIDMA_STATES_ON			(BIT(HIDMA_STATE_ENABLED) | \
					 BIT(HIDMA_STATE_RUNNING))

#define HIDMA_CH_RING_LOW		0x008
#define HIDMA_CH_RING_HIGH		0x00c
#define HIDMA_CH_RING_LEN		0x010

/* Producer (TRCA) or consumer (EVCA) byte offset in the ring. */
#define HIDMA_CH_DOORBELL		0x400

/* TRCA only */
#define HIDMA_TRCA_CHID_V10		0x028	/* revisions 1.0 and 1.1 */
#define HIDMA_TRCA_CHID_V12		0x040	/* revision 1.2 */
#define HIDMA_CHID_INDEX		GENMASK(7, 0)

/* EVCA only */
#define HIDMA_EVCA_INTCTRL		0x004
#define HIDMA_INTCTRL_MODE		GENMASK(3, 0)
enum hidma_intctrl_mode {
	HIDMA_INTCTRL_MSI = 0,
	HIDMA_INTCTRL_WIRED = 1,
};

#define HIDMA_EVCA_WRITE_PTR		0x020
#define HIDMA_EVCA_IRQ_STAT		0x100
#define HIDMA_EVCA_IRQ_CLR		0x108
#define HIDMA_EVCA_IRQ_EN		0x110
/* Interrupt causes, in all three registers above. */
#define HIDMA_IRQ_EOB			BIT(0)
#define HIDMA_IRQ_EV_WRITE_ERR		BIT(1)
#define HIDMA_IRQ_TRE_READ_ERR		BIT(9)
#define HIDMA_IRQ_DATA_READ_ERR		BIT(10)
#define HIDMA_IRQ_DATA_WRITE_ERR	BIT(11)
#define HIDMA_IRQ_INVALID_TRE		BIT(14)
/* Every cause that stops the transfer channel; named once, shared. */
#define HIDMA_IRQ_ERRORS		(HIDMA_IRQ_EV_WRITE_ERR | \
					 HIDMA_IRQ_TRE_READ_ERR | \
					 HIDMA_IRQ_DATA_READ_ERR | \
					 HIDMA_IRQ_DATA_WRITE_ERR | \
					 HIDMA_IRQ_INVALID_TRE)
#define HIDMA_IRQ_ALL			(HIDMA_IRQ_EOB | HIDMA_IRQ_ERRORS)
/* Every defined cause bit lies below this; also the MSI block size. */
#define HIDMA_IRQ_NR_CAUSES		16

#define HIDMA_EVCA_MSI_ADDR_LO		0x118
#define HIDMA_EVCA_MSI_ADDR_HI		0x11c
#define HIDMA_EVCA_MSI_DATA		0x120

/**
 * struct hidma_tre - transfer ring element, as the engine reads it
 * @cfg: type, channel index and IEOB (HIDMA_TRE_CFG_*)
 * @len: length in bytes, 1 .. HIDMA_TRE_MAX_LEN
 * @src_lo: memcpy source bus address, or memset pattern, low word
 * @src_hi: memcpy source bus address, or memset pattern, high word
 * @dst_lo: destination bus address, low word
 * @dst_hi: destination bus address, high word
 * @rsvd: reserved, zero
 *
 * Lives in the TRE ring (coherent memory, 32-byte aligned, one slot per
 * element). Software writes a slot only while it is outside the range
 * between the hardware's read offset and the TRCA doorbell.
 */
struct hidma_tre {
	__le32 cfg;
	__le32 len;
	__le32 src_lo;
	__le32 src_hi;
	__le32 dst_lo;
	__le32 dst_hi;
	__le32 rsvd[2];
};

static_assert(sizeof(struct hidma_tre) == 32);

#define HIDMA_TRE_CFG_TYPE		GENMASK(7, 0)
enum hidma_tre_type {
	HIDMA_TRE_MEMCPY = 3,
	HIDMA_TRE_MEMSET = 4,
};

#define HIDMA_TRE_CFG_CHID		GENMASK(15, 8)
#define HIDMA_TRE_CFG_IEOB		BIT(16)
#define HIDMA_TRE_MAX_LEN		U32_MAX

/**
 * struct hidma_evre - event ring element, as the engine writes it
 * @status: completion code and error info (HIDMA_EVRE_*)
 * @rsvd: reserved
 *
 * Lives in the event ring (coherent memory, 16-byte aligned). The engine
 * writes one per executed TRE, in TRE order, before it advances
 * WRITE_PTR past it.
 */
struct hidma_evre {
	__le32 status;
	__le32 rsvd[3];
};

static_assert(sizeof(struct hidma_evre) == 16);

#define HIDMA_EVRE_ERRINFO		GENMASK(27, 24)
#define HIDMA_EVRE_CODE			GENMASK(31, 28)
enum hidma_evre_code {
	HIDMA_EVRE_SUCCESS = 1,
	HIDMA_EVRE_ERROR = 4,
};

#endif /* HIDMA_CHAN_REGS_H */
