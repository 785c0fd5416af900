//! Reading a written registry back: the index and the citation graph at once, agency files
//! and document records when a query needs them.

use std::path::Path;

use serde::de::DeserializeOwned;

use super::error::RegistryError;
use super::outdir::{index_file, leftover_backup};
use super::registry::{CitationGraph, Format, Index, Registry};
use crate::record::Document;

impl Registry {
    /// Reads the index and the citation graph of the registry at `dir`.
    ///
    /// When `dir` is missing but a build was killed between moving the old registry aside
    /// and moving the new one in, the old one (`.NAME.old-PID` beside it) is read instead;
    /// the next build puts it back in place. An SQLite registry (one file) is read as well.
    pub fn open(dir: &Path) -> Result<Registry, RegistryError> {
        if super::sqlite::is_sqlite(dir) {
            return super::sqlite::open(dir);
        }
        let shown = dir.display().to_string();
        let (root, index_path, format) = match index_file(dir) {
            Some((path, format)) => (dir.to_path_buf(), path, format),
            None => match (!dir.exists()).then(|| leftover_backup(dir)).flatten() {
                Some(backup) => {
                    let (path, format) = index_file(&backup)
                        .ok_or_else(|| RegistryError::NotARegistry { dir: shown.clone() })?;
                    (backup, path, format)
                }
                None => return Err(RegistryError::NotARegistry { dir: shown }),
            },
        };
        let index: Index = read_file(&index_path, format, "registry index")?;
        if index.registry != "vanban" {
            return Err(RegistryError::Invalid {
                file: index_path.display().to_string(),
                expected: "registry index".into(),
                message: "`registry: vanban` is missing".into(),
            });
        }
        let citations: CitationGraph = read_file(
            &root.join(format!("citations.{}", format.extension())),
            format,
            "citation graph",
        )?;
        Ok(Registry {
            root,
            format,
            index,
            citations,
            agencies: Vec::new(),
            documents: Vec::new(),
        })
    }

    /// Reads every agency file the index lists.
    pub fn load_agencies(&mut self) -> Result<(), RegistryError> {
        if !self.agencies.is_empty() || self.root.as_os_str().is_empty() {
            return Ok(());
        }
        if super::sqlite::is_sqlite(&self.root) {
            self.agencies = super::sqlite::agencies(&self.root)?;
            return Ok(());
        }
        let mut agencies = Vec::with_capacity(self.index.agencies.len());
        for agency in &self.index.agencies {
            agencies.push(read_file(
                &self.root.join(&agency.record),
                self.format,
                "agency file",
            )?);
        }
        self.agencies = agencies;
        Ok(())
    }

    /// Reads one document record by (any spelling of) its id.
    pub fn document(&self, id: &str) -> Result<Document, RegistryError> {
        let entry = self.find_document(id)?;
        if let Some(file) = self.documents.iter().find(|f| f.record == entry.record) {
            return Ok(file.document.clone());
        }
        if super::sqlite::is_sqlite(&self.root) {
            return super::sqlite::document(&self.root, &entry.record);
        }
        read_file(
            &self.root.join(&entry.record),
            self.format,
            "document record",
        )
    }
}

fn read_file<T: DeserializeOwned>(
    path: &Path,
    format: Format,
    expected: &str,
) -> Result<T, RegistryError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Read {
        file: file.clone(),
        source,
    })?;
    format
        .parse_text(&text)
        .map_err(|message| RegistryError::Invalid {
            file,
            expected: expected.into(),
            message,
        })
}
