//! A bounds-checked reader for the parts of 32-bit little-endian ARM ELF images
//! that loading needs: the header, the `PT_LOAD` program headers and (for the
//! root server's `_Start` lookup) the symbol table.
//!
//! Hand-written rather than `xmas-elf`: that crate indexes slices without
//! checking and panics on truncated or misaligned input, and the kernel must turn
//! a corrupt image into an error, never a panic. Every offset here is checked.
#![cfg_attr(not(test), no_std)]

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
    /// Entry address (`e_entry`; bit 0 set means Thumb).
    pub entry: u32,
    program_headers: u32,
    program_header_size: u32,
    program_header_count: u32,
    section_headers: u32,
    section_header_size: u32,
    section_header_count: u32,
}

fn read_u16(bytes: &[u8], offset: u32) -> Result<u16, ElfError> {
    let offset = offset as usize;
    let field = bytes.get(offset..offset.checked_add(2).ok_or(ElfError::Truncated)?).ok_or(ElfError::Truncated)?;
    Ok(u16::from_le_bytes([field[0], field[1]]))
}

fn read_u32(bytes: &[u8], offset: u32) -> Result<u32, ElfError> {
    let offset = offset as usize;
    let field = bytes.get(offset..offset.checked_add(4).ok_or(ElfError::Truncated)?).ok_or(ElfError::Truncated)?;
    Ok(u32::from_le_bytes([field[0], field[1], field[2], field[3]]))
}

const PT_LOAD: u32 = 1;
const SHT_SYMTAB: u32 = 2;
const EM_ARM: u16 = 40;
const ET_EXEC: u16 = 2;

impl<'a> Image<'a> {
    /// Checks the header of `bytes`.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ElfError> {
        if bytes.len() < 52 {
            return Err(if bytes.starts_with(b"\x7fELF") || bytes.len() < 4 {
                ElfError::Truncated
            } else {
                ElfError::NotElf
            });
        }
        if &bytes[..4] != b"\x7fELF" {
            return Err(ElfError::NotElf);
        }
        // ELFCLASS32, ELFDATA2LSB, executable, ARM.
        if bytes[4] != 1 || bytes[5] != 1 || read_u16(bytes, 16)? != ET_EXEC || read_u16(bytes, 18)? != EM_ARM {
            return Err(ElfError::WrongKind);
        }
        let image = Self {
            bytes,
            entry: read_u32(bytes, 24)?,
            program_headers: read_u32(bytes, 28)?,
            section_headers: read_u32(bytes, 32)?,
            program_header_size: u32::from(read_u16(bytes, 42)?),
            program_header_count: u32::from(read_u16(bytes, 44)?),
            section_header_size: u32::from(read_u16(bytes, 46)?),
            section_header_count: u32::from(read_u16(bytes, 48)?),
        };
        if image.program_header_size < 32 {
            return Err(ElfError::Truncated);
        }
        Ok(image)
    }

    /// The loadable segments, each checked against the file and for wrap-around.
    pub fn segments(&self) -> impl Iterator<Item = Result<Segment, ElfError>> + '_ {
        (0..self.program_header_count).filter_map(move |index| {
            let header = self.program_header_size.checked_mul(index).and_then(|o| o.checked_add(self.program_headers));
            let Some(header) = header else {
                return Some(Err(ElfError::Truncated));
            };
            let parse = || -> Result<Option<Segment>, ElfError> {
                if read_u32(self.bytes, header)? != PT_LOAD {
                    return Ok(None);
                }
                let segment = Segment {
                    file_offset: read_u32(self.bytes, header + 4)?,
                    virtual_address: read_u32(self.bytes, header + 8)?,
                    file_size: read_u32(self.bytes, header + 16)?,
                    memory_size: read_u32(self.bytes, header + 20)?,
                    flags: read_u32(self.bytes, header + 24)?,
                };
                if segment.file_size > segment.memory_size
                    || segment.virtual_address.checked_add(segment.memory_size).is_none()
                {
                    return Err(ElfError::BadSegment);
                }
                let end = segment.file_offset.checked_add(segment.file_size).ok_or(ElfError::Truncated)?;
                if end as usize > self.bytes.len() {
                    return Err(ElfError::Truncated);
                }
                Ok(Some(segment))
            };
            parse().transpose()
        })
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

    /// Value of the global symbol `name`, if the image keeps a symbol table.
    pub fn symbol(&self, name: &str) -> Option<u32> {
        for index in 0..self.section_header_count {
            let header = self.section_headers.checked_add(self.section_header_size.checked_mul(index)?)?;
            if read_u32(self.bytes, header + 4).ok()? != SHT_SYMTAB {
                continue;
            }
            let table = read_u32(self.bytes, header + 16).ok()?;
            let size = read_u32(self.bytes, header + 20).ok()?;
            let link = read_u32(self.bytes, header + 24).ok()?;
            let entry_size = read_u32(self.bytes, header + 36).ok()?.max(16);
            let strings_header = self.section_headers.checked_add(self.section_header_size.checked_mul(link)?)?;
            let strings = read_u32(self.bytes, strings_header + 16).ok()?;
            for symbol in 0..size / entry_size {
                let entry = table.checked_add(symbol * entry_size)?;
                let name_offset = strings.checked_add(read_u32(self.bytes, entry).ok()?)?;
                let candidate = self.bytes.get(name_offset as usize..)?;
                let end = candidate.iter().position(|&b| b == 0)?;
                if &candidate[..end] == name.as_bytes() {
                    return read_u32(self.bytes, entry + 4).ok();
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ARM executable: one PT_LOAD of 8 file bytes and 16 memory bytes at 0x100000.
    fn sample() -> Vec<u8> {
        let mut image = vec![0u8; 52 + 32 + 8];
        image[..4].copy_from_slice(b"\x7fELF");
        image[4] = 1;
        image[5] = 1;
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
        // Program headers pointing past the end.
        let mut bytes = sample();
        bytes[28..32].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        assert!(Image::parse(&bytes).unwrap().extent().is_err());
        // Every truncation of a valid image fails cleanly.
        let full = sample();
        for length in 0..full.len() {
            if let Ok(image) = Image::parse(&full[..length]) {
                let _ = image.extent();
                let _ = image.symbol("_Start");
            }
        }
    }
}
