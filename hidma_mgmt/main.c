// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm Technologies HIDMA management block driver.
 *
 * The management block of a HIDMA instance holds what its channels share:
 * the engine enable, the bus limits and each channel's arbitration
 * priority and weight. This driver programs it from the firmware
 * description, creates the channel devices from the management node's
 * children, and gives the host's admin the long-standing sysfs interface
 * to share the engine's bandwidth between channels, which may belong to
 * different guests.
 *
 * Probe is a chain of steps, each of which registers its undo with devm,
 * so a failed probe and an unbind run the same code, in reverse order, and
 * the driver needs no .remove:
 *
 *  1. read and validate the firmware description (fw.c); nothing is
 *     touched before every value is known to be good
 *  2. map the register region
 *  3. enable runtime PM, device active
 *  4. program the registers and enable the engine     no undo
 *  5. create sysfs chanops/chan<N>/ (sysfs.c)          undo: remove them
 *  6. create the debugfs register dump (debugfs.c)    undo: remove it
 *  7. create the channel devices                       undo: destroy them
 *
 * At unbind the channel devices go first, then the admin interface (the
 * driver core has removed the global files already). The engine is left
 * enabled, running with the values last programmed: channels need not be
 * this device's children (ACPI) and may belong to a guest, and none of
 * them may stop because the management driver went away. Only probe
 * writes CFG.ENABLE; Documentation/hidma-mgmt.rst argues the choice.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/pm_runtime.h>

#include "hidma_mgmt.h"
#include "regs.h"

/* Idle time before the device may be runtime-suspended. */
#define HIDMA_MGMT_AUTOSUSPEND_MS	1000

/*
 * Step 4: program every register from the validated settings and enable
 * the engine. Nothing undoes it, not even a later probe step that fails:
 * under ACPI, channels bound since an earlier probe may be moving data.
 */
static int hidma_mgmt_start(struct hidma_mgmt *mgmt)
{
	struct device *dev = mgmt->dev;
	u32 version;
	int ret;

	ret = pm_runtime_resume_and_get(dev);
	if (ret)
		return ret;
	mutex_lock(&mgmt->lock);
	hidma_mgmt_hw_write_all(mgmt);
	version = hidma_mgmt_hw_read_version(mgmt);
	mutex_unlock(&mgmt->lock);
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);

	dev_info(dev, "HIDMA management %lu.%lu, %u channels, engine enabled\n",
		 FIELD_GET(HIDMA_MGMT_HW_VERSION_MAJOR, version),
		 FIELD_GET(HIDMA_MGMT_HW_VERSION_MINOR, version),
		 hidma_mgmt_nr_chans(mgmt));
	return 0;
}

/*
 * of_platform_populate() skips a child whose device it fails to create
 * (an allocation failure in of_device_alloc() or device_add()) and still
 * returns 0, which would leave a channel silently missing until the next
 * rebind. Every available child node with a compatible must have its
 * device.
 */
static int hidma_mgmt_check_children(struct device *dev)
{
	struct platform_device *cdev;
	struct device_node *child;

	for_each_available_child_of_node(dev_of_node(dev), child) {
		if (!of_property_present(child, "compatible"))
			continue;
		cdev = of_find_device_by_node(child);
		if (!cdev) {
			dev_err(dev, "no device for channel node %pOF\n", child);
			of_node_put(child);
			return -ENOMEM;
		}
		put_device(&cdev->dev);
	}
	return 0;
}

