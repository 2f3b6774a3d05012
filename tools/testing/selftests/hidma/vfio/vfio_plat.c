// SPDX-License-Identifier: GPL-2.0-only
/*
 * A platform device through VFIO, from userspace (see vfio_plat.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "vfio_plat.h"

/*
 * Register accesses and the barriers around them, as the kernel's arm64
 * readl()/writel() make them: a single 32-bit access the compiler keeps,
 * ordered against normal memory the device reads (descriptors written
 * before a doorbell) and writes (events read after WRITE_PTR). Other
 * architectures: compile-tested only.
 */
static inline __u32 mmio_read32(const void *addr)
{
	__u32 val;

#if defined(__aarch64__)
	asm volatile("ldr %w0, [%1]" : "=r" (val) : "r" (addr) : "memory");
#else
	val = __atomic_load_n((const __u32 *)addr, __ATOMIC_RELAXED);
#endif
	return val;
}

static inline void mmio_write32(void *addr, __u32 val)
{
#if defined(__aarch64__)
	asm volatile("str %w0, [%1]" : : "rZ" (val), "r" (addr) : "memory");
#else
	__atomic_store_n((__u32 *)addr, val, __ATOMIC_RELAXED);
#endif
}

static inline void mb_read_then_mem(void)
{
#if defined(__aarch64__)
	asm volatile("dmb oshld" : : : "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

static inline void mb_mem_then_write(void)
{
#if defined(__aarch64__)
	asm volatile("dmb oshst" : : : "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}

/* /proc/self/pagemap entry: bit 63 present, bits 54:0 the PFN. */
#define PAGEMAP_PRESENT		0x8000000000000000ULL
#define PAGEMAP_PFN		0x007fffffffffffffULL

/* The group of a device bound to a VFIO driver: its number, or -errno. */
static int vfio_plat_group_nr(const char *name)
{
	char link[PATH_MAX], target[PATH_MAX], *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/platform/devices/%s/iommu_group",
		 name);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	return atoi(base ? base + 1 : target);
}

static int vfio_plat_open_group(struct vfio_plat *d)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	int nr, type;

	nr = vfio_plat_group_nr(d->name);
	if (nr < 0)
		return nr;
	snprintf(d->group_path, sizeof(d->group_path), "/dev/vfio/noiommu-%d",
		 nr);
	d->noiommu = !access(d->group_path, F_OK);
	if (!d->noiommu)
		snprintf(d->group_path, sizeof(d->group_path), "/dev/vfio/%d",
			 nr);

	d->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container < 0)
		return -errno;
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return -EPROTO;

	if (d->noiommu)
		type = VFIO_NOIOMMU_IOMMU;
	else if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		type = VFIO_TYPE1v2_IOMMU;
	else
		type = VFIO_TYPE1_IOMMU;
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, type) <= 0)
		return -EOPNOTSUPP;

	d->group = open(d->group_path, O_RDWR | O_CLOEXEC);
	if (d->group < 0)
		return -errno;
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &status))
		return -errno;
	/* Viable: every device of the group is bound to a VFIO driver. */
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return -EBUSY;
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		return -errno;
	if (ioctl(d->container, VFIO_SET_IOMMU, type))
		return -errno;
	return 0;
}

static int vfio_plat_map_region(struct vfio_plat *d, unsigned int index)
{
	struct vfio_region_info info = {
		.argsz = sizeof(info),
		.index = index,
	};
	struct vfio_plat_region *r = &d->regions[index];
	long page = sysconf(_SC_PAGESIZE);
	void *map;

	if (ioctl(d->device, VFIO_DEVICE_GET_REGION_INFO, &info))
		return -errno;
	if ((info.flags & (VFIO_REGION_INFO_FLAG_READ |
			   VFIO_REGION_INFO_FLAG_WRITE)) !=
	    (VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE))
		return -EACCES;
	r->offset = info.offset;
	r->size = info.size;
	/*
	 * vfio-platform allows mmap() of whole pages only: a 4 KiB region
	 * on a 64 KiB-page kernel is reached through read()/write().
	 */
	if (!(info.flags & VFIO_REGION_INFO_FLAG_MMAP) || info.size % page)
		return 0;
	map = mmap(NULL, info.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   d->device, info.offset);
	if (map == MAP_FAILED)
		return -errno;
	r->map = map;
	return 0;
}

/**
 * vfio_plat_open() - open a platform device bound to vfio-platform
 * @d: the device, filled in
 * @name: platform device name
 *
 * Opens the device's group (no-IOMMU or IOMMU) in a new container, gets
 * the device (vfio-platform resets it now), maps its first regions and
 * reads its interrupt's flags. On failure vfio_plat_close() releases
 * what was set up.
 *
 * Return: 0 or -errno.
 */
