// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where the settings come from and what values the engine allows
 * (Documentation/hardware.rst): firmware properties (DT or ACPI _DSD,
 * through the unified device property API) and the module parameters
 * that override the bus values.
 *
 * Nothing here touches a register, so a probe that fails here leaves the
 * hardware exactly as it found it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/moduleparam.h>
#include <linux/property.h>
#include <linux/slab.h>

#include "hidma_mgmt.h"
#include "regs.h"

const struct hidma_mgmt_limit hidma_mgmt_limits[HIDMA_MGMT_NR_PARAMS] = {
	[HIDMA_MGMT_PARAM_CHANNELS] = {
		"dma-channels", 1, HIDMA_MGMT_CHANNELS_MAX, false },
	[HIDMA_MGMT_PARAM_WR_BURST] = {
		"max-write-burst-bytes", HIDMA_MGMT_BURST_MIN, HIDMA_MGMT_BURST_MAX, true },
	[HIDMA_MGMT_PARAM_RD_BURST] = {
		"max-read-burst-bytes", HIDMA_MGMT_BURST_MIN, HIDMA_MGMT_BURST_MAX, true },
	[HIDMA_MGMT_PARAM_WR_XACTIONS] = {
		"max-write-transactions", 0, HIDMA_MGMT_XACTIONS_MAX, false },
	[HIDMA_MGMT_PARAM_RD_XACTIONS] = {
		"max-read-transactions", 0, HIDMA_MGMT_XACTIONS_MAX, false },
	/*
	 * The field is 20 bits wide. Zero cycles would make every channel
	 * reset report failure, so it is not a usable setting.
	 */
	[HIDMA_MGMT_PARAM_CHRESET_TIMEOUT] = {
		"channel-reset-timeout-cycles", 1, HIDMA_MGMT_CHRESET_TIMEOUT_CYCLES, false },
};

/**
 * struct hidma_mgmt_allowed - room for a setting's allowed values in words
 * @s: e.g. "0..31" or "a power of two in 128..1024"
 */
struct hidma_mgmt_allowed {
	char s[40];
};

static const char *hidma_mgmt_allowed(const struct hidma_mgmt_limit *l,
				      struct hidma_mgmt_allowed *a)
{
	snprintf(a->s, sizeof(a->s), "%s%u..%u",
		 l->pow2 ? "a power of two in " : "", l->min, l->max);
	return a->s;
}

bool hidma_mgmt_valid(enum hidma_mgmt_param p, u32 val)
{
	const struct hidma_mgmt_limit *l = &hidma_mgmt_limits[p];

	return val >= l->min && val <= l->max && (!l->pow2 || is_power_of_2(val));
}

/*
 * Module parameters: -1 (the default) keeps the firmware's value, anything
 * else replaces it, firmware property and all, for every instance bound
 * while the module is loaded. They are validated when the module is
 * loaded, so a bad value fails insmod/modprobe with the same kind of
 * message a bad firmware value gets, and they are read-only afterwards:
 * the sysfs attributes are the run-time interface.
 */
static int hidma_mgmt_override[HIDMA_MGMT_NR_PARAMS] = {
	[0 ... HIDMA_MGMT_NR_PARAMS - 1] = -1,
};

static int hidma_mgmt_override_set(const char *val, const struct kernel_param *kp)
{
	int *arg = kp->arg;
	enum hidma_mgmt_param p = arg - hidma_mgmt_override;
	struct hidma_mgmt_allowed a;
	int v;

	if (kstrtoint(val, 0, &v) || (v != -1 && (v < 0 || !hidma_mgmt_valid(p, v)))) {
		pr_err("module parameter %s=%s is invalid (allowed: -1 for the firmware value, or %s)\n",
		       kp->name, val, hidma_mgmt_allowed(&hidma_mgmt_limits[p], &a));
		return -EINVAL;
	}
	*arg = v;
	return 0;
}

