// SPDX-License-Identifier: MIT OR Apache-2.0
//! Memory as the root server hands it out: physical RAM taken in whole
//! sections ([`Ram`]), and each guest's region of its own ([`Region`]) — the
//! `memory_kib` the system description gives it, reserved at boot — from which
//! its image, its first stack and every memory section it asks for come, and
//! nothing else. The region records where each piece is mapped in the guest's
//! space, so that the root server can read guest memory (the running task in a
//! fault report) by the guest's own addresses.
//!
//! Virtual layout of a domain: the image at its link address (each program
//! of an image has its own, below `PV_IMAGE_WINDOW_END`: the root server at
//! `PV_ROOT_SERVER_LINK_ADDRESS`, the driver domain at
//! `PV_DRIVERS_LINK_ADDRESS`, guests from `PV_GUEST_LINK_BASE`; the image
//! build assigns them), the first thread's stack section at [`STACK_BASE`], memory
//! sections upwards from [`MEMSECTION_BASE`] up to [`MEMSECTION_END`], each
//! above an unmapped guard section.

use paravirt_api::*;

const SECTION: u32 = PV_SECTION_SIZE;
/// Stack section of a domain's first thread(s): right above the window
/// programs are linked in.
pub const STACK_BASE: u32 = PV_IMAGE_WINDOW_END;
/// Memory sections handed out on request start here in each domain.
pub const MEMSECTION_BASE: u32 = 0x2100_0000;
/// End of the memory-section window of a domain.
pub const MEMSECTION_END: u32 = 0x2800_0000;
/// Most mappings one region keeps (image, stack, memory sections).
pub const MAX_MAPPINGS: usize = 16;

/// Second-level page tables the first thread's stack section takes: its
/// guard page is a hole in the section, so it is mapped page by page.
pub const STACK_L2_TABLES: u32 = 1;

/// Second-level page tables the kernel needs to map `runs` (offset, size in
/// bytes, ascending and not overlapping) of a region whose virtual and
/// physical bases are section aligned: one for every section that a run
/// covers only in part. A run over whole sections is mapped with first-level
/// section entries and takes none.
///
/// This is all a guest ever costs the kernel's pool of second-level tables:
/// its image (sections where code and data meet) and its stack section
/// ([`STACK_L2_TABLES`]), mapped by the root server when the guest starts.
/// Every memory section it asks for later is whole, section-aligned
/// sections of its region ([`Region::take_memsection`]) and takes no
/// second-level table, so no guest can drain the pool at run time.
pub fn l2_tables_for(runs: impl IntoIterator<Item = (u32, u32)>) -> u32 {
    let mut count = 0;
    let mut last = None;
    let mut mark = |section: u32| {
        if last != Some(section) {
            last = Some(section);
            count += 1;
        }
    };
    for (offset, size) in runs {
        if size == 0 {
            continue;
        }
        let end = offset.saturating_add(size);
        if !offset.is_multiple_of(SECTION) {
            mark(offset / SECTION);
        }
        if !end.is_multiple_of(SECTION) {
            mark(end / SECTION);
        }
    }
    count
}

/// Not enough RAM left: how much was wanted and how much is left, in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutOfRam {
    /// Bytes asked for.
    pub wanted: u32,
    /// Bytes left.
    pub left: u32,
}

/// The RAM the kernel left free for the root server, handed out front to back
/// in whole sections (nothing is given back: guests keep their regions across
/// restarts).
#[derive(Clone, Copy, Debug)]
pub struct Ram {
    next: u32,
    end: u32,
}

impl Ram {
    /// Free RAM from physical `base` for `size` bytes (section aligned).
    pub fn new(base: u32, size: u32) -> Self {
        Self { next: base, end: base.saturating_add(size) }
    }