int vfio_plat_open(struct vfio_plat *d, const char *name)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq), .index = 0 };
	unsigned int i;
	int ret;

	memset(d, 0, sizeof(*d));
	d->container = -1;
	d->group = -1;
	d->device = -1;
	d->irq_fd = -1;
	snprintf(d->name, sizeof(d->name), "%s", name);

	ret = vfio_plat_open_group(d);
	if (ret)
		return ret;
	d->device = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->name);
	if (d->device < 0)
		return -errno;
	if (ioctl(d->device, VFIO_DEVICE_GET_INFO, &info))
		return -errno;
	if (!(info.flags & VFIO_DEVICE_FLAGS_PLATFORM))
		return -ENODEV;
	d->flags = info.flags;
	d->num_regions = info.num_regions;
	d->num_irqs = info.num_irqs;

	for (i = 0; i < d->num_regions && i < VFIO_PLAT_MAX_REGIONS; i++) {
		ret = vfio_plat_map_region(d, i);
		if (ret)
			return ret;
	}
	if (d->num_irqs) {
		if (ioctl(d->device, VFIO_DEVICE_GET_IRQ_INFO, &irq))
			return -errno;
		d->irq_flags = irq.flags;
	}
	return 0;
}

/**
 * vfio_plat_close() - release everything vfio_plat_open() set up
 * @d: the device
 *
 * Closing the device makes vfio-platform reset it.
 */
void vfio_plat_close(struct vfio_plat *d)
{
	unsigned int i;

	vfio_plat_irq_unwire(d);
	for (i = 0; i < VFIO_PLAT_MAX_REGIONS; i++) {
		if (d->regions[i].map)
			munmap(d->regions[i].map, d->regions[i].size);
		d->regions[i].map = NULL;
	}
	if (d->device >= 0)
		close(d->device);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->device = -1;
	d->group = -1;
	d->container = -1;
}

/**
 * vfio_plat_read32() - read a 32-bit register
 * @d: the device
 * @region: region index
 * @off: byte offset in the region
 *
 * Like the kernel's readl(): memory reads that follow in program order
 * see at least what the device had written before the register read.
 *
 * Return: the value; all ones if the access failed.
 */
__u32 vfio_plat_read32(struct vfio_plat *d, unsigned int region,
		       unsigned int off)
{
	struct vfio_plat_region *r = &d->regions[region];
	__u32 val;

	if (r->map)
		val = mmio_read32((char *)r->map + off);
	else if (pread(d->device, &val, sizeof(val), r->offset + off) !=
		 sizeof(val))
		val = ~0U;
	mb_read_then_mem();
	return val;
}

/**
 * vfio_plat_write32() - write a 32-bit register
 * @d: the device
 * @region: region index
 * @off: byte offset in the region
 * @val: the value
 *
 * Like the kernel's writel(): memory writes that precede it in program
 * order are visible to the device before the register write.
 */
void vfio_plat_write32(struct vfio_plat *d, unsigned int region,
		       unsigned int off, __u32 val)
{
	struct vfio_plat_region *r = &d->regions[region];

	mb_mem_then_write();
	if (r->map) {
		mmio_write32((char *)r->map + off, val);
		return;
	}
	if (pwrite(d->device, &val, sizeof(val), r->offset + off) != sizeof(val))
		fprintf(stderr, "# %s: register write at 0x%x failed: %s\n",
			d->name, off, strerror(errno));
}

static int vfio_plat_irq_set(struct vfio_plat *d, __u32 flags, __u32 count,
			     int fd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	set->argsz = sizeof(buf);
	set->flags = flags;
	set->index = 0;
	set->start = 0;
	set->count = count;
	memcpy(set->data, &fd, sizeof(fd));
	if (!(flags & VFIO_IRQ_SET_DATA_EVENTFD))
		set->argsz = sizeof(*set);
	return ioctl(d->device, VFIO_DEVICE_SET_IRQS, set) ? -errno : 0;
}

/**
 * vfio_plat_irq_wire() - signal interrupt 0 to a new eventfd
 * @d: the device
 *
 * vfio-platform masks a level interrupt when it fires; the eventfd then
 * counts one trigger, and nothing more arrives until
 * vfio_plat_irq_unmask().
 *
 * Return: 0 or -errno.
 */
