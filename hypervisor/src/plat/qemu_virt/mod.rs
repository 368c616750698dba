//! QEMU `virt` (`-M virt -cpu cortex-a15`): memory map and interrupt numbers.

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
