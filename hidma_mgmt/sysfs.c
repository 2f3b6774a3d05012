// SPDX-License-Identifier: GPL-2.0-only
/*
 * The admin interface: the long-standing HIDMA management sysfs ABI.
 *
 * Global files live on the management device and come from
 * hidma_mgmt_groups, which the driver core adds after a successful probe
 * and removes before the driver lets go of the device.
 *
 * Per-channel files live two levels down, in chanops/chan<N>/priority and
 * chanops/chan<N>/weight. An attribute group can name one folder level
 * only, so these are kobjects, set up so that they behave like groups:
 *
 *  - The chanops kobject and one kobject per channel are created in probe
 *    (hidma_mgmt_chanops_create()), before the driver core announces the
 *    binding with its KOBJ_BIND uevent; userspace that reacts to the
 *    uevent finds every file. They send no uevent of their own: they are
 *    not devices and belong to no kset.
 *  - The files are the channel ktype's default_groups, so sysfs creates
 *    them with the folder, in one step; no file is ever created by hand,
 *    and none after probe.
 *  - Everything show/store touches (registers mapped, lock, shadow,
 *    runtime PM) is ready before the folders are created, because a store
 *    may run as soon as they exist, even before probe returns.
 *  - They are removed by a devm action, that is at unbind or on a later
 *    probe failure, before runtime PM is disabled and before the memory
 *    they point to is freed. kobject_del() returns only once no show or
 *    store is running (kernfs drains active users), and none can start
 *    afterwards.
 *  - The per-channel objects are freed by their kobject release, not by
 *    devm: someone may still hold a reference after kobject_del().
 *
 * Writes are validated before anything is changed; an invalid value is
 * -EINVAL and leaves the register and what a read returns as they were.
 * Valid values reach the hardware before the write returns.
 * Documentation/ABI/testing/sysfs-driver-hidma_mgmt lists where this ABI
 * differs from the kernel's own hdma_mgmt driver, and why.
 */

#include <linux/bitfield.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "hidma_mgmt.h"
#include "regs.h"

/* Callers of these must not hold mgmt->lock: resuming takes it. */
static int hidma_mgmt_get(struct hidma_mgmt *mgmt)
{
	return pm_runtime_resume_and_get(mgmt->dev);
}

static void hidma_mgmt_put(struct hidma_mgmt *mgmt)
{
	pm_runtime_mark_last_busy(mgmt->dev);
	pm_runtime_put_autosuspend(mgmt->dev);
}

/*
 * Every file takes one unsigned number in the syntax kstrtou32() accepts
 * with base 0, the same as the kernel's own hdma_mgmt (kstrtoul()), so
 * that admin scripts written for it keep working: decimal, 0x- or
 * 0X-prefixed hex or 0-prefixed octal, optionally preceded by one '+' and
 * followed by one newline. Anything else is -EINVAL: a '-', any other
 * whitespace, garbage, an empty line, and also a number that does not fit
 * 32 bits (kstrtou32() says -ERANGE; the kernel's driver silently
 * truncated it to 32 bits and then used what was left).
 */
static int hidma_mgmt_parse(const char *buf, u32 *val)
{
	return kstrtou32(buf, 0, val) ? -EINVAL : 0;
}

/* Global settings */

/**
 * struct hidma_mgmt_param_attr - a 0644 device attribute for one setting
 * @attr: the attribute; its name is the legacy ABI's
 * @param: the setting it shows and stores
 */
struct hidma_mgmt_param_attr {
	struct device_attribute attr;
	enum hidma_mgmt_param param;
};

static enum hidma_mgmt_param to_hidma_mgmt_param(struct device_attribute *attr)
{
	return container_of(attr, struct hidma_mgmt_param_attr, attr)->param;
}

static ssize_t hidma_mgmt_param_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct hidma_mgmt *mgmt = dev_get_drvdata(dev);
	u32 val;
	int ret;

	ret = hidma_mgmt_get(mgmt);
	if (ret)
		return ret;
	val = hidma_mgmt_hw_read_param(mgmt, to_hidma_mgmt_param(attr));
	hidma_mgmt_put(mgmt);

	return sysfs_emit(buf, "%u\n", val);
}

