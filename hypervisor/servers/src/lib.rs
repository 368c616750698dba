// SPDX-License-Identifier: MIT OR Apache-2.0
//! The user-level servers of ucvisor. `root_server` is the Iguana-like root task:
//! it owns all free memory and the right to create threads and spaces, builds the
//! driver domain (`drivers`: `v_timer` and `v_serial`) and one protection domain
//! per guest of the system description (the `system` boot module), starts each
//! guest at its `_Start`, and then serves thread, memory-section, interrupt and
//! exit requests and guest fault reports, applying each guest's fault policy.
//!
//! This library holds the servers' logic that needs no hardware, built and
//! unit-tested on the host: reading and checking the system description
//! ([`system`]), each guest's memory and its quota ([`memory`]), the fault
//! policy, restart-rate accounting, request checks and the system's exit code
//! ([`policy`]), fault reports ([`report`]) and v_serial's console domains,
//! line buffering and tagging ([`console`]), and v_timer's clients, each bound
//! to its domain ([`timer`]). The programs in `src/bin/` are the
//! glue between these and the system calls.
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]

pub mod console;
pub mod log_limit;
pub mod memory;
pub mod policy;
pub mod report;
pub mod system;
pub mod timer;

/// The text of a NUL-padded 24-byte name (what precedes the first NUL), or
/// `None` when that is not UTF-8.
pub fn name_text(name: &[u8; 24]) -> Option<&str> {
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    core::str::from_utf8(&name[..end]).ok()
}

/// Packs a NUL-padded 24-byte name into six little-endian message words.
pub fn name_words(name: &[u8; 24]) -> [u32; 6] {
    let mut words = [0u32; 6];
    for (index, byte) in name.iter().enumerate() {
        words[index / 4] |= u32::from(*byte) << (8 * (index % 4));
    }
    words
}

/// Unpacks six little-endian message words into a 24-byte name.
pub fn words_name(words: &[u32]) -> [u8; 24] {
    let mut name = [0u8; 24];
    for (index, byte) in name.iter_mut().enumerate() {
        *byte = words.get(index / 4).map_or(0, |word| (word >> (8 * (index % 4))) as u8);
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_travel_in_words() {
        let name = paravirt_api::pv_name("v_serial-tag.1");
        assert_eq!(words_name(&name_words(&name)), name);
        assert_eq!(name_text(&name), Some("v_serial-tag.1"));
        assert_eq!(name_words(&name)[0], u32::from_le_bytes(*b"v_se"));
        assert_eq!(words_name(&[u32::from_le_bytes(*b"ab\0\0")]), paravirt_api::pv_name("ab"));
        assert_eq!(name_text(&[0xFF; 24]), None);
    }
}
