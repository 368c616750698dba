// SPDX-License-Identifier: MIT OR Apache-2.0
//! QEMU `virt` (the machine the ucvisor kernel runs on): the addresses and
//! interrupt number the native baseline uses.

/// PL011 UART data register.
pub const UART_DATA: usize = 0x0900_0000;
/// GICv2 distributor.
pub const GIC_DISTRIBUTOR: usize = 0x0800_0000;
/// GICv2 CPU interface.
pub const GIC_CPU_INTERFACE: usize = 0x0801_0000;
/// The generic timer's virtual timer interrupt (a PPI).
pub const VIRTUAL_TIMER_IRQ: u32 = 27;
