// SPDX-License-Identifier: GPL-2.0-only
// expect: firmware gives no EVCA register region (the second memory range)
//
// A channel device (\_SB.HBCV, QCOM8061) on channel 5's registers, like
// the virt machine's \_SB.HC05 but with no second memory range (the event
// channel's registers, EVCA): the probe must fail before its first
// register access. Loaded while \_SB.HC05 is unbound.
DefinitionBlock ("", "SSDT", 2, "HIDMA", "BADCHAN", 1)
{
    Scope (\_SB)
    {
        Device (HBCV)
        {
            Name (_HID, "QCOM8061")
            Name (_UID, 5)
            Name (_CCA, 1)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0B105000, 0x00001000)
                Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive) { 214 }
            })
        }
    }
}
