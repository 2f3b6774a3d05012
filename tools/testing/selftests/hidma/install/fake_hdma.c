// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in for the kernel's HIDMA channel driver, for the install tests
 * only: the module is named "hdma", as the kernel's is, and matches the same
 * device-tree compatibles and ACPI IDs, so a channel's modalias names it
 * next to hidma_chan. It takes any device it is offered and does nothing
 * with it. Never install it on a real system.
 */

#include <linux/acpi.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static int fake_hdma_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "fake hdma (install test) took the device\n");
	return 0;
}

static const struct of_device_id fake_hdma_of_match[] = {
	{ .compatible = "qcom,hidma-1.0" },
	{ .compatible = "qcom,hidma-1.1" },
	{ .compatible = "qcom,hidma-1.2" },
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(of, fake_hdma_of_match);

static const struct acpi_device_id fake_hdma_acpi_match[] __maybe_unused = {
	{ "QCOM8061" },
	{ "QCOM8062" },
	{ "QCOM8063" },
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(acpi, fake_hdma_acpi_match);

static struct platform_driver fake_hdma_driver = {
	.probe = fake_hdma_probe,
	.driver = {
		.name = "hdma",
		.of_match_table = fake_hdma_of_match,
		.acpi_match_table = ACPI_PTR(fake_hdma_acpi_match),
	},
};
module_platform_driver(fake_hdma_driver);

MODULE_DESCRIPTION("Install test stand-in for the kernel's hdma module");
MODULE_LICENSE("GPL");
