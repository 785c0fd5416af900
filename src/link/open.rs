//! Reading a written registry back: the index and the citation graph at once, agency files
//! and document records when a query needs them.
//!
//! Every file goes through one reader with limits ([`RegistryFile`]): the path the index gives
//! must stay inside the registry (no absolute path, no `..`, no link leading out), name a
//! regular file (not a FIFO that would hang, not `/dev/zero`), be under
//! [`MAX_REGISTRY_FILE_BYTES`], nest under [`MAX_NESTING`] levels, and have the digest the
//! index lists for it. The index's `version` is checked before anything else is read, and the
//! counts the index gives are checked against what each file holds: a registry that was cut
//! short, edited by hand or mixed with another build is refused, never half read.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::RegistryError;
use super::outdir::{index_file, leftover_backup};
use super::registry::{
    AgencyFile, CitationGraph, Format, Index, IndexDocument, Registry, REGISTRY_VERSION,
};
use crate::record::Document;

/// No registry file is read past this size (a registry of 10,000 directives has files of a
/// few megabytes; the citation graph is the largest).
pub const MAX_REGISTRY_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Flow collections (`[`, `{`) nested deeper than this are refused before the parser sees
/// them: YAML parsers take quadratic time on deep flow nesting, and vanban never writes
/// more than a few levels of it.
pub const MAX_NESTING: usize = 256;

/// What is read of the index before the rest: whether it is a registry of this version, and
/// the digest of every file it lists.
#[derive(Deserialize)]
struct Header {
    #[serde(default)]
    registry: Option<String>,
    #[serde(default)]
    version: Option<serde_yaml::Value>,
    #[serde(default)]
    files: BTreeMap<String, String>,
}

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
        let root = match index_file(dir) {
            Some(_) => dir.to_path_buf(),
            None => match (!dir.exists()).then(|| leftover_backup(dir)).flatten() {
                Some(backup) => backup,
                None => return Err(RegistryError::NotARegistry { dir: shown }),
            },
        };
        let (_, format) =
            index_file(&root).ok_or_else(|| RegistryError::NotARegistry { dir: shown })?;
        let (reader, text) = Reader::new(&root, format)?;
        let index: Index = reader.parse(&reader.index_name(), &text, "registry index")?;
        let citations: CitationGraph = reader.listed(
            &format!("citations.{}", format.extension()),
            "citation graph",
        )?;
        check_citations(
            &reader.shown(&format!("citations.{}", format.extension())),
            &index,
            &citations,
        )?;
        Ok(Registry {
            root,
            format,
            index,
            citations,
            agencies: Vec::new(),
        })
    }

    /// Reads every agency file the index lists, each checked against its index entry.
    pub fn load_agencies(&mut self) -> Result<(), RegistryError> {
        if !self.agencies.is_empty() || self.root.as_os_str().is_empty() {
            return Ok(());
        }
        if super::sqlite::is_sqlite(&self.root) {
            self.agencies = super::sqlite::agencies(&self.root)?;
            return Ok(());
        }
        let (reader, _) = Reader::new(&self.root, self.format)?;
        let mut agencies = Vec::with_capacity(self.index.agencies.len());
        for entry in &self.index.agencies {
            let agency: AgencyFile = reader.listed(&entry.record, "agency file")?;
            let held = agency.obligations.len();
            if agency.counts != entry.counts || held != entry.counts.obligations {
                return Err(RegistryError::Inconsistent {
                    file: reader.shown(&entry.record),
                    message: format!(
                        "it holds {held} obligations, the index counts {}",
                        entry.counts.obligations
                    ),
                });
            }
            agencies.push(agency);
        }
        self.agencies = agencies;
        Ok(())
    }

    /// Reads one document record by (any spelling of) its id.
    pub fn document(&self, id: &str) -> Result<Document, RegistryError> {
        let entry = self.find_document(id)?;
        self.read_document(entry)
    }

    /// Reads the record of one of the index's documents, checked against the index's counts.
    pub(crate) fn read_document(&self, entry: &IndexDocument) -> Result<Document, RegistryError> {
        if super::sqlite::is_sqlite(&self.root) {
            return super::sqlite::document(&self.root, &entry.record);
        }
        let (reader, _) = Reader::new(&self.root, self.format)?;
        let document: Document = reader.listed(&entry.record, "document record")?;
        let counts = (document.citations.len(), document.obligations.len());
        if counts != (entry.counts.citations, entry.counts.obligations) {
            return Err(RegistryError::Inconsistent {
                file: reader.shown(&entry.record),
                message: format!(
                    "it holds {} citations and {} obligations, the index counts {} and {}",
                    counts.0, counts.1, entry.counts.citations, entry.counts.obligations
                ),
            });
        }
        Ok(document)
    }
}

