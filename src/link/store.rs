//! Writing an assembled registry into its folder: every file into `P/.N.tmp-PID`, each
//! synced, the index last, then the swap with OUT (steps 3 to 6 of [`build`](mod@super::build)'s
//! documentation).

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::error::{io, BuildError};
use super::outdir::{sync_dir, OutPaths};
use super::registry::{Format, Registry};
use crate::digest::sha256_hex;

/// Writes the registry into the temporary folder and moves it to OUT.
pub(crate) fn write_registry(registry: &Registry, target: &OutPaths) -> Result<(), BuildError> {
    let tmp = target.tmp();
    if fs::symlink_metadata(&tmp).is_ok() {
        fs::remove_dir_all(&tmp).map_err(io(&tmp, "remove"))?;
    }
    let result = write_tree(registry, &tmp).and_then(|()| replace(&tmp, target));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

fn serialise<T: serde::Serialize>(
    format: Format,
    value: &T,
    what: &str,
) -> Result<String, BuildError> {
    format
        .to_text(value)
        .map_err(|message| BuildError::Serialise {
            what: what.to_string(),
            message,
        })
}

fn write_tree(registry: &Registry, dir: &Path) -> Result<(), BuildError> {
    let format = registry.format;
    let ext = format.extension();
    for sub in [
        dir.to_path_buf(),
        dir.join("documents"),
        dir.join("agencies"),
    ] {
        fs::create_dir(&sub).map_err(io(&sub, "create folder"))?;
    }
    let mut files: Vec<(String, String)> = registry
        .documents
        .par_iter()
        .map(|file| {
            let text = serialise(format, &file.document, &file.record)?;
            write_synced(&dir.join(&file.record), text.as_bytes())?;
            Ok((file.record.clone(), sha256_hex(text.as_bytes())))
        })
        .collect::<Result<_, BuildError>>()?;
    let agencies: Vec<(String, String)> = registry
        .agencies
        .par_iter()
        .zip(&registry.index.agencies)
        .map(|(agency, entry)| {
            let text = serialise(format, agency, &entry.record)?;
            write_synced(&dir.join(&entry.record), text.as_bytes())?;
            Ok((entry.record.clone(), sha256_hex(text.as_bytes())))
        })
        .collect::<Result<_, BuildError>>()?;
    files.extend(agencies);
    let citations = serialise(format, &registry.citations, "citations")?;
    let name = format!("citations.{ext}");
    write_synced(&dir.join(&name), citations.as_bytes())?;
    files.push((name, sha256_hex(citations.as_bytes())));
    sync_dir(&dir.join("documents"))?;
    sync_dir(&dir.join("agencies"))?;
    // The index last: a folder with an index is a complete registry.
    let index = IndexFile {
        index: &registry.index,
        files: files.into_iter().collect(),
    };
    let index = serialise(format, &index, "index")?;
    write_synced(&dir.join(format!("index.{ext}")), index.as_bytes())?;
    sync_dir(dir)
}

/// The index as written: the assembled [`Index`](super::registry::Index), then `files`, the
/// SHA-256 of every other file of the registry by its path in it, which readers check.
#[derive(serde::Serialize)]
struct IndexFile<'a> {
    #[serde(flatten)]
    index: &'a super::registry::Index,
    files: BTreeMap<String, String>,
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let mut file = File::create(path).map_err(io(path, "create"))?;
    file.write_all(bytes).map_err(io(path, "write"))?;
    file.sync_all().map_err(io(path, "sync"))
}

/// Steps 4 to 6 of the module documentation.
fn replace(tmp: &Path, target: &OutPaths) -> Result<(), BuildError> {
    let out = &target.out;
    if fs::symlink_metadata(out).is_err() {
        fs::rename(tmp, out).map_err(io(out, "move the new registry to"))?;
        return sync_dir(&target.parent);
    }
    let backup = target.backup();
    fs::rename(out, &backup).map_err(io(out, "move the previous registry aside from"))?;
    sync_dir(&target.parent)?;
    if let Err(e) = fs::rename(tmp, out) {
        // Put the old one back; if even that fails the next build restores it.
        let _ = fs::rename(&backup, out);
        return Err(io(out, "move the new registry to")(e));
    }
    sync_dir(&target.parent)?;
    // A failure here leaves only a leftover the next build removes.
    let _ = fs::remove_dir_all(&backup);
    Ok(())
}
