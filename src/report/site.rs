//! Writing the site to OUT the way `vanban build` writes a registry (see `link::build`):
//! under OUT's lock, every page into `P/.N.tmp-PID`, each file synced, `index.html` last;
//! then OUT moved aside to `P/.N.old-PID`, the new folder moved in, the old one removed.
//! A reader never sees half a site, and a killed report leaves either the old site or the
//! new one at OUT, or the old one beside it, which the next report puts back.

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::error::{io, ReportError};
use super::layout::GENERATOR;
use crate::link::{sync_folder, OutFolder};

/// The pages, by path inside the site (`documents/31_KH-UBND.html`), written to `out`;
/// returns what was recovered from an interrupted report, for the user.
pub(crate) fn write_site(
    out: &Path,
    pages: &[(String, String)],
) -> Result<Vec<String>, ReportError> {
    let folder = OutFolder::new(out)?;
    let _lock = folder.lock()?;
    let notes = recover(&folder)?;
    check_replaceable(folder.out())?;
    let tmp = folder.tmp();
    if fs::symlink_metadata(&tmp).is_ok() {
        fs::remove_dir_all(&tmp).map_err(io(&tmp, "remove"))?;
    }
    let result = write_tree(&tmp, pages).and_then(|()| swap(&folder, &tmp));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result.map(|()| notes)
}

/// A folder whose `index.html` this command wrote.
fn is_site(dir: &Path) -> bool {
    fs::read_to_string(dir.join("index.html")).is_ok_and(|text| {
        text.contains(&format!(
            "<meta name=\"generator\" content=\"{GENERATOR}\">"
        ))
    })
}

/// OUT may be replaced when it is absent, an empty folder, or a site.
fn check_replaceable(out: &Path) -> Result<(), ReportError> {
    let Ok(meta) = fs::symlink_metadata(out) else {
        return Ok(());
    };
    let empty = meta.is_dir()
        && fs::read_dir(out)
            .map_err(io(out, "read folder"))?
            .next()
            .is_none();
    if empty || (meta.is_dir() && is_site(out)) {
        Ok(())
    } else {
        Err(ReportError::NotASite {
            out: out.display().to_string(),
        })
    }
}

/// Puts back a site a killed report left aside while OUT is absent, and removes the rest.
fn recover(folder: &OutFolder) -> Result<Vec<String>, ReportError> {
    let mut notes = Vec::new();
    let mut leftovers = folder.leftovers();
    if fs::symlink_metadata(folder.out()).is_err() {
        if let Some(at) = leftovers
            .iter()
            .position(|(p, backup)| *backup && is_site(p))
        {
            let (backup, _) = leftovers.remove(at);
            fs::rename(&backup, folder.out())
                .map_err(io(&backup, "restore the previous site from"))?;
            sync_folder(folder.parent())?;
            notes.push(format!(
                "{}: restored the previous site that an interrupted report had left at {}",
                folder.out().display(),
                backup.display()
            ));
        }
    }
    for (path, _) in leftovers {
        fs::remove_dir_all(&path)
            .map_err(io(&path, "remove the leftover of an interrupted report"))?;
        notes.push(format!(
            "{}: removed the leftover of an interrupted report",
            path.display()
        ));
    }
    Ok(notes)
}

fn write_tree(dir: &Path, pages: &[(String, String)]) -> Result<(), ReportError> {
    fs::create_dir(dir).map_err(io(dir, "create folder"))?;
    let mut folders: Vec<&str> = pages
        .iter()
        .filter_map(|(path, _)| path.rsplit_once('/').map(|(folder, _)| folder))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for folder in &folders {
        let path = dir.join(folder);
        fs::create_dir_all(&path).map_err(io(&path, "create folder"))?;
    }
    let (index, rest): (Vec<_>, Vec<_>) = pages.iter().partition(|(path, _)| path == "index.html");
    rest.par_iter()
        .try_for_each(|(path, text)| write_synced(&dir.join(path), text.as_bytes()))?;
    for folder in &folders {
        sync_folder(&dir.join(folder))?;
    }
    // The home page last: a folder with it is a whole site.
    for (path, text) in index {
        write_synced(&dir.join(path), text.as_bytes())?;
    }
    Ok(sync_folder(dir)?)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let mut file = File::create(path).map_err(io(path, "create"))?;
    file.write_all(bytes).map_err(io(path, "write"))?;
    file.sync_all().map_err(io(path, "sync"))
}

/// OUT aside, the new site in, the old one removed.
fn swap(folder: &OutFolder, tmp: &Path) -> Result<(), ReportError> {
    let out = folder.out();
    if fs::symlink_metadata(out).is_err() {
        fs::rename(tmp, out).map_err(io(out, "move the new site to"))?;
        return Ok(sync_folder(folder.parent())?);
    }
    let backup = folder.backup();
    fs::rename(out, &backup).map_err(io(out, "move the previous site aside from"))?;
    sync_folder(folder.parent())?;
    if let Err(e) = fs::rename(tmp, out) {
        let _ = fs::rename(&backup, out);
        return Err(io(out, "move the new site to")(e));
    }
    sync_folder(folder.parent())?;
    // A failure here leaves only a leftover the next report removes.
    let _ = fs::remove_dir_all(&backup);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> (String, String) {
        let html = format!("<meta name=\"generator\" content=\"{GENERATOR}\"> {path}");
        (path.to_string(), html)
    }

    #[test]
    fn replaces_a_site_and_refuses_other_folders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[page("index.html"), page("documents/a.html")]).unwrap();
        assert!(out.join("documents/a.html").is_file());
        write_site(&out, &[page("index.html"), page("agencies/b.html")]).unwrap();
        assert!(out.join("agencies/b.html").is_file());
        assert!(
            !out.join("documents").exists(),
            "the old site is replaced whole"
        );
        let other = dir.path().join("other");
        fs::create_dir(&other).unwrap();
        fs::write(other.join("notes.txt"), "mine").unwrap();
        let refused = write_site(&other, &[page("index.html")]);
        assert!(matches!(refused, Err(ReportError::NotASite { .. })));
        assert!(other.join("notes.txt").is_file());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no leftovers or lock beside OUT: {names:?}");
    }

    #[test]
    fn a_site_left_aside_by_a_killed_report_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let aside = dir.path().join(".site.old-4242");
        fs::create_dir(&aside).unwrap();
        fs::write(aside.join("index.html"), &page("index.html").1).unwrap();
        let half = dir.path().join(".site.tmp-4243");
        fs::create_dir(&half).unwrap();
        let notes = write_site(&out, &[page("index.html")]).unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(!aside.exists() && !half.exists());
        assert!(out.join("index.html").is_file());
    }
}
