//! Root build script: links the bootable image with the platform's kernel layout.

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let linker_script = format!("{manifest}/hypervisor/src/plat/qemu_virt/kernel.ld");
    println!("cargo:rerun-if-changed={linker_script}");
    println!("cargo:rerun-if-changed=build.rs");
    if target_os == "none" {
        println!("cargo:rustc-link-arg-bins=-T{linker_script}");
    }
}
