// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in for the kernel's HIDMA management driver, for the install
 * tests only: the module is named "hdma_mgmt", as the kernel's is, and
 * matches the same compatible and ACPI ID as hidma_mgmt. It takes any
 * device it is offered and does nothing with it (it creates no channel
 * devices). Never install it on a real system.
 */

#include <linux/acpi.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>

static int fake_hdma_mgmt_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "fake hdma_mgmt (install test) took the device\n");
	return 0;
}

static const struct of_device_id fake_hdma_mgmt_of_match[] = {
	{ .compatible = "qcom,hidma-mgmt-1.0" },
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(of, fake_hdma_mgmt_of_match);

static const struct acpi_device_id fake_hdma_mgmt_acpi_match[] __maybe_unused = {
	{ "QCOM8060" },
	{ /* sentinel */ }
};
MODULE_DEVICE_TABLE(acpi, fake_hdma_mgmt_acpi_match);

static struct platform_driver fake_hdma_mgmt_driver = {
	.probe = fake_hdma_mgmt_probe,
	.driver = {
		.name = "hdma_mgmt",
		.of_match_table = fake_hdma_mgmt_of_match,
		.acpi_match_table = ACPI_PTR(fake_hdma_mgmt_acpi_match),
	},
};
module_platform_driver(fake_hdma_mgmt_driver);

MODULE_DESCRIPTION("Install test stand-in for the kernel's hdma_mgmt module");
MODULE_LICENSE("GPL");
