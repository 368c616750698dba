//! The bootable ucvisor image: the microkernel, the root server, the driver
//! domain and the `hello` example guest. Build it with
//! `cargo build --target armv7a-none-eabi` and boot it with
//! `cargo run --target armv7a-none-eabi` (QEMU through the cargo runner).
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("hello");

#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("ucvisor is a bare-metal image: build or run it with `--target armv7a-none-eabi`.");
    std::process::exit(2);
}
