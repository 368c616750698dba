//! The C unit-test image (`tests/unit/system.toml`): `cargo test` boots it in
//! QEMU through the runner and passes when it exits 0 (no failed case).
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor_boot::system_image!("unit");
