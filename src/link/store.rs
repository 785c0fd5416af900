//! Writing a folder registry into `P/.N.tmp-PID` as it is built, then the swap with OUT
//! (steps 3 to 6 of [`build`](mod@super::build)'s documentation).
//!
//! Each document record is written as soon as its document is parsed ([`Folder::put`],
//! called from the parsing threads), under the name and key it has when no other document
//! shares them; once the corpus is linked, [`Folder::finish`] moves the few records whose
//! name or key the corpus changed, writes the agencies, the citations and the index last,
//! and swaps the folder with OUT.
//!
//! # Unchanged files
//!
//! A file whose bytes are those of the same file in the registry being replaced (OUT) is
//! hard-linked from it instead of written: its data is already on disk (the build that wrote
//! it synced it), so only the folder's entry is new, and the `fsync` of the folder makes it
//! durable. A rebuild after one edited input thus writes and syncs only the files that
//! changed. Nothing ever writes into an existing file: every file is created new
//! (`create_new`), and a record that must change is written to a new file that takes the
//! old one's place by rename, so a file shared with the previous registry is never modified
//! in place. When a link cannot be made (OUT on another file system, say) the file is
//! written.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::assemble::{provisional, Assembled, Parsed, Placed, Spooled, Written};
use super::cache::{Cache, Hit};
use super::error::{io, BuildError};
use super::outdir::{sync_dir, OutPaths};
use super::registry::{Format, Registry};
use crate::digest::sha256_hex;
use crate::pipeline::Rules;
use crate::record::Document;

/// A folder registry being written.
pub(crate) struct Folder {
    dir: PathBuf,
    format: Format,
    /// The registry being replaced, whose unchanged files are linked.
    previous: Option<PathBuf>,
    /// The record file names already taken (lower case: also on case-insensitive systems).
    claimed: Mutex<HashSet<String>>,
    /// Set once the folder has become OUT; until then dropping it removes it.
    done: bool,
}

impl Folder {
    /// Creates the temporary folder of `target` (removing a leftover of this process id).
    pub(crate) fn create(target: &OutPaths, format: Format) -> Result<Folder, BuildError> {
        let dir = target.tmp();
        if fs::symlink_metadata(&dir).is_ok() {
            fs::remove_dir_all(&dir).map_err(io(&dir, "remove"))?;
        }
        let folder = Folder {
            previous: fs::metadata(&target.out)
                .is_ok_and(|m| m.is_dir())
                .then(|| target.out.clone()),
            dir,
            format,
            claimed: Mutex::new(HashSet::new()),
            done: false,
        };
        for sub in ["", "documents", "agencies"] {
            let path = folder.dir.join(sub);
            fs::create_dir(&path).map_err(io(&path, "create folder"))?;
        }
        Ok(folder)
    }

    /// Writes the record of `document`, input number `seq`, and returns what linking keeps.
    pub(crate) fn put(
        &self,
        seq: usize,
        mut document: Document,
        rules: &Rules,
    ) -> Result<Parsed, BuildError> {
        let (stem, key) = provisional(&document, rules);
        let ext = self.format.extension();
        let record = if self.claim(&stem) {
            format!("documents/{stem}.{ext}")
        } else {
            aside(seq, self.format)
        };
        document.key = key.clone();
        let text = serialise(self.format, &document, &record)?;
        let digest = self.place(&record, text.as_bytes())?;
        let spooled = Spooled {
            seq,
            record,
            key,
            digest,
            deferred: None,
        };
        Ok(Parsed::of(document, spooled))
    }

