// SPDX-License-Identifier: GPL-2.0-only
/*
 * hidma_vfio_reset: vfio-platform reset handler for HIDMA channels.
 *
 * vfio-platform hands a platform device to userspace only if it can reset
 * it (module parameter reset_required, default on), and it resets it on
 * every open, every close and every VFIO_DEVICE_RESET. For devices found
 * through the device tree it looks the handler up by the device's first
 * compatible string, loading "vfio-reset:<compatible>" if none is
 * registered. This module is that handler for the three HIDMA channel
 * revisions. It is separate from hidma_chan so that the channel driver
 * does not depend on vfio.
 *
 * The reset follows the set-up order of Documentation/hardware.rst up to the
 * point where a channel is quiet: interrupts masked and cleared, transfer
 * and event channels RESET, a bounded wait for both to report DISABLED,
 * causes cleared again. The channel is left DISABLED with its wired line
 * low, whoever owned it before and whatever it left pending.
 *
 * What this module needs from vfio-platform beyond public headers is in
 * vfio_layout.h.
 */

#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "regs.h"
#include "vfio_layout.h"

/* Each register region of a channel, as Documentation/hardware.rst gives it. */
#define HIDMA_VFIO_REGION_SIZE		0x1000

/*
 * The wait for RESET. Existing software polls every 1 ms for up to 10 ms;
 * the same interval here, with a bound ten times longer because a channel
 * handed to userspace may sit on a loaded host or an emulator, and a
 * failed reset at close cannot be undone (vfio-platform warns and carries
 * on). The first read comes one interval after the command: a block that
 * was DISABLED already reads DISABLED before its RESET has taken effect.
 */
#define HIDMA_VFIO_POLL_US		1000
#define HIDMA_VFIO_TIMEOUT_US		100000

#define HIDMA_COMPAT_V10		"qcom,hidma-1.0"
#define HIDMA_COMPAT_V11		"qcom,hidma-1.1"
#define HIDMA_COMPAT_V12		"qcom,hidma-1.2"

/**
 * struct hidma_vfio_stats - what the handler did, shown in debugfs
 * @resets: resets that left the channel DISABLED
 * @timeouts: resets after which a block was still not DISABLED
 * @rejected: calls refused because the device was not what was expected:
 *	not a platform device (vfio-platform's layout no longer matches
 *	vfio_layout.h), not a HIDMA channel, or registers not mappable
 */
struct hidma_vfio_stats {
	atomic_t resets;
	atomic_t timeouts;
	atomic_t rejected;
};

static struct hidma_vfio_stats hidma_vfio_stats;
static struct dentry *hidma_vfio_debugfs;

static int hidma_vfio_reset(struct vfio_platform_device *vdev);

#define HIDMA_VFIO_RESET_NODE(_compat) {	\
	.compat = _compat,			\
	.owner = THIS_MODULE,			\
	.of_reset = hidma_vfio_reset,		\
}

/* One registration per compatible; also the list the handler checks. */
static struct vfio_platform_reset_node hidma_vfio_reset_nodes[] = {
	HIDMA_VFIO_RESET_NODE(HIDMA_COMPAT_V10),
	HIDMA_VFIO_RESET_NODE(HIDMA_COMPAT_V11),
	HIDMA_VFIO_RESET_NODE(HIDMA_COMPAT_V12),
};

static int hidma_vfio_same_device(struct device *dev, const void *data)
{
	return dev == data;
}

/**
 * hidma_vfio_get_channel() - the platform device behind a vfio device
 * @vdev: the device vfio-platform passed to the handler
 *
 * Reaches the device through vfio_layout.h's single layout assumption,
 * then checks the result without trusting it: the pointer must name a
 * device registered on the platform bus (found by comparing pointers, so
 * a wrong one is never dereferenced), and that device must be a HIDMA
 * channel.
 *
 * Return: the channel with a reference held, or NULL after logging why.
 */
