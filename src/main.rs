//! The `vanban` command line. Errors become one line on stderr naming the file, and an exit
//! status: 0 success, 1 input read but with errors (or files skipped), 2 input unusable.

#![deny(clippy::too_many_lines)]

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use vanban::decode::Encoding;
use vanban::record::{Role, Severity};
use vanban::write::{write_diagnostics, write_documents};
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
        /// The directive files (.txt, .md, .docx, .html, .htm); `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The name standard input (`-`) goes by in the record and in messages; its
        /// extension says its kind (`x.docx`), else its content does.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[arg(long, value_enum, default_value = "json")]
        format: ParseFormat,
        /// Write to this file instead of the screen.
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Parse every directive under DIR and write the cross-linked registry to OUT: documents,
    /// agencies with their tasks, and the citation graph. Files that cannot be read are
    /// reported and skipped (exit 1); the previous registry is replaced only when the new one
    /// is complete.
    Build {
        /// The folder of directives.
        dir: PathBuf,
        /// The registry folder to write.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "yaml")]
        format: RegistryFormat,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Show the citation chain of a document: what it rests on, transitively, and what cites it.
    Trace {
        /// The document's số/ký hiệu, in any capitalisation, with or without diacritics
        /// (291/QD-TTG finds 291/QĐ-TTg).
        id: String,
        #[arg(long, value_name = "DIR")]
        registry: PathBuf,
        /// How many citation steps to follow (default: all).
        #[arg(long)]
        depth: Option<usize>,
        #[arg(long, value_enum, default_value = "both")]
        direction: Direction,
        #[arg(long, value_enum, default_value = "text")]
        format: ViewFormat,
    },
    /// Print the citation graph as Graphviz DOT or Mermaid source.
    Graph {
        #[arg(long, value_name = "DIR")]
        registry: PathBuf,
        #[arg(long, value_enum)]
        format: GraphFormat,
        /// Only what is connected to this document.
        #[arg(long)]
        root: Option<String>,
    },
    /// List the tasks given to an agency (any spelling: "So Y te", "sở y tế"), or to all.
    Tasks {
        #[arg(long, value_name = "DIR")]
        registry: PathBuf,
        #[arg(long)]
        agency: Option<String>,
        /// lead (chủ trì) or support (phối hợp).
        #[arg(long, value_parser = ["lead", "support"])]
        role: Option<String>,
        /// Only tasks due before this date (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        due_before: Option<String>,
        /// Only tasks from this document.
        #[arg(long, value_name = "ID")]
        document: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ViewFormat,
    },
    /// Check directives and list what could not be understood, one line per problem:
    /// FILE:LINE:COL: severity: code: message. Exits 1 when there is an error.
    Check {
        /// The directive files; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The name standard input (`-`) goes by in messages.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        #[command(flatten)]
        input: InputArgs,
    },
}

// The option values below are the command line's own, mapped onto the library's enums, so
// the library does not depend on clap. Their order and doc comments are what `--help` shows.

/// Output formats of `vanban parse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ParseFormat {
    /// Pretty JSON: one object for one file, an array for several.
    Json,
    /// One compact JSON object per line.
    Jsonl,
    /// YAML documents separated by `---`.
    Yaml,
}

impl From<ParseFormat> for vanban::write::Format {
    fn from(format: ParseFormat) -> Self {
        match format {
            ParseFormat::Json => vanban::write::Format::Json,
            ParseFormat::Jsonl => vanban::write::Format::Jsonl,
            ParseFormat::Yaml => vanban::write::Format::Yaml,
        }
    }
}

/// The file format of a registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RegistryFormat {
    Yaml,
    Json,
}

impl From<RegistryFormat> for vanban::link::Format {
    fn from(format: RegistryFormat) -> Self {
        match format {
            RegistryFormat::Yaml => vanban::link::Format::Yaml,
            RegistryFormat::Json => vanban::link::Format::Json,
        }
    }
}

/// Which way to follow citations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Direction {
    /// What the document cites, and what those cite.
    Up,
    /// What cites the document, and what cites those.
    Down,
    Both,
}

