//! Stage 7 (for `parse`): records to JSON, JSONL or YAML, with the contract's field order.

use std::io::Write;

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;

use crate::record::{Document, Severity};

/// Output formats of `vanban parse` (the command line maps its own option values onto these,
/// so the library does not depend on clap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Pretty JSON: one object for one file, an array for several.
    Json,
    /// One compact JSON object per line.
    Jsonl,
    /// YAML documents separated by `---`.
    Yaml,
}

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot write output: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot serialise record: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot serialise record: {0}")]
    Yaml(#[from] serde_yaml::Error),
}

/// How many records JSON output holds: one input gives one object, several an array (of the
/// usable ones, however many are left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inputs {
    One,
    Several,
}

/// Writes the records in the chosen format.
pub fn write_documents(
    out: &mut dyn Write,
    documents: &[Document],
    format: Format,
    inputs: Inputs,
) -> Result<(), WriteError> {
    match format {
        Format::Json if inputs == Inputs::One && documents.len() == 1 => {
            serde_json::to_writer_pretty(&mut *out, &documents[0]).map_err(json_error)?;
            writeln!(out)?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, documents).map_err(json_error)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for document in documents {
                serde_json::to_writer(&mut *out, document).map_err(json_error)?;
                writeln!(out)?;
            }
        }
        Format::Yaml => {
            for (i, document) in documents.iter().enumerate() {
                if i > 0 {
                    writeln!(out, "---")?;
                }
                out.write_all(serde_yaml::to_string(document)?.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// serde_json reports a failed write as its own error; it is an I/O error (a closed pipe, a
/// full disk) and is returned as one, so that callers can tell.
fn json_error(error: serde_json::Error) -> WriteError {
    if error.is_io() {
        WriteError::Io(error.into())
    } else {
        WriteError::Json(error)
    }
}

/// One diagnostic per line, as `FILE:LINE:COL: severity: code: message` (`vanban check`);
/// with `colour`, the severity in ANSI colour (red errors, yellow warnings, blue infos).
pub fn write_diagnostics(
    out: &mut dyn Write,
    document: &Document,
    colour: bool,
) -> std::io::Result<()> {
    for d in &document.diagnostics {
        let severity = d.severity.as_str();
        let severity = match (colour, d.severity) {
            (false, _) => severity.to_string(),
            (true, Severity::Error) => format!("\x1b[31m{severity}\x1b[0m"),
            (true, Severity::Warning) => format!("\x1b[33m{severity}\x1b[0m"),
            (true, Severity::Info) => format!("\x1b[34m{severity}\x1b[0m"),
        };
        writeln!(
            out,
            "{}:{}:{}: {severity}: {}: {}",
            document.file, d.line, d.column, d.code, d.message
        )?;
    }
    Ok(())
}

/// The JSON Schema (draft 2020-12) of what vanban writes as a `T`: a [`Document`] record, a
/// registry's [`Index`](crate::link::registry::Index), a
/// [`TaskEntry`](crate::link::TaskEntry) row. It is generated from the types the output is
/// serialised with, as written rather than as read: a field that is always written is
/// required, even where reading would accept it missing (`date`, `year`, `file`), and one
/// written only when set (a document's `key`) is not.
pub fn json_schema<T: JsonSchema>() -> serde_json::Value {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
