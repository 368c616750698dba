// SPDX-License-Identifier: MIT OR Apache-2.0
//! Links the servers as user programs, each at its own link address
//! (`PV_ROOT_SERVER_LINK_ADDRESS`, `PV_DRIVERS_LINK_ADDRESS`): their symbols
//! never collide with each other's or a guest's in a debugger.

fn main() {
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("none") {
        println!("cargo:rustc-link-arg-bins=-T{}", manifest.join("../rt/user.ld").display());
        println!("cargo:rustc-link-arg-bins=-zmax-page-size=4096");
        for (bin, address) in [
            ("root_server", paravirt_api::PV_ROOT_SERVER_LINK_ADDRESS),
            ("drivers", paravirt_api::PV_DRIVERS_LINK_ADDRESS),
        ] {
            println!("cargo:rustc-link-arg-bin={bin}=--defsym=__ucvisor_link_address={address:#x}");
        }
    }
}
