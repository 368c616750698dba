//! Two µC/OS-II guests in one image, each in its own protection domain, as a
//! system description (the `system` boot module) says: `hello` (priority 40,
//! console input) and `smallstack` (priority 45). Every line on the console carries
//! its guest's tag (`[hello] hello: task A tick 1`), and lines never mix.
//! `cargo run --target armv7a-none-eabi --example two_guests`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PvGuestConfig, PvSystemConfig};

#[cfg(target_os = "none")]
const SYSTEM: PvSystemConfig = PvSystemConfig::new(
    "two_guests",
    &[PvGuestConfig::new("hello", "hello", 40, 8192), PvGuestConfig::new("smallstack", "smallstack", 45, 6144)],
    0,
);

#[cfg(target_os = "none")]
ucvisor::system_image!("two_guests", SYSTEM, ["hello", "smallstack"]);

#[cfg(not(target_os = "none"))]
fn main() {}
