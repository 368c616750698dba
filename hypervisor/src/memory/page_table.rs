//! ARMv7-A short-descriptor first-level translation tables built from 1 MiB
//! sections.
//!
//! One [`L1Table`] (4096 entries, 16 KiB, 16 KiB aligned) translates a whole
//! 4 GiB address space. Every protection domain has its own table; the kernel's
//! entries are global (`nG = 0`) and privileged-only and are copied into each
//! table, while user entries are non-global and tagged by the domain's ASID. The
//! descriptor encoding follows the ARMv7-A ARM, section B3.5.1, with TEX remap off.

/// Size of one section.
pub const SECTION_SIZE: usize = 1 << SECTION_SHIFT;
/// log2 of [`SECTION_SIZE`].
pub const SECTION_SHIFT: u32 = 20;
/// Number of entries in a first-level table.
pub const L1_ENTRIES: usize = 4096;

/// What kind of memory a section maps; selects TEX/C/B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryKind {
    /// Normal memory, write-back write-allocate cacheable.
    Normal,
    /// Shareable device memory (MMIO).
    Device,
}

/// Who may do what with a section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Kernel read/write, no user access, never executable by user mode.
    KernelData,
    /// Kernel read/write/execute, no user access.
    KernelCode,
    /// User and kernel read/write, not executable.
    UserData,
    /// User read-only, not executable.
    UserReadOnly,
    /// User read/execute (and kernel read), the kernel may not execute it.
    UserCode,
    /// User read/write/execute (e.g. a guest image whose code and data share sections).
    UserAll,
}

impl Access {
    /// True if user mode can reach the section at all.
    pub const fn is_user(self) -> bool {
        !matches!(self, Access::KernelData | Access::KernelCode)
    }
}

/// Bits[1:0] = 0b1x: a section (bit 0 is PXN on cores that implement it).
const DESC_SECTION: u32 = 0b10;
const BIT_PXN: u32 = 1 << 0;
const BIT_B: u32 = 1 << 2;
const BIT_C: u32 = 1 << 3;
const BIT_XN: u32 = 1 << 4;
const AP_SHIFT: u32 = 10;
const TEX_SHIFT: u32 = 12;
const BIT_AP2: u32 = 1 << 15;
const BIT_S: u32 = 1 << 16;
const BIT_NG: u32 = 1 << 17;

/// TEX, C and B: the memory type of a section.
const MEMORY_ATTRIBUTES: u32 = (0b111 << TEX_SHIFT) | BIT_C | BIT_B;
/// TEX, C and B of [`MemoryKind::Normal`].
const NORMAL_ATTRIBUTES: u32 = (0b001 << TEX_SHIFT) | BIT_C | BIT_B;

/// Encodes one section descriptor mapping `physical` (1 MiB aligned).
pub const fn section_descriptor(physical: usize, kind: MemoryKind, access: Access) -> u32 {
    let mut desc = ((physical as u32) & 0xFFF0_0000) | DESC_SECTION;
    desc |= match kind {
        MemoryKind::Normal => NORMAL_ATTRIBUTES | BIT_S,
        MemoryKind::Device => BIT_B | BIT_S | BIT_XN,
    };
    // AP[2:0]: 001 PL1 RW only; 011 RW everywhere; 010 PL0 RO; 111 RO everywhere.
    desc |= match access {
        Access::KernelData => (0b01 << AP_SHIFT) | BIT_XN,
        Access::KernelCode => 0b01 << AP_SHIFT,
        Access::UserData => (0b11 << AP_SHIFT) | BIT_XN | BIT_PXN | BIT_NG,
        Access::UserReadOnly => (0b10 << AP_SHIFT) | BIT_XN | BIT_PXN | BIT_NG,
        Access::UserCode => (0b11 << AP_SHIFT) | BIT_AP2 | BIT_PXN | BIT_NG,
        Access::UserAll => (0b11 << AP_SHIFT) | BIT_PXN | BIT_NG,
    };
    desc
}

/// Why a mapping request was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    /// An address or size is not a multiple of [`SECTION_SIZE`], or the range wraps.
    Misaligned,
    /// The virtual range collides with a kernel mapping.
    KernelRange,
    /// A section in the range is already mapped.
    AlreadyMapped,
    /// A section in the range is not mapped (unmap).
    NotMapped,
}

/// A first-level translation table.
#[repr(C, align(16384))]
pub struct L1Table {
    entries: [u32; L1_ENTRIES],
}

