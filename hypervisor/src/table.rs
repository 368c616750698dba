// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fixed-size tables of kernel objects (threads, spaces, interrupt lines,
//! ready-queue links, page-table entries) indexed by slot number, whose
//! out-of-range index is a kernel bug that stops the kernel with a constant
//! message.
//!
//! Why not plain arrays: indexing an array out of range panics through
//! `core::panicking::panic_bounds_check`, whose message formats the index and
//! the length; that one call site brings `core::fmt`'s integer formatting
//! (about 1 KiB) into a kernel that formats nothing else, and every indexing
//! site builds its two arguments. A [`Table`] checks the same bound (`get`)
//! and, out of range, calls one cold function whose panic message is a
//! literal. The place it reports is this module's: the caller's place
//! (`#[track_caller]`) would load a location at every one of the ~100
//! indexing sites, about 1 KiB of `.text` for a panic no user input can
//! reach; a kernel bug that gets here is found with the debugger
//! (`cargo xtask debug`, a breakpoint on `out_of_range`). Every index the kernel uses is checked before (IDs by
//! [`crate::kernel::Kernel`]'s lookups, priorities by their type), so the
//! panic is unreachable from user mode; it guards the kernel's own
//! arithmetic, as the array's check did.
//!
//! [`Table`] wraps an array and [`SliceTable`] a `&'static mut` slice (the
//! translation tables the boot code hands over); both dereference to the
//! slice for iteration and `len`.

use core::ops::{Deref, DerefMut, Index, IndexMut};

/// Stops the kernel: a table index was out of range (a kernel bug).
#[cold]
#[inline(never)]
fn out_of_range() -> ! {
    panic!("kernel table index out of range")
}

/// The element `index` of `slice`, or the kernel stops (see the module docs).
#[inline(always)]
pub fn at<T>(slice: &[T], index: usize) -> &T {
    match slice.get(index) {
        Some(element) => element,
        None => out_of_range(),
    }
}

/// The element `index` of `slice`, mutable, or the kernel stops.
#[inline(always)]
pub fn at_mut<T>(slice: &mut [T], index: usize) -> &mut T {
    match slice.get_mut(index) {
        Some(element) => element,
        None => out_of_range(),
    }
}

/// `N` elements of `T` indexed by `usize` (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(transparent)]
pub struct Table<T, const N: usize>(pub [T; N]);

impl<T, const N: usize> Index<usize> for Table<T, N> {
    type Output = T;
    #[inline(always)]
    fn index(&self, index: usize) -> &T {
        at(&self.0, index)
    }
}

impl<T, const N: usize> IndexMut<usize> for Table<T, N> {
    #[inline(always)]
    fn index_mut(&mut self, index: usize) -> &mut T {
        at_mut(&mut self.0, index)
    }
}

impl<T, const N: usize> Deref for Table<T, N> {
    type Target = [T; N];
    #[inline(always)]
    fn deref(&self) -> &[T; N] {
        &self.0
    }
}

impl<T, const N: usize> DerefMut for Table<T, N> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T; N] {
        &mut self.0
    }
}

/// A `&'static mut` slice indexed like a [`Table`].
#[derive(Debug)]
pub struct SliceTable<T: 'static>(pub &'static mut [T]);

impl<T> Index<usize> for SliceTable<T> {
    type Output = T;
    #[inline(always)]
    fn index(&self, index: usize) -> &T {
        at(self.0, index)
    }
}

impl<T> IndexMut<usize> for SliceTable<T> {
    #[inline(always)]
    fn index_mut(&mut self, index: usize) -> &mut T {
        at_mut(self.0, index)
    }
}

impl<T> Deref for SliceTable<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        self.0
    }
}

impl<T> DerefMut for SliceTable<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_indexes_like_its_array() {
        let mut table = Table([10u32, 20, 30]);
        table[1] += 5;
        assert_eq!((table[0], table[1], table[2]), (10, 25, 30));
        assert_eq!(table.len(), 3);
        assert_eq!(table.iter().sum::<u32>(), 65);
    }

    #[test]
    #[should_panic(expected = "kernel table index out of range")]
    fn an_index_out_of_range_stops_with_the_constant_message() {
        let table = Table([1u8; 4]);
        let index = table.len();
        let _ = table[index];
    }

    #[test]
    #[should_panic(expected = "kernel table index out of range")]
    fn a_slice_table_checks_its_bound_too() {
        let slice: &'static mut [u16] = Box::leak(Box::new([0u16; 2]));
        let mut table = SliceTable(slice);
        table[1] = 7;
        assert_eq!(table[1], 7);
        table[2] = 1;
    }
}
