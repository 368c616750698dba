// SPDX-License-Identifier: MIT OR Apache-2.0
//! ARMv7-A short-descriptor translation tables: 1 MiB sections in a
//! first-level table, 4 KiB small pages in second-level tables.
//!
//! One [`L1Table`] (4096 entries, 16 KiB, 16 KiB aligned) translates a whole
//! 4 GiB address space. Every protection domain has its own table; the kernel's
//! entries are global (`nG = 0`) and privileged-only and are copied into each
//! table, while user entries are non-global and tagged by the domain's ASID. The
//! descriptor encoding follows the ARMv7-A ARM, sections B3.5.1 (first level) and
//! B3.5.2 (second level), with TEX remap off.
//!
//! Where a mapping covers a whole, aligned section it is one section entry (one
//! TLB entry, no second-level table). Anything finer — a device's 4 KiB register
//! page, a guest's code page beside its data page, the hole of a guard page —
//! goes into a second-level [`L2Table`] (256 entries, 1 KiB) taken from the
//! kernel's fixed [`L2Pool`]; running out of tables is an error the caller
//! reports ([`MapError::NoTables`]), never a panic, and a table whose last page is
//! unmapped goes back to the pool. Each pool table belongs either to one user
//! space (its pages non-global, and the first-level entry PXN, so the kernel
//! never executes user pages) or to the kernel (global, shared by every space
//! through the copied first-level entries).
//!
//! Small-page descriptors have no PXN bit of their own; XN (bit 0) keeps user
//! mode from executing a data page.

use crate::table::Table;

/// Size of one section.
pub const SECTION_SIZE: usize = 1 << SECTION_SHIFT;
/// log2 of [`SECTION_SIZE`].
pub const SECTION_SHIFT: u32 = 20;
/// Number of entries in a first-level table.
pub const L1_ENTRIES: usize = 4096;
/// Bytes of the 32-bit address space (virtual and physical).
const ADDRESS_SPACE: u64 = 1 << 32;
/// Size of one small page.
pub const PAGE_SIZE: usize = 1 << PAGE_SHIFT;
/// log2 of [`PAGE_SIZE`].
pub const PAGE_SHIFT: u32 = 12;
/// Number of entries (pages) in a second-level table: one section's worth.
pub const L2_ENTRIES: usize = SECTION_SIZE / PAGE_SIZE;
/// Size of a second-level table in bytes (and its alignment).
pub const L2_TABLE_BYTES: usize = L2_ENTRIES * 4;
/// Second-level tables in the kernel's pool.
///
/// What needs them on QEMU `virt`: the kernel's stack section (guard pages),
/// and per space the section where a program's code ends and its data begins,
/// the stack section with its guard page and a device section — three at
/// most, and only the driver domain has devices. `MAX_SPACES` (16) × 3 plus the
/// kernel's is 49; 64 leave room for programs whose segments straddle more
/// sections. 64 KiB of RAM.
pub const L2_POOL_TABLES: usize = 64;

/// What kind of memory a mapping is; selects TEX/C/B.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemoryKind {
    /// Normal memory, write-back write-allocate cacheable.
    Normal,
    /// Shareable device memory (MMIO).
    Device,
}

/// Who may do what with a mapping.
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
    /// True if user mode can reach the mapping at all.
    pub const fn is_user(self) -> bool {
        !matches!(self, Access::KernelData | Access::KernelCode)
    }

    /// AP[2:0]: 001 PL1 RW only; 011 RW everywhere; 010 PL0 RO; 111 RO everywhere.
    const fn permission_bits(self) -> u32 {
        match self {
            Access::KernelData | Access::KernelCode => 0b001,
            Access::UserData | Access::UserAll => 0b011,
            Access::UserReadOnly => 0b010,
            Access::UserCode => 0b111,
        }
    }

    const fn executable(self) -> bool {
        matches!(self, Access::KernelCode | Access::UserCode | Access::UserAll)
    }
}

/// Bits[1:0] = 0b1x: a section (bit 0 is PXN on cores that implement it).
const DESC_SECTION: u32 = 0b10;
/// Bits[1:0] = 0b01: a pointer to a second-level table.
const DESC_PAGE_TABLE: u32 = 0b01;
const BIT_PXN: u32 = 1 << 0;
/// PXN of a page-table descriptor: no page of the table is executable at PL1.
const BIT_TABLE_PXN: u32 = 1 << 2;
const BIT_B: u32 = 1 << 2;
const BIT_C: u32 = 1 << 3;
const BIT_XN: u32 = 1 << 4;
const AP_SHIFT: u32 = 10;
const TEX_SHIFT: u32 = 12;
const BIT_AP2: u32 = 1 << 15;
const BIT_S: u32 = 1 << 16;
const BIT_NG: u32 = 1 << 17;