/// The index is a registry's (`registry: vanban`) of the version this vanban reads.
fn check_header(file: &str, header: &Header) -> Result<(), RegistryError> {
    if header.registry.as_deref() != Some("vanban") {
        return Err(RegistryError::Invalid {
            file: file.to_string(),
            expected: "registry index".into(),
            message: "`registry: vanban` is missing".into(),
        });
    }
    let version = header.version.as_ref().and_then(serde_yaml::Value::as_u64);
    if version == Some(u64::from(REGISTRY_VERSION)) {
        return Ok(());
    }
    Err(RegistryError::UnsupportedVersion {
        file: file.to_string(),
        found: header
            .version
            .as_ref()
            .map_or_else(|| "(none)".to_string(), version_text),
        supported: REGISTRY_VERSION,
    })
}

/// The citation graph holds as many edges and cited documents as the index counts.
fn check_citations(file: &str, index: &Index, graph: &CitationGraph) -> Result<(), RegistryError> {
    let external = graph.nodes.iter().filter(|n| !n.in_corpus).count();
    let counted = (index.totals.citations, index.totals.external_documents);
    if (graph.edges.len(), external) != counted {
        return Err(RegistryError::Inconsistent {
            file: file.to_string(),
            message: format!(
                "it holds {} citations and {external} documents outside the corpus, the index counts {} and {}",
                graph.edges.len(),
                counted.0,
                counted.1
            ),
        });
    }
    Ok(())
}

/// The one reader of a registry's files (see the module documentation).
struct Reader {
    root: PathBuf,
    /// The registry folder with every link resolved: what each file must stay inside.
    real_root: PathBuf,
    format: Format,
    /// The digest of each file, by its path in the registry; read from the index.
    digests: BTreeMap<String, String>,
}

impl Reader {
    /// The reader of the registry at `root`, and the text of its index, once the index is
    /// known to be a registry of this version (its digests are what the reader checks).
    fn new(root: &Path, format: Format) -> Result<(Reader, String), RegistryError> {
        let real_root = fs::canonicalize(root).map_err(|error| RegistryError::Read {
            file: root.display().to_string(),
            error,
        })?;
        let mut reader = Reader {
            root: root.to_path_buf(),
            real_root,
            format,
            digests: BTreeMap::new(),
        };
        let name = format!("index.{}", format.extension());
        let file = reader.shown(&name);
        let text = reader.text(&name)?;
        let header: Header = reader.parse(&file, &text, "registry index")?;
        check_header(&file, &header)?;
        reader.digests = header.files;
        Ok((reader, text))
    }

    /// The index as messages show it.
    fn index_name(&self) -> String {
        self.shown(&format!("index.{}", self.format.extension()))
    }

    /// `root/relative`, as messages show it.
    fn shown(&self, relative: &str) -> String {
        self.root.join(relative).display().to_string()
    }

    /// A file the index lists, checked against the digest it gives.
    fn listed<T: DeserializeOwned>(
        &self,
        relative: &str,
        expected: &str,
    ) -> Result<T, RegistryError> {
        let file = self.shown(relative);
        let text = self.text(relative)?;
        let Some(digest) = self.digests.get(relative) else {
            return Err(RegistryError::Inconsistent {
                file,
                message: "the index lists no digest for it".into(),
            });
        };
        let actual = crate::digest::sha256_hex(text.as_bytes());
        if &actual != digest {
            return Err(RegistryError::Inconsistent {
                file,
                message: format!("its digest is {actual}, the index gives {digest}"),
            });
        }
        self.parse(&file, &text, expected)
    }

