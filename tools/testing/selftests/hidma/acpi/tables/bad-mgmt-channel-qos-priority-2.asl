// SPDX-License-Identifier: GPL-2.0-only
// expect: firmware property qcom,channel-qos entry 1 = <2 1> is invalid (allowed: priority 0..1, weight 1..15)
//
// A second management block (\_SB.HBMV) on the real one's registers, with
// the virt machine's _DSD but qcom,channel-qos giving channel 1 priority
// 2. Loaded while the real one is unbound; the probe must fail before its
// first register access.
DefinitionBlock ("", "SSDT", 2, "HIDMA", "BADMGMT", 1)
{
    Scope (\_SB)
    {
        Device (HBMV)
        {
            Name (_HID, "QCOM8060")
            Name (_UID, 1)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0B000000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 208 }
            })
            Name (_DSD, Package ()
            {
                ToUUID ("daffd814-6eba-4d8c-8a91-bc9bbf4aa301"),
                Package ()
                {
                    Package () { "dma-channels", 6 },
                    Package () { "max-write-burst-bytes", 1024 },
                    Package () { "max-read-burst-bytes", 1024 },
                    Package () { "max-write-transactions", 31 },
                    Package () { "max-read-transactions", 31 },
                    Package () { "channel-reset-timeout-cycles", 0x500 },
                    Package () { "qcom,channel-qos", Package () { 0, 1, 2, 1 } },
                }
            })
        }
    }
}