/// Bit 1 set: a small page (bit 0 is XN).
const PAGE_SMALL: u32 = 0b10;
const PAGE_XN: u32 = 1 << 0;
const PAGE_AP_SHIFT: u32 = 4;
const PAGE_TEX_SHIFT: u32 = 6;
const PAGE_AP2: u32 = 1 << 9;
const PAGE_S: u32 = 1 << 10;
const PAGE_NG: u32 = 1 << 11;

/// TEX, C and B: the memory type of a section.
const MEMORY_ATTRIBUTES: u32 = (0b111 << TEX_SHIFT) | BIT_C | BIT_B;
/// TEX, C and B of [`MemoryKind::Normal`].
const NORMAL_ATTRIBUTES: u32 = (0b001 << TEX_SHIFT) | BIT_C | BIT_B;
/// The same fields in a small-page descriptor.
const PAGE_MEMORY_ATTRIBUTES: u32 = (0b111 << PAGE_TEX_SHIFT) | BIT_C | BIT_B;
const PAGE_NORMAL_ATTRIBUTES: u32 = (0b001 << PAGE_TEX_SHIFT) | BIT_C | BIT_B;

/// Encodes one section descriptor mapping `physical` (1 MiB aligned).
pub const fn section_descriptor(physical: usize, kind: MemoryKind, access: Access) -> u32 {
    let mut desc = ((physical as u32) & 0xFFF0_0000) | DESC_SECTION;
    desc |= match kind {
        MemoryKind::Normal => NORMAL_ATTRIBUTES | BIT_S,
        MemoryKind::Device => BIT_B | BIT_S | BIT_XN,
    };
    let ap = access.permission_bits();
    desc |= ((ap & 0b11) << AP_SHIFT) | if ap & 0b100 != 0 { BIT_AP2 } else { 0 };
    if !access.executable() {
        desc |= BIT_XN;
    }
    if access.is_user() {
        desc |= BIT_PXN | BIT_NG;
    }
    desc
}

/// Encodes one small-page descriptor mapping `physical` (4 KiB aligned).
pub const fn page_descriptor(physical: usize, kind: MemoryKind, access: Access) -> u32 {
    let mut desc = ((physical as u32) & 0xFFFF_F000) | PAGE_SMALL;
    desc |= match kind {
        MemoryKind::Normal => PAGE_NORMAL_ATTRIBUTES | PAGE_S,
        MemoryKind::Device => BIT_B | PAGE_S | PAGE_XN,
    };
    let ap = access.permission_bits();
    desc |= ((ap & 0b11) << PAGE_AP_SHIFT) | if ap & 0b100 != 0 { PAGE_AP2 } else { 0 };
    if !access.executable() {
        desc |= PAGE_XN;
    }
    if access.is_user() {
        desc |= PAGE_NG;
    }
    desc
}

/// Why a mapping request was refused. Nothing changed when one is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapError {
    /// An address or size is not a multiple of [`PAGE_SIZE`], the size is 0,
    /// or the range wraps.
    Misaligned,
    /// The virtual range collides with a kernel mapping.
    KernelRange,
    /// A page in the range is already mapped.
    AlreadyMapped,
    /// A page in the range is not mapped (unmap).
    NotMapped,
    /// An unmap covers only part of a section mapping (sections are unmapped whole).
    PartOfSection,
    /// The pool of second-level tables is exhausted.
    NoTables,
}

/// One translation, as the kernel checks it for a user pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Translation {
    /// Physical address of the translated byte.
    pub physical: usize,
    /// Normal memory or a device.
    pub kind: MemoryKind,
    /// User mode may read it.
    pub user_read: bool,
    /// User mode may write it.
    pub user_write: bool,
    /// User mode may execute it.
    pub user_execute: bool,
    /// Bytes from the translated address to the end of its page or section: the
    /// same translation holds for all of them.
    pub extent: usize,
    /// Bytes from the start of its page or section to the translated address:
    /// the same translation holds for all of them too.
    pub offset: usize,
}

impl Translation {
    /// The translation of byte `offset` of a page or section of `size` bytes
    /// at physical `frame`, from its descriptor's fields: normal memory or a
    /// device, non-global (a user mapping; a global one is the kernel's and
    /// gives user mode nothing), AP[2:0] and XN.
    fn of(frame: usize, offset: usize, size: usize, normal: bool, user: bool, ap: u32, xn: bool) -> Self {
        let (user_read, user_write, user_execute) = if user { user_rights(ap, xn) } else { (false, false, false) };
        Self {
            physical: frame | offset,
            kind: if normal { MemoryKind::Normal } else { MemoryKind::Device },
            user_read,
            user_write,
            user_execute,
            extent: size - offset,
            offset,
        }
    }
}

