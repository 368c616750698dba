// SPDX-License-Identifier: MIT OR Apache-2.0
//! The loadable parts of 32-bit little-endian ARM ELF executables, as the
//! kernel (the root task's image) and the root server (guest and server
//! images) load them: the header, the `PT_LOAD` segments and a symbol lookup.
//!
//! The parsing of headers and table entries is the `elf` crate's (no_std, no
//! allocation, every read bounds checked and every failure an error, never a
//! panic, at any alignment of the input); this crate keeps the loader's own
//! checks on top of it and the small API its callers use: an image is a 32-bit
//! little-endian ARM executable, its tables and a segment's file bytes lie
//! inside the image, a segment's memory is at least its file size and its
//! addresses do not wrap.
//!
//! It uses the crate's table and entry parsers rather than
//! `ElfBytes::minimal_parse`, which also parses the section headers up front:
//! that would put the crate's section-header code into the kernel, which never
//! looks a symbol up. Measured on the release kernel (opt-level "s"): .text
//! 31,004 bytes with the former hand-written reader, 35,172 with this one,
//! 39,872 through `minimal_parse`.
#![cfg_attr(not(test), no_std)]

use elf::abi::{
    EI_CLASS, EI_DATA, EI_NIDENT, ELFCLASS32, ELFDATA2LSB, ELFMAGIC, EM_ARM, ET_EXEC, PT_LOAD, SHN_UNDEF, SHT_SYMTAB,
    STT_FUNC,
};
use elf::endian::LittleEndian;
use elf::file::{Class, ELF32_EHDR_TAILSIZE, FileHeader, parse_ident};
use elf::parse::{ParseError, ParsingTable};
use elf::section::SectionHeaderTable;
use elf::segment::{ProgramHeader, SegmentTable};
use elf::string_table::StringTable;
use elf::symbol::SymbolTable;

/// Sizes of the 32-bit program header, section header and symbol entries.
const PROGRAM_HEADER_SIZE: usize = 32;
const SECTION_HEADER_SIZE: usize = 40;
const SYMBOL_SIZE: u64 = 16;

/// Why an image was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfError {
    /// Shorter than its headers claim.
    Truncated,
    /// Not an ELF file (bad magic).
    NotElf,
    /// Not 32-bit little-endian ARM executable.
    WrongKind,
    /// A segment is malformed (file size larger than memory size, wrapping addresses).
    BadSegment,
    /// No loadable segment.
    Empty,
    /// A page would be both writable and executable (code and data share a
    /// page: the link must start the data on a page of its own).
    WritableCode,
}

/// The page size images are mapped with (code and data on pages of their own).
pub const PAGE_SIZE: u32 = 4096;
/// Segment flag: executable.
pub const PF_X: u32 = 1;
/// Segment flag: writable.
pub const PF_W: u32 = 2;

/// A run of an image's pages that get the same rights.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRun {
    /// Offset of the first page from the mapped base.
    pub offset: u32,
    /// Bytes (whole pages).
    pub size: u32,
    /// Writable (and never executable).
    pub writable: bool,
    /// Executable (and read-only).
    pub executable: bool,
}

impl From<ParseError> for ElfError {
    fn from(error: ParseError) -> Self {
        match error {
            ParseError::BadMagic(_) => ElfError::NotElf,
            ParseError::UnsupportedElfClass(_)
            | ParseError::UnsupportedElfEndianness(_)
            | ParseError::UnsupportedVersion(_) => ElfError::WrongKind,
            // Offsets, sizes and entry sizes that do not fit the file.
            _ => ElfError::Truncated,
        }
    }
}

/// One loadable segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Virtual address of the first byte.
    pub virtual_address: u32,
    /// Bytes in memory (the tail past `file_size` is zero).
    pub memory_size: u32,
    /// Offset of the file bytes in the image.
    pub file_offset: u32,
    /// Bytes present in the file.
    pub file_size: u32,
    /// `PF_X`/`PF_W`/`PF_R` bits.
    pub flags: u32,
}

