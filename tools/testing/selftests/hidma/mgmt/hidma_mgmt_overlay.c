// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test helper for the hidma_mgmt tests, not part of the driver: applies and
 * removes a device tree overlay on request, so that the management
 * driver's probe can be tried against one firmware variant after another
 * in a single boot.
 *
 *   <debugfs>/hidma_mgmt_overlay/apply   write the path of a compiled
 *                                        overlay (.dtbo) to apply it
 *   <debugfs>/hidma_mgmt_overlay/remove  write anything to remove it
 *
 * One overlay at a time (-EBUSY otherwise); unloading the module removes
 * it. A node the overlay adds under / gets a platform device from the OF
 * core at once, and the driver matching it probes it then.
 *
 * Built for the test kernel only (of_overlay_fdt_apply() has had a fourth
 * argument since 6.6).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel_read_file.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "hidma_test_loader.h"

/* Largest overlay accepted. */
#define HIDMA_MGMT_OVERLAY_MAX	SZ_64K

static DEFINE_MUTEX(hidma_mgmt_overlay_lock);
/* Changeset of the applied overlay, 0 if none; under the lock. */
static int hidma_mgmt_overlay_id;

static int hidma_mgmt_overlay_apply(const char *path)
{
	void *fdt = NULL;
	ssize_t size;
	int id = 0;
	int ret;

	lockdep_assert_held(&hidma_mgmt_overlay_lock);
	if (hidma_mgmt_overlay_id)
		return -EBUSY;

	size = kernel_read_file_from_path(path, 0, &fdt, HIDMA_MGMT_OVERLAY_MAX,
					  NULL, READING_UNKNOWN);
	if (size < 0) {
		pr_err("cannot read %s: %zd\n", path, size);
		return size;
	}

	ret = of_overlay_fdt_apply(fdt, size, &id, NULL);
	vfree(fdt);
	if (ret) {
		pr_err("cannot apply %s: %d\n", path, ret);
		/* A partly applied overlay must still be removed. */
		if (id)
			of_overlay_remove(&id);
		return ret;
	}
	hidma_mgmt_overlay_id = id;
	pr_info("applied %s as overlay %d\n", path, id);
	return 0;
}

static int hidma_mgmt_overlay_remove(void)
{
	int id = hidma_mgmt_overlay_id;
	int ret;

	lockdep_assert_held(&hidma_mgmt_overlay_lock);
	if (!id)
		return -ENOENT;
	ret = of_overlay_remove(&hidma_mgmt_overlay_id);
	if (ret) {
		pr_err("cannot remove overlay %d: %d\n", id, ret);
		return ret;
	}
	pr_info("removed overlay %d\n", id);
	return 0;
}

static struct hidma_test_loader hidma_mgmt_overlay_loader = {
	.lock = &hidma_mgmt_overlay_lock,
	.load = hidma_mgmt_overlay_apply,
	.unload = hidma_mgmt_overlay_remove,
};

static int __init hidma_mgmt_overlay_init(void)
{
	hidma_test_loader_create(&hidma_mgmt_overlay_loader, "apply", "remove");
	return 0;
}
module_init(hidma_mgmt_overlay_init);

static void __exit hidma_mgmt_overlay_exit(void)
{
	debugfs_remove_recursive(hidma_mgmt_overlay_loader.dir);
	mutex_lock(&hidma_mgmt_overlay_lock);
	if (hidma_mgmt_overlay_id)
		hidma_mgmt_overlay_remove();
	mutex_unlock(&hidma_mgmt_overlay_lock);
}
module_exit(hidma_mgmt_overlay_exit);

MODULE_DESCRIPTION("hidma_mgmt tests: device tree overlays through debugfs");
MODULE_LICENSE("GPL");
