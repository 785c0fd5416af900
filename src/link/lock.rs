//! The build lock `P/.N.lock` beside OUT (step 1 of [`build`](mod@super::build)'s documentation):
//! two builds of one registry never write at once.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::{io, BuildError};
use super::outdir::OutPaths;

/// The build lock; removed when dropped.
pub(crate) struct Lock {
    path: PathBuf,
}

impl Lock {
    pub(crate) fn acquire(target: &OutPaths) -> Result<Lock, BuildError> {
        let path = target.lock();
        for _ in 0..3 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(std::process::id().to_string().as_bytes())
                        .map_err(io(&path, "write"))?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(&path)
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    if process_alive(&pid) {
                        return Err(BuildError::Locked {
                            lock: path.display().to_string(),
                            pid,
                        });
                    }
                    // Stale: its build was killed. Take it over.
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(io(&path, "create the build lock")(e)),
            }
        }
        Err(BuildError::Locked {
            lock: path.display().to_string(),
            pid: "?".into(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the process of a lock still runs. Only Linux tells (through /proc); elsewhere
/// a lock is considered stale, which only matters for two builds started at once.
fn process_alive(pid: &str) -> bool {
    if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if pid == std::process::id().to_string() {
        return false;
    }
    Path::new("/proc/self").exists() && Path::new("/proc").join(pid).exists()
}
