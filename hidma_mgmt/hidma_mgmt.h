/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HIDMA management driver: the structures every file of the module shares.
 *
 * Files:
 *   main.c     probe, the devm teardown chain, power management, module
 *   fw.c       firmware properties and module parameters: reading and
 *              validation
 *   hw.c       register programming
 *   sysfs.c    the admin interface (global attributes, chanops/chan<N>/)
 *   debugfs.c  register dump
 */
#ifndef HIDMA_MGMT_H
#define HIDMA_MGMT_H

#include <linux/debugfs.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct device;

/**
 * enum hidma_mgmt_param - the engine-wide settings
 * @HIDMA_MGMT_PARAM_CHANNELS: channels of the instance (no register; sizes
 *	the QOS register file and chanops/)
 * @HIDMA_MGMT_PARAM_WR_BURST: MAX_BUS_REQ_LEN write half, bytes
 * @HIDMA_MGMT_PARAM_RD_BURST: MAX_BUS_REQ_LEN read half, bytes
 * @HIDMA_MGMT_PARAM_WR_XACTIONS: MAX_XACTIONS write half
 * @HIDMA_MGMT_PARAM_RD_XACTIONS: MAX_XACTIONS read half
 * @HIDMA_MGMT_PARAM_CHRESET_TIMEOUT: CHRESET_TIMEOUT, cycles
 * @HIDMA_MGMT_NR_PARAMS: number of settings
 */
enum hidma_mgmt_param {
	HIDMA_MGMT_PARAM_CHANNELS,
	HIDMA_MGMT_PARAM_WR_BURST,
	HIDMA_MGMT_PARAM_RD_BURST,
	HIDMA_MGMT_PARAM_WR_XACTIONS,
	HIDMA_MGMT_PARAM_RD_XACTIONS,
	HIDMA_MGMT_PARAM_CHRESET_TIMEOUT,
	HIDMA_MGMT_NR_PARAMS,
};

/**
 * struct hidma_mgmt_limit - what the engine allows for one setting
 * @prop: firmware property name, also used in every message about the
 *	setting
 * @min: smallest legal value
 * @max: largest legal value
 * @pow2: the value must also be a power of two
 *
 * One table of these (fw.c) validates firmware values, module parameters
 * and sysfs writes alike.
 */
struct hidma_mgmt_limit {
	const char *prop;
	u32 min;
	u32 max;
	bool pow2;
};

/**
 * struct hidma_mgmt_qos - one channel's arbitration settings
 * @priority: &enum hidma_mgmt_priority
 * @weight: bursts per weighted round-robin round, 1..15
 */
struct hidma_mgmt_qos {
	u8 priority;
	u8 weight;
};

/**
 * struct hidma_mgmt_chan - the sysfs folder chanops/chan<N>
 * @kobj: the folder; its ktype carries the priority and weight files
 *	through default_groups, so they exist as soon as the folder does
 * @mgmt: the instance the channel belongs to
 * @index: N, the channel's hardware index (QOS(N))
 *
 * Allocated on its own and freed by the kobject's release, never by devm:
 * the kobject's lifetime is its reference count's, not the binding's.
 * @mgmt is only dereferenced from show/store, which cannot run once
 * kobject_del() has returned (kernfs drains them), and that happens in the
 * teardown chain before @mgmt is freed.
 */
struct hidma_mgmt_chan {
	struct kobject kobj;
	struct hidma_mgmt *mgmt;
	unsigned int index;
};

/**
 * struct hidma_mgmt - one bound management block
 * @dev: the management platform device
 * @base: its register region
 * @lock: serialises writers: protects @param and @qos, and makes
 *	every register write from them atomic with their update; never held
 *	across a runtime PM call that may resume the device
 * @param: the settings in effect, &enum hidma_mgmt_param order; what was
 *	last written to the hardware (the shadow the resume path restores)
 * @qos: per-channel arbitration settings, @param[HIDMA_MGMT_PARAM_CHANNELS]
 *	entries
 * @chanops: the chanops/ folder below the device, NULL when absent
 * @chans: the chanops/chan<N> folders, @param[HIDMA_MGMT_PARAM_CHANNELS]
 *	entries
 * @debugfs: this instance's debugfs folder
 * @regset: the register dump's description
 */
struct hidma_mgmt {
	struct device *dev;
	void __iomem *base;
	struct mutex lock;	/* see @lock above */
	u32 param[HIDMA_MGMT_NR_PARAMS];
	struct hidma_mgmt_qos *qos;
	struct kobject *chanops;
	struct hidma_mgmt_chan **chans;
	struct dentry *debugfs;
	struct debugfs_regset32 regset;
};

static inline unsigned int hidma_mgmt_nr_chans(const struct hidma_mgmt *mgmt)
{
	return mgmt->param[HIDMA_MGMT_PARAM_CHANNELS];
}

/* fw.c */
extern const struct hidma_mgmt_limit hidma_mgmt_limits[HIDMA_MGMT_NR_PARAMS];
bool hidma_mgmt_valid(enum hidma_mgmt_param p, u32 val);
int hidma_mgmt_fw_read(struct hidma_mgmt *mgmt);

/* hw.c */
void hidma_mgmt_hw_write_param(struct hidma_mgmt *mgmt, enum hidma_mgmt_param p);
void hidma_mgmt_hw_write_qos(struct hidma_mgmt *mgmt, unsigned int chan);
void hidma_mgmt_hw_write_all(struct hidma_mgmt *mgmt);
u32 hidma_mgmt_hw_read_param(struct hidma_mgmt *mgmt, enum hidma_mgmt_param p);
struct hidma_mgmt_qos hidma_mgmt_hw_read_qos(struct hidma_mgmt *mgmt,
					     unsigned int chan);
u32 hidma_mgmt_hw_read_version(struct hidma_mgmt *mgmt);

/* sysfs.c */
extern const struct attribute_group *hidma_mgmt_groups[];
int hidma_mgmt_chanops_create(struct hidma_mgmt *mgmt);

/* debugfs.c */
void hidma_mgmt_debugfs_create_root(void);
void hidma_mgmt_debugfs_remove_root(void);
int hidma_mgmt_debugfs_create(struct hidma_mgmt *mgmt);

#endif /* HIDMA_MGMT_H */
