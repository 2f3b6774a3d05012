# Device configuration of the nested configuration's VMM (build.sh --vmm,
# used with --without-default-devices): the virt machine under KVM, the
# TCG GICv3 and the v7M code that the Arm target links whatever the
# accelerator, vfio-platform with the HIDMA channel passthrough, a virtio
# console over virtio-mmio. No PCI devices: virt then creates no default
# NIC, and the nested guest needs none. Without default devices Kconfig's
# "default y" does not apply: the in-kernel GIC and ITS (KVM's
# kvm-arm-gicv3, kvm-arm-its) must be named too.

CONFIG_ARM_VIRT=y
CONFIG_ARM_GICV3_TCG=y
CONFIG_ARM_V7M=y
CONFIG_VIRTIO_MMIO=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VFIO_PLATFORM=y
CONFIG_VFIO_QCOM_HIDMA=y
CONFIG_ARM_GIC_KVM=y