/// Decodes AP[2:0] and XN into (user read, user write, user execute).
const fn user_rights(ap: u32, xn: bool) -> (bool, bool, bool) {
    let (read, write) = match ap {
        0b011 => (true, true),
        0b010 | 0b111 => (true, false),
        _ => (false, false),
    };
    (read, write, read && !xn)
}

/// A second-level translation table: 256 small pages, one section's worth.
#[repr(C, align(1024))]
pub struct L2Table {
    entries: Table<u32, L2_ENTRIES>,
}

/// Book-keeping for one pool table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Slot {
    used: bool,
    /// Holds kernel (global) pages; shared by every space.
    global: bool,
    /// Number of valid entries.
    mapped: u16,
}

const FREE_SLOT: Slot = Slot { used: false, global: false, mapped: 0 };

/// The kernel's fixed pool of second-level tables ([`L2_POOL_TABLES`] of them).
///
/// A first-level entry names its table by physical address; the pool is
/// identity-mapped kernel memory, so that address is the table's own address
/// (on the host, where tables are never walked by hardware, its low 32 bits).
/// The pool must therefore stay where it is once a table is handed out: the
/// kernel keeps it in a static.
pub struct L2Pool {
    tables: Table<L2Table, L2_POOL_TABLES>,
    slots: Table<Slot, L2_POOL_TABLES>,
}

impl Default for L2Pool {
    fn default() -> Self {
        Self::new()
    }
}

impl L2Pool {
    /// A pool with every table free.
    pub const fn new() -> Self {
        Self {
            tables: Table([const { L2Table { entries: Table([0; L2_ENTRIES]) } }; L2_POOL_TABLES]),
            slots: Table([FREE_SLOT; L2_POOL_TABLES]),
        }
    }

    /// Tables in the pool, free or not.
    pub fn capacity(&self) -> usize {
        L2_POOL_TABLES
    }

    /// Tables not handed out.
    pub fn free_tables(&self) -> usize {
        self.slots.iter().filter(|slot| !slot.used).count()
    }

    fn base(&self) -> u32 {
        self.tables.as_ptr() as usize as u32
    }

    /// The first-level descriptor that points at table `index`.
    fn descriptor(&self, index: usize, global: bool) -> u32 {
        let address = self.base().wrapping_add((index * L2_TABLE_BYTES) as u32);
        address | DESC_PAGE_TABLE | if global { 0 } else { BIT_TABLE_PXN }
    }

    /// The pool table a page-table descriptor points at, if it is one of ours.
    fn index_of(&self, descriptor: u32) -> Option<usize> {
        let offset = (descriptor & !0x3FF).wrapping_sub(self.base()) as usize;
        let index = offset / L2_TABLE_BYTES;
        (offset.is_multiple_of(L2_TABLE_BYTES) && index < L2_POOL_TABLES && self.slots[index].used).then_some(index)
    }

    fn allocate(&mut self, global: bool) -> Option<usize> {
        let index = self.slots.iter().position(|slot| !slot.used)?;
        self.tables[index].entries = Table([0; L2_ENTRIES]);
        self.slots[index] = Slot { used: true, global, mapped: 0 };
        Some(index)
    }

    fn release(&mut self, index: usize) {
        self.tables[index].entries = Table([0; L2_ENTRIES]);
        self.slots[index] = FREE_SLOT;
    }
}

/// What a first-level entry is.
enum L1Entry {
    Fault,
    /// A section; `global` if it is the kernel's.
    Section {
        global: bool,
    },
    /// A pool table; `None` if the descriptor points outside the pool (never
    /// made by this module: treated as the kernel's).
    Table(Option<usize>),
}

/// A first-level translation table.
#[repr(C, align(16384))]
pub struct L1Table {
    entries: Table<u32, L1_ENTRIES>,
}

impl Default for L1Table {
    fn default() -> Self {
        Self::new()
    }
}

/// The section-sized or smaller piece of a range that one first-level entry covers.
struct Piece {
    /// First-level index.
    index: usize,
    virtual_address: usize,
    physical: usize,
    size: usize,
}

/// Splits `virtual_address..+size` (with `physical` alongside) at section boundaries.
fn pieces(virtual_address: usize, physical: usize, size: usize) -> impl Iterator<Item = Piece> {
    let mut offset = 0;
    core::iter::from_fn(move || {
        if offset >= size {
            return None;
        }
        let address = virtual_address + offset;
        let length = (SECTION_SIZE - (address & (SECTION_SIZE - 1))).min(size - offset);
        let piece = Piece {
            index: address >> SECTION_SHIFT,
            virtual_address: address,
            physical: physical + offset,
            size: length,
        };
        offset += length;
        Some(piece)
    })
}