int vfio_plat_irq_wire(struct vfio_plat *d)
{
	int ret;

	if (!d->num_irqs || !(d->irq_flags & VFIO_IRQ_INFO_EVENTFD))
		return -ENXIO;
	d->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->irq_fd < 0)
		return -errno;
	ret = vfio_plat_irq_set(d, VFIO_IRQ_SET_DATA_EVENTFD |
				VFIO_IRQ_SET_ACTION_TRIGGER, 1, d->irq_fd);
	if (ret) {
		close(d->irq_fd);
		d->irq_fd = -1;
	}
	return ret;
}

/**
 * vfio_plat_irq_unwire() - stop signalling interrupt 0
 * @d: the device
 *
 * Return: 0 or -errno.
 */
int vfio_plat_irq_unwire(struct vfio_plat *d)
{
	int ret;

	if (d->irq_fd < 0)
		return 0;
	ret = vfio_plat_irq_set(d, VFIO_IRQ_SET_DATA_NONE |
				VFIO_IRQ_SET_ACTION_TRIGGER, 0, -1);
	close(d->irq_fd);
	d->irq_fd = -1;
	return ret;
}

/**
 * vfio_plat_irq_unmask() - unmask interrupt 0 after a trigger
 * @d: the device
 *
 * Return: 0 or -errno.
 */
int vfio_plat_irq_unmask(struct vfio_plat *d)
{
	return vfio_plat_irq_set(d, VFIO_IRQ_SET_DATA_NONE |
				 VFIO_IRQ_SET_ACTION_UNMASK, 1, -1);
}

/**
 * vfio_plat_irq_wait() - wait for interrupt 0
 * @d: the device
 * @timeout_ms: how long; 0 only checks
 *
 * Return: the number of triggers counted since the last call (>= 1), 0
 * on timeout, or -errno.
 */
int vfio_plat_irq_wait(struct vfio_plat *d, int timeout_ms)
{
	struct pollfd pfd = { .fd = d->irq_fd, .events = POLLIN };
	__u64 count;
	int ret;

	if (d->irq_fd < 0)
		return -ENXIO;
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (!ret)
		return 0;
	if (read(d->irq_fd, &count, sizeof(count)) != sizeof(count))
		return errno == EAGAIN ? 0 : -errno;
	return count > INT_MAX ? INT_MAX : (int)count;
}

/**
 * vfio_plat_reset() - VFIO_DEVICE_RESET
 * @d: the device
 *
 * Return: 0 or -errno.
 */
int vfio_plat_reset(struct vfio_plat *d)
{
	return ioctl(d->device, VFIO_DEVICE_RESET) ? -errno : 0;
}

/**
 * hugepage_size() - the default hugetlb page size
 *
 * Return: its size in bytes, 0 if hugetlb is not available.
 */
size_t hugepage_size(void)
{
	char line[128];
	size_t kb = 0;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Hugepagesize: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

static long meminfo_value(const char *key)
{
	char line[128];
	size_t len = strlen(key);
	long val = -1;
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

/**
 * hugepages_reserve() - make sure enough hugetlb pages are free
 * @bytes: how much memory the caller is about to map
 *
 * Raises /proc/sys/vm/nr_hugepages by what is missing. The pages stay
 * reserved after the process exits.
 *
 * Return: 0 or -errno (-ENOMEM if the kernel could not find the pages).
 */
int hugepages_reserve(size_t bytes)
{
	size_t hsz = hugepage_size();
	long need, free_pages, total;
	FILE *f;
	int ret;

	if (!hsz)
		return -EOPNOTSUPP;
	need = (bytes + hsz - 1) / hsz;
	free_pages = meminfo_value("HugePages_Free");
	total = meminfo_value("HugePages_Total");
	if (free_pages < 0 || total < 0)
		return -EOPNOTSUPP;
	if (free_pages >= need)
		return 0;
	f = fopen("/proc/sys/vm/nr_hugepages", "w");
	if (!f)
		return -errno;
	ret = fprintf(f, "%ld\n", total + need - free_pages) < 0 ? -EIO : 0;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		return ret;
	return meminfo_value("HugePages_Free") >= need ? 0 : -ENOMEM;
}

/**
 * vfio_phys_addr() - physical address of a byte of this process's memory
 * @p: the byte; its page must be present (touched, and locked if it must
 *     stay where it is)
 * @pa: the address, filled in
 *
 * From /proc/self/pagemap, which shows page frame numbers only to
 * CAP_SYS_ADMIN.
 *
 * Return: 0, -EPERM if the kernel hid the frame number or the page is
 * not present, or another -errno.
 */
int vfio_phys_addr(const void *p, __u64 *pa)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t va = (uintptr_t)p;
	__u64 ent;
	ssize_t n;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, &ent, sizeof(ent), va / page * sizeof(ent));
	close(fd);
	if (n != sizeof(ent))
		return -EIO;
	if (!(ent & PAGEMAP_PRESENT) || !(ent & PAGEMAP_PFN))
		return -EPERM;
	*pa = (ent & PAGEMAP_PFN) * page + va % page;
	return 0;
}

