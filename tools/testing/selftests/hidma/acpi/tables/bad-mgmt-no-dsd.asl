// SPDX-License-Identifier: GPL-2.0-only
// expect: firmware property dma-channels is missing (allowed: 1..32)
//
// A second management block (\_SB.HBMV) on the real one's registers, with
// no _DSD at all. Loaded while the real one is unbound; the probe must
// fail before its first register access.
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

        }
    }
}