impl Piece {
    /// The piece is a whole section, aligned in both address spaces.
    fn is_section(&self) -> bool {
        self.size == SECTION_SIZE && self.physical.is_multiple_of(SECTION_SIZE)
    }

    /// Second-level indices the piece covers.
    fn pages(&self) -> core::ops::Range<usize> {
        let first = (self.virtual_address & (SECTION_SIZE - 1)) >> PAGE_SHIFT;
        first..first + (self.size >> PAGE_SHIFT)
    }
}

impl L1Table {
    /// An empty table: every address faults.
    pub const fn new() -> Self {
        Self { entries: Table([0; L1_ENTRIES]) }
    }

    /// The raw descriptor for the section holding `virtual_address`.
    pub fn entry(&self, virtual_address: usize) -> u32 {
        self.entries[virtual_address >> SECTION_SHIFT]
    }

    /// Physical address of the table itself (identity-mapped kernel memory).
    pub fn base_address(&self) -> usize {
        self.entries.as_ptr() as usize
    }

    fn kind_of(&self, index: usize, pool: &L2Pool) -> L1Entry {
        let desc = self.entries[index];
        match desc & 0b11 {
            0 => L1Entry::Fault,
            DESC_PAGE_TABLE => L1Entry::Table(pool.index_of(desc)),
            _ => L1Entry::Section { global: desc & BIT_NG == 0 },
        }
    }

    /// Checks that `virtual_address..+size` lies in the 32-bit address space, page aligned.
    fn check_range(virtual_address: usize, size: usize) -> Result<(), MapError> {
        if !virtual_address.is_multiple_of(PAGE_SIZE) || !size.is_multiple_of(PAGE_SIZE) || size == 0 {
            return Err(MapError::Misaligned);
        }
        if virtual_address as u64 + size as u64 > ADDRESS_SPACE {
            return Err(MapError::Misaligned);
        }
        Ok(())
    }

    /// Maps `size` bytes at `virtual_address` to `physical`, all page aligned:
    /// whole aligned sections as section entries, the rest as small pages in
    /// second-level tables from `pool`. Kernel entries (global) are never
    /// replaced; either everything is mapped or nothing is.
    pub fn map(
        &mut self,
        pool: &mut L2Pool,
        virtual_address: usize,
        physical: usize,
        size: usize,
        kind: MemoryKind,
        access: Access,
    ) -> Result<(), MapError> {
        Self::check_range(virtual_address, size)?;
        if !physical.is_multiple_of(PAGE_SIZE) || physical as u64 + size as u64 > ADDRESS_SPACE {
            return Err(MapError::Misaligned);
        }
        let global = !access.is_user();
        // First pass: check everything and count the tables needed.
        let mut new_tables = 0;
        for piece in pieces(virtual_address, physical, size) {
            match self.kind_of(piece.index, pool) {
                L1Entry::Fault => {
                    if !piece.is_section() {
                        new_tables += 1;
                    }
                }
                L1Entry::Section { global: true } | L1Entry::Table(None) => return Err(MapError::KernelRange),
                L1Entry::Section { global: false } => return Err(MapError::AlreadyMapped),
                L1Entry::Table(Some(table)) => {
                    if pool.slots[table].global != global {
                        return Err(if pool.slots[table].global {
                            MapError::KernelRange
                        } else {
                            MapError::AlreadyMapped
                        });
                    }
                    if piece.pages().any(|page| pool.tables[table].entries[page] != 0) {
                        return Err(MapError::AlreadyMapped);
                    }
                }
            }
        }
        if new_tables > pool.free_tables() {
            return Err(MapError::NoTables);
        }
        // Second pass: nothing can fail any more.
        for piece in pieces(virtual_address, physical, size) {
            let table = match self.kind_of(piece.index, pool) {
                L1Entry::Fault if piece.is_section() => {
                    self.entries[piece.index] = section_descriptor(piece.physical, kind, access);
                    continue;
                }
                L1Entry::Table(Some(table)) => table,
                _ => {
                    let Some(table) = pool.allocate(global) else { return Err(MapError::NoTables) };
                    self.entries[piece.index] = pool.descriptor(table, global);
                    table
                }
            };
            for (number, page) in piece.pages().enumerate() {
                pool.tables[table].entries[page] = page_descriptor(piece.physical + number * PAGE_SIZE, kind, access);
            }
            pool.slots[table].mapped += piece.pages().len() as u16;
        }
        Ok(())
    }

