/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The debugfs side of the suite's firmware loaders (mgmt/hidma_mgmt_overlay
 * for device tree overlays, acpi/hidma_acpi_ssdt for SSDTs): a directory
 * named after the module with two write-only files, one taking the path of
 * a compiled blob to load it, the other undoing that whatever is written.
 * The module supplies the two operations and the lock they run under; a
 * write returns the operation's error, or the whole count.
 *
 * Test modules only, each including this once: it defines the files'
 * operations itself.
 */
#ifndef HIDMA_TEST_LOADER_H
#define HIDMA_TEST_LOADER_H

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/**
 * struct hidma_test_loader - a loader's operations and its debugfs files
 * @lock: held around @load and @unload
 * @load: load the blob at the path given (trimmed of white space)
 * @unload: undo the last load
 * @dir: the module's debugfs directory, set by hidma_test_loader_create()
 */
struct hidma_test_loader {
	struct mutex *lock;	/* the module's own, held around both */
	int (*load)(const char *path);
	int (*unload)(void);
	struct dentry *dir;
};

static ssize_t hidma_test_loader_load_write(struct file *file,
					    const char __user *ubuf,
					    size_t count, loff_t *ppos)
{
	struct hidma_test_loader *l = file->private_data;
	char *path;
	int ret;

	if (count >= PATH_MAX)
		return -ENAMETOOLONG;
	path = memdup_user_nul(ubuf, count);
	if (IS_ERR(path))
		return PTR_ERR(path);

	mutex_lock(l->lock);
	ret = l->load(strim(path));
	mutex_unlock(l->lock);
	kfree(path);

	return ret ? ret : count;
}

static ssize_t hidma_test_loader_unload_write(struct file *file,
					      const char __user *ubuf,
					      size_t count, loff_t *ppos)
{
	struct hidma_test_loader *l = file->private_data;
	int ret;

	mutex_lock(l->lock);
	ret = l->unload();
	mutex_unlock(l->lock);

	return ret ? ret : count;
}

static const struct file_operations hidma_test_loader_load_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hidma_test_loader_load_write,
};

static const struct file_operations hidma_test_loader_unload_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = hidma_test_loader_unload_write,
};

/**
 * hidma_test_loader_create() - make the module's debugfs directory and files
 * @l: the loader, which must outlive the files
 * @load: name of the file that loads
 * @unload: name of the file that unloads
 *
 * Remove them with debugfs_remove_recursive(@l->dir).
 */
static inline void hidma_test_loader_create(struct hidma_test_loader *l,
					    const char *load,
					    const char *unload)
{
	l->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file(load, 0200, l->dir, l,
			    &hidma_test_loader_load_fops);
	debugfs_create_file(unload, 0200, l->dir, l,
			    &hidma_test_loader_unload_fops);
}

#endif /* HIDMA_TEST_LOADER_H */
