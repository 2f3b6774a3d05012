// SPDX-License-Identifier: GPL-2.0-only
/*
 * HIDMA channel driver: probe, remove, shutdown, runtime PM, the chid
 * sysfs attribute and the module.
 *
 * One platform device is one channel (two MMIO regions: TRCA, EVCA),
 * either a child of the management node on a host or alone in a guest
 * that was given the channel. The driver needs nothing from the
 * management driver.
 *
 * Lifetime. struct hidma_chan is reference counted: the bound driver
 * holds one reference, the registered dma_device another, dropped by the
 * dmaengine core's device_release once the device is unregistered and
 * no client holds the channel any more. Unbinding a channel that a
 * client still holds therefore leaves a "gone" channel on which every
 * operation fails, instead of freed memory.
 *
 * Runtime PM. The channel has no clocks or power controls of its own;
 * runtime PM keeps its parent (the management device) and its power
 * domain, if any, powered while the registers are in use. The hardware
 * is programmed only while a client holds the channel (from
 * device_alloc_chan_resources to device_free_chan_resources), and the
 * driver holds a runtime PM reference for exactly that long, so the
 * registers are powered whenever work can be queued. Probe, remove,
 * shutdown and debugfs take their own references while they touch the
 * registers. No state needs saving: after a power loss the next client
 * programs the channel from scratch.
 *
 * System sleep. A client may hold the channel, with work queued, across
 * a system suspend. Suspend reaps what finished, takes whatever is still
 * in the ring back onto the issued list and resets the channel (power
 * may go); resume programs it again and pushes the queue. A TRE cut off
 * by the suspend runs again from its start after resume: memcpy and
 * memset are idempotent for the buffers dmaengine allows (no overlap).
 */
#include <linux/acpi.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>
#include <linux/property.h>
#include <linux/slab.h>

#include <hidma_compat.h>

#include "hidma_chan.h"

static unsigned int desc_count;
module_param(desc_count, uint, 0444);
MODULE_PARM_DESC(desc_count,
		 "Requests a channel may have outstanding (default 0: the firmware's desc-count, else 1023)");

static bool use_msi = true;
module_param(use_msi, bool, 0444);
MODULE_PARM_DESC(use_msi, "Use MSIs on revisions 1.1 and later (default: true)");

static unsigned int reap_budget = HIDMA_REAP_BUDGET;
module_param(reap_budget, uint, 0444);
MODULE_PARM_DESC(reap_budget,
		 "Completions the interrupt handler reaps before leaving the rest to the tasklet (1..8191, default 64)");

#define HIDMA_AUTOSUSPEND_MS	1000

static const struct hidma_chan_variant hidma_v10 = {
	.chid_reg = HIDMA_TRCA_CHID_V10,
	.msi = false,
	.rev = "1.0",
};

static const struct hidma_chan_variant hidma_v11 = {
	.chid_reg = HIDMA_TRCA_CHID_V10,
	.msi = true,
	.rev = "1.1",
};

static const struct hidma_chan_variant hidma_v12 = {
	.chid_reg = HIDMA_TRCA_CHID_V12,
	.msi = true,
	.rev = "1.2",
};

/* The module parameter wins, then the firmware's desc-count. */
static u32 hidma_chan_desc_count(struct device *dev)
{
	u32 n = HIDMA_CHAN_DEFAULT_DESC;

	if (desc_count)
		n = desc_count;
	else
		device_property_read_u32(dev, "desc-count", &n);

	if (n < 1 || n > HIDMA_CHAN_MAX_DESC) {
		dev_warn(dev, "desc-count %u out of range 1..%u\n", n,
			 HIDMA_CHAN_MAX_DESC);
		n = clamp_val(n, 1, HIDMA_CHAN_MAX_DESC);
	}
	return n;
}

static ssize_t chid_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct hidma_chan *chan = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", chan->chid);
}
static DEVICE_ATTR_RO(chid);

