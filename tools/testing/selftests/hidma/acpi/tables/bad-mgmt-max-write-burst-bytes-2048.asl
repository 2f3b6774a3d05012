// SPDX-License-Identifier: GPL-2.0-only
// expect: firmware property max-write-burst-bytes = 2048 is invalid (allowed: a power of two in 128..1024)
//
// A second management block (\_SB.HBMV) on the real one's registers, with
// the virt machine's _DSD but max-write-burst-bytes 2048, past the largest
// burst. Loaded while the real one is unbound; the probe must fail before
// its first register access.
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
                    Package () { "max-write-burst-bytes", 2048 },
                    Package () { "max-read-burst-bytes", 1024 },
                    Package () { "max-write-transactions", 31 },
                    Package () { "max-read-transactions", 31 },
                    Package () { "channel-reset-timeout-cycles", 0x500 },
                }
            })
        }
    }
}