/// A parsed image: entry point and loadable segments.
pub struct Image<'a> {
    bytes: &'a [u8],
    header: FileHeader<LittleEndian>,
    segments: SegmentTable<'a, LittleEndian>,
    /// Entry address (`e_entry`; bit 0 set means Thumb).
    pub entry: u32,
}

/// A 32-bit field of a 32-bit image (the `elf` crate widens them to 64 bits).
fn word(value: u64) -> Result<u32, ElfError> {
    u32::try_from(value).map_err(|_| ElfError::WrongKind)
}

/// The `count` entries of `size` bytes at `offset` of `bytes`, as a table the
/// `elf` crate parses (empty for offset 0), bounds checked. The crate's
/// `ElfBytes::minimal_parse` would do this for the program and the section
/// headers at once; the loaders find the section headers only when they look
/// up a symbol, which keeps the 64-bit and section-header code of the crate
/// out of the kernel.
fn table<'a, P: elf::parse::ParseAt>(
    bytes: &'a [u8],
    offset: u64,
    count: u64,
    size: usize,
) -> Result<ParsingTable<'a, LittleEndian, P>, ElfError> {
    let data = if offset == 0 {
        &[]
    } else {
        let start = usize::try_from(offset).map_err(|_| ElfError::Truncated)?;
        let length =
            usize::try_from(count).ok().and_then(|count| count.checked_mul(size)).ok_or(ElfError::Truncated)?;
        bytes.get(start..start.checked_add(length).ok_or(ElfError::Truncated)?).ok_or(ElfError::Truncated)?
    };
    Ok(ParsingTable::new(LittleEndian, Class::ELF32, data))
}