    /// The text of `relative`, when it is a regular file inside the registry under the size
    /// limit.
    fn text(&self, relative: &str) -> Result<String, RegistryError> {
        let file = self.shown(relative);
        let refused = |reason: String| RegistryError::Refused {
            file: file.clone(),
            reason,
        };
        let inside = Path::new(relative)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if relative.is_empty() || !inside {
            return Err(refused(
                "the index names a path that is not inside the registry".into(),
            ));
        }
        let read = |error| RegistryError::Read {
            file: file.clone(),
            error,
        };
        let real = fs::canonicalize(self.root.join(relative)).map_err(read)?;
        if !real.starts_with(&self.real_root) {
            return Err(refused(format!(
                "a link to {}, outside the registry",
                real.display()
            )));
        }
        // Before opening: opening a FIFO would wait for a writer.
        if !fs::metadata(&real).map_err(read)?.is_file() {
            return Err(refused("not a regular file".into()));
        }
        let opened = fs::File::open(&real).map_err(read)?;
        let meta = opened.metadata().map_err(read)?;
        if !meta.is_file() {
            return Err(refused("not a regular file".into()));
        }
        if meta.len() > MAX_REGISTRY_FILE_BYTES {
            return Err(refused(format!(
                "larger than the limit of {MAX_REGISTRY_FILE_BYTES} bytes for a registry file"
            )));
        }
        let bytes = crate::read_bounded(opened, &file, MAX_REGISTRY_FILE_BYTES)
            .map_err(|e| refused(e.to_string()))?;
        String::from_utf8(bytes).map_err(|_| RegistryError::Invalid {
            file: file.clone(),
            expected: "registry file".into(),
            message: "not UTF-8".into(),
        })
    }

    fn parse<T: DeserializeOwned>(
        &self,
        file: &str,
        text: &str,
        expected: &str,
    ) -> Result<T, RegistryError> {
        let invalid = |message: String| RegistryError::Invalid {
            file: file.to_string(),
            expected: expected.into(),
            message,
        };
        let depth = flow_nesting(text);
        if depth > MAX_NESTING {
            return Err(invalid(format!(
                "nested more than {MAX_NESTING} levels deep"
            )));
        }
        self.format.parse_text(text).map_err(invalid)
    }
}

/// A `version` as the index gives it, cut short when it is long.
fn version_text(value: &serde_yaml::Value) -> String {
    let text = match value {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    crate::link::trace::shorten(&text, 40)
}

/// The deepest nesting of flow collections (`[...]`, `{...}`) in a YAML or JSON text, in one
/// pass. Quoted scalars and comments are skipped; in block context a bracket opens a flow
/// collection only where a value starts (after indentation, `- `, `: ` or `? `), as in
/// YAML, so brackets inside plain text do not count.
pub(crate) fn flow_nesting(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    let mut value_starts = true;
    while i < bytes.len() {
        let c = bytes[i];
        let spaced = |at: usize| bytes.get(at).is_none_or(|b| b.is_ascii_whitespace());
        match c {
            b'"' | b'\'' if depth > 0 || value_starts => {
                i = skip_quoted(bytes, i);
                value_starts = false;
                continue;
            }
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'[' | b'{' if depth > 0 || value_starts => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' if depth > 0 => depth -= 1,
            b'\n' => value_starts = true,
            b' ' | b'\t' | b'\r' => {}
            b'-' | b':' | b'?' if depth == 0 && spaced(i + 1) => value_starts = true,
            _ if depth == 0 => value_starts = false,
            _ => {}
        }
        i += 1;
    }
    deepest
}

/// The index just past the quoted scalar that starts at `start`.
fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::flow_nesting;

    #[test]
    fn nesting_of_flow_collections() {
        assert_eq!(flow_nesting("a: 1\nb: [1, [2, {c: 3}]]\n"), 3);
        assert_eq!(flow_nesting("{\"a\": [[1]], \"b\": \"[[[[\"}"), 3);
        // Brackets inside plain and quoted text are not collections.
        assert_eq!(flow_nesting("text: Sở [Y tế] [[[ giao\n- '[[['\n"), 0);
        assert_eq!(flow_nesting("# [[[[\nx: 1\n"), 0);
        assert_eq!(flow_nesting(&"[".repeat(100_000)), 100_000);
        assert_eq!(flow_nesting("- [a, b]\n- {c: [d]}\n"), 2);
    }
}
