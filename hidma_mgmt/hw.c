// SPDX-License-Identifier: GPL-2.0-only
/*
 * Register programming.
 *
 * Writers hold mgmt->lock and build every register value from the settings
 * in struct hidma_mgmt (the shadow), never by read-modify-write of the
 * hardware: two settings share MAX_BUS_REQ_LEN and MAX_XACTIONS, and
 * priority and weight share QOS(n), so concurrent writers of the two
 * halves of one register must not lose each other's update. The shadow is
 * also what the resume path writes back.
 *
 * Readers read the hardware, so sysfs shows what the engine really uses.
 *
 * Every caller keeps the device runtime-active.
 */

#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/lockdep.h>

#include "hidma_mgmt.h"
#include "regs.h"

static void hidma_mgmt_hw_write_bus_req_len(struct hidma_mgmt *mgmt)
{
	writel(FIELD_PREP(HIDMA_MGMT_MAX_BUS_REQ_LEN_WR, mgmt->param[HIDMA_MGMT_PARAM_WR_BURST]) |
	       FIELD_PREP(HIDMA_MGMT_MAX_BUS_REQ_LEN_RD, mgmt->param[HIDMA_MGMT_PARAM_RD_BURST]),
	       mgmt->base + HIDMA_MGMT_MAX_BUS_REQ_LEN);
}

static void hidma_mgmt_hw_write_xactions(struct hidma_mgmt *mgmt)
{
	writel(FIELD_PREP(HIDMA_MGMT_MAX_XACTIONS_WR, mgmt->param[HIDMA_MGMT_PARAM_WR_XACTIONS]) |
	       FIELD_PREP(HIDMA_MGMT_MAX_XACTIONS_RD, mgmt->param[HIDMA_MGMT_PARAM_RD_XACTIONS]),
	       mgmt->base + HIDMA_MGMT_MAX_XACTIONS);
}

static void hidma_mgmt_hw_write_chreset_timeout(struct hidma_mgmt *mgmt)
{
	writel(FIELD_PREP(HIDMA_MGMT_CHRESET_TIMEOUT_CYCLES,
			  mgmt->param[HIDMA_MGMT_PARAM_CHRESET_TIMEOUT]),
	       mgmt->base + HIDMA_MGMT_CHRESET_TIMEOUT);
}

/**
 * hidma_mgmt_hw_write_param() - write the register that holds a setting
 * @mgmt: the instance; caller holds @mgmt->lock
 * @p: the setting, already stored in @mgmt->param
 */
void hidma_mgmt_hw_write_param(struct hidma_mgmt *mgmt, enum hidma_mgmt_param p)
{
	lockdep_assert_held(&mgmt->lock);

	switch (p) {
	case HIDMA_MGMT_PARAM_WR_BURST:
	case HIDMA_MGMT_PARAM_RD_BURST:
		hidma_mgmt_hw_write_bus_req_len(mgmt);
		break;
	case HIDMA_MGMT_PARAM_WR_XACTIONS:
	case HIDMA_MGMT_PARAM_RD_XACTIONS:
		hidma_mgmt_hw_write_xactions(mgmt);
		break;
	case HIDMA_MGMT_PARAM_CHRESET_TIMEOUT:
		hidma_mgmt_hw_write_chreset_timeout(mgmt);
		break;
	case HIDMA_MGMT_PARAM_CHANNELS:
	case HIDMA_MGMT_NR_PARAMS:
		/* No register. */
		break;
	}
}

/**
 * hidma_mgmt_hw_write_qos() - write one channel's QOS register
 * @mgmt: the instance; caller holds @mgmt->lock
 * @chan: channel index, below dma-channels
 */
void hidma_mgmt_hw_write_qos(struct hidma_mgmt *mgmt, unsigned int chan)
{
	const struct hidma_mgmt_qos *qos = &mgmt->qos[chan];

	lockdep_assert_held(&mgmt->lock);
	writel(FIELD_PREP(HIDMA_MGMT_QOS_PRIORITY, qos->priority) |
	       FIELD_PREP(HIDMA_MGMT_QOS_WEIGHT, qos->weight),
	       mgmt->base + HIDMA_MGMT_QOS(chan));
}

/*
 * CFG.ENABLE = 1. Software never writes 0: once started, the engine runs
 * until the platform resets it, whatever happens to this driver (see
 * main.c). Channels make no progress while it is 0.
 */