impl<'a> Image<'a> {
    /// Checks the header of `bytes` and that its program headers lie inside it.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ElfError> {
        // A file that cannot even hold the magic is truncated; one whose first
        // four bytes are not the magic is no ELF file, however short.
        if bytes.len() >= ELFMAGIC.len() && bytes[..ELFMAGIC.len()] != ELFMAGIC {
            return Err(ElfError::NotElf);
        }
        // A 64-bit or big-endian file is the wrong kind, whatever else is wrong with it.
        if bytes.get(EI_CLASS).is_some_and(|&class| class != ELFCLASS32)
            || bytes.get(EI_DATA).is_some_and(|&data| data != ELFDATA2LSB)
        {
            return Err(ElfError::WrongKind);
        }
        let ident = parse_ident::<LittleEndian>(bytes.get(..EI_NIDENT).ok_or(ElfError::Truncated)?)?;
        let tail = bytes.get(EI_NIDENT..EI_NIDENT + ELF32_EHDR_TAILSIZE).ok_or(ElfError::Truncated)?;
        let header = FileHeader::parse_tail(ident, tail)?;
        if header.e_type != ET_EXEC || header.e_machine != EM_ARM {
            return Err(ElfError::WrongKind);
        }
        if header.e_phoff != 0 && usize::from(header.e_phentsize) != PROGRAM_HEADER_SIZE {
            return Err(ElfError::Truncated);
        }
        let segments = table(bytes, header.e_phoff, header.e_phnum.into(), PROGRAM_HEADER_SIZE)?;
        let entry = word(header.e_entry)?;
        Ok(Self { bytes, header, segments, entry })
    }

    fn segment(&self, header: &ProgramHeader) -> Result<Segment, ElfError> {
        let segment = Segment {
            virtual_address: word(header.p_vaddr)?,
            memory_size: word(header.p_memsz)?,
            file_offset: word(header.p_offset)?,
            file_size: word(header.p_filesz)?,
            flags: header.p_flags,
        };
        if segment.file_size > segment.memory_size || segment.virtual_address.checked_add(segment.memory_size).is_none()
        {
            return Err(ElfError::BadSegment);
        }
        // The segment's file bytes lie inside the image.
        let end = segment.file_offset.checked_add(segment.file_size).ok_or(ElfError::Truncated)?;
        if end as usize > self.bytes.len() {
            return Err(ElfError::Truncated);
        }
        Ok(segment)
    }

    /// The loadable segments, each checked against the file and for wrap-around.
    pub fn segments(&self) -> impl Iterator<Item = Result<Segment, ElfError>> + '_ {
        self.segments.iter().filter(|header| header.p_type == PT_LOAD).map(|header| self.segment(&header))
    }

    /// The file bytes of `segment` (checked by [`Image::segments`]).
    pub fn segment_bytes(&self, segment: &Segment) -> &'a [u8] {
        let start = segment.file_offset as usize;
        self.bytes.get(start..start + segment.file_size as usize).unwrap_or(&[])
    }

    /// Lowest and one-past-highest virtual address over all loadable segments.
    pub fn extent(&self) -> Result<(u32, u32), ElfError> {
        let mut low = u32::MAX;
        let mut high = 0u32;
        for segment in self.segments() {
            let segment = segment?;
            if segment.memory_size == 0 {
                continue;
            }
            low = low.min(segment.virtual_address);
            high = high.max(segment.virtual_address + segment.memory_size);
        }
        if low >= high { Err(ElfError::Empty) } else { Ok((low, high)) }
    }

    /// Rights of the page at `page` (page aligned), writable and executable:
    /// executable if a `PF_X` segment covers a byte of it, writable if a
    /// `PF_W` one does, and writable if no segment covers it (the pages past
    /// `.bss` up to the end of the mapped image: the program's break).
    fn page_rights(&self, page: u32) -> Result<(bool, bool), ElfError> {
        let (mut covered, mut writable, mut executable) = (false, false, false);
        for segment in self.segments() {
            let segment = segment?;
            let end = segment.virtual_address + segment.memory_size;
            if segment.memory_size == 0 || end <= page || segment.virtual_address >= page.saturating_add(PAGE_SIZE) {
                continue;
            }
            covered = true;
            writable |= segment.flags & PF_W != 0;
            executable |= segment.flags & PF_X != 0;
        }
        match (covered, writable, executable) {
            (false, _, _) => Ok((true, false)),
            (true, true, true) => Err(ElfError::WritableCode),
            (true, writable, executable) => Ok((writable, executable)),
        }
    }

    /// The pages `base..base + size` (page aligned, holding the image) as
    /// runs of equal rights, in order, for a loader that maps the image
    /// W^X: code read-only and executable, data, `.bss` and everything after
    /// it read/write and never executable, read-only data read-only. A page
    /// that would be both writable and executable is
    /// [`ElfError::WritableCode`]: nothing may be mapped so.
    pub fn page_runs(&self, base: u32, size: u32) -> impl Iterator<Item = Result<PageRun, ElfError>> + '_ {
        let mut offset = 0;
        core::iter::from_fn(move || {
            if offset >= size {
                return None;
            }
            let rights = match self.page_rights(base + offset) {
                Ok(rights) => rights,
                Err(error) => {
                    offset = size;
                    return Some(Err(error));
                }
            };
            let start = offset;
            offset += PAGE_SIZE;
            while offset < size && self.page_rights(base + offset) == Ok(rights) {
                offset += PAGE_SIZE;
            }
            Some(Ok(PageRun { offset: start, size: offset - start, writable: rights.0, executable: rights.1 }))
        })
    }

    /// Value of the defined symbol `name`, if the image keeps a symbol table
    /// (a stripped image has none: callers fall back to [`Image::entry`]).
    pub fn symbol(&self, name: &str) -> Option<u32> {
        let (symbols, strings) = self.symbol_table()?;
        symbols
            .iter()
            .filter(|symbol| symbol.st_shndx != SHN_UNDEF)
            .find(|symbol| strings.get_raw(symbol.st_name as usize).is_ok_and(|found| found == name.as_bytes()))
            .and_then(|symbol| u32::try_from(symbol.st_value).ok())
    }

    /// The function that holds `address` and the offset of `address` in it,
    /// if the image keeps its function symbols (`STT_FUNC` with a size; a
    /// Thumb function's odd value counts as its even start). For fault
    /// reports: `crasher+0x1c`.
    pub fn function_at(&self, address: u32) -> Option<(&'a str, u32)> {
        let (symbols, strings) = self.symbol_table()?;
        let functions = symbols.iter().filter(|symbol| symbol.st_shndx != SHN_UNDEF && symbol.st_symtype() == STT_FUNC);
        let candidates = functions.filter_map(|symbol| {
            let name = core::str::from_utf8(strings.get_raw(symbol.st_name as usize).ok()?).ok()?;
            Some((name, u32::try_from(symbol.st_value).ok()?, u32::try_from(symbol.st_size).ok()?))
        });
        covering(candidates, address)
    }

    /// The symbol table and its strings, if the image has one of the expected shape.
    fn symbol_table(&self) -> Option<(SymbolTable<'a, LittleEndian>, StringTable<'a>)> {
        let header = &self.header;
        if usize::from(header.e_shentsize) != SECTION_HEADER_SIZE {
            return None;
        }
        let sections: SectionHeaderTable<'_, LittleEndian> =
            table(self.bytes, header.e_shoff, header.e_shnum.into(), SECTION_HEADER_SIZE).ok()?;
        let symbols = sections.iter().find(|section| section.sh_type == SHT_SYMTAB)?;
        let strings = sections.get(usize::try_from(symbols.sh_link).ok()?).ok()?;
        if symbols.sh_entsize != SYMBOL_SIZE {
            return None;
        }
        let symbols: SymbolTable<'a, LittleEndian> =
            table(self.bytes, symbols.sh_offset, symbols.sh_size / SYMBOL_SIZE, SYMBOL_SIZE as usize).ok()?;
        let strings = StringTable::new(self.section_bytes(strings.sh_offset, strings.sh_size)?);
        Some((symbols, strings))
    }

    fn section_bytes(&self, offset: u64, size: u64) -> Option<&'a [u8]> {
        let start = usize::try_from(offset).ok()?;
        self.bytes.get(start..start.checked_add(usize::try_from(size).ok()?)?)
    }
}