    /// Links the record of a cached document from the previous registry, when the file
    /// there has the bytes this build would write (same format, same name and key: the
    /// fingerprint `hit.written`) and its name is free. When it was last written under
    /// another name or key (which the corpus gave it), it is not written now: [`Folder::settle`]
    /// links or writes it once its final name and key are known. Else gives the hit back,
    /// to be written in full.
    pub(crate) fn link_cached(
        &self,
        seq: usize,
        hit: Hit,
        rules: &Rules,
    ) -> Result<Result<Parsed, Hit>, BuildError> {
        let (stem, key) = provisional(&hit.document, rules);
        let record = format!("documents/{stem}.{}", self.format.extension());
        let Some(written) = hit
            .written
            .clone()
            .filter(|w| w.format == self.format.extension())
        else {
            return Ok(Err(hit));
        };
        let mut spooled = Spooled {
            seq,
            record: String::new(),
            key: key.clone(),
            digest: String::new(),
            deferred: None,
        };
        if written.record != record || written.key != key {
            spooled.deferred = Some(written);
        } else {
            let Some(old) = self.previous_bytes(&record, &written.digest) else {
                return Ok(Err(hit));
            };
            if !self.claim(&stem) {
                return Ok(Err(hit));
            }
            self.reuse(&record, &old)?;
            spooled.record = record;
            spooled.digest = written.digest;
        }
        let mut document = hit.document;
        document.key = key;
        Ok(Ok(Parsed {
            document,
            counts: hit.counts,
            spooled,
        }))
    }

    /// The fingerprint of the record file `parsed` was written to, for the parse cache.
    pub(crate) fn written(&self, parsed: &Parsed) -> Written {
        self.written_as(
            &parsed.spooled.record,
            &parsed.spooled.key,
            &parsed.spooled.digest,
        )
    }

    fn written_as(&self, record: &str, key: &str, digest: &str) -> Written {
        Written {
            format: self.format.extension().to_string(),
            record: record.to_string(),
            key: key.to_string(),
            digest: digest.to_string(),
        }
    }

    /// Puts every record where the corpus says it belongs, writes the rest of the registry
    /// (the index last) and moves it to OUT.
    pub(crate) fn finish(
        mut self,
        assembled: &Assembled,
        target: &OutPaths,
        cache: Option<&Cache>,
    ) -> Result<(), BuildError> {
        let mut files = self.settle(&assembled.placed, cache)?;
        files.extend(self.write_rest(&assembled.registry, cache)?);
        sync_dir(&self.dir.join("documents"))?;
        sync_dir(&self.dir.join("agencies"))?;
        // The index last: a folder with an index is a complete registry.
        let registry = &assembled.registry;
        let index = IndexFile {
            index: &registry.index,
            files,
        };
        let ext = self.format.extension();
        let index = serialise(self.format, &index, "index")?;
        write_new(&self.dir.join(format!("index.{ext}")), index.as_bytes())?;
        sync_dir(&self.dir)?;
        replace(&self.dir, target)?;
        self.done = true;
        Ok(())
    }

    /// Whether the record name `stem` was free (it is now taken).
    fn claim(&self, stem: &str) -> bool {
        let mut claimed = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        claimed.insert(stem.to_lowercase())
    }

    /// The bytes of the file `name` of the previous registry, when their SHA-256 is `digest`.
    fn previous_bytes(&self, name: &str, digest: &str) -> Option<Vec<u8>> {
        let bytes = fs::read(self.previous.as_ref()?.join(name)).ok()?;
        (sha256_hex(&bytes) == digest).then_some(bytes)
    }

    /// Puts the previous registry's file `name`, whose bytes are `bytes`, in this one:
    /// hard-linked, or written when a link cannot be made.
    fn reuse(&self, name: &str, bytes: &[u8]) -> Result<(), BuildError> {
        let path = self.dir.join(name);
        let linked = (self.previous.as_ref())
            .is_some_and(|previous| fs::hard_link(previous.join(name), &path).is_ok());
        if linked {
            Ok(())
        } else {
            write_new(&path, bytes)
        }
    }