/* Bus (physical) address of each chunk. */
static int vfio_dma_pagemap(struct vfio_dma_mem *m)
{
	size_t i;
	int ret;

	for (i = 0; i < m->nr_chunks; i++) {
		ret = vfio_phys_addr((char *)m->va + i * m->chunk, &m->bus[i]);
		if (ret)
			return ret;
	}
	return 0;
}

static int vfio_dma_alloc_noiommu(struct vfio_dma_mem *m, size_t size)
{
	size_t hsz = hugepage_size();
	int ret;

	if (!hsz)
		return -EOPNOTSUPP;
	m->chunk = hsz;
	m->size = (size + hsz - 1) / hsz * hsz;
	m->nr_chunks = m->size / hsz;
	ret = hugepages_reserve(m->size);
	if (ret)
		return ret;
	m->va = mmap(NULL, m->size, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE,
		     -1, 0);
	if (m->va == MAP_FAILED) {
		m->va = NULL;
		return -errno;
	}
	memset(m->va, 0, m->size);
	return vfio_dma_pagemap(m);
}

static int vfio_dma_alloc_iommu(struct vfio_plat *d, struct vfio_dma_mem *m,
				size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };

	m->size = (size + page - 1) / page * page;
	m->chunk = m->size;
	m->nr_chunks = 1;
	m->va = mmap(NULL, m->size, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (m->va == MAP_FAILED) {
		m->va = NULL;
		return -errno;
	}
	/* IOVA = virtual address: unique in this container, no allocator. */
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)m->va;
	map.iova = (uintptr_t)m->va;
	map.size = m->size;
	if (ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map))
		return -errno;
	m->iommu_mapped = true;
	m->bus[0] = map.iova;
	return 0;
}

/**
 * vfio_dma_alloc() - memory the device can reach, and its bus addresses
 * @d: the device whose container maps the memory
 * @m: the memory, filled in
 * @size: bytes wanted (rounded up to a whole hugetlb page with no IOMMU)
 *
 * The memory is zeroed. Bus addresses are contiguous within each
 * @m->chunk; vfio_dma_bus() and vfio_dma_contig() tell them.
 *
 * Return: 0 or -errno; on failure vfio_dma_free() releases what was set
 * up.
 */
int vfio_dma_alloc(struct vfio_plat *d, struct vfio_dma_mem *m, size_t size)
{
	size_t hsz = d->noiommu ? hugepage_size() : size;

	memset(m, 0, sizeof(*m));
	if (!hsz)
		return -EOPNOTSUPP;
	m->bus = calloc((size + hsz - 1) / hsz, sizeof(*m->bus));
	if (!m->bus)
		return -ENOMEM;
	if (d->noiommu)
		return vfio_dma_alloc_noiommu(m, size);
	return vfio_dma_alloc_iommu(d, m, size);
}

/**
 * vfio_dma_free() - release memory from vfio_dma_alloc()
 * @d: the device
 * @m: the memory
 */
void vfio_dma_free(struct vfio_plat *d, struct vfio_dma_mem *m)
{
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };

	if (m->iommu_mapped) {
		unmap.iova = m->bus[0];
		unmap.size = m->size;
		ioctl(d->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
	}
	if (m->va)
		munmap(m->va, m->size);
	free(m->bus);
	memset(m, 0, sizeof(*m));
}

/**
 * vfio_dma_bus() - bus address of a byte of DMA memory
 * @m: the memory
 * @p: a pointer into it
 *
 * Return: the address the device uses for @p.
 */
__u64 vfio_dma_bus(const struct vfio_dma_mem *m, const void *p)
{
	size_t off = (const char *)p - (const char *)m->va;

	return m->bus[off / m->chunk] + off % m->chunk;
}

/**
 * vfio_dma_contig() - bytes from @p whose bus addresses are contiguous
 * @m: the memory
 * @p: a pointer into it
 *
 * Return: the count, up to the end of @p's chunk.
 */
size_t vfio_dma_contig(const struct vfio_dma_mem *m, const void *p)
{
	size_t off = (const char *)p - (const char *)m->va;

	return m->chunk - off % m->chunk;
}
