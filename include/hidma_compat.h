/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel-version differences used by the HIDMA drivers, gathered in one
 * place. Supported: Debian 12's 6.1 and 6.12 kernels. Checks are by
 * feature where a header offers a macro to test, by version otherwise.
 */
#ifndef HIDMA_COMPAT_H
#define HIDMA_COMPAT_H

#include <linux/platform_device.h>
#include <linux/version.h>

/*
 * platform_driver.remove returns void since 6.11; before that it returned
 * int (6.3 .. 6.10 also had .remove_new). Drivers write a void remove
 * function and name it with HIDMA_PLATFORM_REMOVE() in their
 * platform_driver, after declaring the wrapper with
 * HIDMA_DECLARE_REMOVE().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define HIDMA_DECLARE_REMOVE(fn)
#define HIDMA_PLATFORM_REMOVE(fn)	.remove = fn
#else
#define HIDMA_DECLARE_REMOVE(fn)					\
static int fn##_int(struct platform_device *pdev)			\
{									\
	fn(pdev);							\
	return 0;							\
}
#define HIDMA_PLATFORM_REMOVE(fn)	.remove = fn##_int
#endif

#endif /* HIDMA_COMPAT_H */