static const struct kernel_param_ops hidma_mgmt_override_ops = {
	.set = hidma_mgmt_override_set,
	.get = param_get_int,
};

module_param_cb(max_write_burst_bytes, &hidma_mgmt_override_ops,
		&hidma_mgmt_override[HIDMA_MGMT_PARAM_WR_BURST], 0444);
MODULE_PARM_DESC(max_write_burst_bytes,
		 "Longest write burst in bytes, a power of two in 128..1024 (default -1: firmware's max-write-burst-bytes)");
module_param_cb(max_read_burst_bytes, &hidma_mgmt_override_ops,
		&hidma_mgmt_override[HIDMA_MGMT_PARAM_RD_BURST], 0444);
MODULE_PARM_DESC(max_read_burst_bytes,
		 "Longest read burst in bytes, a power of two in 128..1024 (default -1: firmware's max-read-burst-bytes)");
module_param_cb(max_write_transactions, &hidma_mgmt_override_ops,
		&hidma_mgmt_override[HIDMA_MGMT_PARAM_WR_XACTIONS], 0444);
MODULE_PARM_DESC(max_write_transactions,
		 "Back-to-back write bursts, 0..31 (default -1: firmware's max-write-transactions)");
module_param_cb(max_read_transactions, &hidma_mgmt_override_ops,
		&hidma_mgmt_override[HIDMA_MGMT_PARAM_RD_XACTIONS], 0444);
MODULE_PARM_DESC(max_read_transactions,
		 "Back-to-back read bursts, 0..31 (default -1: firmware's max-read-transactions)");

/* Reads and validates one setting; every failure says what is allowed. */
static int hidma_mgmt_fw_param(struct hidma_mgmt *mgmt, enum hidma_mgmt_param p)
{
	const struct hidma_mgmt_limit *l = &hidma_mgmt_limits[p];
	struct device *dev = mgmt->dev;
	struct hidma_mgmt_allowed a;
	u32 val;

	if (hidma_mgmt_override[p] >= 0) {
		mgmt->param[p] = hidma_mgmt_override[p];
		dev_info(dev, "%s = %u from the module parameter, firmware value ignored\n",
			 l->prop, mgmt->param[p]);
		return 0;
	}

	if (!device_property_present(dev, l->prop))
		return dev_err_probe(dev, -EINVAL,
				     "firmware property %s is missing (allowed: %s)\n",
				     l->prop, hidma_mgmt_allowed(l, &a));
	if (device_property_read_u32(dev, l->prop, &val))
		return dev_err_probe(dev, -EINVAL,
				     "firmware property %s has no 32-bit value (allowed: %s)\n",
				     l->prop, hidma_mgmt_allowed(l, &a));
	if (!hidma_mgmt_valid(p, val))
		return dev_err_probe(dev, -EINVAL,
				     "firmware property %s = %u is invalid (allowed: %s)\n",
				     l->prop, val, hidma_mgmt_allowed(l, &a));
	mgmt->param[p] = val;
	return 0;
}

/*
 * dma-channels sizes the QOS register file; every channel node below the
 * management node is one of those channels, so there cannot be more nodes
 * than channels (there may be fewer: a channel may be kept from the OS).
 */
static int hidma_mgmt_fw_channels(struct hidma_mgmt *mgmt)
{
	const struct hidma_mgmt_limit *l = &hidma_mgmt_limits[HIDMA_MGMT_PARAM_CHANNELS];
	unsigned int nodes = device_get_child_node_count(mgmt->dev);
	u32 channels = mgmt->param[HIDMA_MGMT_PARAM_CHANNELS];

	if (nodes > l->max)
		return dev_err_probe(mgmt->dev, -EINVAL,
				     "%u channel nodes, but an instance has at most %u channels\n",
				     nodes, l->max);
	if (channels < nodes)
		return dev_err_probe(mgmt->dev, -EINVAL,
				     "firmware property %s = %u is invalid (allowed: %u..%u, at least one per channel node)\n",
				     l->prop, channels, nodes, l->max);
	return 0;
}

