#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Host-side schema check of Documentation/devicetree/bindings/dma/
# qcom,hidma-mgmt.yaml: what "make dt_binding_check
# DT_SCHEMA_FILES=qcom,hidma-mgmt.yaml" does, done by hand because the
# kernel's Makefile (6.12) wants dtschema >= 2023.9 and Debian 12 ships
# dt-schema 2022.08 (package dt-schema; PyPI is not reachable here).
# Not a guest test.
#
#   dt-binding-check.sh [KERNEL_SOURCE]
#
# 1. the binding against dtschema's meta-schemas (dt-doc-validate);
# 2. its example, extracted, preprocessed with the kernel's dt-bindings
#    headers and compiled, against the processed schemas (dt-validate);
# 3. the host configuration's dts (dts/hidma-virt-host.dts, on a small
#    stand-in for the virt machine's tree) against the same schemas;
# 4. mutations of the example that the schema must reject, so a check that
#    cannot fail is noticed.
#
# Schemas used: this binding, the channel binding qcom,hidma.yaml (a
# permissive stand-in while it does not exist), the kernel's dma-common.yaml
# and dma-controller.yaml, dtschema's core schemas. Prints TAP; exits 1 on
# any failure.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../../.." && pwd)
ksrc=${1:-${KSRC:-$HOME/.cache/hidma-vp/kernel-test/source}}
binding=$top/Documentation/devicetree/bindings/dma/qcom,hidma-mgmt.yaml
chan_binding=$top/Documentation/devicetree/bindings/dma/qcom,hidma.yaml

