/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HIDMA channel registers and descriptors, for the userspace driver.
 *
 * Written from the hardware reference (Documentation/hardware.rst, sections
 * "Channel registers" to "Errors"), independently of the kernel drivers'
 * headers: two readings of one reference, each tested against the model,
 * catch a typo that a shared header would agree with.
 */
#ifndef HIDMA_VFIO_HW_H
#define HIDMA_VFIO_HW_H

#include <linux/types.h>

#define HW_BIT(n)		(1U << (n))
/* Bits hi..lo of a register, as a mask (the kernel's GENMASK()). */
#define HW_FIELD(hi, lo)	((~0U >> (31 - (hi))) & (~0U << (lo)))

/* A field's value in a register value, and a value placed in a field. */
static inline __u32 hw_get(__u32 field, __u32 reg)
{
	return (reg & field) >> __builtin_ctz(field);
}

static inline __u32 hw_put(__u32 field, __u32 val)
{
	return (val << __builtin_ctz(field)) & field;
}

/* Each of a channel's two regions: TRCA is region 0, EVCA region 1. */
#define HIDMA_REGION_SIZE	0x1000
#define HIDMA_REGION_TRCA	0
#define HIDMA_REGION_EVCA	1

/* Both regions */
#define CH_CTRLSTS		0x000
#define CTRLSTS_CMD		HW_FIELD(23, 16)	/* read back as written */
enum hidma_cmd {
	CMD_DISABLE = 0,
	CMD_ENABLE = 1,
	CMD_SUSPEND = 2,
	CMD_RESET = 9,
};

#define CTRLSTS_STATE		HW_FIELD(15, 8)		/* read only */
enum hidma_state {
	STATE_DISABLED = 0,
	STATE_ENABLED = 1,
	STATE_RUNNING = 2,
	STATE_SUSPENDED = 3,
	STATE_STOPPED = 4,
};

#define CH_RING_LOW		0x008
#define CH_RING_HIGH		0x00c
#define CH_RING_LEN		0x010
#define CH_DOORBELL		0x400	/* producer (TRCA) / consumer (EVCA) */

/* TRCA */
#define TRCA_CHID		0x028	/* revisions 1.0 and 1.1 */
#define TRCA_CHID_V12		0x040	/* revision 1.2 */
#define CHID_INDEX		HW_FIELD(7, 0)

/* EVCA */
#define EVCA_INTCTRL		0x004
#define INTCTRL_MODE		HW_FIELD(3, 0)
enum hidma_intctrl {
	INTCTRL_MSI = 0,
	INTCTRL_WIRED = 1,
};

#define EVCA_WRITE_PTR		0x020
#define EVCA_IRQ_STAT		0x100
#define EVCA_IRQ_CLR		0x108
#define EVCA_IRQ_EN		0x110
#define EVCA_MSI_ADDR_LO	0x118	/* revisions 1.1 and later */
#define EVCA_MSI_ADDR_HI	0x11c
#define EVCA_MSI_DATA		0x120

/* Interrupt causes (IRQ_STAT, IRQ_CLR, IRQ_EN bit numbers) */
enum hidma_cause {
	CAUSE_EOB = 0,
	CAUSE_EVENT_WRITE = 1,
	CAUSE_TRE_READ = 9,
	CAUSE_DATA_READ = 10,
	CAUSE_DATA_WRITE = 11,
	CAUSE_INVALID_TRE = 14,
};

#define IRQ_ERRORS		(HW_BIT(CAUSE_EVENT_WRITE) | \
				 HW_BIT(CAUSE_TRE_READ) | \
				 HW_BIT(CAUSE_DATA_READ) | \
				 HW_BIT(CAUSE_DATA_WRITE) | \
				 HW_BIT(CAUSE_INVALID_TRE))
#define IRQ_ALL			(HW_BIT(CAUSE_EOB) | IRQ_ERRORS)

/**
 * struct hidma_tre - transfer ring element (32 bytes, little endian)
 * @cfg: type (bits 7:0), channel index (15:8), IEOB (16)
 * @len: length in bytes, at least 1
 * @src_lo: memcpy source bus address low; memset pattern low
 * @src_hi: memcpy source bus address high; memset pattern high
 * @dst_lo: destination bus address low
 * @dst_hi: destination bus address high
 * @rsvd: zero
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

#define TRE_TYPE		HW_FIELD(7, 0)
enum hidma_tre_type {
	TRE_MEMCPY = 3,
	TRE_MEMSET = 4,
};

#define TRE_CHID		HW_FIELD(15, 8)
#define TRE_IEOB		HW_BIT(16)

/**
 * struct hidma_evre - event ring element (16 bytes, little endian)
 * @status: error info (bits 27:24), completion code (31:28)
 * @rsvd: reserved
 */
struct hidma_evre {
	__le32 status;
	__le32 rsvd[3];
};

#define EVRE_INFO		HW_FIELD(27, 24)
#define EVRE_CODE		HW_FIELD(31, 28)
enum hidma_evre_code {
	EVRE_SUCCESS = 1,
	EVRE_ERROR = 4,
};

#endif /* HIDMA_VFIO_HW_H */
