#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Schema check of the project's device tree bindings,
# Documentation/devicetree/bindings/dma/qcom,hidma-mgmt.yaml and
# qcom,hidma.yaml, and of the trees the virtual platform boots. This is
# what "make dt_binding_check" and "make dtbs_check" do, done by hand
# because the kernel's Makefile (6.12) wants dtschema >= 2023.9 and
# Debian 12 ships dt-schema 2022.08. Runs on the host; part of the suite.
#
#   dt-binding-check.sh KERNEL_SOURCE
#
# 1. each binding against dtschema's meta-schemas (dt-doc-validate);
# 2. each binding's example, extracted, preprocessed with the kernel's
#    dt-bindings headers and compiled, against the processed schemas
#    (the two bindings, the kernel's dma-common.yaml and
#    dma-controller.yaml, dtschema's core schemas);
# 3. dts/hidma-virt-host.dts and dts/hidma-virt-guest.dts, on a small
#    stand-in for the virt machine's tree, against the same schemas;
# 4. mutations of the examples that the schemas must reject, so a check
#    that cannot fail is noticed.
# Every complaint dt-validate prints is a failure. Prints TAP; exits 1 on
# any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
ksrc=${1:?usage: $0 KERNEL_SOURCE}
bindings=$top/Documentation/devicetree/bindings/dma
kdma=$ksrc/Documentation/devicetree/bindings/dma