static struct attribute *hidma_chan_attrs[] = {
	&dev_attr_chid.attr,
	NULL
};
ATTRIBUTE_GROUPS(hidma_chan);

/*
 * Hand the channel back in a state any owner can take over: nothing
 * accepted any more, queued work dropped (no callbacks), the recovery
 * work finished, the channel reset (no DMA in flight) and its interrupt
 * causes masked and cleared.
 */
static void hidma_chan_quiesce(struct hidma_chan *chan)
{
	mutex_lock(&chan->ctrl);
	hidma_chan_stop(chan, true);
	mutex_unlock(&chan->ctrl);
}

/*
 * Undo a registration: quiesce first (a client may already hold the
 * channel: async_tx takes every public channel the moment it is
 * registered), then unregister, free the interrupts, run the callbacks
 * of what completed before, and stop powering the device for a client
 * that still holds it.
 */
static void hidma_chan_teardown(struct hidma_chan *chan)
{
	hidma_chan_quiesce(chan);
	hidma_dma_unregister(chan);
	hidma_irq_teardown(chan);
	hidma_desc_drain_completions(chan);

	mutex_lock(&chan->ctrl);
	if (chan->pm_held) {
		pm_runtime_put_noidle(chan->dev);
		chan->pm_held = false;
	}
	mutex_unlock(&chan->ctrl);
}

/* Runtime PM off again; @put: drop the reference probe or remove took. */
static void hidma_chan_pm_undo(struct device *dev, bool put)
{
	pm_runtime_disable(dev);
	pm_runtime_set_suspended(dev);
	pm_runtime_dont_use_autosuspend(dev);
	if (put)
		pm_runtime_put_noidle(dev);
}

static int hidma_chan_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct hidma_chan *chan;
	int wired;
	int ret;

	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return -ENOMEM;
	kref_init(&chan->ref);
	chan->dev = get_device(dev);
	spin_lock_init(&chan->lock);
	mutex_init(&chan->ctrl);
	tasklet_setup(&chan->tasklet, hidma_chan_tasklet);
	INIT_WORK(&chan->recover_work, hidma_chan_recover_work);
	chan->state = HIDMA_CHAN_OFF;

	chan->variant = device_get_match_data(dev);
	chan->reap_budget = reap_budget;
	if (!chan->variant) {
		ret = -ENODEV;
		goto err_put;
	}

	/*
	 * What the firmware must give, checked before the first register
	 * access: a bad description leaves the hardware as it was.
	 */
	if (!platform_get_resource(pdev, IORESOURCE_MEM, 0)) {
		ret = dev_err_probe(dev, -EINVAL,
				    "firmware gives no TRCA register region (the first memory range)\n");
		goto err_put;
	}
	if (!platform_get_resource(pdev, IORESOURCE_MEM, 1)) {
		ret = dev_err_probe(dev, -EINVAL,
				    "firmware gives no EVCA register region (the second memory range)\n");
		goto err_put;
	}
	wired = hidma_irq_wired(chan, use_msi);
	if (wired < 0) {
		ret = wired;
		goto err_put;
	}

	chan->trca = devm_platform_ioremap_resource(pdev, 0);
	if (IS_ERR(chan->trca)) {
		ret = PTR_ERR(chan->trca);
		goto err_put;
	}
	chan->evca = devm_platform_ioremap_resource(pdev, 1);
	if (IS_ERR(chan->evca)) {
		ret = PTR_ERR(chan->evca);
		goto err_put;
	}

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret) {
		dev_err_probe(dev, ret, "no 64-bit DMA\n");
		goto err_put;
	}
	dma_set_max_seg_size(dev, HIDMA_TRE_MAX_LEN);

	pm_runtime_get_noresume(dev);
	pm_runtime_set_active(dev);
	pm_runtime_set_autosuspend_delay(dev, HIDMA_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	pm_runtime_enable(dev);

	/*
	 * Whatever a previous owner (a VM, a crashed or kexec'd kernel) left
	 * running or pending goes before anything can interrupt us.
	 */
	ret = hidma_hw_reset(chan);
	if (ret) {
		dev_err_probe(dev, ret, "channel reset failed\n");
		goto err_pm;
	}
	chan->chid = hidma_hw_read_chid(chan);

	ret = hidma_ring_alloc(chan, hidma_chan_desc_count(dev));
	if (!ret)
		ret = hidma_desc_pool_alloc(chan);
	if (ret)
		goto err_pm;

	platform_set_drvdata(pdev, chan);
	ret = hidma_irq_setup(chan, use_msi, wired);
	if (ret)
		goto err_pm;

	ret = hidma_dma_register(chan);
	if (ret) {
		dev_err_probe(dev, ret, "dmaengine registration failed\n");
		goto err_irq;
	}
	ret = hidma_of_register(chan);
	if (ret) {
		dev_err_probe(dev, ret, "of_dma registration failed\n");
		goto err_registered;
	}
	hidma_debugfs_add(chan);

	dev_info(dev, "HIDMA %s channel %u: %u descriptors, %s\n",
		 chan->variant->rev, chan->chid, chan->ndesc,
		 chan->msi ? "MSI" : "wired interrupt");

	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
	return 0;

err_registered:
	hidma_chan_teardown(chan);
	hidma_chan_pm_undo(dev, true);
	goto err_put;
err_irq:
	hidma_irq_teardown(chan);
err_pm:
	hidma_chan_pm_undo(dev, true);
err_put:
	hidma_chan_put(chan);
	return ret;
}

