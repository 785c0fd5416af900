//! The `vanban` command line. Errors become one line on stderr naming the file, and an exit
//! status: 0 success, 1 input read but with errors (or files skipped), 2 input unusable.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use vanban::decode::Encoding;
use vanban::record::Severity;
use vanban::write::{write_diagnostics, write_documents, Format};
use vanban::{ParseOptions, Rules};

/// vanban reads Vietnamese administrative directives (công văn, kế hoạch, quyết định, chỉ thị,
/// thông báo, nghị quyết...) and turns them into data: the số/ký hiệu and date, the structure
/// (Mục, khoản, điểm), the documents cited, and who must do what by when.
#[derive(Parser)]
#[command(name = "vanban", version, about, long_about = None, max_term_width = 100)]
struct Cli {
    /// Use the rule files of this folder (document types, agencies...) instead of the
    /// built-in ones; files missing from it fall back to the built-in copy.
    #[arg(long, global = true, env = "VANBAN_RULES", value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read directives and print one record per file (JSON, JSONL or YAML).
    Parse {
        /// The directive files (.txt or .md).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "json")]
        format: Format,
        /// Write to this file instead of the screen.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Check directives and list what could not be understood, one line per problem:
    /// FILE:LINE:COL: severity: code: message. Exits 1 when there is an error.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
}

#[derive(Args)]
struct InputArgs {
    /// Read the files in this encoding instead of detecting it
    /// (utf-8, utf-16le, utf-16be, windows-1258, tcvn3, vni).
    #[arg(long, value_name = "NAME")]
    encoding: Option<Encoding>,
    /// Refuse files larger than this many bytes.
    #[arg(long, default_value_t = vanban::DEFAULT_MAX_BYTES, value_name = "BYTES")]
    max_bytes: u64,
}

impl InputArgs {
    fn options(&self) -> ParseOptions {
        ParseOptions { encoding: self.encoding, max_bytes: self.max_bytes }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("vanban: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let rules = Rules::load(cli.rules.as_deref()).context("cannot load the rules")?;
    match cli.command {
        Command::Parse { files, format, output, input } => parse(&files, format, output.as_deref(), &input.options(), &rules),
        Command::Check { files, input } => check(&files, &input.options(), &rules),
    }
}

fn parse(files: &[PathBuf], format: Format, output: Option<&Path>, options: &ParseOptions, rules: &Rules) -> Result<ExitCode> {
    let mut documents = Vec::with_capacity(files.len());
    for file in files {
        match vanban::parse_path(file, rules, options) {
            Ok(document) => documents.push(document),
            Err(error) => {
                eprintln!("{error}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    match output {
        Some(path) => {
            // Written beside the target and renamed, so an existing file is never left half-written.
            let temporary = path.with_extension("vanban-tmp");
            let file = std::fs::File::create(&temporary).with_context(|| format!("{}: cannot create", temporary.display()))?;
            let mut out = BufWriter::new(file);
            write_documents(&mut out, &documents, format)?;
            out.flush()?;
            drop(out);
            std::fs::rename(&temporary, path).with_context(|| format!("{}: cannot write", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write_documents(&mut out, &documents, format)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(files: &[PathBuf], options: &ParseOptions, rules: &Rules) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut errors = false;
    let mut unusable = false;
    for file in files {
        match vanban::parse_path(file, rules, options) {
            Ok(document) => {
                write_diagnostics(&mut out, &document)?;
                errors |= document.diagnostics.iter().any(|d| d.severity == Severity::Error);
            }
            Err(error) => {
                out.flush()?;
                eprintln!("{error}");
                unusable = true;
            }
        }
    }
    out.flush()?;
    let _ = std::io::stderr().is_terminal();
    Ok(match (unusable, errors) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    })
}