#define HIDMA_MGMT_QOS_PROP	"qcom,channel-qos"

/*
 * Optional initial arbitration: qcom,channel-qos = <priority weight> pairs
 * for channels 0, 1, ... in order; channels past the last pair keep the
 * hardware's reset value (priority low, weight 1).
 */
static int hidma_mgmt_fw_qos(struct hidma_mgmt *mgmt)
{
	unsigned int nr = hidma_mgmt_nr_chans(mgmt);
	struct device *dev = mgmt->dev;
	unsigned int i;
	u32 *cells;
	int count;
	int ret = 0;

	mgmt->qos = devm_kcalloc(dev, nr, sizeof(*mgmt->qos), GFP_KERNEL);
	if (!mgmt->qos)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		mgmt->qos[i].priority = HIDMA_MGMT_PRIO_LOW;
		mgmt->qos[i].weight = HIDMA_MGMT_WEIGHT_RESET;
	}

	if (!device_property_present(dev, HIDMA_MGMT_QOS_PROP))
		return 0;
	count = device_property_count_u32(dev, HIDMA_MGMT_QOS_PROP);
	if (count < 0)
		return dev_err_probe(dev, -EINVAL,
				     "firmware property %s is not a list of 32-bit cells (allowed: 1..%u <priority weight> pairs, from channel 0 on)\n",
				     HIDMA_MGMT_QOS_PROP, nr);
	if (!count || count % 2 || count / 2 > nr)
		return dev_err_probe(dev, -EINVAL,
				     "firmware property %s has %d cells (allowed: 1..%u <priority weight> pairs, from channel 0 on)\n",
				     HIDMA_MGMT_QOS_PROP, count, nr);

	cells = kcalloc(count, sizeof(*cells), GFP_KERNEL);
	if (!cells)
		return -ENOMEM;
	ret = device_property_read_u32_array(dev, HIDMA_MGMT_QOS_PROP, cells, count);
	if (ret) {
		dev_err_probe(dev, ret, "firmware property %s cannot be read\n",
			      HIDMA_MGMT_QOS_PROP);
		goto out;
	}
	for (i = 0; i < count / 2; i++) {
		u32 prio = cells[2 * i], weight = cells[2 * i + 1];

		if (prio > HIDMA_MGMT_PRIO_HIGH || weight < HIDMA_MGMT_WEIGHT_MIN ||
		    weight > HIDMA_MGMT_WEIGHT_MAX) {
			ret = dev_err_probe(dev, -EINVAL,
					    "firmware property %s entry %u = <%u %u> is invalid (allowed: priority 0..1, weight %u..%u)\n",
					    HIDMA_MGMT_QOS_PROP, i, prio, weight,
					    HIDMA_MGMT_WEIGHT_MIN, HIDMA_MGMT_WEIGHT_MAX);
			goto out;
		}
		mgmt->qos[i].priority = prio;
		mgmt->qos[i].weight = weight;
	}
out:
	kfree(cells);
	return ret;
}

/**
 * hidma_mgmt_fw_read() - read and validate the firmware description
 * @mgmt: the instance; @mgmt->dev must be set
 *
 * Fills @mgmt->param and allocates and fills @mgmt->qos. Touches no
 * register.
 *
 * Return: 0, or a negative errno after one message that names the
 * offending property and what it allows.
 */
int hidma_mgmt_fw_read(struct hidma_mgmt *mgmt)
{
	enum hidma_mgmt_param p;
	int ret;

	for (p = 0; p < HIDMA_MGMT_NR_PARAMS; p++) {
		ret = hidma_mgmt_fw_param(mgmt, p);
		if (ret)
			return ret;
	}
	ret = hidma_mgmt_fw_channels(mgmt);
	if (ret)
		return ret;
	return hidma_mgmt_fw_qos(mgmt);
}
