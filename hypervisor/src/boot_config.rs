//! What a bootable image tells the kernel: its name, an optional boot hook and
//! (later) its boot modules. Each image binary defines exactly one configuration
//! with [`boot_config!`](crate::boot_config).

/// A bootable image's configuration, read by the kernel at boot.
pub struct BootConfig {
    /// Image name, printed in the boot banner.
    pub name: &'static str,
    /// Called in kernel context once the drivers and the MMU are up, before any
    /// user thread exists (board bring-up; tests use it to inject failures).
    pub boot_hook: Option<fn()>,
    /// ELF image of the root task, the first user program. `None` boots the
    /// kernel alone, which checks its timer interrupts and exits 0.
    pub root_task: Option<&'static [u8]>,
    /// Further boot modules (name, ELF bytes) handed to the root task read-only.
    pub modules: &'static [(&'static str, &'static [u8])],
}

/// Defines the image's [`BootConfig`]; use once in the image's binary crate.
#[macro_export]
macro_rules! boot_config {
    ($config:expr) => {
        #[unsafe(no_mangle)]
        static UCVISOR_BOOT_CONFIG: $crate::BootConfig = $config;
    };
}