static struct platform_device *
hidma_vfio_get_channel(struct vfio_platform_device *vdev)
{
	struct device *claimed = hidma_vfio_core_device(vdev)->dev;
	struct device *dev;
	unsigned int i;

	dev = bus_find_device(&platform_bus_type, NULL, claimed,
			      hidma_vfio_same_device);
	if (!dev || !dev_is_platform(dev)) {
		pr_err("%s: device %p is not a platform device: vfio-platform's device layout does not match vfio_layout.h\n",
		       KBUILD_MODNAME, claimed);
		put_device(dev);
		return NULL;
	}

	for (i = 0; i < ARRAY_SIZE(hidma_vfio_reset_nodes); i++)
		if (of_device_is_compatible(dev->of_node,
					    hidma_vfio_reset_nodes[i].compat))
			return to_platform_device(dev);

	dev_err(dev, "not a HIDMA channel, refusing to reset it\n");
	put_device(dev);
	return NULL;
}

/* Return: the mapped region, or an IOMEM_ERR_PTR() after logging why. */
static void __iomem *hidma_vfio_map(struct platform_device *pdev,
				    unsigned int index)
{
	struct resource *res = platform_get_resource(pdev, IORESOURCE_MEM,
						     index);
	void __iomem *base;

	if (!res || resource_size(res) < HIDMA_VFIO_REGION_SIZE) {
		dev_err(&pdev->dev, "register region %u missing or too small\n",
			index);
		return IOMEM_ERR_PTR(-EINVAL);
	}
	/*
	 * No request_mem_region(): the region belongs to vfio-platform's
	 * user while the device is bound to it; this mapping lives only
	 * for one reset.
	 */
	base = ioremap(res->start, HIDMA_VFIO_REGION_SIZE);
	if (!base) {
		dev_err(&pdev->dev, "cannot map register region %u\n", index);
		return IOMEM_ERR_PTR(-ENOMEM);
	}
	return base;
}

/* CTRLSTS: COMMAND is written, the rest read-modify-written. */
static void hidma_vfio_command(void __iomem *base, enum hidma_ch_cmd cmd)
{
	u32 val = readl(base + HIDMA_CH_CTRLSTS);

	val &= ~HIDMA_CTRLSTS_CMD;
	val |= FIELD_PREP(HIDMA_CTRLSTS_CMD, cmd);
	writel(val, base + HIDMA_CH_CTRLSTS);
}

static bool hidma_vfio_disabled(void __iomem *base)
{
	return FIELD_GET(HIDMA_CTRLSTS_STATE,
			 readl(base + HIDMA_CH_CTRLSTS)) == HIDMA_STATE_DISABLED;
}

/*
 * Both blocks DISABLED, with the offsets RESET zeroes reading zero: a
 * block that was DISABLED before the command shows that its RESET has
 * taken effect only through those.
 */
static bool hidma_vfio_reset_done(void __iomem *trca, void __iomem *evca)
{
	return hidma_vfio_disabled(trca) && hidma_vfio_disabled(evca) &&
	       !readl(trca + HIDMA_CH_DOORBELL) &&
	       !readl(evca + HIDMA_CH_DOORBELL) &&
	       !readl(evca + HIDMA_EVCA_WRITE_PTR);
}

/**
 * hidma_vfio_quiesce() - reset a channel and leave it quiet
 * @pdev: the channel
 * @trca: its mapped transfer channel registers
 * @evca: its mapped event channel registers
 *
 * Context: process context; sleeps for up to HIDMA_VFIO_TIMEOUT_US.
 * Return: 0, or -ETIMEDOUT if the channel did not reach DISABLED in time
 * (interrupts stay masked either way).
 */
