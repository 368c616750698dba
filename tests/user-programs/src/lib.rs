// SPDX-License-Identifier: MIT OR Apache-2.0
//! Helpers shared by the user-level kernel test programs: checks that count
//! failures, free-memory bookkeeping from the boot information, child address
//! spaces that share the program's code read-only, thread stacks, and (`arch`)
//! the few ARM instruction sequences the tests need.
#![no_std]

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
#[cfg(target_os = "none")]
pub mod arch;
#[cfg(target_os = "none")]
pub use user_rt::my_space;
pub use user_rt::{boot_info, print, println};

#[cfg(target_os = "none")]
pub use paravirt_api::guest::*;

/// Counts passed and failed checks; the program's exit code is the failures.
pub struct Checks {
    passed: AtomicU32,
    failed: AtomicU32,
}

impl Default for Checks {
    fn default() -> Self {
        Self::new()
    }
}

impl Checks {
    /// No checks yet.
    pub const fn new() -> Self {
        Self { passed: AtomicU32::new(0), failed: AtomicU32::new(0) }
    }

    /// Records one check, printing it.
    pub fn check(&self, condition: bool, what: core::fmt::Arguments<'_>) {
        if condition {
            self.passed.fetch_add(1, Ordering::Relaxed);
            println!("[ OK ] {}", what);
        } else {
            self.failed.fetch_add(1, Ordering::Relaxed);
            println!("[FAIL] {}", what);
        }
    }

    /// Prints the summary line and returns the number of failures.
    pub fn finish(&self) -> i32 {
        let (passed, failed) = (self.passed.load(Ordering::Relaxed), self.failed.load(Ordering::Relaxed));
        println!("{passed} passed, {failed} failed");
        failed as i32
    }
}

/// `check!(checks, condition, "format", args...)`.
#[macro_export]
macro_rules! check {
    ($checks:expr, $condition:expr, $($what:tt)*) => {
        $checks.check($condition, format_args!($($what)*))
    };
}

/// Hands out free physical sections from the boot information, one at a time.
pub struct FreeMemory {
    next: AtomicU32,
}

impl Default for FreeMemory {
    fn default() -> Self {
        Self::new()
    }
}

impl FreeMemory {
    /// Starts at the first free section.
    pub const fn new() -> Self {
        Self { next: AtomicU32::new(0) }
    }

    /// One free physical section.
    pub fn take(&self) -> u32 {
        let info = boot_info();
        let _ = self.next.compare_exchange(0, info.free_memory_base, Ordering::Relaxed, Ordering::Relaxed);
        let section = self.next.fetch_add(PV_SECTION_SIZE, Ordering::Relaxed);
        assert!(section + PV_SECTION_SIZE <= info.free_memory_base + info.free_memory_size, "out of free memory");
        section
    }
}

/// Virtual address of the stack section in child spaces.
pub const CHILD_STACK_BASE: u32 = 0x2000_0000;

/// A stack for a thread in the root task's own space.
#[repr(C, align(8))]
pub struct Stack<const N: usize>(UnsafeCell<[u8; N]>);

// SAFETY: a stack is handed to exactly one thread, which is the only user.
unsafe impl<const N: usize> Sync for Stack<N> {}

impl<const N: usize> Default for Stack<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Stack<N> {
    /// A zeroed stack.
    pub const fn new() -> Self {
        Self(UnsafeCell::new([0; N]))
    }

    /// Initial stack pointer (8-byte aligned top).
    pub fn top(&self) -> u32 {
        (self.0.get() as usize + N) as u32 & !7
    }
}

#[cfg(target_os = "none")]
mod target {
    use super::*;

    /// Creates a space that maps the program's image read-only and executable at
    /// the same addresses (so its code can run there, but nothing in it can be
    /// written) plus a private stack section; returns (space, stack top).
    pub fn child_space(memory: &FreeMemory) -> (u32, u32) {
        let info = boot_info();
        let mut space = 0;
        // SAFETY: the out pointer is a valid local.
        let result = unsafe { pv_space_create(&mut space) };
        assert_eq!(result, PV_OK, "space create");
        // The kernel's default authority (it may name the root's space and
        // itself), but any priority: these programs test kernel mechanisms,
        // not the ceiling.
        let send_mask = (1 << my_space()) | (1 << space);
        let result = pv_space_configure(space, send_mask, PV_PRIORITY_MAX, 0);
        assert_eq!(result, PV_OK, "space configure");
        let result = pv_map(
            space,
            info.root_image_virtual,
            info.root_image_physical,
            info.root_image_size,
            PV_MAP_READ | PV_MAP_EXECUTE,
        );
        assert_eq!(result, PV_OK, "map image");
        let result = pv_map(space, CHILD_STACK_BASE, memory.take(), PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE);
        assert_eq!(result, PV_OK, "map stack");
        (space, CHILD_STACK_BASE + PV_SECTION_SIZE)
    }

    /// Creates a thread and starts it at `entry` with stack `stack_top`.
    pub fn spawn(
        space: u32,
        priority: u32,
        handler: PvThreadId,
        entry: extern "C" fn() -> !,
        stack_top: u32,
    ) -> PvThreadId {
        let mut thread = 0;
        // SAFETY: the out pointer is a valid local.
        let result = unsafe { pv_thread_create(space, priority, handler, &mut thread) };
        assert_eq!(result, PV_OK, "thread create");
        assert_eq!(pv_start_sp_ip(thread, stack_top, entry as *const () as usize as u32), PV_OK, "start");
        thread
    }

    /// A message with `label` and `words`.
    pub fn message(label: u32, words: &[u32]) -> PvMessage {
        PvMessage::new(label, words)
    }

    /// Call `to` with `words`; returns (result, reply).
    pub fn call(to: PvThreadId, words: &[u32]) -> (u32, PvMessage) {
        let mut message = message(0, words);
        // SAFETY: `message` is a valid local.
        let result = unsafe { pv_call(to, &mut message) };
        (result, message)
    }

    /// Send `words` to `to`, waiting forever for it to receive.
    pub fn send(to: PvThreadId, words: &[u32]) -> u32 {
        let mut message = message(0, words);
        // SAFETY: `message` is a valid local.
        unsafe { pv_send(to, &mut message, PV_TIMEOUT_NEVER) }
    }

    /// Receive from `from` with `timeout`; returns (result, sender, message).
    pub fn receive(from: PvThreadId, timeout: u32) -> (u32, PvThreadId, PvMessage) {
        let mut message = message(0, &[]);
        let mut sender = 0;
        // SAFETY: `message` and `sender` are valid locals.
        let result = unsafe { pv_receive(from, &mut message, timeout, &mut sender) };
        (result, sender, message)
    }

    /// Sleeps `milliseconds` (L4 style: receive from yourself, which never sends,
    /// with a finite timeout).
    pub fn sleep(milliseconds: u32) {
        let mut message = message(0, &[]);
        // SAFETY: `message` is a valid local.
        unsafe {
            pv_ipc(PV_NIL_THREAD, pv_thread_self(), pv_timeouts(0, milliseconds), &mut message, core::ptr::null_mut());
        }
    }
}

#[cfg(target_os = "none")]
pub use target::*;
