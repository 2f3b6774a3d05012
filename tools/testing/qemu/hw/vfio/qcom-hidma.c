/*
 * VFIO passthrough of one Qualcomm Technologies HIDMA channel
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * vfio-platform learns a device's type from its host device-tree node
 * (of_node/compatible in sysfs). A host that boots with ACPI, as HIDMA's
 * servers do, has none: this device finds the channel's revision from
 * either, checks that the host driver exposes what a channel has (two
 * register blocks, one interrupt), and lets hw/core/sysbus-fdt.c describe
 * the channel to the guest. The channel's reset on open and release is
 * the host's (vfio-platform's reset handler for the channel, or _RST).
 */

#include "qemu/osdep.h"
#include "hw/vfio/vfio-qcom-hidma.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qapi/error.h"
#include "qemu/module.h"

static const struct {
    const char *hid;
    const char *compat;
} vfio_qcom_hidma_revisions[] = {
    { "QCOM8061", "qcom,hidma-1.0" },
    { "QCOM8062", "qcom,hidma-1.1" },
    { "QCOM8063", "qcom,hidma-1.2" },
};

/*
 * The "qcom,hidma-1.x" string of a host channel: its device-tree
 * compatible, or on an ACPI host the revision its _HID names. NULL if
 * @sysfsdev is not a HIDMA channel.
 */
static char *vfio_qcom_hidma_host_compat(const char *sysfsdev)
{
    g_autofree char *path = NULL;
    g_autofree char *contents = NULL;
    gsize length;
    size_t i;

    path = g_strdup_printf("%s/of_node/compatible", sysfsdev);
    if (g_file_get_contents(path, &contents, &length, NULL)) {
        const char *c = contents;

        while (c < contents + length) {
            for (i = 0; i < ARRAY_SIZE(vfio_qcom_hidma_revisions); i++) {
                if (!strcmp(c, vfio_qcom_hidma_revisions[i].compat)) {
                    return g_strdup(c);
                }
            }
            c += strlen(c) + 1;
        }
        return NULL;
    }

    g_free(path);
    path = g_strdup_printf("%s/firmware_node/hid", sysfsdev);
    if (g_file_get_contents(path, &contents, &length, NULL)) {
        g_strchomp(contents);
        for (i = 0; i < ARRAY_SIZE(vfio_qcom_hidma_revisions); i++) {
            if (!strcmp(contents, vfio_qcom_hidma_revisions[i].hid)) {
                return g_strdup(vfio_qcom_hidma_revisions[i].compat);
            }
        }
    }
    return NULL;
}

static void vfio_qcom_hidma_realize(DeviceState *dev, Error **errp)
{
    ERRP_GUARD();
    VFIOQcomHidmaDevice *hdev = VFIO_QCOM_HIDMA_DEVICE(dev);
    VFIOQcomHidmaDeviceClass *k = VFIO_QCOM_HIDMA_DEVICE_GET_CLASS(dev);
    VFIOPlatformDevice *vdev = &hdev->vdev;
    VFIODevice *vbasedev = &vdev->vbasedev;
    g_autofree char *sysfsdev = NULL;

    if (vbasedev->sysfsdev) {
        sysfsdev = g_strdup(vbasedev->sysfsdev);
    } else if (vbasedev->name) {
        sysfsdev = g_strdup_printf("/sys/bus/platform/devices/%s",
                                   vbasedev->name);
    } else {
        error_setg(errp, "vfio-qcom-hidma: host or sysfsdev is required");
        return;
    }

    vdev->compat = vfio_qcom_hidma_host_compat(sysfsdev);
    if (!vdev->compat) {
        error_setg(errp, "vfio-qcom-hidma: %s is not a HIDMA channel "
                   "(no qcom,hidma-1.x compatible, no QCOM806[123] _HID)",
                   sysfsdev);
        return;
    }
    vdev->num_compat = 1;

    k->parent_realize(dev, errp);
    if (*errp) {
        return;
    }

    if (vbasedev->num_regions != 2 || vbasedev->num_irqs != 1) {
        error_setg(errp, "vfio-qcom-hidma: %s has %u regions and %u "
                   "interrupts; a HIDMA channel has 2 and 1", sysfsdev,
                   vbasedev->num_regions, vbasedev->num_irqs);
        return;
    }
}

static const VMStateDescription vfio_qcom_hidma_vmstate = {
    .name = TYPE_VFIO_QCOM_HIDMA,
    .unmigratable = 1,
};

static Property vfio_qcom_hidma_properties[] = {
    DEFINE_PROP_UINT32("desc-count", VFIOQcomHidmaDevice, desc_count, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void vfio_qcom_hidma_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    VFIOQcomHidmaDeviceClass *k = VFIO_QCOM_HIDMA_DEVICE_CLASS(klass);

    device_class_set_parent_realize(dc, vfio_qcom_hidma_realize,
                                    &k->parent_realize);
    device_class_set_props(dc, vfio_qcom_hidma_properties);
    dc->desc = "VFIO Qualcomm Technologies HIDMA channel";
    dc->vmsd = &vfio_qcom_hidma_vmstate;
    /* Supported by TYPE_VIRT_MACHINE (a vfio-platform device) */
    dc->user_creatable = true;
}

static const TypeInfo vfio_qcom_hidma_info = {
    .name = TYPE_VFIO_QCOM_HIDMA,
    .parent = TYPE_VFIO_PLATFORM,
    .instance_size = sizeof(VFIOQcomHidmaDevice),
    .class_init = vfio_qcom_hidma_class_init,
    .class_size = sizeof(VFIOQcomHidmaDeviceClass),
};

static void vfio_qcom_hidma_register_types(void)
{
    type_register_static(&vfio_qcom_hidma_info);
}

type_init(vfio_qcom_hidma_register_types)
