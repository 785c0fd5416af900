//! Why building, reading or querying a registry fails.
//!
//! Kept apart from the phases that raise them, so the folder handling, the writer and the
//! reader can all return them without importing `build` (which imports them).

use std::path::Path;

/// Why a registry could not be read or a query not answered.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{dir}: not a vanban registry (no index.yaml); run vanban build first")]
    NotARegistry { dir: String },
    /// The operating system's error is in the message, not a `source` too (see
    /// [`crate::InputError`]): printed with its causes, it appears once.
    #[error("{file}: cannot read: {error}")]
    Read { file: String, error: std::io::Error },
    #[error("{file}: not a valid {expected}: {message}")]
    Invalid {
        file: String,
        expected: String,
        message: String,
    },
    #[error("{file}: registry version {found} is not supported; this vanban reads {supported} (rebuild the registry with this vanban)")]
    UnsupportedVersion {
        file: String,
        found: String,
        supported: u32,
    },
    /// A file the index names that a reader must not read: outside the registry, not a
    /// regular file, or too large.
    #[error("{file}: refused: {reason}")]
    Refused { file: String, reason: String },
    /// A file that does not agree with the index (cut short, edited, or of another build).
    #[error("{file}: does not agree with the index: {message}; rebuild the registry")]
    Inconsistent { file: String, message: String },
    #[error("{}", unknown_message("document", id, registry, suggestions))]
    UnknownDocument {
        id: String,
        registry: String,
        suggestions: Vec<String>,
    },
    #[error("{}", unknown_message("agency", name, registry, suggestions))]
    UnknownAgency {
        name: String,
        registry: String,
        suggestions: Vec<String>,
    },
    #[error("{value}: not a date; write it as YYYY-MM-DD or DD/MM/YYYY")]
    InvalidDate { value: String },
}

fn unknown_message(what: &str, name: &str, registry: &str, suggestions: &[String]) -> String {
    let mut message = format!("no {what} `{name}` in registry {registry}");
    if suggestions.is_empty() {
        // The index may be index.yaml, index.json or a table of an SQLite file: no file name.
        message.push_str(&match what {
            "agency" => format!(" (`vanban tasks --registry {registry}` lists every agency)"),
            _ => " (the registry's index lists every document)".to_string(),
        });
    } else {
        message.push_str("; did you mean: ");
        message.push_str(&suggestions.join(", "));
        message.push('?');
    }
    message
}

/// Why a build wrote nothing (the registry at OUT, if any, is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{dir}: no such folder")]
    InputMissing { dir: String },
    #[error("{out}: exists and is not a vanban registry (no index.yaml or index.json); refusing to overwrite it: choose another --out, or remove it yourself")]
    NotARegistry { out: String },
    #[error("{out}: cannot be the registry folder: {reason}")]
    BadOut { out: String, reason: String },
    #[error("{lock}: another build of this registry is running (pid {pid}); try again when it ends, or give --wait to wait for it")]
    Locked { lock: String, pid: String },
    #[error("{path}: cannot {action}: {error}")]
    Io {
        path: String,
        action: &'static str,
        error: std::io::Error,
    },
    #[error("cannot write {what}: {message}")]
    Serialise { what: String, message: String },
}

/// Turns an I/O error on `path` into a [`BuildError::Io`] saying what was being done.
pub(crate) fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> BuildError {
    let path = path.display().to_string();
    move |error| BuildError::Io {
        path,
        action,
        error,
    }
}
