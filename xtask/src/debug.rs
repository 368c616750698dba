// SPDX-License-Identifier: MIT OR Apache-2.0
//! `cargo xtask debug TARGET`: debugging in one command. Builds the image
//! (an SDK example by name, or the image of a system description: the
//! SDK's example of its folder or the package holding it), boots it in QEMU
//! paused under its gdbstub (`-S -gdb`) and attaches `gdb-multiarch` with
//! the symbols of the kernel (the image's own ELF) and of every user program
//! the image loads: the root server, the driver domain and each guest, every
//! one linked at an address of its own (see `PV_GUEST_LINK_BASE` and the
//! description's `link_address`), so a breakpoint on a guest's `OSTimeTick`
//! is that guest's only.
//!
//! ```text
//! cargo build --target armv7a-none-eabi [--example NAME]   the image, and
//!     <profile>/elf/<image>/{root_server,drivers,<guest>}.elf   (xtask::build_system)
//! <profile>/elf/<image>/debug.gdb    file IMAGE; add-symbol-file each program;
//!                                    target remote localhost:PORT
//! qemu-system-arm ... -S -gdb tcp:127.0.0.1:PORT   (own process group: gdb's ^C is gdb's)
//! gdb-multiarch -q -x debug.gdb [GDB ARGUMENTS]    then QEMU is ended
//! ```
//!
//! QEMU's gdbstub sees the CPU as it is: memory through the current
//! translation regime (the running domain's address space), breakpoints on
//! virtual addresses whichever space runs. Since no two programs of an image
//! share addresses, a breakpoint in a program's code stops only in it.
//!
//! gdb's arguments after `--` go to gdb as they are: `-batch -ex CMD...` runs
//! a session without a terminal (the SDK's test does, `tests/debug.rs`).

use crate::description::System;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The debugger: Debian's `gdb-multiarch` (`tools/setup` installs it).
pub const GDB: &str = "gdb-multiarch";

/// One user program of an image and its ELF file with symbols.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// `root_server`, `drivers` or the guest's name.
    pub name: String,
    /// Its ELF with symbols and debug information.
    pub elf: PathBuf,
    /// Its link address (lowest loaded address).
    pub link_address: u32,
}

/// A built image and the symbols of everything it runs.
#[derive(Clone, Debug)]
pub struct DebugImage {
    /// The bootable image: the kernel's ELF.
    pub image: PathBuf,
    /// Its user programs: the root server, the driver domain, the guests in
    /// the description's order.
    pub programs: Vec<Program>,
}

/// What `cargo xtask debug` was asked.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The gdbstub's TCP port; `None`: a free one.
    pub port: Option<u16>,
    /// End QEMU and gdb after this long (a failure); `None`: never.
    pub timeout: Option<Duration>,
    /// Arguments for gdb after the SDK's script.
    pub gdb_arguments: Vec<String>,
}

/// The command line after `debug`: `TARGET [--port N] [--timeout SECONDS] [-- GDB ARGUMENTS]`.
pub fn parse_arguments(arguments: &[&str]) -> Result<(String, Options), String> {
    let mut options = Options::default();
    let mut target = None;
    let mut iter = arguments.iter();
    while let Some(&argument) = iter.next() {
        match argument {
            "--" => {
                options.gdb_arguments = iter.map(|a| (*a).to_owned()).collect();
                break;
            }
            "--port" => {
                let value = iter.next().ok_or("--port needs a TCP port")?;
                options.port = Some(value.parse().map_err(|_| format!("--port {value}: not a TCP port"))?);
            }
            "--timeout" => {
                let value = iter.next().ok_or("--timeout needs a number of seconds")?;
                let seconds: u64 = value.parse().map_err(|_| format!("--timeout {value}: not a number of seconds"))?;
                options.timeout = Some(Duration::from_secs(seconds));
            }
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other if target.is_none() => target = Some(other.to_owned()),
            other => return Err(format!("`{other}`: give one example or system description")),
        }
    }
    Ok((target.ok_or("name an example or a system description (system.toml)")?, options))
}

/// How to build the image `target` names: the description, the cargo
/// command (folder, arguments) that builds it and, for an SDK example, its
/// name (else the image is the package's binary).
fn resolve(target: &str, sdk: &Path) -> Result<(PathBuf, PathBuf, Vec<String>, Option<String>), String> {
    let example = sdk.join("examples").join(target).join("system.toml");
    let given = Path::new(target);
    let description = if example.is_file() && !given.exists() {
        example
    } else if given.is_dir() && given.join("system.toml").is_file() {
        given.join("system.toml")
    } else if given.is_file() {
        given.to_path_buf()
    } else {
        return Err(format!(
            "`{target}` is neither an example of the SDK ({}) nor a system description",
            sdk.join("examples").display()
        ));
    };
    let description = description.canonicalize().map_err(|e| format!("{}: {e}", description.display()))?;
    let folder = description.parent().ok_or("the description has no folder")?.to_path_buf();
    let examples = sdk.join("examples").canonicalize().unwrap_or_else(|_| sdk.join("examples"));
    if folder.parent() == Some(examples.as_path()) {
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        // The SDK's images are built as its tests build them (tests/harness):
        // the same packages, so one build serves both (another selection
        // unifies features differently and builds every image again).
        let arguments = ["-p", "ucvisor", "-p", "test-images", "--bins", "--examples"];
        return Ok((description, sdk.to_path_buf(), arguments.iter().map(|a| (*a).to_owned()).collect(), Some(name)));
    }
    // The package that holds the description builds its image.
    let package = folder
        .ancestors()
        .find(|dir| dir.join("Cargo.toml").is_file())
        .ok_or_else(|| format!("{}: no Cargo.toml in its folder or above it", description.display()))?;
    Ok((description, package.to_path_buf(), Vec::new(), None))
}