/// Of `functions` (name, value, size), the one whose bytes hold `address`
/// (bit 0 of a value, the Thumb mark, ignored), with `address`'s offset in it.
fn covering<'n>(functions: impl Iterator<Item = (&'n str, u32, u32)>, address: u32) -> Option<(&'n str, u32)> {
    functions.filter(|&(_, _, size)| size > 0).find_map(|(name, value, size)| {
        let start = value & !1;
        let offset = address.checked_sub(start)?;
        (offset < size).then_some((name, offset))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ARM executable: one PT_LOAD of 8 file bytes and 16 memory bytes at 0x100000.
    fn sample() -> Vec<u8> {
        let mut image = vec![0u8; 52 + 32 + 8];
        image[..4].copy_from_slice(b"\x7fELF");
        image[4] = 1; // ELFCLASS32
        image[5] = 1; // ELFDATA2LSB
        image[6] = 1; // EV_CURRENT
        image[16..18].copy_from_slice(&ET_EXEC.to_le_bytes());
        image[18..20].copy_from_slice(&EM_ARM.to_le_bytes());
        image[24..28].copy_from_slice(&0x0010_0004u32.to_le_bytes());
        image[28..32].copy_from_slice(&52u32.to_le_bytes());
        image[42..44].copy_from_slice(&32u16.to_le_bytes());
        image[44..46].copy_from_slice(&1u16.to_le_bytes());
        let ph = 52;
        image[ph..ph + 4].copy_from_slice(&PT_LOAD.to_le_bytes());
        image[ph + 4..ph + 8].copy_from_slice(&84u32.to_le_bytes());
        image[ph + 8..ph + 12].copy_from_slice(&0x0010_0000u32.to_le_bytes());
        image[ph + 16..ph + 20].copy_from_slice(&8u32.to_le_bytes());
        image[ph + 20..ph + 24].copy_from_slice(&16u32.to_le_bytes());
        image[ph + 24..ph + 28].copy_from_slice(&5u32.to_le_bytes());
        image[84..92].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        image
    }

    /// An image with the given (address, memory size, flags) segments (no file bytes).
    fn with_segments(segments: &[(u32, u32, u32)]) -> Vec<u8> {
        let mut image = sample()[..52].to_vec();
        image[44..46].copy_from_slice(&(segments.len() as u16).to_le_bytes());
        for &(address, size, flags) in segments {
            let mut header = [0u8; 32];
            header[..4].copy_from_slice(&PT_LOAD.to_le_bytes());
            header[8..12].copy_from_slice(&address.to_le_bytes());
            header[20..24].copy_from_slice(&size.to_le_bytes());
            header[24..28].copy_from_slice(&flags.to_le_bytes());
            image.extend_from_slice(&header);
        }
        image
    }

    #[test]
    fn pages_get_w_xor_x_rights_from_the_segments() {
        const R: u32 = 4;
        // Code 0x100000..0x10c95e, read-only data to 0x10d410, a word of
        // .init_array (RW) in the same page, data and .bss from 0x10e000.
        let bytes = with_segments(&[
            (0x0010_0000, 0xc95e, R | PF_X),
            (0x0010_c960, 0xab0, R),
            (0x0010_d410, 4, R | PF_W),
            (0x0010_e000, 0xbfac, R | PF_W),
        ]);
        let image = Image::parse(&bytes).unwrap();
        let runs: Vec<_> = image.page_runs(0x0010_0000, 0x0010_0000).collect::<Result<_, _>>().unwrap();
        let run = |offset, size, writable, executable| PageRun { offset, size, writable, executable };
        assert_eq!(
            runs,
            [run(0, 0xd000, false, true), run(0xd000, 0xf3000, true, false)],
            "code (with the read-only data sharing its last page) read/execute; the rest read/write"
        );
        // Read-only data on pages of its own stays read-only.
        let bytes =
            with_segments(&[(0x0010_0000, 0x1000, R | PF_X), (0x0010_1000, 0x1800, R), (0x0010_3000, 8, R | PF_W)]);
        let image = Image::parse(&bytes).unwrap();
        let runs: Vec<_> = image.page_runs(0x0010_0000, 0x4000).collect::<Result<_, _>>().unwrap();
        assert_eq!(
            runs,
            [run(0, 0x1000, false, true), run(0x1000, 0x2000, false, false), run(0x3000, 0x1000, true, false)]
        );
        // Code and data sharing a page cannot be mapped W^X.
        let bytes = with_segments(&[(0x0010_0000, 0x1010, R | PF_X), (0x0010_1010, 0x10, R | PF_W)]);
        let image = Image::parse(&bytes).unwrap();
        assert_eq!(image.page_runs(0x0010_0000, 0x4000).next(), Some(Ok(run(0, 0x1000, false, true))));
        assert_eq!(image.page_runs(0x0010_0000, 0x4000).nth(1), Some(Err(ElfError::WritableCode)));
        assert_eq!(image.page_runs(0x0010_0000, 0x4000).count(), 2, "nothing after the error");
    }

    #[test]
    fn parses_a_valid_image() {
        let bytes = sample();
        let image = Image::parse(&bytes).unwrap();
        assert_eq!(image.entry, 0x0010_0004);
        let segments: Vec<_> = image.segments().collect::<Result<_, _>>().unwrap();
        assert_eq!(segments.len(), 1);
        assert_eq!(image.segment_bytes(&segments[0]), &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(image.extent(), Ok((0x0010_0000, 0x0010_0010)));
        assert_eq!(image.symbol("_Start"), None);
    }

    #[test]
    fn refuses_corrupt_images_without_panicking() {
        assert_eq!(Image::parse(b"").err(), Some(ElfError::Truncated));
        assert_eq!(Image::parse(&[0u8; 64]).err(), Some(ElfError::NotElf));
        let mut bytes = sample();
        bytes[18] = 3; // x86
        assert_eq!(Image::parse(&bytes).err(), Some(ElfError::WrongKind));
        // Segment bytes beyond the end of the file.
        let mut bytes = sample();
        bytes[52 + 16..52 + 20].copy_from_slice(&1000u32.to_le_bytes());
        bytes[52 + 20..52 + 24].copy_from_slice(&1000u32.to_le_bytes());
        let image = Image::parse(&bytes).unwrap();
        assert_eq!(image.extent(), Err(ElfError::Truncated));
        // File size larger than memory size.
        let mut bytes = sample();
        bytes[52 + 20..52 + 24].copy_from_slice(&4u32.to_le_bytes());
        assert_eq!(Image::parse(&bytes).unwrap().extent(), Err(ElfError::BadSegment));
        // Program headers pointing past the end: refused with the header.
        let mut bytes = sample();
        bytes[28..32].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        assert_eq!(Image::parse(&bytes).err(), Some(ElfError::Truncated));
        // A section header table past the end: loadable, but no symbols.
        let mut bytes = with_symbols();
        bytes[32..36].copy_from_slice(&0x1000u32.to_le_bytes());
        let image = Image::parse(&bytes).unwrap();
        assert_eq!(image.extent(), Ok((0x0010_0000, 0x0010_0010)));
        assert_eq!(image.symbol("_Start"), None);
        // Not 32-bit little-endian ARM executable.
        for (offset, value) in [(4, 2u8), (5, 2), (16, 3), (18, 62)] {
            let mut bytes = sample();
            bytes[offset] = value;
            assert_eq!(Image::parse(&bytes).err(), Some(ElfError::WrongKind), "byte {offset} = {value}");
        }
        // No loadable segment.
        let mut bytes = sample();
        bytes[52..56].copy_from_slice(&4u32.to_le_bytes()); // PT_NOTE
        assert_eq!(Image::parse(&bytes).unwrap().extent(), Err(ElfError::Empty));
        // Every truncation of a valid image fails cleanly.
        let full = with_symbols();
        for length in 0..full.len() {
            if let Ok(image) = Image::parse(&full[..length]) {
                let _ = image.extent();
                let _ = image.symbol("_Start");
            }
        }
    }

    /// Every byte of an image with a symbol table set to a few values: no
    /// panic, and every segment that is accepted lies inside the image.
    #[test]
    fn any_corruption_is_an_error_or_a_checked_image() {
        let full = with_symbols();
        for index in 0..full.len() {
            for value in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                let mut bytes = full.clone();
                bytes[index] = value;
                let Ok(image) = Image::parse(&bytes) else { continue };
                let _ = image.extent();
                let _ = image.symbol("_Start");
                for segment in image.segments().flatten() {
                    let end = segment.file_offset as usize + segment.file_size as usize;
                    assert!(end <= bytes.len());
                    assert_eq!(image.segment_bytes(&segment).len(), segment.file_size as usize);
                    assert!(segment.virtual_address.checked_add(segment.memory_size).is_some());
                }
            }
        }
    }

    /// `sample()` plus a symbol table (`.symtab`, `.strtab`) with `_Start`
    /// defined at 0x100040 and `_undefined` undefined.
    fn with_symbols() -> Vec<u8> {
        let mut image = sample();
        let strings = b"\0_Start\0_undefined\0";
        let strings_offset = image.len();
        image.extend_from_slice(strings);
        while !image.len().is_multiple_of(4) {
            image.push(0);
        }
        let symbols_offset = image.len();
        // Elf32_Sym: name, value, size, info, other, shndx.
        let symbol = |name: u32, value: u32, section: u16| {
            let mut entry = Vec::new();
            entry.extend_from_slice(&name.to_le_bytes());
            entry.extend_from_slice(&value.to_le_bytes());
            entry.extend_from_slice(&0u32.to_le_bytes());
            entry.extend_from_slice(&[0x12, 0]); // global function
            entry.extend_from_slice(&section.to_le_bytes());
            entry
        };
        image.extend(symbol(0, 0, 0));
        image.extend(symbol(1, 0x0010_0040, 1));
        image.extend(symbol(8, 0x0010_0080, SHN_UNDEF));
        let sections_offset = image.len();
        // Elf32_Shdr: name, type, flags, addr, offset, size, link, info, addralign, entsize.
        let section = |kind: u32, offset: usize, size: usize, link: u32, entry_size: u32| {
            let words = [0, kind, 0, 0, offset as u32, size as u32, link, 0, 4, entry_size];
            words.iter().flat_map(|word| word.to_le_bytes()).collect::<Vec<u8>>()
        };
        image.extend(section(0, 0, 0, 0, 0));
        image.extend(section(2, symbols_offset, 48, 2, 16)); // SHT_SYMTAB, its strings in section 2
        image.extend(section(3, strings_offset, strings.len(), 0, 0)); // SHT_STRTAB
        image[32..36].copy_from_slice(&(sections_offset as u32).to_le_bytes());
        image[46..48].copy_from_slice(&40u16.to_le_bytes());
        image[48..50].copy_from_slice(&3u16.to_le_bytes());
        image
    }

    #[test]
    fn finds_defined_symbols_and_falls_back_to_the_entry_when_stripped() {
        let bytes = with_symbols();
        let image = Image::parse(&bytes).unwrap();
        assert_eq!(image.symbol("_Start"), Some(0x0010_0040));
        assert_eq!(image.symbol("_undefined"), None, "an undefined symbol has no value");
        assert_eq!(image.symbol("_Sta"), None);
        assert_eq!(image.symbol("missing"), None);
        assert_eq!(image.symbol("_Start").unwrap_or(image.entry), 0x0010_0040);
        // Stripped: the loaders' fallback is e_entry.
        let stripped = sample();
        let image = Image::parse(&stripped).unwrap();
        assert_eq!(image.symbol("_Start").unwrap_or(image.entry), 0x0010_0004);
    }

    /// The input may lie at any address: nothing is read through a wider type.
    #[test]
    fn parses_at_any_alignment() {
        let original = with_symbols();
        for shift in 0..8 {
            let mut buffer = vec![0xEEu8; shift];
            buffer.extend_from_slice(&original);
            let image = Image::parse(&buffer[shift..]).unwrap();
            assert_eq!(image.extent(), Ok((0x0010_0000, 0x0010_0010)));
            let segment = image.segments().next().unwrap().unwrap();
            assert_eq!(image.segment_bytes(&segment), &[1, 2, 3, 4, 5, 6, 7, 8]);
            assert_eq!(image.symbol("_Start"), Some(0x0010_0040));
        }
    }

    #[test]
    fn the_function_covering_an_address_and_the_offset_in_it() {
        let functions = [("empty", 0x100, 0), ("arm", 0x1000, 0x20), ("thumb", 0x1021, 0x10)];
        let at = |address| covering(functions.iter().copied(), address);
        assert_eq!(at(0x1000), Some(("arm", 0)));
        assert_eq!(at(0x101c), Some(("arm", 0x1c)));
        assert_eq!(at(0x1020), Some(("thumb", 0)), "a Thumb symbol's value is its start + 1");
        assert_eq!(at(0x102e), Some(("thumb", 0xe)));
        assert_eq!(at(0x1030), None);
        assert_eq!(at(0x100), None, "a symbol without a size holds nothing");
        assert_eq!(at(0), None);
    }
}
