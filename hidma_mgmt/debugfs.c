// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: <debugfs>/hidma_mgmt/<device>/regs dumps every register the
 * driver programs, read from the hardware ("NAME = 0x%08x" per line), for
 * tests and bug reports. Not an ABI. The dump resumes the device for the
 * read (debugfs_regset32.dev).
 */

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hidma_mgmt.h"
#include "regs.h"

static struct dentry *hidma_mgmt_debugfs_root;

static const struct debugfs_reg32 hidma_mgmt_debugfs_regs[] = {
	{ .name = "CFG",		.offset = HIDMA_MGMT_CFG },
	{ .name = "CHRESET_TIMEOUT",	.offset = HIDMA_MGMT_CHRESET_TIMEOUT },
	{ .name = "MAX_BUS_REQ_LEN",	.offset = HIDMA_MGMT_MAX_BUS_REQ_LEN },
	{ .name = "MAX_XACTIONS",	.offset = HIDMA_MGMT_MAX_XACTIONS },
	{ .name = "HW_VERSION",		.offset = HIDMA_MGMT_HW_VERSION },
};

/* At module load and unload. */
void hidma_mgmt_debugfs_create_root(void)
{
	hidma_mgmt_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void hidma_mgmt_debugfs_remove_root(void)
{
	debugfs_remove(hidma_mgmt_debugfs_root);
}

/* Returns once no reader is left in the dump. */
static void hidma_mgmt_debugfs_remove(void *data)
{
	struct hidma_mgmt *mgmt = data;

	debugfs_remove(mgmt->debugfs);
}

/**
 * hidma_mgmt_debugfs_create() - create this instance's register dump
 * @mgmt: the instance, registers mapped
 *
 * Called from probe only. Registers its own undo with devm. A debugfs
 * failure is not an error (debugfs is optional).
 *
 * Return: 0 or -ENOMEM.
 */
int hidma_mgmt_debugfs_create(struct hidma_mgmt *mgmt)
{
	const unsigned int nfixed = ARRAY_SIZE(hidma_mgmt_debugfs_regs);
	unsigned int nr = nfixed + hidma_mgmt_nr_chans(mgmt);
	struct device *dev = mgmt->dev;
	struct debugfs_reg32 *regs;
	unsigned int i;

	regs = devm_kcalloc(dev, nr, sizeof(*regs), GFP_KERNEL);
	if (!regs)
		return -ENOMEM;
	memcpy(regs, hidma_mgmt_debugfs_regs, sizeof(hidma_mgmt_debugfs_regs));
	for (i = 0; i < hidma_mgmt_nr_chans(mgmt); i++) {
		regs[nfixed + i].name = devm_kasprintf(dev, GFP_KERNEL, "QOS%u", i);
		if (!regs[nfixed + i].name)
			return -ENOMEM;
		regs[nfixed + i].offset = HIDMA_MGMT_QOS(i);
	}

	mgmt->regset.regs = regs;
	mgmt->regset.nregs = nr;
	mgmt->regset.base = mgmt->base;
	mgmt->regset.dev = dev;

	mgmt->debugfs = debugfs_create_dir(dev_name(dev), hidma_mgmt_debugfs_root);
	debugfs_create_regset32("regs", 0400, mgmt->debugfs, &mgmt->regset);

	return devm_add_action_or_reset(dev, hidma_mgmt_debugfs_remove, mgmt);
}
