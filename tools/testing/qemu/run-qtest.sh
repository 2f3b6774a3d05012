#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build QEMU with the HIDMA model (build.sh, cached) and run the model's
# qtest. TAP on stdout; the exit status is non-zero if any test failed.
# Extra arguments go to the test binary (e.g. -p /qcom-hidma/memcpy).

set -euo pipefail

QEMU_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$("$QEMU_DIR/build.sh")

export QTEST_QEMU_BINARY="$out/bin/qemu-system-aarch64"
exec "$out/bin/qcom-hidma-test" --tap "$@"
