/*
 * VFIO passthrough of one Qualcomm Technologies HIDMA channel
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A HIDMA channel as the host kernel's vfio-platform driver exposes it:
 *   region 0: the channel's transfer (TRCA) register block
 *   region 1: the channel's event (EVCA) register block
 *   IRQ 0: the channel's wired interrupt (level)
 * The management block stays with the host. The guest's device tree gets
 * a "qcom,hidma-1.x" node for it (hw/core/sysbus-fdt.c).
 */

#ifndef HW_VFIO_VFIO_QCOM_HIDMA_H
#define HW_VFIO_VFIO_QCOM_HIDMA_H

#include "hw/vfio/vfio-platform.h"
#include "qom/object.h"

#define TYPE_VFIO_QCOM_HIDMA "vfio-qcom-hidma"

struct VFIOQcomHidmaDevice {
    VFIOPlatformDevice vdev;
    /* "desc-count" of the guest's node; 0: the host node's, if any */
    uint32_t desc_count;
};
typedef struct VFIOQcomHidmaDevice VFIOQcomHidmaDevice;

struct VFIOQcomHidmaDeviceClass {
    /*< private >*/
    VFIOPlatformDeviceClass parent_class;
    /*< public >*/
    DeviceRealize parent_realize;
};
typedef struct VFIOQcomHidmaDeviceClass VFIOQcomHidmaDeviceClass;

DECLARE_OBJ_CHECKERS(VFIOQcomHidmaDevice, VFIOQcomHidmaDeviceClass,
                     VFIO_QCOM_HIDMA_DEVICE, TYPE_VFIO_QCOM_HIDMA)

#endif
