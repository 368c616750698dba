//! Links the test images with the kernel layout, like the product image.

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let linker_script = format!("{manifest}/../../hypervisor/src/plat/qemu_virt/kernel.ld");
    println!("cargo:rerun-if-changed={linker_script}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("none") {
        println!("cargo:rustc-link-arg-bins=-T{linker_script}");
    }
}
