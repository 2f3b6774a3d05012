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
 * function, declare it to this header with HIDMA_DECLARE_REMOVE() (which
 * also checks its type) and name it in their platform_driver with
 * HIDMA_PLATFORM_REMOVE().
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define HIDMA_DECLARE_REMOVE(fn)					\
	static_assert(__same_type(&(fn), void (*)(struct platform_device *)))
#define HIDMA_PLATFORM_REMOVE(fn)	.remove = fn
#else
#define HIDMA_DECLARE_REMOVE(fn)					\
	static int fn##_int(struct platform_device *pdev)		\
	{								\
		fn(pdev);						\
		return 0;						\
	}								\
	static_assert(__same_type(&(fn), void (*)(struct platform_device *)))
#define HIDMA_PLATFORM_REMOVE(fn)	.remove = fn##_int
#endif

/* ---- hidma_chan ------------------------------------------------------ */

/*
 * Platform MSI. A platform device that raises MSIs allocates them through
 * an API that changed: 6.9 added platform_device_msi_init_and_alloc_irqs()
 * and platform_device_msi_free_irqs_all() (per-device MSI domains), and
 * 6.11 removed the older platform_msi_domain_alloc_irqs() and
 * platform_msi_domain_free_irqs() (the 6.12 source has only the new
 * pair). Both take the same irq_write_msi_msg_t callback; vector i is
 * msi_get_virq(dev, i) and its msi_desc carries msi_index i in every
 * supported kernel.
 *
 * The API exists only with the generic MSI domain code, which 6.2 folded
 * from CONFIG_GENERIC_MSI_IRQ_DOMAIN into CONFIG_GENERIC_MSI_IRQ. Without
 * it the allocation fails and the channel driver uses its wired line.
 */
#include <linux/msi.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define HIDMA_HAVE_PLATFORM_MSI	IS_ENABLED(CONFIG_GENERIC_MSI_IRQ)
#else
#define HIDMA_HAVE_PLATFORM_MSI	IS_ENABLED(CONFIG_GENERIC_MSI_IRQ_DOMAIN)
#endif

#if !HIDMA_HAVE_PLATFORM_MSI
static inline int hidma_msi_alloc_irqs(struct device *dev, unsigned int nvec,
				       irq_write_msi_msg_t write_msi_msg)
{
	return -EOPNOTSUPP;
}

static inline void hidma_msi_free_irqs(struct device *dev)
{
}
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
static inline int hidma_msi_alloc_irqs(struct device *dev, unsigned int nvec,
				       irq_write_msi_msg_t write_msi_msg)
{
	return platform_device_msi_init_and_alloc_irqs(dev, nvec, write_msi_msg);
}

static inline void hidma_msi_free_irqs(struct device *dev)
{
	platform_device_msi_free_irqs_all(dev);
}
#else
static inline int hidma_msi_alloc_irqs(struct device *dev, unsigned int nvec,
				       irq_write_msi_msg_t write_msi_msg)
{
	return platform_msi_domain_alloc_irqs(dev, nvec, write_msi_msg);
}

static inline void hidma_msi_free_irqs(struct device *dev)
{
	platform_msi_domain_free_irqs(dev);
}
#endif

/* ---- end hidma_chan -------------------------------------------------- */

#endif /* HIDMA_COMPAT_H */