static ssize_t hidma_mgmt_param_store(struct device *dev,
				      struct device_attribute *attr,
				      const char *buf, size_t count)
{
	struct hidma_mgmt *mgmt = dev_get_drvdata(dev);
	enum hidma_mgmt_param p = to_hidma_mgmt_param(attr);
	u32 val;
	int ret;

	if (hidma_mgmt_parse(buf, &val) || !hidma_mgmt_valid(p, val))
		return -EINVAL;

	ret = hidma_mgmt_get(mgmt);
	if (ret)
		return ret;
	mutex_lock(&mgmt->lock);
	mgmt->param[p] = val;
	hidma_mgmt_hw_write_param(mgmt, p);
	mutex_unlock(&mgmt->lock);
	hidma_mgmt_put(mgmt);

	return count;
}

#define HIDMA_MGMT_PARAM_ATTR(_name, _param)				\
	struct hidma_mgmt_param_attr hidma_mgmt_attr_##_name = {	\
		.attr = __ATTR(_name, 0644, hidma_mgmt_param_show,	\
			       hidma_mgmt_param_store),			\
		.param = _param,					\
	}

static HIDMA_MGMT_PARAM_ATTR(max_write_request, HIDMA_MGMT_PARAM_WR_BURST);
static HIDMA_MGMT_PARAM_ATTR(max_read_request, HIDMA_MGMT_PARAM_RD_BURST);
static HIDMA_MGMT_PARAM_ATTR(max_wr_xactions, HIDMA_MGMT_PARAM_WR_XACTIONS);
static HIDMA_MGMT_PARAM_ATTR(max_rd_xactions, HIDMA_MGMT_PARAM_RD_XACTIONS);
static HIDMA_MGMT_PARAM_ATTR(chreset_timeout_cycles, HIDMA_MGMT_PARAM_CHRESET_TIMEOUT);

static ssize_t dma_channels_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct hidma_mgmt *mgmt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", hidma_mgmt_nr_chans(mgmt));
}
static DEVICE_ATTR_RO(dma_channels);

static ssize_t hidma_mgmt_version_show(struct device *dev, bool major,
				       char *buf)
{
	struct hidma_mgmt *mgmt = dev_get_drvdata(dev);
	u32 val;
	int ret;

	ret = hidma_mgmt_get(mgmt);
	if (ret)
		return ret;
	val = hidma_mgmt_hw_read_version(mgmt);
	hidma_mgmt_put(mgmt);

	return sysfs_emit(buf, "%lu\n",
			  major ? FIELD_GET(HIDMA_MGMT_HW_VERSION_MAJOR, val) :
				  FIELD_GET(HIDMA_MGMT_HW_VERSION_MINOR, val));
}

static ssize_t hw_version_major_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return hidma_mgmt_version_show(dev, true, buf);
}
static DEVICE_ATTR_RO(hw_version_major);

static ssize_t hw_version_minor_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return hidma_mgmt_version_show(dev, false, buf);
}
static DEVICE_ATTR_RO(hw_version_minor);

static struct attribute *hidma_mgmt_attrs[] = {
	&dev_attr_hw_version_major.attr,
	&dev_attr_hw_version_minor.attr,
	&dev_attr_dma_channels.attr,
	&hidma_mgmt_attr_chreset_timeout_cycles.attr.attr,
	&hidma_mgmt_attr_max_wr_xactions.attr.attr,
	&hidma_mgmt_attr_max_rd_xactions.attr.attr,
	&hidma_mgmt_attr_max_write_request.attr.attr,
	&hidma_mgmt_attr_max_read_request.attr.attr,
	NULL
};

static const struct attribute_group hidma_mgmt_group = {
	.attrs = hidma_mgmt_attrs,
};

/* The driver's .dev_groups (ATTRIBUTE_GROUPS() would make it static). */
const struct attribute_group *hidma_mgmt_groups[] = {
	&hidma_mgmt_group,
	NULL
};

/* chanops/chan<N>/ */

static struct hidma_mgmt_chan *to_hidma_mgmt_chan(struct kobject *kobj)
{
	return container_of(kobj, struct hidma_mgmt_chan, kobj);
}

static ssize_t hidma_mgmt_qos_show(struct kobject *kobj, bool weight,
				   char *buf)
{
	struct hidma_mgmt_chan *chan = to_hidma_mgmt_chan(kobj);
	struct hidma_mgmt *mgmt = chan->mgmt;
	struct hidma_mgmt_qos qos;
	int ret;

	ret = hidma_mgmt_get(mgmt);
	if (ret)
		return ret;
	qos = hidma_mgmt_hw_read_qos(mgmt, chan->index);
	hidma_mgmt_put(mgmt);

	return sysfs_emit(buf, "%u\n", weight ? qos.weight : qos.priority);
}

