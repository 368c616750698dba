// SPDX-License-Identifier: MIT OR Apache-2.0
//! QEMU `virt` (`-M virt -cpu cortex-a15`): memory map and interrupt numbers.

use crate::memory::DevicePage;

/// First byte of RAM.
pub const RAM_BASE: usize = 0x4000_0000;
/// RAM size QEMU gives `virt` by default (128 MiB).
pub const RAM_SIZE: usize = 128 * 1024 * 1024;

/// GICv2 distributor.
pub const GIC_DISTRIBUTOR_BASE: usize = 0x0800_0000;
/// GICv2 CPU interface.
pub const GIC_CPU_INTERFACE_BASE: usize = 0x0801_0000;
/// PL011 UART (the console).
pub const UART_BASE: usize = 0x0900_0000;
/// PL031 real-time clock.
pub const RTC_BASE: usize = 0x0901_0000;
/// QEMU's firmware configuration interface: its DMA interface reads and
/// writes any physical address the guest names.
pub const FW_CFG_BASE: usize = 0x0902_0000;
/// PL061 GPIO controller.
pub const GPIO_BASE: usize = 0x0903_0000;
/// The PL011's input clock as QEMU models it (24 MHz).
pub const UART_CLOCK_HZ: u32 = 24_000_000;

/// Number of interrupt IDs the kernel manages (SGIs, PPIs and the SPIs `virt` wires).
pub const IRQ_COUNT: u32 = 128;
/// PL011 interrupt: SPI 1.
pub const UART_IRQ: u32 = 33;
/// Generic timer, virtual timer PPI (given to the user-level `v_timer`).
pub const VIRTUAL_TIMER_IRQ: u32 = 27;
/// Generic timer, non-secure physical timer PPI (the kernel's own timeslice tick).
pub const PHYSICAL_TIMER_IRQ: u32 = 30;

/// Device regions the kernel maps for itself (privileged-only): `(base, size)`.
pub const KERNEL_DEVICE_REGIONS: [(usize, usize); 2] = [(GIC_DISTRIBUTOR_BASE, 0x0010_0000), (UART_BASE, 0x0010_0000)];

/// Device pages the root task may map for user mode, page by page: the
/// devices of `virt`'s low MMIO window that share the UART's 1 MiB section.
/// fw_cfg is listed so that it is known, and marked DMA-capable: the kernel
/// maps it for nobody. The GIC is the kernel's alone and not listed.
pub const USER_DEVICE_PAGES: [DevicePage; 4] = [
    DevicePage { name: "PL011 UART", base: UART_BASE, dma_capable: false },
    DevicePage { name: "PL031 RTC", base: RTC_BASE, dma_capable: false },
    DevicePage { name: "fw_cfg", base: FW_CFG_BASE, dma_capable: true },
    DevicePage { name: "PL061 GPIO", base: GPIO_BASE, dma_capable: false },
];