impl Default for L1Table {
    fn default() -> Self {
        Self::new()
    }
}

impl L1Table {
    /// An empty table: every address faults.
    pub const fn new() -> Self {
        Self { entries: [0; L1_ENTRIES] }
    }

    /// Makes the table empty in place (a new table by value would be a 16 KiB
    /// temporary on the kernel stack).
    pub fn clear(&mut self) {
        self.entries.fill(0);
    }

    /// The raw descriptor for the section holding `virtual_address`.
    pub fn entry(&self, virtual_address: usize) -> u32 {
        self.entries[virtual_address >> SECTION_SHIFT]
    }

    /// Physical address of the table itself (identity-mapped kernel memory).
    pub fn base_address(&self) -> usize {
        self.entries.as_ptr() as usize
    }

    fn check_range(virtual_address: usize, size: usize) -> Result<core::ops::Range<usize>, MapError> {
        if !virtual_address.is_multiple_of(SECTION_SIZE) || !size.is_multiple_of(SECTION_SIZE) || size == 0 {
            return Err(MapError::Misaligned);
        }
        let first = virtual_address >> SECTION_SHIFT;
        let count = size >> SECTION_SHIFT;
        if first + count > L1_ENTRIES {
            return Err(MapError::Misaligned);
        }
        Ok(first..first + count)
    }

    /// Maps `size` bytes at `virtual_address` to `physical`, all section aligned.
    /// Kernel entries (global) are never replaced.
    pub fn map(
        &mut self,
        virtual_address: usize,
        physical: usize,
        size: usize,
        kind: MemoryKind,
        access: Access,
    ) -> Result<(), MapError> {
        let range = Self::check_range(virtual_address, size)?;
        if !physical.is_multiple_of(SECTION_SIZE) || physical.checked_add(size - 1).is_none() {
            return Err(MapError::Misaligned);
        }
        for index in range.clone() {
            let existing = self.entries[index];
            if existing != 0 {
                return Err(if existing & BIT_NG == 0 { MapError::KernelRange } else { MapError::AlreadyMapped });
            }
        }
        for (offset, index) in range.enumerate() {
            self.entries[index] = section_descriptor(physical + offset * SECTION_SIZE, kind, access);
        }
        Ok(())
    }

    /// Removes user mappings of `size` bytes at `virtual_address`.
    pub fn unmap(&mut self, virtual_address: usize, size: usize) -> Result<(), MapError> {
        let range = Self::check_range(virtual_address, size)?;
        for index in range.clone() {
            let existing = self.entries[index];
            if existing == 0 {
                return Err(MapError::NotMapped);
            }
            if existing & BIT_NG == 0 {
                return Err(MapError::KernelRange);
            }
        }
        for index in range {
            self.entries[index] = 0;
        }
        Ok(())
    }

    /// Copies every kernel (global) entry of `kernel` into this table.
    pub fn copy_kernel_entries(&mut self, kernel: &L1Table) {
        for (mine, theirs) in self.entries.iter_mut().zip(kernel.entries.iter()) {
            if *theirs != 0 && *theirs & BIT_NG == 0 {
                *mine = *theirs;
            }
        }
    }

    /// Translates `virtual_address` and reports whether user mode may read
    /// (and, with `write`, write) it as ordinary memory: the check the kernel
    /// applies to every pointer a user thread hands it. Device memory is refused
    /// even where user mode may touch it itself: the kernel never reads or writes
    /// a device on a user's behalf (a read can have side effects).
    pub fn user_physical(&self, virtual_address: usize, write: bool) -> Option<usize> {
        let desc = self.entry(virtual_address);
        if desc & DESC_SECTION == 0 || desc & BIT_NG == 0 {
            return None;
        }
        if desc & MEMORY_ATTRIBUTES != NORMAL_ATTRIBUTES {
            return None;
        }
        let ap = ((desc >> AP_SHIFT) & 0b11) | (((desc & BIT_AP2) >> 15) << 2);
        let allowed = match ap {
            0b011 => true,
            0b010 | 0b111 => !write,
            _ => false,
        };
        allowed.then_some((desc & 0xFFF0_0000) as usize | (virtual_address & (SECTION_SIZE - 1)))
    }
}

