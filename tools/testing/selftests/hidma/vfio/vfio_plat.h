/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A platform device through VFIO, from userspace: group and container,
 * register regions, the wired interrupt as an eventfd, DMA-able memory,
 * device reset. Nothing HIDMA specific; the HIDMA driver is hidma_udrv.c.
 *
 * Two ways to DMA-able memory, chosen by the device's group:
 *
 * - no-IOMMU group (/dev/vfio/noiommu-N; vfio loaded with
 *   enable_unsafe_noiommu_mode=1): the device sees physical addresses and
 *   VFIO maps nothing. Memory comes from hugetlb pages (never moved or
 *   swapped, physically contiguous within a page) and its bus addresses
 *   from /proc/self/pagemap. This is the path the test guest exercises:
 *   QEMU's virt machine puts no IOMMU in front of platform devices.
 * - IOMMU group (/dev/vfio/N): a type1 container, anonymous memory mapped
 *   with VFIO_IOMMU_MAP_DMA at an IOVA equal to its virtual address. Not
 *   exercised by the test guest (there is no IOMMU there); written so
 *   the driver runs unchanged where a channel sits behind an SMMU.
 */
#ifndef HIDMA_VFIO_PLAT_H
#define HIDMA_VFIO_PLAT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define VFIO_PLAT_MAX_REGIONS	4

/**
 * struct vfio_plat_region - one register region of the device
 * @map: its mapping, or NULL when the region cannot be mmap()ed (its size
 *	is below the page size) and is reached by pread()/pwrite()
 * @offset: the region's offset in the device file
 * @size: its size in bytes
 */
struct vfio_plat_region {
	void *map;
	__u64 offset;
	__u64 size;
};

/**
 * struct vfio_plat - a platform device opened through VFIO
 * @name: platform device name, e.g. "b100000.dma-controller"
 * @group_path: the group's device node
 * @noiommu: the group is a no-IOMMU group
 * @container: container file descriptor
 * @group: group file descriptor
 * @device: device file descriptor
 * @flags: VFIO_DEVICE_FLAGS_* the device reports
 * @num_regions: regions the device reports
 * @num_irqs: interrupts the device reports
 * @regions: the first VFIO_PLAT_MAX_REGIONS regions
 * @irq_fd: eventfd wired to interrupt 0, or -1
 * @irq_flags: VFIO_IRQ_INFO_* of interrupt 0
 */
struct vfio_plat {
	char name[64];
	char group_path[64];
	bool noiommu;
	int container;
	int group;
	int device;
	__u32 flags;
	__u32 num_regions;
	__u32 num_irqs;
	struct vfio_plat_region regions[VFIO_PLAT_MAX_REGIONS];
	int irq_fd;
	__u32 irq_flags;
};

/**
 * struct vfio_dma_mem - DMA-able memory owned by the process
 * @va: its mapping
 * @size: its size, a whole number of @chunk
 * @chunk: size of the pieces whose bus addresses are contiguous (the
 *	hugetlb page size with no IOMMU; @size behind an IOMMU)
 * @bus: bus address of each chunk
 * @nr_chunks: entries in @bus
 * @iommu_mapped: mapped with VFIO_IOMMU_MAP_DMA (to unmap at free)
 */
struct vfio_dma_mem {
	void *va;
	size_t size;
	size_t chunk;
	__u64 *bus;
	size_t nr_chunks;
	bool iommu_mapped;
};

int vfio_plat_open(struct vfio_plat *d, const char *name);
void vfio_plat_close(struct vfio_plat *d);

__u32 vfio_plat_read32(struct vfio_plat *d, unsigned int region,
		       unsigned int off);
void vfio_plat_write32(struct vfio_plat *d, unsigned int region,
		       unsigned int off, __u32 val);

int vfio_plat_irq_wire(struct vfio_plat *d);
int vfio_plat_irq_unwire(struct vfio_plat *d);
int vfio_plat_irq_unmask(struct vfio_plat *d);
int vfio_plat_irq_wait(struct vfio_plat *d, int timeout_ms);

int vfio_plat_reset(struct vfio_plat *d);

int vfio_dma_alloc(struct vfio_plat *d, struct vfio_dma_mem *m, size_t size);
void vfio_dma_free(struct vfio_plat *d, struct vfio_dma_mem *m);
__u64 vfio_dma_bus(const struct vfio_dma_mem *m, const void *p);
size_t vfio_dma_contig(const struct vfio_dma_mem *m, const void *p);
int vfio_phys_addr(const void *p, __u64 *pa);

int hugepages_reserve(size_t bytes);
size_t hugepage_size(void);

#endif /* HIDMA_VFIO_PLAT_H */