/// Builds the image `target` names (see [`resolve`]) with cargo, showing
/// cargo's messages, and finds the kernel's and the programs' ELF files.
pub fn build(target: &str, sdk: &Path) -> Result<DebugImage, String> {
    let (description, folder, arguments, example) = resolve(target, sdk)?;
    let system = System::load(&description).map_err(|e| e.to_string())?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(&folder).args(["build", "--target", crate::TARGET]).args(&arguments);
    command.arg("--message-format=json-render-diagnostics").stderr(Stdio::inherit());
    crate::without_build_script_environment(&mut command);
    let output = command.output().map_err(|e| format!("running cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("building the image in {} failed", folder.display()));
    }
    let manifest = folder.join("Cargo.toml").canonicalize().unwrap_or_else(|_| folder.join("Cargo.toml"));
    let image = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["manifest_path"].as_str().map(Path::new) == Some(&manifest))
        .filter(|m| {
            let kinds = m["target"]["kind"].as_array().cloned().unwrap_or_default();
            match &example {
                Some(name) => m["target"]["name"] == name.as_str() && kinds.iter().any(|k| k == "example"),
                None => kinds.iter().any(|k| k == "bin"),
            }
        })
        .find_map(|m| Some((m["target"]["name"].as_str()?.to_owned(), PathBuf::from(m["executable"].as_str()?))))
        .ok_or_else(|| format!("cargo built no image in {}", folder.display()))?;
    let (name, image) = image;
    image_programs(&system, image, &crate::crate_name(&name))
}

/// The programs of the image `image` of `system`, whose ELFs the image
/// build copied to `<profile>/elf/<key>/`.
fn image_programs(system: &System, image: PathBuf, key: &str) -> Result<DebugImage, String> {
    let parent = image.parent().ok_or("the image has no folder")?;
    let profile = if parent.file_name().is_some_and(|n| n == "examples") { parent.parent() } else { Some(parent) };
    let elf_dir = profile.ok_or("the image has no profile folder")?.join("elf").join(key);
    let names =
        ["root_server", "drivers"].into_iter().map(str::to_owned).chain(system.guests.iter().map(|g| g.name.clone()));
    let programs = names
        .map(|name| {
            let elf = elf_dir.join(format!("{name}.elf"));
            let link_address = link_address(&elf)?;
            Ok(Program { name, elf, link_address })
        })
        .collect::<Result<_, String>>()?;
    Ok(DebugImage { image, programs })
}

/// The lowest loaded address of `elf`: where it was linked.
pub fn link_address(elf: &Path) -> Result<u32, String> {
    let bytes = std::fs::read(elf).map_err(|e| format!("{}: {e} (the image build copies it there)", elf.display()))?;
    let image = ucvisor_elf::Image::parse(&bytes).map_err(|e| format!("{}: {e:?}", elf.display()))?;
    image.extent().map(|(low, _)| low).map_err(|e| format!("{}: {e:?}", elf.display()))
}

/// The gdb script of a session: the kernel's ELF as gdb's file, each
/// program's symbols at its link address, QEMU's gdbstub at `port`.
pub fn gdb_script(image: &DebugImage, port: u16) -> String {
    let mut script = String::from(
        "# Written by `cargo xtask debug`: the kernel's symbols (the image), every user\n\
         # program's at its own link address, and QEMU's gdbstub.\n\
         set pagination off\nset confirm off\n",
    );
    script.push_str(&format!("file {}\n", quoted(&image.image)));
    for program in &image.programs {
        // The ELF's own section addresses: the program's link address on.
        script.push_str(&format!("# {} at {:#010x}\n", program.name, program.link_address));
        script.push_str(&format!("add-symbol-file {}\n", quoted(&program.elf)));
    }
    // QEMU may still be starting: gdb retries the connection meanwhile.
    script.push_str(&format!("set tcp auto-retry on\nset tcp connect-timeout 30\ntarget remote 127.0.0.1:{port}\n"));
    script
}

fn quoted(path: &Path) -> String {
    format!("\"{}\"", path.display().to_string().replace('\\', "\\\\").replace('"', "\\\""))
}

/// A free TCP port on the loopback interface (the system's choice).
fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| format!("finding a free port: {e}"))
}

