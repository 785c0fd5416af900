//! The registry folder OUT on disk: its parent, the `.N.tmp-PID` and `.N.old-PID` folders a
//! build puts beside it, and the recovery from a build that was killed (steps 2, 4 and 5 of
//! [`build`](mod@super::build)'s documentation say when each exists).

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use super::error::{io, BuildError};
use super::registry::Format;

/// OUT, its parent and the names of the files beside it that a build uses.
pub(crate) struct OutPaths {
    pub(crate) out: PathBuf,
    pub(crate) parent: PathBuf,
    pub(crate) name: String,
}
impl OutPaths {
    pub(crate) fn new(out: &Path) -> Result<OutPaths, BuildError> {
        let shown = out.display().to_string();
        let named = match out.file_name() {
            Some(name) if name != ".." => {
                Some((out.to_path_buf(), name.to_string_lossy().into_owned()))
            }
            _ => None,
        };
        let (out, name) = match named {
            Some(pair) => pair,
            None => {
                let abs = fs::canonicalize(out).map_err(io(out, "resolve"))?;
                let name = abs
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| BuildError::BadOut {
                        out: shown.clone(),
                        reason: "it has no name (a root folder)".into(),
                    })?;
                (abs, name)
            }
        };
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(BuildError::BadOut {
                out: shown,
                reason: format!("{} is not a folder", parent.display()),
            });
        }
        Ok(OutPaths { out, parent, name })
    }

    pub(crate) fn tmp(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.tmp-{}", self.name, std::process::id()))
    }

    pub(crate) fn backup(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.old-{}", self.name, std::process::id()))
    }

    pub(crate) fn lock(&self) -> PathBuf {
        self.parent.join(format!(".{}.lock", self.name))
    }

    /// OUT may be replaced when it is absent, an empty folder, or a registry.
    pub(crate) fn check_replaceable(&self) -> Result<(), BuildError> {
        let shown = self.out.display().to_string();
        let Ok(meta) = fs::symlink_metadata(&self.out) else {
            return Ok(());
        };
        if !meta.is_dir() {
            return Err(BuildError::BadOut {
                out: shown,
                reason: "it exists and is not a folder".into(),
            });
        }
        if is_registry(&self.out) {
            return Ok(());
        }
        let empty = fs::read_dir(&self.out)
            .map_err(io(&self.out, "read folder"))?
            .next()
            .is_none();
        if empty {
            Ok(())
        } else {
            Err(BuildError::NotARegistry { out: shown })
        }
    }

    /// `.N.tmp-*` and `.N.old-*` beside OUT, sorted by name.
    pub(crate) fn leftovers(&self) -> Vec<(PathBuf, bool)> {
        let tmp = format!(".{}.tmp-", self.name);
        let old = format!(".{}.old-", self.name);
        let mut found = Vec::new();
        if let Ok(entries) = fs::read_dir(&self.parent) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                // Only `PREFIX` + a process id: a registry named `reg.tmp-x` beside `reg`
                // has leftovers `.reg.tmp-x.tmp-PID`, which are not `reg`'s.
                let pid_after = |prefix: &str| {
                    name.strip_prefix(prefix).is_some_and(|rest| {
                        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                    })
                };
                if pid_after(&tmp) {
                    found.push((entry.path(), false));
                } else if pid_after(&old) {
                    found.push((entry.path(), true));
                }
            }
        }
        found.sort();
        found
    }
}

/// The index file of a registry folder, when there is one.
pub(crate) fn index_file(dir: &Path) -> Option<(PathBuf, Format)> {
    [Format::Yaml, Format::Json]
        .into_iter()
        .map(|format| (dir.join(format!("index.{}", format.extension())), format))
        .find(|(path, _)| path.is_file())
}

/// A folder with an index that says `registry: vanban`.
fn is_registry(dir: &Path) -> bool {
    let Some((path, _)) = index_file(dir) else {
        return false;
    };
    // `registry` is the index's first field: its first kilobytes tell, whatever the file is.
    let mut head = Vec::new();
    let read = File::open(path).and_then(|file| {
        use std::io::Read;
        file.take(4096).read_to_end(&mut head)
    });
    let text = String::from_utf8_lossy(&head);
    read.is_ok() && (text.contains("registry: vanban") || text.contains("\"registry\": \"vanban\""))
}

/// The old registry a killed build left beside `out` while `out` is absent, if any: the
/// `.NAME.old-*` with the newest index.
pub(crate) fn leftover_backup(out: &Path) -> Option<PathBuf> {
    let paths = OutPaths::new(out).ok()?;
    paths
        .leftovers()
        .into_iter()
        .filter(|(path, is_backup)| *is_backup && is_registry(path))
        .map(|(path, _)| {
            let modified = index_file(&path)
                .and_then(|(i, _)| fs::metadata(i).ok())
                .and_then(|m| m.modified().ok());
            (modified, path)
        })
        .max()
        .map(|(_, path)| path)
}

/// Puts back a registry a killed build left aside, and removes what it left half written.
pub(crate) fn recover(target: &OutPaths) -> Result<Vec<String>, BuildError> {
    let mut notes = Vec::new();
    if fs::symlink_metadata(&target.out).is_err() {
        if let Some(backup) = leftover_backup(&target.out) {
            fs::rename(&backup, &target.out)
                .map_err(io(&backup, "restore the previous registry from"))?;
            sync_dir(&target.parent)?;
            notes.push(format!(
                "{}: restored the previous registry that an interrupted build had left at {}",
                target.out.display(),
                backup.display()
            ));
        }
    }
    for (path, is_backup) in target.leftovers() {
        let what = if is_backup {
            "previous registry kept aside"
        } else {
            "unfinished registry"
        };
        // A leftover that cannot be removed (another user's, a read-only folder) is in
        // nobody's way: this build writes under its own process id. Say so and go on.
        match fs::remove_dir_all(&path) {
            Ok(()) => notes.push(format!(
                "{}: removed the {what} of an interrupted build",
                path.display()
            )),
            Err(e) => notes.push(format!(
                "{}: cannot remove the {what} of an interrupted build ({e}); remove it yourself",
                path.display()
            )),
        }
    }
    Ok(notes)
}

/// Makes the entries of a folder (creations, renames) durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), BuildError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(io(dir, "sync folder"))?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}
