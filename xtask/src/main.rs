//! `cargo xtask COMMAND`: the SDK's commands for its users (the alias is in the
//! SDK's `.cargo/config.toml`).
//!
//! - `new-app PATH`: create an application package at PATH, outside the SDK
//!   (see `doc/porting.md`).
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // The commands are host programs; this only lets the workspace check on ARM.
    loop {}
}

#[cfg(not(target_os = "none"))]
fn main() -> std::process::ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let sdk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match arguments.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["new-app", path] => match xtask::new_app::create(std::path::Path::new(path), &sdk) {
            Ok(app) => {
                println!("created {}", app.display());
                println!("next: cd {} && cargo run --target armv7a-none-eabi", app.display());
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("cargo xtask new-app: {error}");
                std::process::ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo xtask new-app PATH    create an application package at PATH (see doc/porting.md)");
            std::process::ExitCode::from(2)
        }
    }
}