/// Boots `image` paused under QEMU's gdbstub and runs gdb on it until gdb
/// exits (or `options.timeout` passes: an error); QEMU is ended then.
/// Returns gdb's exit status.
pub fn run(image: &DebugImage, options: &Options) -> Result<ExitStatus, String> {
    which(GDB).ok_or_else(|| {
        format!("{GDB} is not installed: run tools/setup (or apt-get install --no-install-recommends gdb-multiarch)")
    })?;
    let port = match options.port {
        Some(port) => port,
        None => free_port()?,
    };
    // Beside the guests' ELFs: the image's own folder (the SDK's programs
    // may be shared by several images).
    let last = image.programs.last().ok_or("the image has no programs")?;
    let script_path = last.elf.with_file_name("debug.gdb");
    std::fs::write(&script_path, gdb_script(image, port))
        .map_err(|e| format!("writing {}: {e}", script_path.display()))?;
    println!("QEMU's gdbstub: 127.0.0.1:{port}; gdb script: {}", script_path.display());
    for program in &image.programs {
        println!("  {:<12} {:#010x}  {}", program.name, program.link_address, program.elf.display());
    }
    let mut qemu = qemu_command(&image.image, port);
    // QEMU in a process group of its own: ^C interrupts the program under
    // gdb (gdb's handling), it does not end QEMU.
    std::os::unix::process::CommandExt::process_group(&mut qemu, 0);
    let qemu = qemu.spawn().map_err(|e| format!("starting qemu-system-arm: {e}"))?;
    let mut qemu = Reaped(qemu);
    let gdb = Command::new(GDB)
        .arg("-q")
        .arg("-x")
        .arg(&script_path)
        .args(&options.gdb_arguments)
        .spawn()
        .map_err(|e| format!("starting {GDB}: {e}"))?;
    let mut gdb = Reaped(gdb);
    ignore_interrupts();
    let deadline = options.timeout.map(|timeout| Instant::now() + timeout);
    let mut qemu_running = true;
    loop {
        if let Some(status) = gdb.0.try_wait().map_err(|e| format!("waiting for {GDB}: {e}"))? {
            let _ = qemu.0.kill();
            return Ok(status);
        }
        if qemu_running && let Ok(Some(status)) = qemu.0.try_wait() {
            println!("QEMU ended ({status})");
            qemu_running = false;
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            return Err(format!(
                "the session took longer than {:?}: QEMU and gdb were ended",
                options.timeout.unwrap_or_default()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A child process that is ended and reaped when dropped.
struct Reaped(Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// QEMU as `tools/qemu-run` starts it, paused (`-S`) with its gdbstub on
/// `port`; the console on this program's output, no input.
fn qemu_command(image: &Path, port: u16) -> Command {
    let mut command = Command::new("qemu-system-arm");
    command
        .args(["-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-nographic", "-net", "none"])
        .args(["-semihosting-config", "enable=on,target=native", "-monitor", "none", "-serial", "stdio"])
        .arg("-S")
        .args(["-gdb", &format!("tcp:127.0.0.1:{port}")])
        .arg("-kernel")
        .arg(image)
        .stdin(Stdio::null());
    command
}

/// This process ignores ^C from now on (gdb, in the foreground, takes it
/// to interrupt the program): it stays to end QEMU when gdb exits.
fn ignore_interrupts() {
    // SAFETY: setting SIGINT's disposition to SIG_IGN installs no handler
    // and touches no memory of this program.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}

/// The path of `program` if it is on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_name_a_target_options_and_what_gdb_gets() {
        let (target, options) =
            parse_arguments(&["ticks", "--port", "1234", "--timeout", "60", "--", "-batch", "-ex", "bt"]).unwrap();
        assert_eq!(target, "ticks");
        assert_eq!((options.port, options.timeout), (Some(1234), Some(Duration::from_secs(60))));
        assert_eq!(options.gdb_arguments, ["-batch", "-ex", "bt"]);
        assert!(parse_arguments(&[]).is_err());
        assert!(parse_arguments(&["a", "b"]).is_err());
        assert!(parse_arguments(&["a", "--port", "x"]).unwrap_err().contains("not a TCP port"));
        assert!(parse_arguments(&["a", "--colour"]).unwrap_err().contains("unknown option `--colour`"));
    }

    #[test]
    fn the_script_loads_every_program_and_connects() {
        let image = DebugImage {
            image: PathBuf::from("/t/examples/ticks"),
            programs: vec![
                Program { name: "root_server".into(), elf: "/e/root_server.elf".into(), link_address: 0x0010_0000 },
                Program { name: "ticks".into(), elf: "/e/ti\"cks.elf".into(), link_address: 0x0200_0000 },
            ],
        };
        let script = gdb_script(&image, 4321);
        assert!(script.contains("file \"/t/examples/ticks\"\n"), "{script}");
        assert!(script.contains("# root_server at 0x00100000\nadd-symbol-file \"/e/root_server.elf\"\n"), "{script}");
        assert!(script.contains("add-symbol-file \"/e/ti\\\"cks.elf\"\n"), "{script}");
        assert!(script.ends_with("target remote 127.0.0.1:4321\n"), "{script}");
    }
}
