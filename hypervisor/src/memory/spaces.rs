// SPDX-License-Identifier: MIT OR Apache-2.0
//! Every space's translation table, the pool of second-level tables they
//! share, and one *generation* counter per space that changes with every
//! change of that space's table.
//!
//! The kernel keeps translations of a few user addresses it writes on every
//! virtual interrupt (a bound thread's virtual-interrupt words, the page of
//! its stack: see `kernel::notify`) instead of walking the tables each time.
//! Such a cached translation is only as good as the table it came from, so it
//! is stored with the generation of its space and used only while that is
//! still the space's generation.
//!
//! That is safe only if no change of a table can leave the generation as it
//! was. Hence the one way to a mutable table, [`SpaceTables::edit`] (and
//! [`SpaceTables::edit_from_kernel`] for a new space), which moves the
//! space's generation on before it hands the table out: map, unmap, clear,
//! space creation and deletion all go through it, and nothing else in the
//! kernel can reach a table mutably. The generation is 64 bits wide: no
//! sequence of changes, however long, brings it back to a value a cache
//! entry holds.

use super::page_table::{L1Table, L2Pool, Translation};

/// The translation tables of `N` spaces (table 0 the kernel's own) and the
/// second-level pool, reached only through methods that keep each space's
/// generation (see the module documentation).
pub struct SpaceTables<const N: usize> {
    tables: &'static mut [L1Table],
    pool: &'static mut [L2Pool],
    generations: [u64; N],
}

impl<const N: usize> SpaceTables<N> {
    /// No tables at all (a kernel before [`SpaceTables::attach`]). Every
    /// generation starts at 1: 0 is never one, so a cache entry may use it
    /// for "nothing cached".
    pub const fn empty() -> Self {
        Self { tables: &mut [], pool: &mut [], generations: [1; N] }
    }

    /// Takes the tables and the pool. Every generation moves on: whatever was
    /// translated before is void.
    pub fn attach(&mut self, tables: &'static mut [L1Table; N], pool: &'static mut L2Pool) {
        self.tables = tables;
        self.pool = core::slice::from_mut(pool);
        for generation in self.generations.iter_mut() {
            *generation += 1;
        }
    }

    /// Space `space`'s table, to read.
    #[inline]
    pub fn table(&self, space: usize) -> &L1Table {
        &self.tables[space]
    }

    /// The pool of second-level tables, to read.
    #[inline]
    pub fn pool(&self) -> &L2Pool {
        &self.pool[0]
    }

    /// The pools, to count (one today).
    pub fn pools(&self) -> &[L2Pool] {
        self.pool
    }

    /// Translates `virtual_address` in space `space` as the MMU would.
    #[inline]
    pub fn translate(&self, space: usize, virtual_address: usize) -> Option<Translation> {
        self.tables[space].translate(&self.pool[0], virtual_address)
    }

    /// The generation of space `space`'s table: it differs from every value
    /// it had before each change of that table.
    #[inline(always)]
    pub fn generation(&self, space: usize) -> u64 {
        self.generations[space]
    }

    /// Space `space`'s table and the pool, to change: the space's generation
    /// moves on first, so every translation cached from the table so far is void.
    #[inline]
    pub fn edit(&mut self, space: usize) -> (&mut L1Table, &mut L2Pool) {
        self.generations[space] += 1;
        (&mut self.tables[space], &mut self.pool[0])
    }

    /// [`SpaceTables::edit`] of space `space` (not 0) with the kernel's own
    /// table beside it to read (a new space starts from a copy of its entries).
    pub fn edit_from_kernel(&mut self, space: usize) -> (&L1Table, &mut L1Table, &mut L2Pool) {
        assert!(space != 0, "the kernel's own table is not a space's");
        self.generations[space] += 1;
        let (kernel, rest) = self.tables.split_at_mut(1);
        (&kernel[0], &mut rest[space - 1], &mut self.pool[0])
    }
}
