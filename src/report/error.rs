//! Why a report could not be written (the site at OUT, if any, is then left as it was).

use crate::link::{BuildError, RegistryError};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The registry could not be read.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// OUT could not be prepared, locked or swapped.
    #[error(transparent)]
    Folder(#[from] BuildError),
    #[error("{value}: not a date; write --as-of as YYYY-MM-DD or DD/MM/YYYY")]
    InvalidDate { value: String },
    #[error("{out}: exists and is not a vanban report (no index.html written by vanban); refusing to overwrite it: choose another --out, or remove it yourself")]
    NotASite { out: String },
    #[error("{path}: cannot {action}: {source}")]
    Io {
        path: String,
        action: &'static str,
        source: std::io::Error,
    },
}

/// Turns an I/O error on `path` into a [`ReportError::Io`] saying what was being done.
pub(crate) fn io(
    path: &std::path::Path,
    action: &'static str,
) -> impl FnOnce(std::io::Error) -> ReportError {
    let path = path.display().to_string();
    move |source| ReportError::Io {
        path,
        action,
        source,
    }
}
