// SPDX-License-Identifier: GPL-2.0-only
// expect: firmware gives no interrupt: no wired interrupt, and no MSI domain (no IORT mapping or msi-parent)
//
// A channel device (\_SB.HBCV, QCOM8062) on channel 5's registers, like
// the virt machine's \_SB.HC05 but with no interrupt, on an MSI revision
// without an IORT named component (no MSI domain): the probe must fail
// before its first register access. Loaded while \_SB.HC05 is unbound.
DefinitionBlock ("", "SSDT", 2, "HIDMA", "BADCHAN", 1)
{
    Scope (\_SB)
    {
        Device (HBCV)
        {
            Name (_HID, "QCOM8062")
            Name (_UID, 5)
            Name (_CCA, 1)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadWrite, 0x0B105000, 0x00001000)
                Memory32Fixed (ReadWrite, 0x0B205000, 0x00001000)
            })
        }
    }
}