    /// Writes the file `name` serialised from `value`, or links it from the previous
    /// registry when `cache` says it was made of the same and that file still has the bytes
    /// written then; returns their SHA-256.
    fn place_value<T: serde::Serialize>(
        &self,
        name: &str,
        value: &T,
        cache: Option<&Cache>,
    ) -> Result<String, BuildError> {
        let fingerprint = cache.and_then(|c| c.fingerprint(self.format.extension(), value));
        let known = cache.zip(fingerprint.as_deref());
        let unchanged = known
            .and_then(|(cache, fingerprint)| cache.derived(name, fingerprint))
            .and_then(|digest| Some((digest, self.previous_bytes(name, digest)?)));
        let digest = match unchanged {
            Some((digest, bytes)) => {
                self.reuse(name, &bytes)?;
                digest.to_string()
            }
            None => {
                let text = serialise(self.format, value, name)?;
                self.place(name, text.as_bytes())?
            }
        };
        if let (Some(cache), Some(fingerprint)) = (cache, fingerprint) {
            cache.keep_derived(name, fingerprint, digest.clone());
        }
        Ok(digest)
    }

    /// Writes `bytes` as the file `name` of the registry, linked from the previous registry
    /// when that has the same bytes there; returns their SHA-256.
    fn place(&self, name: &str, bytes: &[u8]) -> Result<String, BuildError> {
        let path = self.dir.join(name);
        let linked = self.previous.as_ref().is_some_and(|previous| {
            let old = previous.join(name);
            same_bytes(&old, bytes) && fs::hard_link(&old, &path).is_ok()
        });
        if !linked {
            write_new(&path, bytes)?;
        }
        Ok(sha256_hex(bytes))
    }

    /// Moves each record written under another name or key than its final one there, and
    /// returns the SHA-256 of every record by its name. Records first move aside (a final
    /// name may be where another record was first written), then each goes to its place:
    /// renamed when only its name changed, rewritten with its key when that changed.
    fn settle(
        &self,
        placed: &[Placed],
        cache: Option<&Cache>,
    ) -> Result<BTreeMap<String, String>, BuildError> {
        let moving: Vec<&Placed> = placed.iter().filter(|p| !p.in_place()).collect();
        for p in moving.iter().filter(|p| p.spooled.deferred.is_none()) {
            let aside = aside(p.spooled.seq, self.format);
            if p.spooled.record != aside {
                rename(&self.dir, &p.spooled.record, &aside)?;
            }
        }
        let moved: Vec<(String, String)> = moving
            .par_iter()
            .map(|p| {
                let digest = self.settle_one(p, cache)?;
                if let Some(cache) = cache {
                    let written = self.written_as(&p.record, &p.key, &digest);
                    cache.placed(p.spooled.seq, written);
                }
                Ok((p.record.clone(), digest))
            })
            .collect::<Result<_, BuildError>>()?;
        let mut files: BTreeMap<String, String> = placed
            .iter()
            .filter(|p| p.in_place())
            .map(|p| (p.record.clone(), p.spooled.digest.clone()))
            .collect();
        files.extend(moved);
        Ok(files)
    }

    /// Puts one record set aside (or deferred) at its place; returns the SHA-256 of its bytes.
    fn settle_one(&self, placed: &Placed, cache: Option<&Cache>) -> Result<String, BuildError> {
        if let Some(written) = &placed.spooled.deferred {
            return self.settle_deferred(placed, written, cache);
        }
        let aside = aside(placed.spooled.seq, self.format);
        let path = self.dir.join(&aside);
        if placed.spooled.key == placed.key {
            if !self.link_previous(&path, &placed.record) {
                rename(&self.dir, &aside, &placed.record)?;
            }
            return Ok(placed.spooled.digest.clone());
        }
        let mut document = self.read_back(&path, &placed.spooled)?;
        document.key = placed.key.clone();
        let text = serialise(self.format, &document, &placed.record)?;
        let digest = self.place(&placed.record, text.as_bytes())?;
        fs::remove_file(&path).map_err(io(&path, "remove"))?;
        Ok(digest)
    }

