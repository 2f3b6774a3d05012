# Device configuration for the HIDMA virtual platform (used with
# --without-default-devices): the virt machine, which selects the HIDMA
# model; the TCG GICv3 (and its ITS) for gic-version=3 under TCG; the
# v7M code that TCG's Arm translator links against whatever the machine;
# a virtio console over virtio-mmio; and virtio-net-pci, because virt
# creates a default NIC of that model unless told -nic none.

CONFIG_ARM_VIRT=y
CONFIG_ARM_GICV3_TCG=y
CONFIG_ARM_V7M=y
CONFIG_VIRTIO_MMIO=y
CONFIG_VIRTIO_SERIAL=y
CONFIG_VIRTIO_PCI=y
CONFIG_VIRTIO_NET=y