    /// Takes `bytes` (rounded up to whole sections); returns the physical base.
    pub fn take(&mut self, bytes: u32) -> Result<u32, OutOfRam> {
        let left = self.end - self.next;
        let size = bytes.div_ceil(SECTION).checked_mul(SECTION).ok_or(OutOfRam { wanted: bytes, left })?;
        if size > left {
            return Err(OutOfRam { wanted: size, left });
        }
        let base = self.next;
        self.next += size;
        Ok(base)
    }

    /// Bytes left.
    pub fn left(&self) -> u32 {
        self.end - self.next
    }
}

/// One piece of a region mapped into the guest's space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// Guest virtual address.
    pub virtual_address: u32,
    /// Offset in the region.
    pub offset: u32,
    /// Bytes (whole sections).
    pub size: u32,
}

/// A guest's RAM: one physically contiguous run of whole sections.
#[derive(Clone, Copy, Debug)]
pub struct Region {
    /// Physical base.
    pub base: u32,
    /// Bytes.
    pub size: u32,
    used: u32,
    next_memsection: u32,
    mappings: [Mapping; MAX_MAPPINGS],
    mapping_count: usize,
}

impl Region {
    /// The region at physical `base` of `size` bytes, nothing handed out yet.
    pub fn new(base: u32, size: u32) -> Self {
        Self {
            base,
            size,
            used: 0,
            next_memsection: MEMSECTION_BASE,
            mappings: [Mapping { virtual_address: 0, offset: 0, size: 0 }; MAX_MAPPINGS],
            mapping_count: 0,
        }
    }

    /// Forgets everything handed out (the guest is reloaded into a fresh domain).
    pub fn reset(&mut self) {
        *self = Self::new(self.base, self.size);
    }

    /// Bytes not handed out yet.
    pub fn left(&self) -> u32 {
        self.size - self.used
    }

    /// Takes `size` bytes (whole sections) for guest address `virtual_address`;
    /// returns the physical address. `PV_ERR_NO_RESOURCES` beyond the region
    /// (the guest's quota) or when the mapping table is full.
    fn take(&mut self, virtual_address: u32, size: u32) -> Result<u32, u32> {
        if size > self.left() || self.mapping_count == MAX_MAPPINGS {
            return Err(PV_ERR_NO_RESOURCES);
        }
        let offset = self.used;
        self.mappings[self.mapping_count] = Mapping { virtual_address, offset, size };
        self.mapping_count += 1;
        self.used += size;
        Ok(self.base + offset)
    }

    /// The image: `size` bytes from virtual `base`, at the start of the region.
    /// Call first, on a fresh or reset region.
    pub fn take_image(&mut self, base: u32, size: u32) -> Result<u32, u32> {
        self.take(base, size.div_ceil(SECTION) * SECTION)
    }

    /// The first thread's stack section at [`STACK_BASE`].
    pub fn take_stack(&mut self) -> Result<u32, u32> {
        self.take(STACK_BASE, SECTION)
    }

