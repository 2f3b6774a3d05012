// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test helper for the ACPI tests, not part of the drivers: loads and
 * unloads an SSDT on request, so that the drivers' probes can be tried
 * against one bad ACPI description after another in a single boot.
 *
 *   <debugfs>/hidma_acpi_ssdt/load     write the path of a compiled
 *                                      SSDT (.aml) to load it
 *   <debugfs>/hidma_acpi_ssdt/unload   write anything to unload it
 *
 * One table at a time (-EBUSY otherwise); unloading the module unloads
 * it. Loading a table makes the ACPI core scan the namespace (from a
 * work item): a device the table adds gets a platform device, and the
 * driver matching it probes it then. Unloading deletes the table's
 * namespace objects, and with them the devices.
 *
 * Why not ACPI configfs (/sys/kernel/config/acpi/table): in 6.12 its
 * table items have no release method, so every table removed there
 * leaks its item, which kmemleak reports and the suite fails on. The
 * table's memory itself is kept here after unloading, as configfs keeps
 * it: ACPICA's table list still points at an unloaded table.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "hidma_test_loader.h"

/* Largest table accepted. */
#define HIDMA_ACPI_SSDT_MAX	SZ_64K

static DEFINE_MUTEX(hidma_acpi_ssdt_lock);
/* ACPICA's index of the loaded table; valid while loaded; under the lock. */
static u32 hidma_acpi_ssdt_index;
static bool hidma_acpi_ssdt_loaded;

static int hidma_acpi_ssdt_load(const char *path)
{
	struct acpi_table_header *table;
	acpi_status status;
	void *buf = NULL;
	ssize_t size;

	lockdep_assert_held(&hidma_acpi_ssdt_lock);
	if (hidma_acpi_ssdt_loaded)
		return -EBUSY;

	size = kernel_read_file_from_path(path, 0, &buf, HIDMA_ACPI_SSDT_MAX,
					  NULL, READING_UNKNOWN);
	if (size < 0) {
		pr_err("cannot read %s: %zd\n", path, size);
		return size;
	}
	table = buf;
	if (size < sizeof(*table) || table->length != size ||
	    !ACPI_COMPARE_NAMESEG(table->signature, ACPI_SIG_SSDT)) {
		pr_err("%s is not one SSDT\n", path);
		vfree(buf);
		return -EINVAL;
	}
	/* ACPICA keeps a pointer to it from now on, even after unloading. */
	table = kmemdup(buf, size, GFP_KERNEL);
	vfree(buf);
	if (!table)
		return -ENOMEM;

	status = acpi_load_table(table, &hidma_acpi_ssdt_index);
	if (ACPI_FAILURE(status)) {
		pr_err("cannot load %s: %s\n", path,
		       acpi_format_exception(status));
		kfree(table);
		return -EINVAL;
	}
	hidma_acpi_ssdt_loaded = true;
	pr_info("loaded %s as table %u\n", path, hidma_acpi_ssdt_index);
	return 0;
}

static int hidma_acpi_ssdt_unload(void)
{
	acpi_status status;

	lockdep_assert_held(&hidma_acpi_ssdt_lock);
	if (!hidma_acpi_ssdt_loaded)
		return -ENOENT;
	status = acpi_unload_table(hidma_acpi_ssdt_index);
	if (ACPI_FAILURE(status)) {
		pr_err("cannot unload table %u: %s\n", hidma_acpi_ssdt_index,
		       acpi_format_exception(status));
		return -EIO;
	}
	hidma_acpi_ssdt_loaded = false;
	pr_info("unloaded table %u\n", hidma_acpi_ssdt_index);
	return 0;
}

static struct hidma_test_loader hidma_acpi_ssdt_loader = {
	.lock = &hidma_acpi_ssdt_lock,
	.load = hidma_acpi_ssdt_load,
	.unload = hidma_acpi_ssdt_unload,
};

static int __init hidma_acpi_ssdt_init(void)
{
	if (acpi_disabled)
		return -ENODEV;
	hidma_test_loader_create(&hidma_acpi_ssdt_loader, "load", "unload");
	return 0;
}
module_init(hidma_acpi_ssdt_init);

static void __exit hidma_acpi_ssdt_exit(void)
{
	debugfs_remove_recursive(hidma_acpi_ssdt_loader.dir);
	mutex_lock(&hidma_acpi_ssdt_lock);
	if (hidma_acpi_ssdt_loaded)
		hidma_acpi_ssdt_unload();
	mutex_unlock(&hidma_acpi_ssdt_lock);
}
module_exit(hidma_acpi_ssdt_exit);

MODULE_DESCRIPTION("HIDMA ACPI tests: SSDTs loaded and unloaded through debugfs");
MODULE_LICENSE("GPL");
