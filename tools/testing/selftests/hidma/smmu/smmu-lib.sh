# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=sh
#
# Helpers of the IOMMU tests (the host-smmu configurations: every channel
# behind virt's SMMUv3, stream ID 0x100 + channel index, the same number
# as its ITS DeviceID). Source it:  . ./smmu-lib.sh

# shellcheck source=../chan/chan-lib.sh
. "${HIDMA_TESTS:-/hidma/tests}/chan/chan-lib.sh"

# SMMU_EVT, smmu_events, smmu_records, smmu_sids: lib.sh.

# smmu_event N: "SID ADDRESS" of the (N+1)th SMMU event the kernel
# printed so far.
smmu_event() { smmu_records "$1" | head -n 1; }

# dev_iova STATE REGION: the 64-bit ring address the driver programmed
# (REGION trca or evca), from a copy of its debugfs "state" file.
dev_iova() {
	_h=$(awk -v k="$2.ring_high" '$1 == k { print $2 }' "$1")
	_l=$(awk -v k="$2.ring_low" '$1 == k { print $2 }' "$1")
	printf '0x%016x\n' $(((${_h:-0} << 32) | ${_l:-0}))
}
