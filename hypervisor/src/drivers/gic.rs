// SPDX-License-Identifier: MIT OR Apache-2.0
//! The GICv2, through `arm-gic`: enabling, masking, acknowledging and ending
//! interrupts. All interrupts are group 1 (non-secure) and target this CPU.

use crate::plat;
use arm_gic::gicv2::GicV2;
use arm_gic::{IntId, InterruptGroup, Trigger};
use spin::Mutex;

static GIC: Mutex<Option<GicV2<'static>>> = Mutex::new(None);

/// Group used for every interrupt: `setup` selects group 1 when the GIC has
/// security extensions (QEMU's non-secure view), group 0 otherwise.
static GROUP: spin::Once<InterruptGroup> = spin::Once::new();

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
    GROUP.call_once(|| group);
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

fn group() -> InterruptGroup {
    *GROUP.get().unwrap_or(&InterruptGroup::Group0)
}

/// Unmasks (`true`) or masks an interrupt line; level-triggered for SPIs.
pub fn set_enabled(irq: u32, enabled: bool) {
    let id = interrupt_id(irq);
    with_gic(|gic| {
        if enabled && id.is_spi() {
            gic.set_trigger(id, Trigger::Level);
        }
        if enabled {
            gic.set_interrupt_priority(id, 0x80);
        }
        // A line the GIC cannot enable (none on this platform) stays masked.
        let _ = gic.enable_interrupt(id, enabled);
    });
}

/// Acknowledges the highest-priority pending interrupt.
pub fn acknowledge() -> Option<u32> {
    with_gic(|gic| gic.get_and_acknowledge_interrupt(group())).map(u32::from)
}

/// Signals end of interrupt (priority drop and deactivate).
pub fn end(irq: u32) {
    with_gic(|gic| gic.end_interrupt(interrupt_id(irq), group()));
}
