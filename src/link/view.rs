//! What a later stage (`report`) needs from the registry beyond the queries: one record read
//! by its file name, and the out-folder handling of a build (its temporary and backup names,
//! its lock, its fsync), so that a site is replaced the way a registry is.
//!
//! Only wrappers: the logic stays in `open.rs`, `outdir.rs` and `lock.rs`.

use std::path::{Path, PathBuf};

use super::error::{BuildError, RegistryError};
use super::lock::Lock;
use super::outdir::{sync_dir, OutPaths};
use super::registry::Registry;
use crate::record::Document;

impl Registry {
    /// The document record at `record` (`documents/31_KH-UBND.yaml`, as the index and the
    /// agency files name it): unlike [`Registry::document`], right also when several
    /// documents share an id.
    pub fn read_record(&self, record: &str) -> Result<Document, RegistryError> {
        let entry = self
            .index
            .documents
            .iter()
            .find(|d| d.record == record)
            .ok_or_else(|| RegistryError::Refused {
                file: self.root.join(record).display().to_string(),
                reason: "not a document record the index lists".into(),
            })?;
        self.read_document(entry)
    }
}

/// A folder written whole beside itself and swapped in, as `vanban build` writes OUT: the
/// names `P/.N.tmp-PID`, `P/.N.old-PID` and `P/.N.lock` around OUT = `P/N`.
pub struct OutFolder {
    paths: OutPaths,
}

/// Held while a folder is being written; the lock file goes when it is dropped.
pub struct OutLock {
    _lock: Lock,
}

impl OutFolder {
    /// OUT, checked to have a name and a parent folder.
    pub fn new(out: &Path) -> Result<OutFolder, BuildError> {
        Ok(OutFolder {
            paths: OutPaths::new(out)?,
        })
    }

    pub fn out(&self) -> &Path {
        &self.paths.out
    }

    pub fn parent(&self) -> &Path {
        &self.paths.parent
    }

    /// Where the new folder is written before the swap.
    pub fn tmp(&self) -> PathBuf {
        self.paths.tmp()
    }

    /// Where the previous folder waits during the swap.
    pub fn backup(&self) -> PathBuf {
        self.paths.backup()
    }

    /// Takes `P/.N.lock`; fails when another live process holds it.
    pub fn lock(&self) -> Result<OutLock, BuildError> {
        Ok(OutLock {
            _lock: Lock::acquire(&self.paths, false)?,
        })
    }

    /// The `.N.tmp-*` and `.N.old-*` folders an interrupted writer left, each with whether
    /// it is a backup (`.old`).
    pub fn leftovers(&self) -> Vec<(PathBuf, bool)> {
        self.paths.leftovers()
    }
}

/// Makes a folder's entries (creations, renames) durable.
pub fn sync_folder(dir: &Path) -> Result<(), BuildError> {
    sync_dir(dir)
}