    /// Removes user mappings of `size` bytes at `virtual_address` (page
    /// aligned). Every page of the range must be mapped, and a section mapping
    /// is removed whole or not at all. A second-level table left empty goes
    /// back to `pool`. Either everything is unmapped or nothing is.
    pub fn unmap(&mut self, pool: &mut L2Pool, virtual_address: usize, size: usize) -> Result<(), MapError> {
        Self::check_range(virtual_address, size)?;
        for piece in pieces(virtual_address, 0, size) {
            match self.kind_of(piece.index, pool) {
                L1Entry::Fault => return Err(MapError::NotMapped),
                L1Entry::Section { global: true } | L1Entry::Table(None) => return Err(MapError::KernelRange),
                L1Entry::Section { global: false } => {
                    if piece.size != SECTION_SIZE {
                        return Err(MapError::PartOfSection);
                    }
                }
                L1Entry::Table(Some(table)) => {
                    if pool.slots[table].global {
                        return Err(MapError::KernelRange);
                    }
                    if piece.pages().any(|page| pool.tables[table].entries[page] == 0) {
                        return Err(MapError::NotMapped);
                    }
                }
            }
        }
        for piece in pieces(virtual_address, 0, size) {
            if let L1Entry::Table(Some(table)) = self.kind_of(piece.index, pool) {
                for page in piece.pages() {
                    pool.tables[table].entries[page] = 0;
                }
                pool.slots[table].mapped -= piece.pages().len() as u16;
                if pool.slots[table].mapped != 0 {
                    continue;
                }
                pool.release(table);
            }
            self.entries[piece.index] = 0;
        }
        Ok(())
    }

    /// Empties the table, giving its user second-level tables back to `pool`
    /// (the space is being deleted or reused).
    pub fn clear(&mut self, pool: &mut L2Pool) {
        for index in 0..L1_ENTRIES {
            if let L1Entry::Table(Some(table)) = self.kind_of(index, pool)
                && !pool.slots[table].global
            {
                pool.release(table);
            }
            self.entries[index] = 0;
        }
    }

    /// Copies every kernel entry of `kernel` (the kernel's own table, which
    /// holds only kernel mappings: global sections and kernel second-level
    /// tables, shared rather than copied) into this table.
    pub fn copy_kernel_entries(&mut self, kernel: &L1Table) {
        for (mine, theirs) in self.entries.iter_mut().zip(kernel.entries.iter()) {
            let section = *theirs & DESC_SECTION != 0;
            if (section && *theirs & BIT_NG == 0) || (!section && *theirs & 0b11 == DESC_PAGE_TABLE) {
                *mine = *theirs;
            }
        }
    }

    /// Translates `virtual_address` as the MMU would, with what user mode may do there.
    pub fn translate(&self, pool: &L2Pool, virtual_address: usize) -> Option<Translation> {
        let index = virtual_address >> SECTION_SHIFT;
        if index >= L1_ENTRIES {
            return None;
        }
        let desc = self.entries[index];
        match self.kind_of(index, pool) {
            L1Entry::Fault | L1Entry::Table(None) => None,
            L1Entry::Section { global } => Some(Translation::of(
                (desc & 0xFFF0_0000) as usize,
                virtual_address & (SECTION_SIZE - 1),
                SECTION_SIZE,
                desc & MEMORY_ATTRIBUTES == NORMAL_ATTRIBUTES,
                !global,
                ((desc >> AP_SHIFT) & 0b11) | (((desc & BIT_AP2) >> 15) << 2),
                desc & BIT_XN != 0,
            )),
            L1Entry::Table(Some(table)) => {
                let page = pool.tables[table].entries[(virtual_address & (SECTION_SIZE - 1)) >> PAGE_SHIFT];
                if page & PAGE_SMALL == 0 {
                    return None;
                }
                Some(Translation::of(
                    (page & 0xFFFF_F000) as usize,
                    virtual_address & (PAGE_SIZE - 1),
                    PAGE_SIZE,
                    page & PAGE_MEMORY_ATTRIBUTES == PAGE_NORMAL_ATTRIBUTES,
                    page & PAGE_NG != 0,
                    ((page >> PAGE_AP_SHIFT) & 0b11) | (((page & PAGE_AP2) >> 9) << 2),
                    page & PAGE_XN != 0,
                ))
            }
        }
    }

    /// Translates `virtual_address` and reports whether user mode may read
    /// (and, with `write`, write) it as ordinary memory: the check the kernel
    /// applies to every pointer a user thread hands it. Device memory is refused
    /// even where user mode may touch it itself: the kernel never reads or writes
    /// a device on a user's behalf (a read can have side effects).
    pub fn user_physical(&self, pool: &L2Pool, virtual_address: usize, write: bool) -> Option<usize> {
        let translation = self.translate(pool, virtual_address)?;
        let allowed =
            translation.kind == MemoryKind::Normal && translation.user_read && (translation.user_write || !write);
        allowed.then_some(translation.physical)
    }
}