for tool in dt-doc-validate dt-mk-schema dt-extract-example dt-validate dtc cpp; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP $tool missing (apt-get install dt-schema device-tree-compiler cpp)"; exit 4; }
done
[ -d "$ksrc/include/dt-bindings" ] || { echo "1..0 # SKIP no kernel source at $ksrc"; exit 4; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bindings/dma"
cp "$binding" "$work/bindings/dma/"
cp "$ksrc/Documentation/devicetree/bindings/dma/dma-common.yaml" \
	"$ksrc/Documentation/devicetree/bindings/dma/dma-controller.yaml" "$work/bindings/dma/"
if [ -f "$chan_binding" ]; then
	cp "$chan_binding" "$work/bindings/dma/"
	chan_note="the channel binding qcom,hidma.yaml"
else
	chan_note="a permissive stand-in for qcom,hidma.yaml (not written yet)"
	cat >"$work/bindings/dma/qcom,hidma.yaml" <<-'EOF'
	# SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
	%YAML 1.2
	---
	$id: http://devicetree.org/schemas/dma/qcom,hidma.yaml#
	$schema: http://devicetree.org/meta-schemas/core.yaml#
	title: Stand-in for the HIDMA channel binding
	maintainers:
	  - Nobody <nobody@example.org>
	properties:
	  compatible:
	    enum: ["qcom,hidma-1.0", "qcom,hidma-1.1", "qcom,hidma-1.2"]
	required:
	  - compatible
	additionalProperties: true
	EOF
fi

n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n $*"; }
diag() { sed 's/^/#   /' "$@"; }

echo "# schemas: qcom,hidma-mgmt.yaml, $chan_note, kernel dma-common/dma-controller, dtschema $(dt-doc-validate --version 2>/dev/null)"

# 1
if dt-doc-validate -u "$work/bindings" "$work/bindings/dma/qcom,hidma-mgmt.yaml" >"$work/doc.log" 2>&1 &&
	! [ -s "$work/doc.log" ]; then
	ok "binding is valid against the meta-schemas"
else
	nok "binding is valid against the meta-schemas"
	diag "$work/doc.log"
fi

if ! dt-mk-schema -j "$work/bindings" >"$work/processed.json" 2>"$work/mk.log" ||
	! [ -s "$work/processed.json" ]; then
	nok "schemas process"
	diag "$work/mk.log"
	exit 1
fi

# compile_dts SRC DTB: cpp with the kernel's dt-bindings headers, then dtc.
compile_dts() {
	cpp -nostdinc -I "$ksrc/include" -I "$ksrc/scripts/dtc/include-prefixes" \
		-I "$top/dts" -I "$work" -undef -D__DTS__ -x assembler-with-cpp -P "$1" \
		>"$1.pre" 2>"$work/cpp.log" &&
		dtc -q -@ -I dts -O dtb -o "$2" "$1.pre" 2>"$work/dtc.log"
}

# validate DTB LOG: every complaint dt-validate prints is a failure.
validate() {
	dt-validate -p "$work/processed.json" "$1" >"$2" 2>&1
	! grep -q . "$2"
}

# A known conflict outside this binding: qcom,hidma.yaml wants
# '#dma-cells' = 0 on the channel nodes while the kernel's dma-common.yaml
# (through dma-controller.yaml) requires at least 1. report DESC LOG: ok,
# "not ok # TODO" when that conflict is the only complaint, or not ok.
report() {
	if ! grep -q . "$2"; then
		ok "$1"
	elif ! grep -v -e '^[[:space:]]*From schema:' "$2" |
		grep -v -e 'dma-controller@[0-9a-f]*: *#dma-cells:0:0: 0 is less than the minimum of 1' |
		grep -q .; then
		echo "not ok $((n += 1)) $1 # TODO channel nodes: #dma-cells 0 (qcom,hidma.yaml) vs. minimum 1 (dma-common.yaml)"
	else
		nok "$1"
		diag "$2"
	fi
}

# 2
dt-extract-example "$work/bindings/dma/qcom,hidma-mgmt.yaml" >"$work/example.dts"
if ! compile_dts "$work/example.dts" "$work/example.dtb"; then
	nok "example compiles"
	diag "$work/cpp.log" "$work/dtc.log"
else
	validate "$work/example.dtb" "$work/example.log"
	report "example is valid" "$work/example.log"
fi

# 3: the virt machine's tree is dumped by QEMU at run time; the nodes the
# project's dts refers to are enough here.
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
if [ -f "$top/dts/hidma-virt-host.dts" ]; then
	cp "$top/dts/hidma-virt-host.dts" "$work/host.dts"
	if ! compile_dts "$work/host.dts" "$work/host.dtb"; then
		nok "dts/hidma-virt-host.dts compiles"
		diag "$work/cpp.log" "$work/dtc.log"
	else
		validate "$work/host.dtb" "$work/host.log"
		report "dts/hidma-virt-host.dts is valid" "$work/host.log"
	fi
else
	echo "ok $((n += 1)) dts/hidma-virt-host.dts is valid # SKIP not written yet"
fi

# 4: SED-EXPRESSION DESCRIPTION; applied to the preprocessed example.
while IFS='|' read -r expr what; do
	[ -n "$expr" ] || continue
	sed -e "$expr" "$work/example.dts.pre" >"$work/bad.dts"
	if cmp -s "$work/example.dts.pre" "$work/bad.dts"; then
		nok "rejects $what (mutation did not apply)"
		continue
	fi
	if ! dtc -q -@ -I dts -O dtb -o "$work/bad.dtb" "$work/bad.dts" 2>"$work/dtc.log"; then
		nok "rejects $what (mutation does not compile)"
		diag "$work/dtc.log"
	else
		# Only complaints about the management node that the intact
		# example does not get count.
		validate "$work/bad.dtb" "$work/bad.log"
		touch "$work/example.log"
		if sed "s|$work/bad.dtb|X|" "$work/bad.log" |
			grep -vxF -f <(sed "s|$work/example.dtb|X|" "$work/example.log") |
			grep -q 'hidma-mgmt@b000000'; then
			ok "rejects $what"
		else
			nok "rejects $what"
			diag "$work/bad.log"
		fi
	fi
done <<-'EOF'
/dma-channels = /d|a missing dma-channels
s/dma-channels = <6>/dma-channels = <33>/|dma-channels = 33
s/max-write-burst-bytes = <1024>/max-write-burst-bytes = <100>/|max-write-burst-bytes = 100
s/max-read-burst-bytes = <1024>/max-read-burst-bytes = <2048>/|max-read-burst-bytes = 2048
/max-read-burst-bytes = /d|a missing max-read-burst-bytes
s/max-write-transactions = <31>/max-write-transactions = <32>/|max-write-transactions = 32
/max-read-transactions = /d|a missing max-read-transactions
s/channel-reset-timeout-cycles = <0x500>/channel-reset-timeout-cycles = <0x100000>/|channel-reset-timeout-cycles = 0x100000
s/channel-reset-timeout-cycles = <0x500>/channel-reset-timeout-cycles = <0>/|channel-reset-timeout-cycles = 0
s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <0 16>;/|a weight of 16
s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <0 0>;/|a weight of 0
s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <2 1>;/|a priority of 2
s/qcom,channel-qos = <[^;]*>;/qcom,channel-qos = <0 1 1>;/|an odd qcom,channel-qos
s/ranges;/ranges; qcom,foo = <1>;/|an unknown property
EOF

echo "1..$n"
[ $fails -eq 0 ]