/// Builds the kernel's own table: RAM identity-mapped (kernel image executable,
/// the rest data), the kernel's devices mapped as device memory, all privileged-only.
pub fn build_kernel_table(
    table: &mut L1Table,
    ram_base: usize,
    ram_size: usize,
    kernel_code_end: usize,
    devices: &[(usize, usize)],
) -> Result<(), MapError> {
    let code_size = (kernel_code_end - ram_base).next_multiple_of(SECTION_SIZE);
    table.map(ram_base, ram_base, code_size, MemoryKind::Normal, Access::KernelCode)?;
    if ram_size > code_size {
        table.map(
            ram_base + code_size,
            ram_base + code_size,
            ram_size - code_size,
            MemoryKind::Normal,
            Access::KernelData,
        )?;
    }
    for &(base, size) in devices {
        table.map(base, base, size, MemoryKind::Device, Access::KernelData)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_kernel_section_encoding() {
        let desc = section_descriptor(0x4010_0000, MemoryKind::Normal, Access::KernelData);
        assert_eq!(desc & 0xFFF0_0000, 0x4010_0000);
        assert_eq!(desc & 0b11, 0b10);
        assert_eq!((desc >> 12) & 0b111, 0b001, "TEX=001 write-back");
        assert_ne!(desc & BIT_C, 0);
        assert_ne!(desc & BIT_B, 0);
        assert_eq!((desc >> 10) & 0b11, 0b01, "privileged only");
        assert_eq!(desc & BIT_NG, 0, "kernel mappings are global");
        assert_ne!(desc & BIT_XN, 0);
    }

    #[test]
    fn user_code_is_read_only_and_not_privileged_executable() {
        let desc = section_descriptor(0x4200_0000, MemoryKind::Normal, Access::UserCode);
        assert_ne!(desc & BIT_AP2, 0);
        assert_eq!(desc & BIT_XN, 0);
        assert_ne!(desc & BIT_PXN, 0);
        assert_ne!(desc & BIT_NG, 0);
    }

    #[test]
    fn kernel_table_and_user_checks() {
        let mut kernel = Box::new(L1Table::new());
        build_kernel_table(&mut kernel, 0x4000_0000, 128 << 20, 0x4003_0000, &[(0x0900_0000, SECTION_SIZE)]).unwrap();
        assert_ne!(kernel.entry(0x4000_0000), 0);
        assert_ne!(kernel.entry(0x47F0_0000), 0);
        assert_eq!(kernel.entry(0x4800_0000), 0);
        assert_eq!((kernel.entry(0x0900_0000) >> 2) & 0b11, 0b01, "device: B only");

        let mut user = Box::new(L1Table::new());
        user.copy_kernel_entries(&kernel);
        assert_eq!(
            user.map(0x4000_0000, 0x4400_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::KernelRange)
        );
        user.map(0x0010_0000, 0x4400_0000, 2 * SECTION_SIZE, MemoryKind::Normal, Access::UserAll).unwrap();
        assert_eq!(
            user.map(0x0020_0000, 0x4500_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::AlreadyMapped)
        );
        assert_eq!(user.user_physical(0x0010_1234, true), Some(0x4400_1234));
        assert_eq!(user.user_physical(0x0020_0010, false), Some(0x4410_0010));
        assert_eq!(user.user_physical(0x4000_0000, false), None, "kernel is not user-visible");
        assert_eq!(user.user_physical(0x0030_0000, false), None, "unmapped");
        user.map(0x0300_0000, 0x4600_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserReadOnly).unwrap();
        assert!(user.user_physical(0x0300_0000, false).is_some());
        assert_eq!(user.user_physical(0x0300_0000, true), None, "read-only");
        user.map(0x0400_0000, 0x0900_0000, SECTION_SIZE, MemoryKind::Device, Access::UserData).unwrap();
        assert_eq!(user.user_physical(0x0400_0000, false), None, "the kernel never reads a device for a user");
        assert_eq!(user.user_physical(0x0400_0000, true), None, "nor writes one");
        assert_eq!(user.unmap(0x4000_0000, SECTION_SIZE), Err(MapError::KernelRange));
        user.unmap(0x0010_0000, 2 * SECTION_SIZE).unwrap();
        assert_eq!(user.unmap(0x0010_0000, SECTION_SIZE), Err(MapError::NotMapped));
        assert_eq!(
            user.map(0x0010_0001, 0, SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::Misaligned)
        );
        assert_eq!(
            user.map(0xFFF0_0000, 0, 2 * SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::Misaligned)
        );
    }
}
