// SPDX-License-Identifier: MIT OR Apache-2.0
//! The GICv2, through `arm-gic` (acknowledging and ending directly, see
//! `GICC_IAR`): enabling, masking, acknowledging and ending
//! interrupts. All interrupts are group 1 (non-secure) and target this CPU.

use crate::plat;
use arm_gic::gicv2::GicV2;
use arm_gic::{IntId, InterruptGroup, Trigger};
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use spin::Mutex;

static GIC: Mutex<Option<GicV2<'static>>> = Mutex::new(None);

fn with_gic<R>(f: impl FnOnce(&mut GicV2<'static>) -> R) -> R {
    let mut guard = GIC.lock();
    match guard.as_mut() {
        Some(gic) => f(gic),
        None => panic!("GIC used before init"),
    }
}

/// Initializes distributor and CPU interface.
pub fn init() {
    // SAFETY: the addresses are the GICv2 distributor and CPU interface of this
    // platform, mapped as device memory; this is the only instance.
    let mut gic = unsafe { GicV2::new(plat::GIC_DISTRIBUTOR_BASE as *mut _, plat::GIC_CPU_INTERFACE_BASE as *mut _) };
    gic.setup();
    let group = if gic.typer().has_security_extension() { InterruptGroup::Group1 } else { InterruptGroup::Group0 };
    // Every interrupt is in `group` (`setup` selects group 1 when the GIC
    // has security extensions, QEMU's non-secure view, group 0 otherwise).
    let acknowledge = if group == InterruptGroup::Group1 { GICC_AIAR } else { GICC_IAR };
    ACKNOWLEDGE.store(acknowledge, Ordering::Relaxed);
    *GIC.lock() = Some(gic);
}

/// Converts a raw interrupt ID (0..1019) into the driver's type.
fn interrupt_id(irq: u32) -> IntId {
    match irq {
        0..16 => IntId::sgi(irq),
        16..32 => IntId::ppi(irq - 16),
        _ => IntId::spi(irq - 32),
    }
}

/// Unmasks (`true`) or masks an interrupt line; level-triggered for SPIs.
///
/// The first unmask of a line sets its trigger and priority through
/// `arm-gic`; after that (every interrupt a handler thread acknowledges is
/// masked at delivery and unmasked at the acknowledgement) only the line's
/// bit is written, straight into the distributor's set-enable or
/// clear-enable register (IHI 0048B 4.3.5/4.3.6: write-1 registers, one bit
/// per line, so no read-modify-write and no lock).
pub fn set_enabled(irq: u32, enabled: bool) {
    let (word, bit) = ((irq / 32) as usize, 1u32 << (irq % 32));
    let Some(configured) = CONFIGURED.get(word) else {
        // No such line (IDs stop at 1019): nothing to enable.
        return;
    };
    if enabled && configured.load(Ordering::Relaxed) & bit == 0 {
        let id = interrupt_id(irq);
        with_gic(|gic| {
            if id.is_spi() {
                gic.set_trigger(id, Trigger::Level);
            }
            gic.set_interrupt_priority(id, 0x80);
        });
        configured.fetch_or(bit, Ordering::Relaxed);
    }
    let register = if enabled { GICD_ISENABLER } else { GICD_ICENABLER };
    // SAFETY: a set-enable or clear-enable register of the GIC distributor
    // (word `word` < 32 of the 32 each bank has), kernel-only device memory
    // the kernel's table maps; writing a 1 changes only line `irq`.
    unsafe { core::ptr::write_volatile((plat::GIC_DISTRIBUTOR_BASE + register + 4 * word) as *mut u32, bit) };
}

/// The distributor's set-enable and clear-enable register banks.
const GICD_ISENABLER: usize = 0x100;
const GICD_ICENABLER: usize = 0x180;

/// One bit per line whose trigger and priority [`set_enabled`] has set.
static CONFIGURED: [AtomicU32; 32] = [const { AtomicU32::new(0) }; 32];

/// Acknowledges the highest-priority pending interrupt.
pub fn acknowledge() -> Option<u32> {
    let iar = cpu_interface_read(ACKNOWLEDGE.load(Ordering::Relaxed));
    (iar != SPURIOUS).then_some(iar)
}

/// Signals end of interrupt (priority drop and deactivate).
pub fn end(irq: u32) {
    let offset = ACKNOWLEDGE.load(Ordering::Relaxed) + (GICC_EOIR - GICC_IAR);
    // SAFETY: the end-of-interrupt register (or its Group 1 alias) of the GIC
    // CPU interface, kernel-only device memory the kernel's table maps.
    unsafe { core::ptr::write_volatile((plat::GIC_CPU_INTERFACE_BASE + offset) as *mut u32, irq) };
}

/// The interrupt's own registers of the CPU interface (GICv2, IHI 0048B
/// 4.4): acknowledge (IAR) and end (EOIR), and their aliases for Group 1
/// (AIAR, AEOIR) when the GIC has the security extensions. Reached directly
/// rather than through `arm-gic` and its lock: the trap path takes and ends
/// an interrupt on every timer tick.
const GICC_IAR: usize = 0x0C;
const GICC_EOIR: usize = 0x10;
const GICC_AIAR: usize = 0x20;
/// What IAR reads when no interrupt is pending.
const SPURIOUS: u32 = 1023;
/// The acknowledge register's offset for the group in use: set by `init`;
/// before it, Group 0's (the architectural default, a valid register to read
/// and write, so the trap path needs no check for a GIC not set up yet: IRQs
/// stay masked until then anyway).
static ACKNOWLEDGE: AtomicUsize = AtomicUsize::new(GICC_IAR);

/// Reads the CPU interface register at `offset`, an acknowledge register.
fn cpu_interface_read(offset: usize) -> u32 {
    // SAFETY: an acknowledge register of the GIC CPU interface, kernel-only
    // device memory the kernel's table maps; reading it is the acknowledge.
    unsafe { core::ptr::read_volatile((plat::GIC_CPU_INTERFACE_BASE + offset) as *const u32) }
}
