//! The build lock `P/.N.lock` beside OUT (step 1 of [`build`](mod@super::build)'s documentation):
//! two builds of one registry never write at once.
//!
//! The lock is the operating system's advisory lock on the file (`flock` on Unix, `LockFileEx`
//! on Windows, through `fs4`), held for the whole build: the kernel releases it when the
//! builder exits, however it exits, so a killed build never leaves a lock that blocks the
//! next one, and an empty or stale file means nothing. The file holds the builder's process
//! id only to name it in the refusal.
//!
//! The file is removed when the build ends, still locked. A second builder may have opened
//! it meanwhile and lock it once it is unlinked; it then finds that the path no longer names
//! the file it locked (or names another), and starts over on the path as it is now. So at
//! most one builder holds a lock on the file the path names, at any moment.

use std::fs::{self, File};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use fs4::FileExt;
use fs4::TryLockError;

use super::error::{io, BuildError};
use super::outdir::OutPaths;

/// The build lock; unlinked and released when dropped.
pub(crate) struct Lock {
    path: PathBuf,
    file: File,
}

impl Lock {
    /// Takes the lock of `target`; with `wait`, waits for a build that holds it to end,
    /// else refuses with [`BuildError::Locked`].
    pub(crate) fn acquire(target: &OutPaths, wait: bool) -> Result<Lock, BuildError> {
        let path = target.lock();
        loop {
            let file = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(io(&path, "create the build lock"))?;
            if wait {
                FileExt::lock(&file).map_err(io(&path, "take the build lock"))?;
            } else {
                match FileExt::try_lock(&file) {
                    Ok(()) => {}
                    Err(TryLockError::WouldBlock) => {
                        return Err(BuildError::Locked {
                            lock: path.display().to_string(),
                            pid: holder(&path),
                        })
                    }
                    Err(TryLockError::Error(e)) => return Err(io(&path, "take the build lock")(e)),
                }
            }
            if still_named(&path, &file) {
                let mut lock = Lock { path, file };
                lock.write_pid()?;
                return Ok(lock);
            }
            // The holder we waited for removed the file: lock the one the path names now.
        }
    }

    fn write_pid(&mut self) -> Result<(), BuildError> {
        let pid = std::process::id().to_string();
        self.file
            .set_len(0)
            .and_then(|()| self.file.rewind())
            .and_then(|()| self.file.write_all(pid.as_bytes()))
            .map_err(io(&self.path, "write the build lock"))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Unlinked while still locked (see the module documentation); closing the file
        // releases the lock.
        let _ = fs::remove_file(&self.path);
        let _ = FileExt::unlock(&self.file);
    }
}

/// The process id a lock holder wrote, or `?` when it has not yet.
fn holder(path: &Path) -> String {
    let pid = fs::read_to_string(path).unwrap_or_default();
    let pid = pid.trim();
    if !pid.is_empty() && pid.len() <= 20 && pid.bytes().all(|b| b.is_ascii_digit()) {
        pid.to_string()
    } else {
        "?".to_string()
    }
}

/// Whether `path` still names the file `file` has open.
#[cfg(unix)]
fn still_named(path: &Path, file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(path), file.metadata()) {
        (Ok(named), Ok(open)) => named.dev() == open.dev() && named.ino() == open.ino(),
        _ => false,
    }
}

/// Windows does not let a file that is open be removed: the path names the open file.
#[cfg(not(unix))]
fn still_named(path: &Path, _file: &File) -> bool {
    path.exists()
}