static ssize_t hidma_mgmt_qos_store(struct kobject *kobj, bool weight,
				    const char *buf, size_t count)
{
	struct hidma_mgmt_chan *chan = to_hidma_mgmt_chan(kobj);
	struct hidma_mgmt *mgmt = chan->mgmt;
	struct hidma_mgmt_qos *qos = &mgmt->qos[chan->index];
	u32 val;
	int ret;

	if (hidma_mgmt_parse(buf, &val))
		return -EINVAL;
	if (weight ? val > HIDMA_MGMT_WEIGHT_MAX : val > HIDMA_MGMT_PRIO_HIGH)
		return -EINVAL;
	/*
	 * A weight of 0 is taken as 1, as the kernel's driver took it (and
	 * as the engine treats it); the register never gets a 0, and a read
	 * then shows 1.
	 */
	if (weight && val < HIDMA_MGMT_WEIGHT_MIN)
		val = HIDMA_MGMT_WEIGHT_MIN;

	ret = hidma_mgmt_get(mgmt);
	if (ret)
		return ret;
	mutex_lock(&mgmt->lock);
	if (weight)
		qos->weight = val;
	else
		qos->priority = val;
	hidma_mgmt_hw_write_qos(mgmt, chan->index);
	mutex_unlock(&mgmt->lock);
	hidma_mgmt_put(mgmt);

	return count;
}

static ssize_t priority_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return hidma_mgmt_qos_show(kobj, false, buf);
}

static ssize_t priority_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	return hidma_mgmt_qos_store(kobj, false, buf, count);
}

static ssize_t weight_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return hidma_mgmt_qos_show(kobj, true, buf);
}

static ssize_t weight_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return hidma_mgmt_qos_store(kobj, true, buf, count);
}

static struct kobj_attribute hidma_mgmt_priority_attr = __ATTR_RW(priority);
static struct kobj_attribute hidma_mgmt_weight_attr = __ATTR_RW(weight);

static struct attribute *hidma_mgmt_chan_attrs[] = {
	&hidma_mgmt_priority_attr.attr,
	&hidma_mgmt_weight_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(hidma_mgmt_chan);

static void hidma_mgmt_chan_release(struct kobject *kobj)
{
	kfree(to_hidma_mgmt_chan(kobj));
}

static const struct kobj_type hidma_mgmt_chan_ktype = {
	.release = hidma_mgmt_chan_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hidma_mgmt_chan_groups,
};

/* Children before their parent; safe on a partly built tree. */
static void hidma_mgmt_chanops_remove(void *data)
{
	struct hidma_mgmt *mgmt = data;
	unsigned int i;

	for (i = 0; i < hidma_mgmt_nr_chans(mgmt); i++) {
		if (!mgmt->chans[i])
			continue;
		kobject_del(&mgmt->chans[i]->kobj);
		kobject_put(&mgmt->chans[i]->kobj);
		mgmt->chans[i] = NULL;
	}
	kobject_del(mgmt->chanops);
	kobject_put(mgmt->chanops);
	mgmt->chanops = NULL;
}

/**
 * hidma_mgmt_chanops_create() - create chanops/chan<N>/ for every channel
 * @mgmt: the instance, ready for show/store
 *
 * Called from probe only. Registers its own undo with devm.
 *
 * Return: 0 or a negative errno, with nothing left behind.
 */
int hidma_mgmt_chanops_create(struct hidma_mgmt *mgmt)
{
	struct device *dev = mgmt->dev;
	struct hidma_mgmt_chan *chan;
	unsigned int i;
	int ret;

	mgmt->chans = devm_kcalloc(dev, hidma_mgmt_nr_chans(mgmt),
				   sizeof(*mgmt->chans), GFP_KERNEL);
	if (!mgmt->chans)
		return -ENOMEM;

	mgmt->chanops = kobject_create_and_add("chanops", &dev->kobj);
	if (!mgmt->chanops)
		return -ENOMEM;

	for (i = 0; i < hidma_mgmt_nr_chans(mgmt); i++) {
		chan = kzalloc(sizeof(*chan), GFP_KERNEL);
		if (!chan) {
			ret = -ENOMEM;
			goto err;
		}
		chan->mgmt = mgmt;
		chan->index = i;
		ret = kobject_init_and_add(&chan->kobj, &hidma_mgmt_chan_ktype,
					   mgmt->chanops, "chan%u", i);
		if (ret) {
			kobject_put(&chan->kobj);
			goto err;
		}
		mgmt->chans[i] = chan;
	}

	return devm_add_action_or_reset(dev, hidma_mgmt_chanops_remove, mgmt);

err:
	hidma_mgmt_chanops_remove(mgmt);
	return ret;
}