    /// Puts a cached record not written while parsing at its place: linked from the previous
    /// registry when it was last `written` there as it is now, else written from the cache.
    fn settle_deferred(
        &self,
        placed: &Placed,
        written: &Written,
        cache: Option<&Cache>,
    ) -> Result<String, BuildError> {
        let same = written.record == placed.record && written.key == placed.key;
        if let Some(bytes) = same
            .then(|| self.previous_bytes(&placed.record, &written.digest))
            .flatten()
        {
            self.reuse(&placed.record, &bytes)?;
            return Ok(written.digest.clone());
        }
        let seq = placed.spooled.seq;
        let mut document = cache
            .and_then(|cache| cache.input_document(seq))
            .ok_or_else(|| BuildError::Serialise {
                what: placed.record.clone(),
                message: "the parse cache no longer gives its record; build again".into(),
            })?;
        document.key = placed.key.clone();
        let text = serialise(self.format, &document, &placed.record)?;
        self.place(&placed.record, text.as_bytes())
    }

    /// Links the file `name` of the previous registry in place of the record at `path` when
    /// it has the same bytes (the record written while parsing is then removed).
    fn link_previous(&self, path: &Path, name: &str) -> bool {
        let Some(previous) = &self.previous else {
            return false;
        };
        let old = previous.join(name);
        let linked = fs::read(path).is_ok_and(|bytes| same_bytes(&old, &bytes))
            && fs::hard_link(&old, self.dir.join(name)).is_ok();
        linked && fs::remove_file(path).is_ok()
    }

    /// The document of a record this build wrote, checked to be the one written: read back
    /// and written again with the same key, it gives the same bytes.
    fn read_back(&self, path: &Path, spooled: &Spooled) -> Result<Document, BuildError> {
        let bytes = fs::read(path).map_err(io(path, "read"))?;
        let failed = |message: String| BuildError::Serialise {
            what: path.display().to_string(),
            message,
        };
        let text = String::from_utf8(bytes).map_err(|e| failed(e.to_string()))?;
        let document: Document = self.format.parse_text(&text).map_err(failed)?;
        let again = serialise(self.format, &document, &spooled.record)?;
        if again != text || document.key != spooled.key {
            return Err(failed(
                "the record does not read back as written (please report)".into(),
            ));
        }
        Ok(document)
    }

    /// The agency files and the citation graph, with the SHA-256 of each by its name.
    fn write_rest(
        &self,
        registry: &Registry,
        cache: Option<&Cache>,
    ) -> Result<Vec<(String, String)>, BuildError> {
        let mut files: Vec<(String, String)> = registry
            .agencies
            .par_iter()
            .zip(&registry.index.agencies)
            .map(|(agency, entry)| {
                let digest = self.place_value(&entry.record, agency, cache)?;
                Ok((entry.record.clone(), digest))
            })
            .collect::<Result<_, BuildError>>()?;
        let name = format!("citations.{}", self.format.extension());
        let digest = self.place_value(&name, &registry.citations, cache)?;
        files.push((name, digest));
        Ok(files)
    }
}

impl Drop for Folder {
    /// A build that failed or panicked leaves no temporary folder behind.
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The hidden name a record waits under when its own name was taken or must change: never
/// a record's name, which does not start with a dot.
fn aside(seq: usize, format: Format) -> String {
    format!("documents/.{seq}.{}", format.extension())
}

fn rename(dir: &Path, from: &str, to: &str) -> Result<(), BuildError> {
    let (from, to) = (dir.join(from), dir.join(to));
    fs::rename(&from, &to).map_err(io(&to, "move a record to"))
}

/// Whether the file at `path` holds exactly `bytes` (false when it cannot be read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
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

/// The index as written: the assembled [`Index`](super::registry::Index), then `files`, the
/// SHA-256 of every other file of the registry by its path in it, which readers check.
#[derive(serde::Serialize)]
struct IndexFile<'a> {
    #[serde(flatten)]
    index: &'a super::registry::Index,
    files: BTreeMap<String, String>,
}

/// Writes `bytes` to a file that did not exist (never into one, which may be shared with
/// the previous registry), and syncs it.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let mut file: File = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io(path, "create"))?;
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
