// SPDX-License-Identifier: MIT OR Apache-2.0
//! Memory management that needs no hardware: building ARMv7-A short-descriptor
//! translation tables, and keeping every space's table behind one accessor
//! that dates each change (`spaces`). The arch layer only installs what is
//! built here.

pub mod page_table;
pub mod spaces;

/// A 4 KiB page of device registers that the platform lets the root task map
/// for user mode (see `plat::USER_DEVICE_PAGES`). Nothing else outside RAM can
/// be mapped for user mode at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DevicePage {
    /// What the device is (for messages).
    pub name: &'static str,
    /// Physical base, page aligned.
    pub base: usize,
    /// The device can be programmed to read or write physical memory (DMA).
    /// Such a page would let its holder write anywhere, the kernel included,
    /// so the kernel maps it for nobody.
    pub dma_capable: bool,
}