for tool in dt-doc-validate dt-mk-schema dt-extract-example dt-validate dtc cpp; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP $tool missing (apt-get install dt-schema device-tree-compiler cpp)"; exit 4; }
done
[ -d "$ksrc/include/dt-bindings" ] || { echo "not ok 1 kernel source at $ksrc"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bindings/dma"
cp "$bindings/qcom,hidma-mgmt.yaml" "$bindings/qcom,hidma.yaml" \
	"$kdma/dma-common.yaml" "$kdma/dma-controller.yaml" "$work/bindings/dma/"

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n dt: $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n dt: $*"; }
diag() { sed 's/^/#   /' "$@"; }

echo "# dtschema $(dt-doc-validate --version 2>/dev/null), kernel schemas from $ksrc"

# 1
for b in qcom,hidma-mgmt qcom,hidma; do
	if dt-doc-validate -u "$work/bindings" "$work/bindings/dma/$b.yaml" >"$work/doc.log" 2>&1 &&
		! [ -s "$work/doc.log" ]; then
		ok "$b.yaml is valid against the meta-schemas"
	else
		nok "$b.yaml is valid against the meta-schemas"
		diag "$work/doc.log"
	fi
done

if ! dt-mk-schema -j "$work/bindings" >"$work/processed.json" 2>"$work/mk.log" ||
	! [ -s "$work/processed.json" ]; then
	nok "schemas process"
	diag "$work/mk.log"
	echo "1..$n"
	exit 1
fi

# compile_dts SRC DTB: cpp with the kernel's dt-bindings headers, then dtc.
compile_dts() {
	cpp -nostdinc -I "$ksrc/include" -I "$ksrc/scripts/dtc/include-prefixes" \
		-I "$top/dts" -I "$work" -undef -D__DTS__ -x assembler-with-cpp -P "$1" \
		>"$1.pre" 2>"$work/cpp.log" &&
		dtc -q -@ -I dts -O dtb -o "$2" "$1.pre" 2>"$work/dtc.log"
}

# check_dts DESC SRC: SRC compiles and dt-validate has nothing to say.
check_dts() {
	local dtb=${2%.dts}.dtb log=${2%.dts}.log
	if ! compile_dts "$2" "$dtb"; then
		nok "$1 compiles"
		diag "$work/cpp.log" "$work/dtc.log"
		return
	fi
	dt-validate -p "$work/processed.json" "$dtb" >"$log" 2>&1
	if grep -q . "$log"; then
		nok "$1 is valid"
		diag "$log"
	else
		ok "$1 is valid"
	fi
}

# 2
for b in qcom,hidma-mgmt qcom,hidma; do
	dt-extract-example "$work/bindings/dma/$b.yaml" >"$work/$b.dts"
	check_dts "$b.yaml example" "$work/$b.dts"
done

# 3: the virt machine's tree is dumped by QEMU at run time; the nodes the
# project's trees refer to are enough here.
cat >"$work/virt-base.dts" <<-'EOF'
/dts-v1/;
/ {
	compatible = "linux,dummy-virt";
	model = "linux,dummy-virt";
	#address-cells = <2>;
	#size-cells = <2>;
	interrupt-parent = <&gic>;

	gic: intc@8000000 {
		compatible = "arm,gic-v3";
		reg = <0x0 0x08000000 0x0 0x10000>, <0x0 0x080a0000 0x0 0xf60000>;
		interrupt-controller;
		#interrupt-cells = <3>;
		#address-cells = <2>;
		#size-cells = <2>;
		ranges;

		its@8080000 {
			compatible = "arm,gic-v3-its";
			reg = <0x0 0x08080000 0x0 0x20000>;
			msi-controller;
			#msi-cells = <1>;
		};
	};
};
EOF
for t in host guest; do
	cp "$top/dts/hidma-virt-$t.dts" "$work/$t.dts"
	check_dts "dts/hidma-virt-$t.dts" "$work/$t.dts"
done

# 4: BINDING|NODE|SED-EXPRESSION|DESCRIPTION, applied to the binding's
# preprocessed example. Only complaints about NODE that the intact example
# does not get count.
while IFS='|' read -r b node expr what; do
	[ -n "$b" ] || continue
	pre=$work/$b.dts.pre
	sed -e "$expr" "$pre" >"$work/bad.dts"
	if cmp -s "$pre" "$work/bad.dts"; then
		nok "$b.yaml rejects $what (mutation did not apply)"
		continue
	fi
	if ! dtc -q -@ -I dts -O dtb -o "$work/bad.dtb" "$work/bad.dts" 2>"$work/dtc.log"; then
		nok "$b.yaml rejects $what (mutation does not compile)"
		diag "$work/dtc.log"
		continue
	fi
	# -m: a node no schema matches (an unknown compatible) is a complaint.
	[ -f "$work/$b.m.log" ] ||
		dt-validate -m -p "$work/processed.json" "$work/$b.dtb" >"$work/$b.m.log" 2>&1
	dt-validate -m -p "$work/processed.json" "$work/bad.dtb" >"$work/bad.log" 2>&1
	if sed "s|$work/bad.dtb|X|" "$work/bad.log" |
		grep -vxF -f <(sed "s|$work/$b.dtb|X|" "$work/$b.m.log") |
		grep -q "$node"; then
		ok "$b.yaml rejects $what"
	else
		nok "$b.yaml rejects $what"
		diag "$work/bad.log"
	fi
done <<-'EOF'
qcom,hidma-mgmt|hidma-mgmt@b000000|/dma-channels = /d|a missing dma-channels
qcom,hidma-mgmt|hidma-mgmt@b000000|s/dma-channels = <6>/dma-channels = <33>/|dma-channels = 33
qcom,hidma-mgmt|hidma-mgmt@b000000|s/max-write-burst-bytes = <1024>/max-write-burst-bytes = <100>/|max-write-burst-bytes = 100
qcom,hidma-mgmt|hidma-mgmt@b000000|s/max-read-burst-bytes = <1024>/max-read-burst-bytes = <2048>/|max-read-burst-bytes = 2048
qcom,hidma-mgmt|hidma-mgmt@b000000|/max-read-burst-bytes = /d|a missing max-read-burst-bytes
qcom,hidma-mgmt|hidma-mgmt@b000000|s/max-write-transactions = <31>/max-write-transactions = <32>/|max-write-transactions = 32
qcom,hidma-mgmt|hidma-mgmt@b000000|/max-read-transactions = /d|a missing max-read-transactions
qcom,hidma-mgmt|hidma-mgmt@b000000|s/channel-reset-timeout-cycles = <0x500>/channel-reset-timeout-cycles = <0x100000>/|channel-reset-timeout-cycles = 0x100000
qcom,hidma-mgmt|hidma-mgmt@b000000|s/channel-reset-timeout-cycles = <0x500>/channel-reset-timeout-cycles = <0>/|channel-reset-timeout-cycles = 0
qcom,hidma-mgmt|hidma-mgmt@b000000|s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <0 16>;/|a weight of 16
qcom,hidma-mgmt|hidma-mgmt@b000000|s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <0 0>;/|a weight of 0
qcom,hidma-mgmt|hidma-mgmt@b000000|s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <2 1>;/|a priority of 2
qcom,hidma-mgmt|hidma-mgmt@b000000|s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <0 1 1>;/|an odd qcom,channel-qos
qcom,hidma-mgmt|hidma-mgmt@b000000|s/ranges;/ranges; qcom,foo = <1>;/|an unknown property
qcom,hidma|dma-controller@b100000|s/#dma-cells = <1>/#dma-cells = <0>/|#dma-cells = 0
qcom,hidma|dma-controller@b100000|/#dma-cells = /d|a missing #dma-cells
qcom,hidma|dma-controller@b100000|s/qcom,hidma-1.2/qcom,hidma-2.0/|an unknown revision
qcom,hidma|dma-controller@b100000|s/desc-count = <256>/desc-count = <0>/|desc-count = 0
qcom,hidma|dma-controller@b100000|/interrupts = /d|a missing interrupts
qcom,hidma|dma-controller@b100000|s/desc-count = <256>/desc-count = <256>; qcom,foo = <1>/|an unknown property
EOF

echo "1..$n"
[ $fails -eq 0 ]
