// SPDX-License-Identifier: MIT OR Apache-2.0
//! `cargo xtask new-app PATH`: creates an application package outside the SDK.
//!
//! The package depends on the SDK by path (the kernel crate for the image, this
//! crate for its build script), holds a `system.toml` describing one guest whose
//! folder `app/` has a starting `main.c`, the SDK's default `os_cfg.h` (every
//! V2.93.01 switch, `OS_APP_HOOKS_EN 0`) and an `app_cfg.h`, pins the SDK's
//! toolchain, and makes `cargo run --target armv7a-none-eabi` boot the image in
//! QEMU through the SDK's runner. The templates are `xtask/templates/app/`.

use std::fmt;
use std::path::{Path, PathBuf};

/// Why an application could not be created.
#[derive(Debug)]
pub enum NewAppError {
    /// The folder exists and is not empty.
    NotEmpty(PathBuf),
    /// The folder's name cannot be a Cargo package name.
    BadName(String),
    /// The folder lies inside the SDK (the SDK's own examples live in `examples/`).
    InsideSdk(PathBuf),
    /// Reading a template or writing a file failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for NewAppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotEmpty(path) => write!(f, "{} exists and is not empty: choose a new folder", path.display()),
            Self::BadName(name) => write!(
                f,
                "`{name}` cannot name a package: use a folder name of letters, digits, `-` and `_`, starting with a letter"
            ),
            Self::InsideSdk(path) => write!(
                f,
                "{} is inside the SDK: an application lives in a folder of its own (the SDK's examples are in examples/)",
                path.display()
            ),
            Self::Io(path, error) => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for NewAppError {}

/// The package name a folder name gives, if it is a valid one.
pub fn package_name(folder: &str) -> Option<String> {
    let mut chars = folder.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && folder.len() <= 64
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| folder.to_ascii_lowercase())
}

/// Files of a new application: (path relative to the package, contents).
pub fn files(name: &str, sdk: &Path) -> Result<Vec<(PathBuf, String)>, NewAppError> {
    let templates = sdk.join("xtask/templates/app");
    let read = |path: PathBuf| std::fs::read_to_string(&path).map_err(|error| NewAppError::Io(path, error));
    let fill = |text: String| text.replace("{{name}}", name).replace("{{sdk}}", &sdk.display().to_string());
    let mut files = Vec::new();
    for (template, target) in [
        ("Cargo.toml.in", "Cargo.toml"),
        ("build.rs.in", "build.rs"),
        ("src/main.rs.in", "src/main.rs"),
        (".cargo/config.toml.in", ".cargo/config.toml"),
        ("system.toml.in", "system.toml"),
        ("gitignore.in", ".gitignore"),
        ("app/main.c", "app/main.c"),
        ("app/app_cfg.h", "app/app_cfg.h"),
        ("app/average.c", "app/average.c"),
        ("app/average.h", "app/average.h"),
        ("tests/unit/system.toml", "tests/unit/system.toml"),
        ("tests/unit/main.rs", "tests/unit/main.rs"),
        ("tests/unit/test_main.c", "tests/unit/test_main.c"),
        ("tests/unit/test_average.c", "tests/unit/test_average.c"),
    ] {
        files.push((PathBuf::from(target), fill(read(templates.join(template))?)));
    }
    // The SDK's default configuration and toolchain, taken from the SDK itself.
    let os_cfg = read(sdk.join("ucos-ii-c/cfg/os_cfg.h"))?;
    let banner = "/*\n * os_cfg.h — µC/OS-II configuration of this application, started from the SDK's\n \
                  * default (ucos-ii-c/cfg/os_cfg.h): every V2.93.01 switch, OS_APP_HOOKS_EN 0.\n \
                  * Change what your application needs.\n */\n";
    files.push((PathBuf::from("app/os_cfg.h"), format!("{banner}{os_cfg}")));
    files.push((PathBuf::from("rust-toolchain.toml"), read(sdk.join("rust-toolchain.toml"))?));
    Ok(files)
}

/// Creates the application package at `path` for the SDK at `sdk`.
pub fn create(path: &Path, sdk: &Path) -> Result<PathBuf, NewAppError> {
    let absolute = std::path::absolute(path).map_err(|error| NewAppError::Io(path.into(), error))?;
    let sdk = std::fs::canonicalize(sdk).map_err(|error| NewAppError::Io(sdk.into(), error))?;
    if let Some(parent) = absolute.parent().and_then(|p| std::fs::canonicalize(p).ok())
        && parent.starts_with(&sdk)
    {
        return Err(NewAppError::InsideSdk(absolute));
    }
    if absolute.read_dir().is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(NewAppError::NotEmpty(absolute));
    }
    let folder = absolute.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let name = package_name(&folder).ok_or(NewAppError::BadName(folder))?;
    for (relative, contents) in files(&name, &sdk)? {
        let file = absolute.join(relative);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|error| NewAppError::Io(parent.into(), error))?;
        }
        std::fs::write(&file, contents).map_err(|error| NewAppError::Io(file.clone(), error))?;
    }
    Ok(absolute)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_follow_the_folder() {
        assert_eq!(package_name("blinky").as_deref(), Some("blinky"));
        assert_eq!(package_name("Motor_Ctl-2").as_deref(), Some("motor_ctl-2"));
        assert_eq!(package_name("2fast"), None);
        assert_eq!(package_name("has space"), None);
        assert_eq!(package_name(""), None);
    }

    #[test]
    fn a_new_app_is_complete_and_refuses_bad_places() {
        let sdk = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let root = std::env::temp_dir().join(format!("ucvisor-new-app-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let app = create(&root.join("blinky"), &sdk).expect("created");
        for file in ["Cargo.toml", "build.rs", "src/main.rs", ".cargo/config.toml", "system.toml", "app/main.c"] {
            assert!(app.join(file).is_file(), "{file} missing");
        }
        let os_cfg = std::fs::read_to_string(app.join("app/os_cfg.h")).unwrap();
        assert!(os_cfg.contains("#define OS_APP_HOOKS_EN           0u"), "{os_cfg}");
        let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"blinky\"") && !manifest.contains("{{"), "{manifest}");
        // The description it wrote is a valid one.
        crate::System::load(&app.join("system.toml")).expect("the template's system.toml is valid");
        assert!(matches!(create(&app, &sdk), Err(NewAppError::NotEmpty(_))));
        assert!(matches!(create(&root.join("9lives"), &sdk), Err(NewAppError::BadName(_))));
        assert!(matches!(create(&sdk.join("examples/mine"), &sdk), Err(NewAppError::InsideSdk(_))));
        let _ = std::fs::remove_dir_all(&root);
    }
}