    /// A memory section of `bytes` (rounded up to whole sections) at the next
    /// free address of the memory-section window after an unmapped guard
    /// section: (virtual, physical, size).
    /// `PV_ERR_INVALID_ARGUMENT` for 0 bytes, `PV_ERR_NO_RESOURCES` beyond the
    /// guest's region or the window.
    pub fn take_memsection(&mut self, bytes: u32) -> Result<(u32, u32, u32), u32> {
        if bytes == 0 {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let size = bytes.div_ceil(SECTION).checked_mul(SECTION).ok_or(PV_ERR_NO_RESOURCES)?;
        // An unmapped section below each: the guard under a stack (the
        // µC/OS-II thread's lives in one), so running off it is a data abort,
        // never a write into the memory section below. Virtual space only:
        // no RAM, and no second-level table (a whole section stays unmapped).
        let virtual_address = self.next_memsection + SECTION;
        if virtual_address > MEMSECTION_END || size > MEMSECTION_END - virtual_address {
            return Err(PV_ERR_NO_RESOURCES);
        }
        let physical = self.take(virtual_address, size)?;
        self.next_memsection = virtual_address + size;
        Ok((virtual_address, physical, size))
    }

    /// The region offset of guest bytes `virtual_address..+length`, if they
    /// lie in one mapping of this region.
    pub fn offset_of(&self, virtual_address: u32, length: u32) -> Option<u32> {
        let end = virtual_address.checked_add(length)?;
        self.mappings[..self.mapping_count]
            .iter()
            .find(|m| virtual_address >= m.virtual_address && end <= m.virtual_address + m.size)
            .map(|m| m.offset + (virtual_address - m.virtual_address))
    }

    /// Bytes from `virtual_address` to the end of its mapping (0 if unmapped).
    pub fn mapped_after(&self, virtual_address: u32) -> u32 {
        self.mappings[..self.mapping_count]
            .iter()
            .find(|m| virtual_address >= m.virtual_address && virtual_address < m.virtual_address + m.size)
            .map_or(0, |m| m.virtual_address + m.size - virtual_address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u32 = SECTION;

    #[test]
    fn link_addresses_are_distinct_sections_of_the_image_window() {
        let guests_end = PV_GUEST_LINK_BASE + PV_MAX_GUESTS * PV_GUEST_LINK_STRIDE;
        let bases = [PV_ROOT_SERVER_LINK_ADDRESS, PV_DRIVERS_LINK_ADDRESS, PV_GUEST_LINK_BASE, guests_end];
        assert!(bases.windows(2).all(|pair| pair[0] < pair[1]), "root server, drivers, guests in order");
        assert!(bases.iter().chain(&[PV_GUEST_LINK_STRIDE]).all(|b| b % SECTION == 0), "whole sections");
        assert_eq!(PV_ROOT_SERVER_LINK_ADDRESS, PV_USER_BASE);
        assert!(guests_end <= STACK_BASE && STACK_BASE < MEMSECTION_BASE);
    }

    #[test]
    fn ram_is_taken_in_sections_until_it_runs_out() {
        let mut ram = Ram::new(0x4100_0000, 10 * MIB);
        assert_eq!(ram.take(8 * MIB), Ok(0x4100_0000));
        assert_eq!(ram.take(1), Ok(0x4180_0000), "rounded up to a section");
        assert_eq!(ram.left(), MIB);
        assert_eq!(ram.take(2 * MIB), Err(OutOfRam { wanted: 2 * MIB, left: MIB }));
        assert_eq!(ram.take(u32::MAX), Err(OutOfRam { wanted: u32::MAX, left: MIB }));
        assert_eq!(ram.take(MIB), Ok(0x4190_0000));
    }

    #[test]
    fn a_guest_gets_memory_from_its_region_only() {
        let mut region = Region::new(0x4200_0000, 6 * MIB);
        assert_eq!(region.take_image(0x0010_0000, 0x1_2000), Ok(0x4200_0000));
        assert_eq!(region.take_stack(), Ok(0x4210_0000));
        assert_eq!(region.take_memsection(2 * MIB), Ok((MEMSECTION_BASE + MIB, 0x4220_0000, 2 * MIB)));
        assert_eq!(
            region.take_memsection(1),
            Ok((MEMSECTION_BASE + 4 * MIB, 0x4240_0000, MIB)),
            "an unmapped guard section below each"
        );
        assert_eq!(region.left(), MIB);
        // Its quota: one section is left, two are refused, nothing changes.
        assert_eq!(region.take_memsection(2 * MIB), Err(PV_ERR_NO_RESOURCES));
        assert_eq!(region.take_memsection(u32::MAX), Err(PV_ERR_NO_RESOURCES));
        assert_eq!(region.take_memsection(0), Err(PV_ERR_INVALID_ARGUMENT));
        assert_eq!(region.take_memsection(MIB), Ok((MEMSECTION_BASE + 6 * MIB, 0x4250_0000, MIB)));
        assert_eq!(region.take_memsection(1), Err(PV_ERR_NO_RESOURCES));
        region.reset();
        assert_eq!(region.left(), 6 * MIB);
        assert_eq!(region.take_image(0x0010_0000, MIB + 1), Ok(0x4200_0000));
        assert_eq!(region.left(), 4 * MIB, "an image of a section and a byte takes two");
    }

    #[test]
    fn the_memsection_window_and_the_mapping_table_are_bounded() {
        let mut region = Region::new(0x4000_0000, 200 * MIB);
        let window = (MEMSECTION_END - MEMSECTION_BASE) / MIB;
        assert_eq!(region.take_memsection(window * MIB), Err(PV_ERR_NO_RESOURCES), "no room for the guard");
        assert_eq!(region.take_memsection((window - 1) * MIB).map(|(v, _, _)| v), Ok(MEMSECTION_BASE + MIB));
        assert_eq!(region.take_memsection(MIB), Err(PV_ERR_NO_RESOURCES), "past the window");
        let mut region = Region::new(0x4000_0000, 100 * MIB);
        for _ in 0..MAX_MAPPINGS {
            assert!(region.take_memsection(MIB).is_ok());
        }
        assert_eq!(region.take_memsection(MIB), Err(PV_ERR_NO_RESOURCES), "mapping table full");
    }

    #[test]
    fn second_level_tables_are_counted_per_partly_mapped_section() {
        let page = PV_PAGE_SIZE;
        assert_eq!(l2_tables_for([]), 0);
        assert_eq!(l2_tables_for([(0, MIB)]), 0, "a whole section");
        assert_eq!(l2_tables_for([(0, 2 * MIB)]), 0);
        // Code and data meet inside the first section: one table for both runs.
        assert_eq!(l2_tables_for([(0, 5 * page), (5 * page, MIB - 5 * page)]), 1);
        // ... and a section later: two.
        assert_eq!(l2_tables_for([(0, MIB + 3 * page), (MIB + 3 * page, MIB - 3 * page)]), 1);
        assert_eq!(l2_tables_for([(0, 3 * page), (3 * page, MIB), (MIB + 3 * page, MIB - 3 * page)]), 2);
        // A stack section with its guard page.
        assert_eq!(l2_tables_for([(page, MIB - page)]), STACK_L2_TABLES);
    }

    #[test]
    fn memory_sections_are_whole_aligned_sections_and_take_no_second_level_table() {
        let mut region = Region::new(0x4200_0000, 40 * MIB);
        region.take_image(0x0010_0000, MIB).unwrap();
        region.take_stack().unwrap();
        for bytes in [1, MIB - 1, MIB, MIB + 1, 3 * MIB + 7, 4096] {
            let (virtual_address, physical, size) = region.take_memsection(bytes).unwrap();
            assert!(virtual_address.is_multiple_of(MIB) && physical.is_multiple_of(MIB) && size.is_multiple_of(MIB));
            assert_eq!(l2_tables_for([(virtual_address, size)]), 0);
        }
    }

    #[test]
    fn guest_addresses_translate_to_region_offsets() {
        let mut region = Region::new(0x4200_0000, 8 * MIB);
        region.take_image(0x0010_0000, MIB).unwrap();
        region.take_stack().unwrap();
        region.take_memsection(2 * MIB).unwrap();
        assert_eq!(region.offset_of(0x0010_0000, 4), Some(0));
        assert_eq!(region.offset_of(0x0010_0ffc, 4), Some(0xffc));
        assert_eq!(region.offset_of(0x001f_fffe, 4), None, "crosses the end of the image");
        assert_eq!(region.offset_of(STACK_BASE + 8, 4), Some(MIB + 8));
        assert_eq!(region.offset_of(MEMSECTION_BASE + 2 * MIB, 4), Some(2 * MIB + MIB));
        assert_eq!(region.offset_of(MEMSECTION_BASE, 4), None, "the guard section");
        assert_eq!(region.offset_of(0, 4), None);
        assert_eq!(region.offset_of(u32::MAX - 1, 4), None);
        assert_eq!(region.mapped_after(0x001f_fff0), 0x10);
        assert_eq!(region.mapped_after(0x0030_0000), 0);
    }
}