static int hidma_vfio_quiesce(struct platform_device *pdev,
			      void __iomem *trca, void __iomem *evca)
{
	bool done;
	int ret;

	writel(0, evca + HIDMA_EVCA_IRQ_EN);
	writel(HIDMA_IRQ_ALL, evca + HIDMA_EVCA_IRQ_CLR);

	hidma_vfio_command(trca, HIDMA_CMD_RESET);
	hidma_vfio_command(evca, HIDMA_CMD_RESET);
	ret = read_poll_timeout(hidma_vfio_reset_done, done, done,
				HIDMA_VFIO_POLL_US, HIDMA_VFIO_TIMEOUT_US, true,
				trca, evca);

	/* A reset may leave causes set. */
	writel(HIDMA_IRQ_ALL, evca + HIDMA_EVCA_IRQ_CLR);

	if (ret) {
		dev_err(&pdev->dev,
			"reset timed out after %u ms: TRCA 0x%08x doorbell 0x%x, EVCA 0x%08x doorbell 0x%x write_ptr 0x%x\n",
			HIDMA_VFIO_TIMEOUT_US / 1000,
			readl(trca + HIDMA_CH_CTRLSTS),
			readl(trca + HIDMA_CH_DOORBELL),
			readl(evca + HIDMA_CH_CTRLSTS),
			readl(evca + HIDMA_CH_DOORBELL),
			readl(evca + HIDMA_EVCA_WRITE_PTR));
		atomic_inc(&hidma_vfio_stats.timeouts);
		return ret;
	}
	atomic_inc(&hidma_vfio_stats.resets);
	dev_dbg(&pdev->dev, "channel reset for vfio\n");
	return 0;
}

/**
 * hidma_vfio_reset() - vfio-platform's reset callback
 * @vdev: the vfio-platform device being opened, closed or reset
 *
 * Context: process context, called by vfio-platform with its own locks
 * held; sleeps.
 * Return: 0 once the channel is DISABLED and its interrupt quiet;
 * -EINVAL if @vdev is not a HIDMA channel on the platform bus or lacks
 * its register regions, -ENOMEM if they cannot be mapped, -ETIMEDOUT if
 * the reset did not finish.
 */
static int hidma_vfio_reset(struct vfio_platform_device *vdev)
{
	struct platform_device *pdev;
	void __iomem *trca, *evca;
	int ret;

	pdev = hidma_vfio_get_channel(vdev);
	if (!pdev) {
		atomic_inc(&hidma_vfio_stats.rejected);
		return -EINVAL;
	}

	trca = hidma_vfio_map(pdev, 0);
	if (IS_ERR(trca)) {
		ret = PTR_ERR(trca);
		goto out_rejected;
	}
	evca = hidma_vfio_map(pdev, 1);
	if (IS_ERR(evca)) {
		ret = PTR_ERR(evca);
		iounmap(trca);
		goto out_rejected;
	}

	ret = hidma_vfio_quiesce(pdev, trca, evca);

	iounmap(evca);
	iounmap(trca);
	put_device(&pdev->dev);
	return ret;

out_rejected:
	atomic_inc(&hidma_vfio_stats.rejected);
	put_device(&pdev->dev);
	return ret;
}

static int __init hidma_vfio_reset_init(void)
{
	unsigned int i;

	hidma_vfio_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_atomic_t("resets", 0444, hidma_vfio_debugfs,
				&hidma_vfio_stats.resets);
	debugfs_create_atomic_t("timeouts", 0444, hidma_vfio_debugfs,
				&hidma_vfio_stats.timeouts);
	debugfs_create_atomic_t("rejected", 0444, hidma_vfio_debugfs,
				&hidma_vfio_stats.rejected);

	for (i = 0; i < ARRAY_SIZE(hidma_vfio_reset_nodes); i++)
		__vfio_platform_register_reset(&hidma_vfio_reset_nodes[i]);
	return 0;
}
module_init(hidma_vfio_reset_init);

static void __exit hidma_vfio_reset_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(hidma_vfio_reset_nodes); i++)
		vfio_platform_unregister_reset(hidma_vfio_reset_nodes[i].compat,
					       hidma_vfio_reset);
	debugfs_remove(hidma_vfio_debugfs);
}
module_exit(hidma_vfio_reset_exit);

/* vfio-platform loads "vfio-reset:<first compatible>" when it needs one. */
MODULE_ALIAS("vfio-reset:" HIDMA_COMPAT_V10);
MODULE_ALIAS("vfio-reset:" HIDMA_COMPAT_V11);
MODULE_ALIAS("vfio-reset:" HIDMA_COMPAT_V12);
MODULE_DESCRIPTION("vfio-platform reset handler for Qualcomm HIDMA channels");
MODULE_LICENSE("GPL");