static void hidma_chan_remove(struct platform_device *pdev)
{
	struct hidma_chan *chan = platform_get_drvdata(pdev);
	struct device *dev = &pdev->dev;
	int ret;

	/* Carry on if it fails: the device goes whether or not it answers. */
	ret = pm_runtime_resume_and_get(dev);
	if (ret)
		dev_warn(dev, "could not resume for removal (%d)\n", ret);

	hidma_debugfs_remove(chan);
	hidma_chan_drain(chan);
	hidma_chan_teardown(chan);
	hidma_chan_pm_undo(dev, !ret);
	hidma_chan_put(chan);
}

HIDMA_DECLARE_REMOVE(hidma_chan_remove);

/* Reboot or kexec: leave the channel quiet for whoever comes next. */
static void hidma_chan_shutdown(struct platform_device *pdev)
{
	struct hidma_chan *chan = platform_get_drvdata(pdev);
	int ret;

	ret = pm_runtime_resume_and_get(&pdev->dev);
	if (ret)
		dev_warn(&pdev->dev, "could not resume for shutdown (%d)\n", ret);
	hidma_chan_quiesce(chan);
	if (!ret)
		pm_runtime_put_noidle(&pdev->dev);
}

static int hidma_chan_suspend(struct device *dev)
{
	struct hidma_chan *chan = dev_get_drvdata(dev);
	unsigned long flags;
	bool kick = false;
	int ret = 0;

	mutex_lock(&chan->ctrl);
	spin_lock_irqsave(&chan->lock, flags);
	chan->slept = !chan->gone && (chan->state == HIDMA_CHAN_RUNNING ||
				      chan->state == HIDMA_CHAN_RESETTING);
	if (chan->slept) {
		kick = hidma_chan_service(chan, U32_MAX);
		hidma_ring_unpush(chan);
		chan->state = HIDMA_CHAN_ASLEEP;
		chan->stats.sleeps++;
	}
	spin_unlock_irqrestore(&chan->lock, flags);
	if (kick)
		tasklet_schedule(&chan->tasklet);

	if (chan->slept) {
		/* The work sees ASLEEP and leaves the hardware to us. */
		cancel_work_sync(&chan->recover_work);
		ret = hidma_hw_reset(chan);
		if (!ret)
			hidma_desc_release_aborted(chan);
	}
	mutex_unlock(&chan->ctrl);
	return ret;
}