static int hidma_mgmt_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct hidma_mgmt *mgmt;
	struct resource *res;
	u32 need;
	int ret;

	mgmt = devm_kzalloc(dev, sizeof(*mgmt), GFP_KERNEL);
	if (!mgmt)
		return -ENOMEM;
	mgmt->dev = dev;
	mutex_init(&mgmt->lock);
	platform_set_drvdata(pdev, mgmt);

	/* 1 */
	ret = hidma_mgmt_fw_read(mgmt);
	if (ret)
		return ret;

	/* 2: the region must hold the QOS register of every channel. */
	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return dev_err_probe(dev, -EINVAL, "firmware gives no register region\n");
	need = HIDMA_MGMT_QOS(hidma_mgmt_nr_chans(mgmt));
	if (resource_size(res) < need)
		return dev_err_probe(dev, -EINVAL,
				     "register region %pR is too small for %u channels (allowed: at least %#x bytes)\n",
				     res, hidma_mgmt_nr_chans(mgmt), need);
	mgmt->base = devm_ioremap_resource(dev, res);
	if (IS_ERR(mgmt->base))
		return PTR_ERR(mgmt->base);

	/* 3: the device is powered when probed. */
	ret = pm_runtime_set_active(dev);
	if (ret)
		return ret;
	pm_runtime_set_autosuspend_delay(dev, HIDMA_MGMT_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		return ret;

	/* 4 */
	ret = hidma_mgmt_start(mgmt);
	if (ret)
		return ret;

	/* 5 */
	ret = hidma_mgmt_chanops_create(mgmt);
	if (ret)
		return dev_err_probe(dev, ret, "cannot create sysfs chanops/\n");

	/* 6 */
	ret = hidma_mgmt_debugfs_create(mgmt);
	if (ret)
		return ret;

	/*
	 * 7: one platform device per child node, each bound, unbound and
	 * rebound on its own by whatever driver matches it (hidma_chan,
	 * vfio-platform); destroyed when this device is unbound. Under ACPI
	 * the channels are enumerated by the ACPI core instead.
	 */
	if (dev_of_node(dev)) {
		ret = devm_of_platform_populate(dev);
		if (!ret)
			ret = hidma_mgmt_check_children(dev);
		if (ret) {
			of_platform_depopulate(dev);
			dev_err(dev, "cannot create the channel devices: %d\n", ret);
			return ret;
		}
	}

	return 0;
}

/*
 * The engine must keep running while this device is runtime-suspended:
 * its channels may belong to guests this kernel knows nothing about. So
 * suspending saves and stops nothing (the shadow in struct hidma_mgmt is
 * always current), and resuming writes the shadow back, in case the
 * platform cut the block's power meanwhile (or across system sleep, which
 * goes through the same two callbacks). sysfs and debugfs resume the
 * device around every register access.
 */
static int hidma_mgmt_runtime_suspend(struct device *dev)
{
	return 0;
}

static int hidma_mgmt_runtime_resume(struct device *dev)
{
	struct hidma_mgmt *mgmt = dev_get_drvdata(dev);

	mutex_lock(&mgmt->lock);
	hidma_mgmt_hw_write_all(mgmt);
	mutex_unlock(&mgmt->lock);
	return 0;
}

static const struct dev_pm_ops hidma_mgmt_pm_ops = {
	SYSTEM_SLEEP_PM_OPS(pm_runtime_force_suspend, pm_runtime_force_resume)
	RUNTIME_PM_OPS(hidma_mgmt_runtime_suspend, hidma_mgmt_runtime_resume, NULL)
};

static const struct of_device_id hidma_mgmt_of_match[] = {
	{ .compatible = "qcom,hidma-mgmt-1.0" },
	{ }
};
MODULE_DEVICE_TABLE(of, hidma_mgmt_of_match);

/*
 * ACPI: settings from _DSD properties of the same names; the channels are
 * the ACPI core's devices, not this device's children (Documentation/
 * hidma-mgmt.rst).
 */
static const struct acpi_device_id hidma_mgmt_acpi_match[] = {
	{ "QCOM8060" },
	{ }
};
MODULE_DEVICE_TABLE(acpi, hidma_mgmt_acpi_match);

static struct platform_driver hidma_mgmt_driver = {
	.probe = hidma_mgmt_probe,
	.driver = {
		.name = KBUILD_MODNAME,
		.of_match_table = hidma_mgmt_of_match,
		.acpi_match_table = hidma_mgmt_acpi_match,
		.dev_groups = hidma_mgmt_groups,
		.pm = pm_ptr(&hidma_mgmt_pm_ops),
	},
};

static int __init hidma_mgmt_init(void)
{
	int ret;

	hidma_mgmt_debugfs_create_root();
	ret = platform_driver_register(&hidma_mgmt_driver);
	if (ret)
		hidma_mgmt_debugfs_remove_root();
	return ret;
}
module_init(hidma_mgmt_init);

static void __exit hidma_mgmt_exit(void)
{
	platform_driver_unregister(&hidma_mgmt_driver);
	hidma_mgmt_debugfs_remove_root();
}
module_exit(hidma_mgmt_exit);

MODULE_DESCRIPTION("Qualcomm Technologies HIDMA management block driver");
MODULE_LICENSE("GPL");
