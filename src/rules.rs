//! Recognition data that is not code: the files under `rules/`, read and checked.
//!
//! This module owns the data side only: where a file comes from and how its YAML is read.
//! Each stage compiles its own part from the files it needs (the lexicon for the
//! shared vocabulary, the citation and obligation extractors for their phrases), once, before
//! any document is parsed.
//!
//! The copies in the repository are built into the binary, so `vanban` works from any folder;
//! `--rules DIR` (or `VANBAN_RULES`) points it at an edited copy instead, file by file: a file
//! missing from DIR falls back to the built-in one. Every file rejects keys it does not know,
//! so that a misspelt key is an error and not a rule silently ignored.

use std::path::{Path, PathBuf};

/// The built-in rule files, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("doctypes.yaml", include_str!("../rules/doctypes.yaml")),
    ("issuers.yaml", include_str!("../rules/issuers.yaml")),
    ("normalise.yaml", include_str!("../rules/normalise.yaml")),
    ("signing.yaml", include_str!("../rules/signing.yaml")),
    ("citations.yaml", include_str!("../rules/citations.yaml")),
    ("laws.yaml", include_str!("../rules/laws.yaml")),
    ("agencies.yaml", include_str!("../rules/agencies.yaml")),
    (
        "obligations.yaml",
        include_str!("../rules/obligations.yaml"),
    ),
    ("layouts.yaml", include_str!("../rules/layouts.yaml")),
    ("identity.yaml", include_str!("../rules/identity.yaml")),
];

/// A rules file that could not be read or understood.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// `--rules DIR` names no folder.
    #[error("{path}: no such rules folder")]
    NoFolder { path: PathBuf },
    #[error("{path}: cannot read rules file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file, the line where there is one, and what was wrong.
    #[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Invalid {
        file: String,
        line: Option<usize>,
        message: String,
    },
}

impl RulesError {
    /// A problem with the file as a whole, or one whose line is not known.
    pub fn invalid(file: &str, message: impl std::fmt::Display) -> Self {
        RulesError::Invalid {
            file: file.to_string(),
            line: None,
            message: message.to_string(),
        }
    }

    /// A rule that does not compile: the file, the key it is under, and why.
    pub fn rule(file: &str, key: &str, message: impl std::fmt::Display) -> Self {
        RulesError::Invalid {
            file: file.to_string(),
            line: None,
            message: format!("key '{key}': {message}"),
        }
    }
}

/// Where rule files are read from.
#[derive(Debug, Clone)]
pub struct RuleSource {
    dir: Option<PathBuf>,
}

impl RuleSource {
    /// The files built into the binary.
    pub fn built_in() -> Self {
        RuleSource { dir: None }
    }

    /// The files of `dir`, falling back to the built-in file for each one `dir` lacks.
    pub fn from_dir(dir: &Path) -> Result<Self, RulesError> {
        if !dir.is_dir() {
            return Err(RulesError::NoFolder {
                path: dir.to_path_buf(),
            });
        }
        Ok(RuleSource {
            dir: Some(dir.to_path_buf()),
        })
    }

    /// The text of one rules file: from the folder when it has the file, else built in.
    pub fn read(&self, name: &str) -> Result<(String, String), RulesError> {
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Read {
                    path: path.clone(),
                    source,
                })?;
                return Ok((path.display().to_string(), text));
            }
        }
        let text = BUILT_IN
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| RulesError::invalid(name, "no such rules file"))?;
        Ok((format!("rules/{name} (built in)"), text))
    }

    /// A SHA-256 of every rules file in force (the folder's copy or the built-in one), by
    /// name: the parse cache of incremental builds keys its records with it, so that
    /// editing a rules file re-parses everything.
    pub fn digest(&self) -> Result<String, RulesError> {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for (name, _) in BUILT_IN {
            let (_, text) = self.read(name)?;
            hasher.update(name.as_bytes());
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }

    /// Reads and deserialises one YAML rules file. Returns the file's name as shown in
    /// messages, and its content.
    pub fn yaml<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<(String, T), RulesError> {
        let (origin, text) = self.read(name)?;
        let value = serde_yaml::from_str(&text).map_err(|e| yaml_error(&origin, &e))?;
        Ok((origin, value))
    }
}

/// `FILE:LINE: unknown key 'name_stop', expected one of ...` from serde's message.
fn yaml_error(origin: &str, error: &serde_yaml::Error) -> RulesError {
    let line = error.location().map(|l| l.line());
    let message = error.to_string();
    // The location is given separately; serde_yaml repeats it at the end of the message.
    let message = match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    };
    let message = message
        .replace("unknown field", "unknown key")
        .replace('`', "'");
    RulesError::Invalid {
        file: origin.to_string(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        titles: Vec<String>,
        name_prefixes: Vec<String>,
    }

    #[test]
    fn unknown_key_names_file_line_and_the_keys_expected() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("signing.yaml"),
            "titles: []\nname_stop: []\n",
        )
        .unwrap();
        let source = RuleSource::from_dir(dir.path()).unwrap();
        let error = source.yaml::<Sample>("signing.yaml").unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("signing.yaml:2: unknown key 'name_stop'"),
            "{text}"
        );
        assert!(
            text.contains("expected 'titles' or 'name_prefixes'"),
            "{text}"
        );
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let error = RuleSource::from_dir(Path::new("nosuchdir-for-vanban")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "nosuchdir-for-vanban: no such rules folder"
        );
    }
}