static int hidma_chan_resume(struct device *dev)
{
	struct hidma_chan *chan = dev_get_drvdata(dev);
	unsigned long flags;
	bool kick = false;
	int ret;

	mutex_lock(&chan->ctrl);
	if (!chan->slept)
		goto out;
	chan->slept = false;

	ret = hidma_hw_reset(chan);
	if (!ret)
		ret = hidma_hw_start(chan);
	spin_lock_irqsave(&chan->lock, flags);
	if (chan->state == HIDMA_CHAN_ASLEEP && !chan->gone)
		kick = hidma_chan_restart(chan, ret);
	spin_unlock_irqrestore(&chan->lock, flags);
	if (!ret)
		hidma_desc_release_aborted(chan);
	if (kick)
		tasklet_schedule(&chan->tasklet);
out:
	mutex_unlock(&chan->ctrl);
	/* A channel that did not come back is dead; the system goes on. */
	return 0;
}

static DEFINE_SIMPLE_DEV_PM_OPS(hidma_chan_pm_ops, hidma_chan_suspend,
				hidma_chan_resume);

static const struct of_device_id hidma_chan_of_match[] = {
	{ .compatible = "qcom,hidma-1.0", .data = &hidma_v10 },
	{ .compatible = "qcom,hidma-1.1", .data = &hidma_v11 },
	{ .compatible = "qcom,hidma-1.2", .data = &hidma_v12 },
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(of, hidma_chan_of_match);

static const struct acpi_device_id hidma_chan_acpi_match[] __maybe_unused = {
	{ "QCOM8061", (kernel_ulong_t)&hidma_v10 },
	{ "QCOM8062", (kernel_ulong_t)&hidma_v11 },
	{ "QCOM8063", (kernel_ulong_t)&hidma_v12 },
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(acpi, hidma_chan_acpi_match);

static struct platform_driver hidma_chan_driver = {
	.probe = hidma_chan_probe,
	HIDMA_PLATFORM_REMOVE(hidma_chan_remove),
	.shutdown = hidma_chan_shutdown,
	.driver = {
		.name = KBUILD_MODNAME,
		.of_match_table = hidma_chan_of_match,
		.acpi_match_table = ACPI_PTR(hidma_chan_acpi_match),
		.dev_groups = hidma_chan_groups,
		.pm = pm_sleep_ptr(&hidma_chan_pm_ops),
	},
};

static int __init hidma_chan_init(void)
{
	int ret;

	if (reap_budget < 1 || reap_budget > HIDMA_CHAN_MAX_DESC) {
		pr_err(KBUILD_MODNAME ": reap_budget=%u out of range 1..%u\n", reap_budget,
		       HIDMA_CHAN_MAX_DESC);
		return -EINVAL;
	}

	/*
	 * Unbound: a client may wait for the recovery spinning with
	 * preemption off (md's async_tx_quiesce()), and a work bound to that
	 * CPU would never run.
	 */
	hidma_chan_wq = alloc_workqueue(KBUILD_MODNAME,
					WQ_MEM_RECLAIM | WQ_HIGHPRI | WQ_UNBOUND,
					0);
	if (!hidma_chan_wq)
		return -ENOMEM;
	hidma_debugfs_init();

	ret = platform_driver_register(&hidma_chan_driver);
	if (ret) {
		hidma_debugfs_exit();
		destroy_workqueue(hidma_chan_wq);
	}
	return ret;
}
module_init(hidma_chan_init);

static void __exit hidma_chan_exit(void)
{
	platform_driver_unregister(&hidma_chan_driver);
	hidma_debugfs_exit();
	destroy_workqueue(hidma_chan_wq);
}
module_exit(hidma_chan_exit);

MODULE_DESCRIPTION("Qualcomm HIDMA channel driver (dmaengine memcpy/memset)");
MODULE_LICENSE("GPL");