/// Builds the kernel's own table: RAM identity-mapped (kernel image executable,
/// the rest data), the kernel's devices mapped as device memory, all
/// privileged-only. The pages in `guards` (page aligned, inside the kernel
/// image) stay unmapped: the guard pages below the kernel's stacks, so that
/// running off a stack is a data abort instead of silent corruption.
pub fn build_kernel_table(
    table: &mut L1Table,
    pool: &mut L2Pool,
    ram_base: usize,
    ram_size: usize,
    kernel_code_end: usize,
    devices: &[(usize, usize)],
    guards: &[usize],
) -> Result<(), MapError> {
    let code_size = (kernel_code_end - ram_base).next_multiple_of(SECTION_SIZE);
    let code_end = ram_base + code_size;
    let mut start = ram_base;
    while start < code_end {
        // The next guard page at or after `start`, if any.
        let guard = guards.iter().copied().filter(|&g| g >= start && g < code_end).min();
        let end = guard.unwrap_or(code_end);
        if end > start {
            table.map(pool, start, start, end - start, MemoryKind::Normal, Access::KernelCode)?;
        }
        start = guard.map_or(code_end, |g| g + PAGE_SIZE);
    }
    if ram_size > code_size {
        table.map(pool, code_end, code_end, ram_size - code_size, MemoryKind::Normal, Access::KernelData)?;
    }
    for &(base, size) in devices {
        table.map(pool, base, base, size, MemoryKind::Device, Access::KernelData)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KIB: usize = 1024;

    fn pool() -> Box<L2Pool> {
        Box::new(L2Pool::new())
    }

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
    fn small_page_encoding() {
        let data = page_descriptor(0x4012_3000, MemoryKind::Normal, Access::UserData);
        assert_eq!(data & 0xFFFF_F000, 0x4012_3000);
        assert_eq!(data & 0b10, 0b10, "small page");
        assert_eq!(data & PAGE_XN, PAGE_XN, "data is execute-never");
        assert_eq!((data >> 4) & 0b11, 0b11, "AP=011: user read/write");
        assert_eq!(data & PAGE_AP2, 0);
        assert_eq!((data >> 6) & 0b111, 0b001, "TEX=001 write-back");
        assert_ne!(data & PAGE_NG, 0);
        let code = page_descriptor(0x4012_3000, MemoryKind::Normal, Access::UserCode);
        assert_eq!(code & PAGE_XN, 0, "code is executable");
        assert_ne!(code & PAGE_AP2, 0, "and read-only");
        let device = page_descriptor(0x0900_0000, MemoryKind::Device, Access::UserData);
        assert_eq!(device & PAGE_XN, PAGE_XN, "devices are never executable");
        assert_eq!(device & (BIT_B | BIT_C | (0b111 << 6)), BIT_B, "shareable device: B only");
        let kernel = page_descriptor(0x4000_0000, MemoryKind::Normal, Access::KernelCode);
        assert_eq!(kernel & PAGE_NG, 0, "kernel pages are global");
        assert_eq!((kernel >> 4) & 0b11, 0b01, "privileged only");
    }

    #[test]
    fn kernel_table_and_user_checks() {
        let mut pool = pool();
        let pool = &mut *pool;
        let mut kernel = Box::new(L1Table::new());
        build_kernel_table(&mut kernel, pool, 0x4000_0000, 128 << 20, 0x4003_0000, &[(0x0900_0000, SECTION_SIZE)], &[])
            .unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES, "no guard: sections only");
        assert_ne!(kernel.entry(0x4000_0000), 0);
        assert_ne!(kernel.entry(0x47F0_0000), 0);
        assert_eq!(kernel.entry(0x4800_0000), 0);
        assert_eq!((kernel.entry(0x0900_0000) >> 2) & 0b11, 0b01, "device: B only");

        let mut user = Box::new(L1Table::new());
        user.copy_kernel_entries(&kernel);
        assert_eq!(
            user.map(pool, 0x4000_0000, 0x4400_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::KernelRange)
        );
        user.map(pool, 0x0010_0000, 0x4400_0000, 2 * SECTION_SIZE, MemoryKind::Normal, Access::UserAll).unwrap();
        assert_eq!(
            user.map(pool, 0x0020_0000, 0x4500_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::AlreadyMapped)
        );
        assert_eq!(
            user.map(pool, 0x0020_0000, 0x4500_0000, PAGE_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::AlreadyMapped),
            "a page inside a mapped section"
        );
        assert_eq!(user.user_physical(pool, 0x0010_1234, true), Some(0x4400_1234));
        assert_eq!(user.user_physical(pool, 0x0020_0010, false), Some(0x4410_0010));
        assert_eq!(user.user_physical(pool, 0x4000_0000, false), None, "kernel is not user-visible");
        assert_eq!(user.user_physical(pool, 0x0030_0000, false), None, "unmapped");
        user.map(pool, 0x0300_0000, 0x4600_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserReadOnly).unwrap();
        assert!(user.user_physical(pool, 0x0300_0000, false).is_some());
        assert_eq!(user.user_physical(pool, 0x0300_0000, true), None, "read-only");
        user.map(pool, 0x0400_0000, 0x0900_0000, SECTION_SIZE, MemoryKind::Device, Access::UserData).unwrap();
        assert_eq!(user.user_physical(pool, 0x0400_0000, false), None, "the kernel never reads a device for a user");
        assert_eq!(user.user_physical(pool, 0x0400_0000, true), None, "nor writes one");
        assert_eq!(user.unmap(pool, 0x4000_0000, SECTION_SIZE), Err(MapError::KernelRange));
        user.unmap(pool, 0x0010_0000, 2 * SECTION_SIZE).unwrap();
        assert_eq!(user.unmap(pool, 0x0010_0000, SECTION_SIZE), Err(MapError::NotMapped));
        assert_eq!(
            user.map(pool, 0x0010_0001, 0, SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::Misaligned)
        );
        assert_eq!(
            user.map(pool, 0xFFF0_0000, 0, 2 * SECTION_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::Misaligned)
        );
        assert_eq!(pool.free_tables(), L2_POOL_TABLES, "sections need no second-level table");
    }

    #[test]
    fn pages_beside_sections_with_their_own_rights() {
        let mut pool = pool();
        let pool = &mut *pool;
        let mut user = Box::new(L1Table::new());
        // A program: 12 KiB of code, then data, then a whole section of data.
        user.map(pool, 0x0010_0000, 0x4400_0000, 12 * KIB, MemoryKind::Normal, Access::UserCode).unwrap();
        user.map(pool, 0x0010_3000, 0x4400_3000, SECTION_SIZE * 2 - 12 * KIB, MemoryKind::Normal, Access::UserData)
            .unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 1, "one table for the mixed section, a section for the rest");
        assert_eq!(user.entry(0x0020_0000) & 0b10, 0b10, "the aligned whole section is a section");
        let code = user.translate(pool, 0x0010_2ffc).unwrap();
        assert_eq!(code.physical, 0x4400_2ffc);
        assert!(code.user_read && !code.user_write && code.user_execute, "code: read and execute only");
        assert_eq!(code.extent, 4);
        let data = user.translate(pool, 0x0010_3000).unwrap();
        assert!(data.user_read && data.user_write && !data.user_execute, "data: read/write, never execute");
        assert_eq!(data.kind, MemoryKind::Normal);
        assert_eq!(user.user_physical(pool, 0x0010_0000, true), None, "code is not writable");
        assert_eq!(user.user_physical(pool, 0x0010_0000, false), Some(0x4400_0000));
        assert_eq!(user.user_physical(pool, 0x001f_f000, true), Some(0x440f_f000));
        assert_eq!(
            user.map(pool, 0x0010_1000, 0x4500_0000, PAGE_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::AlreadyMapped)
        );
        // A guard page: the stack section's lowest page stays unmapped.
        user.map(pool, 0x2000_1000, 0x4600_1000, SECTION_SIZE - PAGE_SIZE, MemoryKind::Normal, Access::UserData)
            .unwrap();
        assert_eq!(user.translate(pool, 0x2000_0ffc), None, "the guard page is unmapped");
        assert!(user.translate(pool, 0x2000_1000).is_some());
        // A device page beside nothing.
        user.map(pool, 0x1000_0000, 0x0900_0000, PAGE_SIZE, MemoryKind::Device, Access::UserData).unwrap();
        let device = user.translate(pool, 0x1000_0018).unwrap();
        assert_eq!((device.physical, device.kind), (0x0900_0018, MemoryKind::Device));
        assert!(!device.user_execute);
        assert_eq!(user.user_physical(pool, 0x1000_0018, false), None, "never read for a user");
        assert_eq!(user.translate(pool, 0x1000_1000), None, "the next page (fw_cfg's neighbours) is not mapped");
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 3);
    }

    #[test]
    fn unmap_frees_empty_tables_and_is_all_or_nothing() {
        let mut pool = pool();
        let pool = &mut *pool;
        let mut user = Box::new(L1Table::new());
        user.map(pool, 0x0010_0000, 0x4400_0000, 8 * KIB, MemoryKind::Normal, Access::UserData).unwrap();
        user.map(pool, 0x0020_0000, 0x4500_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserData).unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 1);
        assert_eq!(user.unmap(pool, 0x0010_0000, 12 * KIB), Err(MapError::NotMapped), "the third page is not mapped");
        assert!(user.translate(pool, 0x0010_1000).is_some(), "nothing was unmapped");
        assert_eq!(user.unmap(pool, 0x0020_0000, PAGE_SIZE), Err(MapError::PartOfSection));
        assert_eq!(user.unmap(pool, 0x0010_0800, PAGE_SIZE), Err(MapError::Misaligned));
        user.unmap(pool, 0x0010_1000, PAGE_SIZE).unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 1, "a page is left: the table stays");
        assert_eq!(user.translate(pool, 0x0010_1000), None);
        user.unmap(pool, 0x0010_0000, PAGE_SIZE).unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES, "the empty table went back to the pool");
        assert_eq!(user.entry(0x0010_0000), 0);
        user.unmap(pool, 0x0020_0000, SECTION_SIZE).unwrap();
        // Clearing a table gives back its tables but never the kernel's.
        let mut kernel = Box::new(L1Table::new());
        build_kernel_table(&mut kernel, pool, 0x4000_0000, 128 << 20, 0x4010_0000, &[], &[0x400f_e000]).unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 1, "the guard page's section needs a table");
        user.copy_kernel_entries(&kernel);
        user.map(pool, 0x0010_0000, 0x4400_0000, 8 * KIB, MemoryKind::Normal, Access::UserData).unwrap();
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 2);
        user.clear(pool);
        assert_eq!(pool.free_tables(), L2_POOL_TABLES - 1);
        assert_eq!(user.translate(pool, 0x0010_0000), None);
    }

    #[test]
    fn kernel_guard_pages_are_unmapped_and_shared_by_every_space() {
        let mut pool = pool();
        let pool = &mut *pool;
        let mut kernel = Box::new(L1Table::new());
        let guards = [0x400f_0000, 0x400f_2000];
        build_kernel_table(&mut kernel, pool, 0x4000_0000, 128 << 20, 0x4010_0000, &[], &guards).unwrap();
        assert_eq!(kernel.translate(pool, 0x400f_0000), None, "guard page unmapped");
        assert_eq!(kernel.translate(pool, 0x400f_2ffc), None, "guard page unmapped");
        for mapped in [0x400e_fffc, 0x400f_1000, 0x400f_3000, 0x400f_ffff, 0x4000_0000, 0x4010_0000] {
            let translation = kernel.translate(pool, mapped).unwrap_or_else(|| panic!("{mapped:#x} mapped"));
            assert_eq!(translation.physical, mapped, "identity mapped");
            assert!(!translation.user_read, "kernel only");
        }
        let mut user = Box::new(L1Table::new());
        user.copy_kernel_entries(&kernel);
        assert_eq!(user.entry(0x400f_0000), kernel.entry(0x400f_0000), "the kernel's table is shared");
        assert_eq!(user.translate(pool, 0x400f_0000), None);
        assert_eq!(
            user.map(pool, 0x400f_0000, 0x4400_0000, PAGE_SIZE, MemoryKind::Normal, Access::UserData),
            Err(MapError::KernelRange),
            "nobody maps into the kernel's guard page"
        );
        assert_eq!(user.unmap(pool, 0x400f_1000, PAGE_SIZE), Err(MapError::KernelRange));
    }

    #[test]
    fn pool_exhaustion_is_an_error_and_changes_nothing() {
        let mut pool = pool();
        let pool = &mut *pool;
        let mut user = Box::new(L1Table::new());
        for section in 0..L2_POOL_TABLES {
            let address = 0x0100_0000 + section * SECTION_SIZE;
            user.map(pool, address, 0x4400_0000, PAGE_SIZE, MemoryKind::Normal, Access::UserData).unwrap();
        }
        assert_eq!(pool.free_tables(), 0);
        // More pages in sections that already have a table still work.
        user.map(pool, 0x0100_1000, 0x4400_1000, PAGE_SIZE, MemoryKind::Normal, Access::UserData).unwrap();
        // Whole sections need no table.
        user.map(pool, 0x1000_0000, 0x4500_0000, SECTION_SIZE, MemoryKind::Normal, Access::UserData).unwrap();
        // A range that needs a table maps nothing, not even its section part.
        let result =
            user.map(pool, 0x1100_0000, 0x4600_0000, SECTION_SIZE + PAGE_SIZE, MemoryKind::Normal, Access::UserData);
        assert_eq!(result, Err(MapError::NoTables));
        assert_eq!(user.translate(pool, 0x1100_0000), None, "all or nothing");
        user.unmap(pool, 0x0100_0000, 2 * PAGE_SIZE).unwrap();
        assert_eq!(pool.free_tables(), 1);
        user.map(pool, 0x1100_0000, 0x4600_0000, SECTION_SIZE + PAGE_SIZE, MemoryKind::Normal, Access::UserData)
            .unwrap();
    }
}
