//! Kernel bring-up and the trap/IRQ dispatch that `arch` calls into.

use crate::arch::armv7a::{cpu, entry, mmu, timer};
use crate::drivers::{console, gic};
use crate::memory::page_table::{self, L1Table};
use crate::plat;
use core::sync::atomic::{AtomicU32, Ordering};

/// Kernel timeslice tick rate.
pub const KERNEL_TICK_HZ: u32 = 100;

/// The kernel's own translation table (and the template for every space).
#[unsafe(link_section = ".bss.page_tables")]
static mut KERNEL_TABLE: L1Table = L1Table::new();

static TICKS: AtomicU32 = AtomicU32::new(0);

unsafe extern "C" {
    static __kernel_end: u8;
}

unsafe extern "Rust" {
    /// Defined by the image binary through `boot_config!`.
    static UCVISOR_BOOT_CONFIG: crate::BootConfig;
}

fn boot_config() -> &'static crate::BootConfig {
    // SAFETY: every image defines this immutable static with `boot_config!`; it is
    // never written.
    unsafe { &UCVISOR_BOOT_CONFIG }
}

/// First Rust code, called by the reset code on the kernel stack with IRQs masked.
#[unsafe(no_mangle)]
extern "C" fn kernel_start() -> ! {
    console::init();
    console::write_fmt(format_args!(
        "\nucvisor microkernel {} (ABI {}) on QEMU virt, Cortex-A15, image `{}`\n",
        env!("CARGO_PKG_VERSION"),
        paravirt_api::PV_ABI_VERSION,
        boot_config().name
    ));
    let kernel_end = &raw const __kernel_end as usize;
    let table_pointer = &raw mut KERNEL_TABLE;
    // SAFETY: single-threaded boot, IRQs masked: nothing else references the table yet;
    // after this block it is only read.
    let table: &'static L1Table = unsafe {
        let table = &mut *table_pointer;
        page_table::build_kernel_table(
            table,
            plat::RAM_BASE,
            plat::RAM_SIZE,
            kernel_end,
            &plat::KERNEL_DEVICE_REGIONS,
        )
        .expect("kernel memory map is section aligned");
        table
    };
    mmu::enable(table);
    log::info!(
        "MMU on (SCTLR {:#010x}), caches enabled, kernel image ends at {kernel_end:#x}",
        cpu::system_control()
    );
    gic::init();
    log::info!("GICv2 up; generic timer at {} Hz", timer::frequency());
    gic::set_enabled(plat::PHYSICAL_TIMER_IRQ, true);
    timer::arm_physical(timer::frequency() / KERNEL_TICK_HZ);
    if let Some(hook) = boot_config().boot_hook {
        hook();
    }

    // No root task yet: take three kernel ticks to show interrupts work with the MMU on.
    while TICKS.load(Ordering::Relaxed) < 3 {
        cpu::wait_for_interrupt();
    }
    log::info!(
        "boot self-check passed: {} timer interrupts taken, MMU {}",
        TICKS.load(Ordering::Relaxed),
        if mmu::is_enabled() { "on" } else { "off" }
    );
    cpu::exit(0)
}

/// Dispatches one interrupt (called with IRQs masked).
fn dispatch_irq() {
    while let Some(irq) = gic::acknowledge() {
        if irq >= 1020 {
            break;
        }
        if irq == plat::PHYSICAL_TIMER_IRQ {
            let count = TICKS.fetch_add(1, Ordering::Relaxed) + 1;
            log::info!(
                "timer interrupt {count} (MMU {})",
                if mmu::is_enabled() { "on" } else { "off" }
            );
            timer::arm_physical(timer::frequency() / KERNEL_TICK_HZ);
        } else {
            log::warn!("spurious IRQ {irq}, masking it");
            gic::set_enabled(irq, false);
        }
        gic::end(irq);
    }
}

/// IRQ taken in the idle window.
pub fn handle_irq_from_idle() {
    dispatch_irq();
}

/// Trap from user mode. No user threads exist yet.
pub fn handle_trap(kind: entry::TrapKind, _fault: (u32, u32)) -> &'static mut entry::TrapFrame {
    panic!("trap {kind:?} from user mode, but no user thread exists");
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    console::force_unlock();
    console::write_fmt(format_args!("\n*** KERNEL PANIC: {}\n", info.message()));
    if let Some(location) = info.location() {
        console::write_fmt(format_args!(
            "*** at {}:{}:{}\n",
            location.file(),
            location.line(),
            location.column()
        ));
    }
    cpu::exit(101)
}
