// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fault reports: what the root server prints when a guest faults — the
//! guest, the fault kind, the address, the pc (with the instruction set it was
//! executing: the kernel reports the faulting instruction's address, corrected
//! for Thumb, and the thread's CPSR.T says whether it was Thumb code) and, when
//! known, the µC/OS-II task that was running (its priority and name, read from
//! the two words the guest runtime keeps up to date on every task switch).

use core::fmt;
use paravirt_api::*;

/// `ucvisor_current_task_prio` before the first µC/OS-II task runs.
pub const NO_TASK: u32 = 0xFFFF_FFFF;
/// Longest task name shown.
pub const TASK_NAME_BYTES: usize = 32;

/// The name of fault kind `kind` (`PV_FAULT_*`).
pub fn fault_kind(kind: u32) -> &'static str {
    match kind {
        PV_FAULT_DATA_ABORT => "data abort",
        PV_FAULT_PREFETCH_ABORT => "prefetch abort",
        PV_FAULT_UNDEFINED => "undefined instruction",
        _ => "unknown fault",
    }
}

/// The kernel's resource counters as the root server prints them at boot
/// and at the end (`cargo xtask soak` reads these lines):
/// `threads 3/63, spaces 2/15, L2 tables 5/64, interrupt lines 2/128`.
pub struct KernelPools<'a>(pub &'a PvKernelInfo);

impl fmt::Display for KernelPools<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.0;
        write!(
            f,
            "threads {}/{}, spaces {}/{}, L2 tables {}/{}, interrupt lines {}/{}",
            info.threads_used,
            info.threads_max,
            info.spaces_used,
            info.spaces_max,
            info.l2_tables_used,
            info.l2_tables_max,
            info.interrupts_used,
            info.interrupts_max
        )
    }
}

/// The µC/OS-II task running when a guest faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Task {
    /// Its priority.
    pub priority: u32,
    /// Its name (up to the first NUL), `?` when unknown or not printable.
    pub name: [u8; TASK_NAME_BYTES],
    /// Bytes of `name` used.
    pub name_length: usize,
}

impl Task {
    /// The task from the guest's `ucvisor_current_task_prio` word and the bytes
    /// its `ucvisor_current_task_name` points at (`None` when that pointer
    /// could not be followed): `None` before the first task ran (or for a
    /// priority no µC/OS-II task can have).
    pub fn from_guest(priority: u32, name: Option<&[u8]>) -> Option<Self> {
        if priority == NO_TASK || priority > 255 {
            return None;
        }
        let mut task = Self { priority, name: [0; TASK_NAME_BYTES], name_length: 1 };
        task.name[0] = b'?';
        let Some(bytes) = name else { return Some(task) };
        let length = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len()).min(TASK_NAME_BYTES);
        let printable = bytes[..length].iter().all(|&b| b.is_ascii_graphic() || b == b' ');
        if length > 0 && printable {
            task.name[..length].copy_from_slice(&bytes[..length]);
            task.name_length = length;
        }
        Some(task)
    }

    /// The name as text.
    pub fn name(&self) -> &str {
        core::str::from_utf8(&self.name[..self.name_length]).unwrap_or("?")
    }
}

/// Which of a guest's threads faulted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreadRole {
    /// Its first thread, the runtime's Interrupt_loop.
    InterruptLoop,
    /// A thread it asked for (the µC/OS-II thread).
    Requested,
}

/// One guest fault, as printed.
#[derive(Clone, Copy, Debug)]
pub struct FaultReport<'a> {
    /// The guest's name.
    pub guest: &'a str,
    /// The faulting thread.
    pub thread: PvThreadId,
    /// Which thread of the guest it is.
    pub role: ThreadRole,
    /// `PV_FAULT_*` (MR0 of the exception IPC).
    pub kind: u32,
    /// Fault address (MR1).
    pub address: u32,
    /// Address of the faulting instruction (MR2).
    pub pc: u32,
    /// The thread was executing Thumb code (CPSR.T).
    pub thumb: bool,
    /// The function that holds `pc` and the offset in it, if the image
    /// keeps its function symbols.
    pub function: Option<(&'a str, u32)>,
    /// The running µC/OS-II task, if known (only for a requested thread: the
    /// Interrupt_loop runs no task).
    pub task: Option<Task>,
}

