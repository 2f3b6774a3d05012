/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of vfio-platform's private interface that hidma_vfio_reset
 * uses, declared here because no public header declares it: vfio-platform
 * keeps its reset-handler registry in drivers/vfio/platform/
 * vfio_platform_private.h, which is not installed with the kernel headers
 * and which this project must not copy. Everything the reset handler
 * relies on beyond public headers is in this file and nowhere else.
 *
 * Checked against: Linux 6.1 (Debian 6.1.192) and 6.12 (Debian 6.12.117),
 * whose vfio_platform_private.h are identical. On any other kernel, check
 * the three items below against that file before building.
 *
 *   1. The registration functions, exported GPL by vfio-platform-base:
 *      __vfio_platform_register_reset() and
 *      vfio_platform_unregister_reset(). (vfio_platform_register_reset()
 *      is a macro around the former, so it cannot be called from here.)
 *   2. The reset node those functions link into vfio-platform's list:
 *      vfio-platform reads compat, owner and of_reset from it, so its
 *      layout must match exactly.
 *   3. The device handed to the callback, struct vfio_platform_device:
 *      only its first member is used, a struct vfio_device (public,
 *      include/linux/vfio.h) whose @dev is the platform device.
 *      hidma_vfio_core_device() is the single place that assumes it, and
 *      the handler checks the result (the device must be on the platform
 *      bus and be a HIDMA channel) before it touches anything.
 *
 * If item 2 or 3 stops matching, the handler is either never found
 * (vfio-platform then refuses the channel, its reset being required) or
 * rejects the call with -EINVAL and an error line; the guest test
 * vfio_reset_handler_used fails in both cases.
 */
#ifndef HIDMA_VFIO_LAYOUT_H
#define HIDMA_VFIO_LAYOUT_H

#include <linux/list.h>
#include <linux/vfio.h>

struct module;

/* Opaque: never dereferenced but through hidma_vfio_core_device(). */
struct vfio_platform_device;

/**
 * struct vfio_platform_reset_node - vfio-platform's reset handler entry
 * @link: in vfio-platform's list of handlers (its own, under its lock)
 * @compat: first DT compatible string of the devices this handler resets
 * @owner: module vfio-platform pins while a device uses the handler
 * @of_reset: the handler; called at open, close and VFIO_DEVICE_RESET
 *
 * Same layout as vfio-platform's own declaration (item 2 above).
 */
struct vfio_platform_reset_node {
	struct list_head link;
	char *compat;
	struct module *owner;
	int (*of_reset)(struct vfio_platform_device *vdev);
};

void __vfio_platform_register_reset(struct vfio_platform_reset_node *node);
void vfio_platform_unregister_reset(const char *compat,
				    int (*fn)(struct vfio_platform_device *vdev));

/**
 * hidma_vfio_core_device() - the VFIO core device of a vfio-platform device
 * @vdev: the device vfio-platform passes to a reset handler
 *
 * vfio-platform's device structure starts with its struct vfio_device
 * (item 3 above), so both share an address.
 *
 * Return: the struct vfio_device at the start of @vdev.
 */
static inline struct vfio_device *
hidma_vfio_core_device(struct vfio_platform_device *vdev)
{
	return (struct vfio_device *)vdev;
}

#endif /* HIDMA_VFIO_LAYOUT_H */