static void hidma_mgmt_hw_enable(struct hidma_mgmt *mgmt)
{
	writel(HIDMA_MGMT_CFG_ENABLE, mgmt->base + HIDMA_MGMT_CFG);
}

/**
 * hidma_mgmt_hw_write_all() - program the whole block from the shadow
 * @mgmt: the instance; caller holds @mgmt->lock
 *
 * Used at probe and whenever the device is resumed. The engine is enabled
 * last, after everything it runs with is in place. Writing unchanged
 * values is harmless while channels move data.
 */
void hidma_mgmt_hw_write_all(struct hidma_mgmt *mgmt)
{
	unsigned int i;

	lockdep_assert_held(&mgmt->lock);

	hidma_mgmt_hw_write_chreset_timeout(mgmt);
	hidma_mgmt_hw_write_bus_req_len(mgmt);
	hidma_mgmt_hw_write_xactions(mgmt);
	for (i = 0; i < hidma_mgmt_nr_chans(mgmt); i++)
		hidma_mgmt_hw_write_qos(mgmt, i);
	hidma_mgmt_hw_enable(mgmt);
}

/**
 * hidma_mgmt_hw_read_param() - a setting as the hardware holds it
 * @mgmt: the instance
 * @p: the setting
 *
 * Return: the register field, or for dma-channels (no register) the
 * firmware's value.
 */
u32 hidma_mgmt_hw_read_param(struct hidma_mgmt *mgmt, enum hidma_mgmt_param p)
{
	void __iomem *base = mgmt->base;

	switch (p) {
	case HIDMA_MGMT_PARAM_WR_BURST:
		return FIELD_GET(HIDMA_MGMT_MAX_BUS_REQ_LEN_WR,
				 readl(base + HIDMA_MGMT_MAX_BUS_REQ_LEN));
	case HIDMA_MGMT_PARAM_RD_BURST:
		return FIELD_GET(HIDMA_MGMT_MAX_BUS_REQ_LEN_RD,
				 readl(base + HIDMA_MGMT_MAX_BUS_REQ_LEN));
	case HIDMA_MGMT_PARAM_WR_XACTIONS:
		return FIELD_GET(HIDMA_MGMT_MAX_XACTIONS_WR,
				 readl(base + HIDMA_MGMT_MAX_XACTIONS));
	case HIDMA_MGMT_PARAM_RD_XACTIONS:
		return FIELD_GET(HIDMA_MGMT_MAX_XACTIONS_RD,
				 readl(base + HIDMA_MGMT_MAX_XACTIONS));
	case HIDMA_MGMT_PARAM_CHRESET_TIMEOUT:
		return FIELD_GET(HIDMA_MGMT_CHRESET_TIMEOUT_CYCLES,
				 readl(base + HIDMA_MGMT_CHRESET_TIMEOUT));
	case HIDMA_MGMT_PARAM_CHANNELS:
	case HIDMA_MGMT_NR_PARAMS:
		break;
	}
	return mgmt->param[HIDMA_MGMT_PARAM_CHANNELS];
}

/**
 * hidma_mgmt_hw_read_qos() - one channel's arbitration as the hardware
 *	holds it
 * @mgmt: the instance
 * @chan: channel index, below dma-channels
 *
 * Return: the QOS(@chan) fields.
 */
struct hidma_mgmt_qos hidma_mgmt_hw_read_qos(struct hidma_mgmt *mgmt,
					     unsigned int chan)
{
	u32 val = readl(mgmt->base + HIDMA_MGMT_QOS(chan));

	return (struct hidma_mgmt_qos) {
		.priority = FIELD_GET(HIDMA_MGMT_QOS_PRIORITY, val),
		.weight = FIELD_GET(HIDMA_MGMT_QOS_WEIGHT, val),
	};
}

/**
 * hidma_mgmt_hw_read_version() - the HW_VERSION register
 * @mgmt: the instance
 *
 * Return: the raw register; HIDMA_MGMT_HW_VERSION_MAJOR/_MINOR pick it
 * apart.
 */
u32 hidma_mgmt_hw_read_version(struct hidma_mgmt *mgmt)
{
	return readl(mgmt->base + HIDMA_MGMT_HW_VERSION);
}