impl From<Direction> for vanban::link::Direction {
    fn from(direction: Direction) -> Self {
        match direction {
            Direction::Up => vanban::link::Direction::Up,
            Direction::Down => vanban::link::Direction::Down,
            Direction::Both => vanban::link::Direction::Both,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    Dot,
    Mermaid,
}

impl From<GraphFormat> for vanban::link::GraphFormat {
    fn from(format: GraphFormat) -> Self {
        match format {
            GraphFormat::Dot => vanban::link::GraphFormat::Dot,
            GraphFormat::Mermaid => vanban::link::GraphFormat::Mermaid,
        }
    }
}

/// How `trace` and `tasks` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ViewFormat {
    /// For people.
    Text,
    Json,
    Yaml,
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
        ParseOptions {
            encoding: self.encoding,
            max_bytes: self.max_bytes,
        }
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
        Command::Parse {
            files,
            name,
            format,
            output,
            input,
        } => parse(
            &Inputs {
                files: &files,
                name: name.as_deref(),
            },
            format.into(),
            output.as_deref(),
            &input.options(),
            &rules,
        ),
        Command::Check { files, name, input } => check(
            &Inputs {
                files: &files,
                name: name.as_deref(),
            },
            &input.options(),
            &rules,
        ),
        Command::Build {
            dir,
            out,
            format,
            input,
        } => build(&dir, &out, format.into(), input.options(), &rules),
        Command::Trace {
            id,
            registry,
            depth,
            direction,
            format,
        } => {
            let trace = vanban::link::trace(&registry, &id, depth, direction.into())?;
            print_view(&trace, format, vanban::link::render_trace_text)
        }
        Command::Graph {
            registry,
            format,
            root,
        } => {
            print!(
                "{}",
                vanban::link::graph(&registry, format.into(), root.as_deref())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Tasks {
            registry,
            agency,
            role,
            due_before,
            document,
            format,
        } => {
            let role = role.map(|r| {
                if r == "support" {
                    Role::Support
                } else {
                    Role::Lead
                }
            });
            let filter = vanban::link::TaskFilter {
                agency,
                role,
                due_before,
                document,
            };
            let tasks = vanban::link::tasks(&registry, &filter)?;
            print_view(&tasks, format, |t: &Vec<_>| {
                vanban::link::render_tasks_text(t)
            })
        }
    }
}

fn build(
    dir: &Path,
    out: &Path,
    format: vanban::link::Format,
    parse: ParseOptions,
    rules: &Rules,
) -> Result<ExitCode> {
    let progress = std::io::stderr()
        .is_terminal()
        .then(|| Arc::new(Bar::default()) as Arc<dyn vanban::link::Progress>);
    let options = vanban::link::BuildOptions {
        format,
        progress,
        parse,
    };
    let report = vanban::link::build(dir, out, rules, &options)?;
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    for skipped in &report.skipped {
        eprintln!("{skipped}");
    }
    for diagnostic in &report.diagnostics {
        eprintln!("{diagnostic}");
    }
    if !report.unknown_agencies.is_empty() {
        eprintln!(
            "agencies not in rules/agencies.yaml (add them there): {}",
            report.unknown_agencies.join("; ")
        );
    }
    if !report.unlisted_laws.is_empty() {
        eprintln!(
            "laws cited by a name not in rules/laws.yaml (add those that are laws): {}",
            report.unlisted_laws.join("; ")
        );
    }
    eprintln!("{}", report.summary(out));
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The progress bar of `vanban build` on stderr, drawn while the files are parsed.
#[derive(Default)]
struct Bar(std::sync::OnceLock<ProgressBar>);

impl vanban::link::Progress for Bar {
    fn start(&self, total: usize) {
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("parsing {bar:40} {pos}/{len} [{elapsed}]")
        {
            bar.set_style(style);
        }
        let _ = self.0.set(bar);
    }

    fn advance(&self) {
        if let Some(bar) = self.0.get() {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.0.get() {
            bar.finish_and_clear();
        }
    }
}

/// Prints a view for people, or as JSON or YAML for programs.
fn print_view<T: serde::Serialize>(
    value: &T,
    format: ViewFormat,
    text: impl Fn(&T) -> String,
) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match format {
        ViewFormat::Text => write!(out, "{}", text(value))?,
        ViewFormat::Json => {
            serde_json::to_writer_pretty(&mut out, value)?;
            writeln!(out)?;
        }
        ViewFormat::Yaml => write!(out, "{}", serde_yaml::to_string(value)?)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The inputs of `parse` and `check`: files, `-` for standard input, and its name.
struct Inputs<'a> {
    files: &'a [PathBuf],
    name: Option<&'a str>,
}

impl Inputs<'_> {
    /// Parses each input in order; an input that cannot be used gives its one-line reason.
    fn parse<'s>(
        &'s self,
        rules: &'s Rules,
        options: &ParseOptions,
    ) -> impl Iterator<Item = Result<vanban::Document, String>> + 's {
        let options = options.clone();
        self.files.iter().map(move |file| {
            if file.as_os_str() == "-" {
                parse_stdin(self.name.unwrap_or("-"), rules, &options)
            } else {
                vanban::parse_path(file, rules, &options).map_err(|e| e.to_string())
            }
        })
    }
}

/// Reads standard input, at most `--max-bytes` of it, and parses it as the file `name`.
fn parse_stdin(
    name: &str,
    rules: &Rules,
    options: &ParseOptions,
) -> Result<vanban::Document, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(options.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: cannot read standard input: {e}"))?;
    if bytes.len() as u64 > options.max_bytes {
        return Err(format!(
            "{name}: larger than the limit of {} bytes; raise it with --max-bytes",
            options.max_bytes
        ));
    }
    vanban::parse_bytes(name, &bytes, rules, options).map_err(|e| e.to_string())
}

fn parse(
    inputs: &Inputs,
    format: vanban::write::Format,
    output: Option<&Path>,
    options: &ParseOptions,
    rules: &Rules,
) -> Result<ExitCode> {
    let mut documents = Vec::with_capacity(inputs.files.len());
    for result in inputs.parse(rules, options) {
        match result {
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
            let file = std::fs::File::create(&temporary)
                .with_context(|| format!("{}: cannot create", temporary.display()))?;
            let mut out = BufWriter::new(file);
            write_documents(&mut out, &documents, format)?;
            out.flush()?;
            drop(out);
            std::fs::rename(&temporary, path)
                .with_context(|| format!("{}: cannot write", path.display()))?;
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

fn check(inputs: &Inputs, options: &ParseOptions, rules: &Rules) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut errors = false;
    let mut unusable = false;
    for result in inputs.parse(rules, options) {
        match result {
            Ok(document) => {
                write_diagnostics(&mut out, &document)?;
                errors |= document
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error);
            }
            Err(error) => {
                out.flush()?;
                eprintln!("{error}");
                unusable = true;
            }
        }
    }
    out.flush()?;
    Ok(match (unusable, errors) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    })
}
