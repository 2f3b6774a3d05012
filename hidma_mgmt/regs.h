/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HIDMA management block register map (Documentation/hardware.rst,
 * "Management registers").
 *
 * Every register is 32 bits wide and accessed with 32-bit reads and
 * writes. Each offset is followed by its fields; code touches fields only
 * through FIELD_PREP()/FIELD_GET().
 */
#ifndef HIDMA_MGMT_REGS_H
#define HIDMA_MGMT_REGS_H

#include <linux/bits.h>

/* Engine configuration. */
#define HIDMA_MGMT_CFG				0x400
#define HIDMA_MGMT_CFG_ENABLE			BIT(0)

/* Cycles a channel reset may take before the hardware reports failure. */
#define HIDMA_MGMT_CHRESET_TIMEOUT		0x418
#define HIDMA_MGMT_CHRESET_TIMEOUT_CYCLES	GENMASK(19, 0)

/* Longest bus request, in bytes: a power of two in 128..1024 each way. */
#define HIDMA_MGMT_MAX_BUS_REQ_LEN		0x41c
#define HIDMA_MGMT_MAX_BUS_REQ_LEN_WR		GENMASK(31, 16)
#define HIDMA_MGMT_MAX_BUS_REQ_LEN_RD		GENMASK(15, 0)
#define HIDMA_MGMT_BURST_MIN			128
#define HIDMA_MGMT_BURST_MAX			1024

/* Back-to-back bursts one channel may issue, 0..31 each way. */
#define HIDMA_MGMT_MAX_XACTIONS			0x420
#define HIDMA_MGMT_MAX_XACTIONS_WR		GENMASK(20, 16)
#define HIDMA_MGMT_MAX_XACTIONS_RD		GENMASK(4, 0)
#define HIDMA_MGMT_XACTIONS_MAX			31

/* Read only. */
#define HIDMA_MGMT_HW_VERSION			0x424
#define HIDMA_MGMT_HW_VERSION_MAJOR		GENMASK(31, 28)
#define HIDMA_MGMT_HW_VERSION_MINOR		GENMASK(19, 16)

/* Arbitration of channel n, one register per channel. */
#define HIDMA_MGMT_QOS(n)			(0x700 + 4 * (n))
#define HIDMA_MGMT_QOS_PRIORITY			BIT(15)
#define HIDMA_MGMT_QOS_WEIGHT			GENMASK(14, 8)

/**
 * enum hidma_mgmt_priority - values of the QOS PRIORITY field
 * @HIDMA_MGMT_PRIO_LOW: served only when no high-priority channel is
 *	runnable (reset value)
 * @HIDMA_MGMT_PRIO_HIGH: served before every low-priority channel
 */
enum hidma_mgmt_priority {
	HIDMA_MGMT_PRIO_LOW = 0,
	HIDMA_MGMT_PRIO_HIGH = 1,
};

/*
 * Legal QOS WEIGHT values: bursts per weighted round-robin round. The
 * field is wider, but the engine allows 1..15 only, and software never
 * writes 0.
 */
#define HIDMA_MGMT_WEIGHT_MIN			1
#define HIDMA_MGMT_WEIGHT_MAX			15
#define HIDMA_MGMT_WEIGHT_RESET			1

/* Channels per instance. */
#define HIDMA_MGMT_CHANNELS_MAX			32

#endif /* HIDMA_MGMT_REGS_H */