impl fmt::Display for FaultReport<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "guest `{}` faulted: {} at {:#x}, pc {:#x}",
            self.guest,
            fault_kind(self.kind),
            self.address,
            self.pc
        )?;
        write!(f, " ({})", if self.thumb { "Thumb" } else { "ARM" })?;
        if let Some((name, offset)) = self.function {
            write!(f, " in {name}+{offset:#x}")?;
        }
        match self.role {
            ThreadRole::InterruptLoop => write!(f, ", thread {:#x} (Interrupt_loop)", self.thread),
            ThreadRole::Requested => {
                write!(f, ", thread {:#x}", self.thread)?;
                match &self.task {
                    Some(task) => write!(f, ", task {} `{}`", task.priority, task.name()),
                    None => write!(f, ", task unknown"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_pools_read_as_used_of_capacity() {
        let info = PvKernelInfo::from_registers([3 | 63 << 16, 2 | 15 << 16, 5 | 64 << 16, 2 | 128 << 16]);
        assert_eq!(KernelPools(&info).to_string(), "threads 3/63, spaces 2/15, L2 tables 5/64, interrupt lines 2/128");
    }

    fn report(role: ThreadRole, thumb: bool, task: Option<Task>) -> String {
        example(role, thumb, task).to_string()
    }

    fn example(role: ThreadRole, thumb: bool, task: Option<Task>) -> FaultReport<'static> {
        FaultReport {
            guest: "crash",
            thread: 0x2006,
            role,
            kind: PV_FAULT_DATA_ABORT,
            address: 0,
            pc: 0x0010_04a8,
            thumb,
            function: None,
            task,
        }
    }

    #[test]
    fn a_report_names_guest_kind_address_pc_and_task() {
        let task = Task::from_guest(10, Some(b"crasher\0junk"));
        assert_eq!(
            report(ThreadRole::Requested, false, task),
            "guest `crash` faulted: data abort at 0x0, pc 0x1004a8 (ARM), thread 0x2006, task 10 `crasher`"
        );
        assert_eq!(
            report(ThreadRole::Requested, true, None),
            "guest `crash` faulted: data abort at 0x0, pc 0x1004a8 (Thumb), thread 0x2006, task unknown"
        );
        assert_eq!(
            report(ThreadRole::InterruptLoop, false, task),
            "guest `crash` faulted: data abort at 0x0, pc 0x1004a8 (ARM), thread 0x2006 (Interrupt_loop)"
        );
        let with_function =
            FaultReport { function: Some(("crasher_task", 0x1c)), ..example(ThreadRole::Requested, false, task) };
        assert_eq!(
            with_function.to_string(),
            "guest `crash` faulted: data abort at 0x0, pc 0x1004a8 (ARM) in crasher_task+0x1c, thread 0x2006, task 10 \
             `crasher`"
        );
    }

    #[test]
    fn the_task_is_known_only_once_one_ran() {
        assert_eq!(Task::from_guest(NO_TASK, Some(b"x\0")), None);
        assert_eq!(Task::from_guest(256, Some(b"x\0")), None);
        assert_eq!(Task::from_guest(3, None).unwrap().name(), "?");
        assert_eq!(Task::from_guest(3, Some(b"\0")).unwrap().name(), "?");
        assert_eq!(Task::from_guest(3, Some(b"bad\x01name\0")).unwrap().name(), "?");
        assert_eq!(Task::from_guest(3, Some(b"no end")).unwrap().name(), "no end");
        let long = [b'a'; 40];
        assert_eq!(Task::from_guest(3, Some(&long)).unwrap().name().len(), TASK_NAME_BYTES);
        assert_eq!(Task::from_guest(63, Some(b"uC/OS-II Idle\0")).unwrap().name(), "uC/OS-II Idle");
    }

    #[test]
    fn every_fault_kind_has_a_name() {
        assert_eq!(fault_kind(PV_FAULT_PREFETCH_ABORT), "prefetch abort");
        assert_eq!(fault_kind(PV_FAULT_UNDEFINED), "undefined instruction");
        assert_eq!(fault_kind(99), "unknown fault");
    }
}
