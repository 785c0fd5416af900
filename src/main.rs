//! The `vanban` command line. Errors become one line on stderr naming the file, and an exit
//! status: 0 success, 1 input read but with errors (or files skipped), 2 input unusable.

#![deny(clippy::too_many_lines)]

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use vanban::decode::Encoding;
use vanban::record::{Role, Severity};
use vanban::write::{write_diagnostics, write_documents, Inputs};
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
    /// Print no summary lines (what `build` found, agencies and laws not in the rules); errors
    /// are still printed.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Colour severities in `check` output: on a terminal only (auto), always, or never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "WHEN"
    )]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
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
        /// The registry folder to write, or one SQLite file when its name ends in `.sqlite`,
        /// `.sqlite3` or `.db`.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "yaml")]
        format: RegistryFormat,
        #[command(flatten)]
        input: InputArgs,
        /// When another build of OUT is running, wait for it to end instead of refusing.
        #[arg(long)]
        wait: bool,
    },
    /// Show the citation chain of a document: what it rests on, transitively, and what cites it.
    Trace {
        /// The document's số/ký hiệu, in any capitalisation, with or without diacritics
        /// (291/QD-TTG finds 291/QĐ-TTg).
        id: String,
        /// The registry `vanban build` wrote: its folder, or its SQLite file.
        #[arg(long, value_name = "DIR|FILE")]
        registry: PathBuf,
        /// How many citation steps to follow (default: all).
        #[arg(long)]
        depth: Option<usize>,
        /// Which way to follow citations.
        #[arg(long, value_enum, default_value = "both")]
        direction: Direction,
        /// Text for people, or JSON or YAML for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: ViewFormat,
    },
    /// Print the citation graph as Graphviz DOT or Mermaid source.
    Graph {
        /// The registry `vanban build` wrote: its folder, or its SQLite file.
        #[arg(long, value_name = "DIR|FILE")]
        registry: PathBuf,
        /// Graphviz DOT (`dot -Tsvg`) or Mermaid.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
        /// Only what is connected to this document.
        #[arg(long)]
        root: Option<String>,
    },
    /// List the tasks given to an agency (any spelling: "So Y te", "sở y tế"), or to all.
    Tasks(TasksArgs),
    /// Write the registry as a static HTML site to OUT: a home page (documents, agencies with
    /// their counts, what to look at), a page per agency (its tasks by deadline, printable),
    /// per document (its clauses, tasks, citations) and per citation graph, with search. The
    /// site needs no network; the previous one is replaced only when the new one is whole.
    Report {
        /// The registry `vanban build` wrote: its folder, or its SQLite file.
        #[arg(long, value_name = "DIR|FILE")]
        registry: PathBuf,
        /// The site folder to write (absent, empty, or a site `vanban report` wrote).
        #[arg(long)]
        out: PathBuf,
        /// The day that decides what is overdue and due soon (YYYY-MM-DD; default: today).
        #[arg(long = "as-of", value_name = "DATE")]
        day: Option<String>,
    },
    /// Check directives and list what could not be understood, one line per problem:
    /// FILE:LINE:COL: severity: code: message. Exits 1 when there is an error.
    Check {
        /// The directive files to check; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The name standard input (`-`) goes by in messages.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// `FILE:LINE:COL: severity: code: message` lines, or one JSON object per line
        /// (file, line, column, severity, code, message) for CI systems and editors.
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Print a shell completion script: `vanban completions bash > /etc/bash_completion.d/vanban`.
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `vanban man > vanban.1; man ./vanban.1`.
    Man,
    /// Print the JSON Schema of a document record, a registry's index, or a row of
    /// `tasks --format json`, generated from the types vanban writes them with.
    Schema {
        /// What to describe.
        #[arg(value_enum)]
        kind: SchemaKind,
    },
    /// Say what a diagnostic code means and what to do about it; with no code, list every
    /// code with its one-line meaning.
    Explain {
        /// The code, as in `check`'s output (`missing-number`, `clause-skipped`).
        code: Option<String>,
    },
}

/// What `vanban schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SchemaKind {
    /// A document record (`parse`, and each file under `documents/`).
    Record,
    /// A registry's `index.yaml` / `index.json`.
    Index,
    /// One row of `tasks --format json`.
    Tasks,
}

/// The options of `vanban tasks`.
#[derive(Args)]
struct TasksArgs {
    /// The registry `vanban build` wrote: its folder, or its SQLite file.
    #[arg(long, value_name = "DIR|FILE")]
    registry: PathBuf,
    /// Only this agency's tasks, in any spelling or abbreviation ("So Y te", "SYT").
    #[arg(long, value_name = "NAME")]
    agency: Option<String>,
    /// Only agencies of this province or city, in any spelling ("Đồng Tháp", "tinh dong
    /// thap"): `--agency "Sở Tài chính"` lists every locality's, this narrows it to one.
    #[arg(long, value_name = "NAME")]
    locality: Option<String>,
    /// lead (chủ trì) or support (phối hợp).
    #[arg(long, value_parser = ["lead", "support"])]
    role: Option<String>,
    /// Only tasks due before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    due_before: Option<String>,
    /// Only tasks from this document.
    #[arg(long, value_name = "ID")]
    document: Option<String>,
    /// The order: the most urgent first (deadline), by document, or by agency.
    #[arg(long, value_enum, default_value = "deadline")]
    sort: SortOrder,
    /// The day that decides what is overdue (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Only tasks whose deadline is before the --as-of day.
    #[arg(long)]
    overdue: bool,
    /// Text for people, JSON or YAML for programs, or CSV (one row per obligation) for
    /// task trackers and spreadsheets.
    #[arg(long, value_enum, default_value = "text")]
    format: TasksFormat,
    /// Start the CSV with a byte-order mark, so that spreadsheet programs read it as UTF-8
    /// (the default).
    #[arg(long, overrides_with = "no_bom")]
    bom: bool,
    /// No byte-order mark before the CSV.
    #[arg(long, overrides_with = "bom")]
    no_bom: bool,
}

/// Output formats of `vanban check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// `FILE:LINE:COL: severity: code: message`.
    Text,
    /// One JSON object per diagnostic and line.
    Json,
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
    /// YAML files.
    Yaml,
    /// JSON files.
    Json,
    /// One SQLite database (also chosen by `--out NAME.sqlite`, `.sqlite3` or `.db`).
    Sqlite,
}

impl From<RegistryFormat> for vanban::link::Format {
    fn from(format: RegistryFormat) -> Self {
        match format {
            // An SQLite registry's record paths are named as a YAML folder's would be.
            RegistryFormat::Yaml | RegistryFormat::Sqlite => vanban::link::Format::Yaml,
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
    /// Both ways.
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

/// Output formats of `vanban graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// Mermaid flowchart source.
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

/// The order of `vanban tasks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortOrder {
    /// Dated deadlines by date, then recurring tasks (weekly first), then tasks with none.
    Deadline,
    /// By document, in the registry's order.
    Document,
    /// By agency, the most urgent first within each.
    Agency,
}

impl From<SortOrder> for vanban::link::TaskSort {
    fn from(order: SortOrder) -> Self {
        match order {
            SortOrder::Deadline => vanban::link::TaskSort::Deadline,
            SortOrder::Document => vanban::link::TaskSort::Document,
            SortOrder::Agency => vanban::link::TaskSort::Agency,
        }
    }
}

/// How `tasks` prints: as `trace` does, or as CSV rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TasksFormat {
    /// For people.
    Text,
    /// Pretty JSON.
    Json,
    /// YAML.
    Yaml,
    /// RFC 4180 CSV, UTF-8, one row per obligation.
    Csv,
}

/// How `trace` and `tasks` print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ViewFormat {
    /// For people.
    Text,
    /// Pretty JSON.
    Json,
    /// YAML.
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
        // A reader that closed the pipe (`vanban graph ... | head -1`) has what it wanted.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("vanban: {}", message(&error));
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind);
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes on one line, each cause once: the library's errors already name
/// their source, which anyhow would print again.
fn message(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&cause);
        }
    }
    text
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
            &Sources {
                files: &files,
                name: name.as_deref(),
            },
            format.into(),
            output.as_deref(),
            &input.options(),
            &rules,
        ),
        Command::Check {
            files,
            name,
            format,
            input,
        } => check(
            &Sources {
                files: &files,
                name: name.as_deref(),
            },
            format,
            cli.color.enabled(),
            &input.options(),
            &rules,
        ),
        Command::Completions { shell } => {
            let mut out = std::io::stdout().lock();
            clap_complete::generate(shell, &mut Cli::command(), "vanban", &mut out);
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = std::io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { kind } => print_schema(kind),
        Command::Explain { code } => explain(code.as_deref()),
        Command::Build {
            dir,
            out,
            format,
            input,
            wait,
        } => build(
            &dir,
            &out,
            (format.into(), format == RegistryFormat::Sqlite),
            (input.options(), wait),
            &rules,
            cli.quiet,
        ),
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
            let graph = vanban::link::graph(&registry, format.into(), root.as_deref())?;
            let mut out = std::io::stdout().lock();
            out.write_all(graph.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Tasks(args) => tasks(args),
        Command::Report { registry, out, day } => {
            let day = day.unwrap_or_else(today);
            Ok(vanban::report::run(&registry, &out, &day, cli.quiet)?)
        }
    }
}

/// `vanban tasks`: the tasks the options select, for people or for programs.
fn tasks(args: TasksArgs) -> Result<ExitCode> {
    let role = args.role.map(|r| {
        if r == "support" {
            Role::Support
        } else {
            Role::Lead
        }
    });
    let filter = vanban::link::TaskFilter {
        agency: args.agency,
        locality: args.locality,
        role,
        due_before: args.due_before,
        document: args.document,
        sort: args.sort.into(),
        as_of: Some(args.as_of.unwrap_or_else(today)),
        overdue: args.overdue,
    };
    let format = match args.format {
        TasksFormat::Csv => {
            let csv = vanban::link::tasks_csv(&args.registry, &filter, !args.no_bom)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&csv)?;
            out.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        TasksFormat::Text => ViewFormat::Text,
        TasksFormat::Json => ViewFormat::Json,
        TasksFormat::Yaml => ViewFormat::Yaml,
    };
    let tasks = vanban::link::tasks(&args.registry, &filter)?;
    let view = vanban::link::TaskView {
        sort: args.sort.into(),
        width: terminal_width(),
    };
    print_view(&tasks, format, |t: &Vec<_>| {
        vanban::link::render_tasks_text(t, &view)
    })
}

/// Prints the JSON Schema of `kind`, pretty, with a final newline.
fn print_schema(kind: SchemaKind) -> Result<ExitCode> {
    let schema = match kind {
        SchemaKind::Record => vanban::write::json_schema::<vanban::Document>(),
        SchemaKind::Index => vanban::write::json_schema::<vanban::link::registry::Index>(),
        SchemaKind::Tasks => vanban::write::json_schema::<vanban::link::TaskEntry>(),
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &schema).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `vanban explain CODE`: the code's meaning as a paragraph; with no code, every code and its
/// one-line meaning. An unknown code is an error (exit 2) that says how to list them.
fn explain(code: Option<&str>) -> Result<ExitCode> {
    let text = match code {
        None => vanban::codes::render_list(),
        Some(wanted) => match vanban::codes::explain(wanted.trim()) {
            Some(code) => vanban::codes::render(code, 90),
            None => {
                anyhow::bail!("{wanted}: no such diagnostic code; `vanban explain` lists them all")
            }
        },
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Today's date, from the system clock, in UTC.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let days = i64::try_from(days).unwrap_or(0);
    vanban::CalendarDate::from_unix_days(days)
        .map(|d| d.iso())
        .unwrap_or_default()
}

/// The terminal's width when stdout is one; None for a file or a pipe, which get the text whole.
fn terminal_width() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(width, _)| usize::from(width.0))
}

fn build(
    dir: &Path,
    out: &Path,
    (format, sqlite): (vanban::link::Format, bool),
    (parse, wait): (ParseOptions, bool),
    rules: &Rules,
    quiet: bool,
) -> Result<ExitCode> {
    let progress = std::io::stderr()
        .is_terminal()
        .then(|| Arc::new(Bar::default()) as Arc<dyn vanban::link::Progress>);
    let options = vanban::link::BuildOptions {
        format,
        progress,
        parse,
        sqlite,
        wait,
    };
    let report = vanban::link::build(dir, out, rules, &options)?;
    for skipped in &report.skipped {
        eprintln!("vanban: {skipped}");
    }
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    if !quiet {
        print_build_summary(&report, out);
    }
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What a build found: notes, registry-wide diagnostics, names the rules lack, the totals.
fn print_build_summary(report: &vanban::link::BuildReport, out: &Path) {
    for note in &report.notes {
        eprintln!("note: {note}");
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
            serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ViewFormat::Yaml => write!(out, "{}", serde_yaml::to_string(value)?)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The inputs of `parse` and `check`: files, `-` for standard input, and its name.
struct Sources<'a> {
    files: &'a [PathBuf],
    name: Option<&'a str>,
}

impl Sources<'_> {
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
    let bytes = vanban::read_bounded(std::io::stdin().lock(), name, options.max_bytes)
        .map_err(|e| e.to_string())?;
    vanban::parse_bytes(name, &bytes, rules, options).map_err(|e| e.to_string())
}

fn parse(
    sources: &Sources,
    format: vanban::write::Format,
    output: Option<&Path>,
    options: &ParseOptions,
    rules: &Rules,
) -> Result<ExitCode> {
    // An input that cannot be used is named on stderr; the others are still printed.
    let mut documents = Vec::with_capacity(sources.files.len());
    let mut unusable = false;
    for result in sources.parse(rules, options) {
        match result {
            Ok(document) => documents.push(document),
            Err(error) => {
                eprintln!("vanban: {error}");
                unusable = true;
            }
        }
    }
    let inputs = if sources.files.len() == 1 {
        Inputs::One
    } else {
        Inputs::Several
    };
    if documents.is_empty() && inputs == Inputs::One {
        return Ok(ExitCode::from(2));
    }
    match output {
        Some(path) => write_atomically(path, &documents, format, inputs)?,
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            write_documents(&mut out, &documents, format, inputs)?;
            out.flush()?;
        }
    }
    Ok(if unusable {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes the records beside `path` and renames, so an existing file is never left
/// half-written. Messages name `path`, never the temporary file.
fn write_atomically(
    path: &Path,
    documents: &[vanban::Document],
    format: vanban::write::Format,
    inputs: Inputs,
) -> Result<()> {
    let temporary = path.with_extension("vanban-tmp");
    let written = (|| -> Result<(), vanban::write::WriteError> {
        let mut out = BufWriter::new(std::fs::File::create(&temporary)?);
        write_documents(&mut out, documents, format, inputs)?;
        out.flush()?;
        drop(out);
        Ok(std::fs::rename(&temporary, path)?)
    })();
    match written {
        Ok(()) => {}
        Err(vanban::write::WriteError::Io(error)) => {
            let _ = std::fs::remove_file(&temporary);
            anyhow::bail!("{}: cannot write: {error}", path.display());
        }
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            anyhow::bail!("{}: {error}", path.display());
        }
    }
    Ok(())
}

fn check(
    sources: &Sources,
    format: CheckFormat,
    color: bool,
    options: &ParseOptions,
    rules: &Rules,
) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut errors = false;
    let mut unusable = false;
    for result in sources.parse(rules, options) {
        match result {
            Ok(document) => {
                match format {
                    CheckFormat::Text => write_diagnostics(&mut out, &document, color)?,
                    CheckFormat::Json => write_diagnostics_json(&mut out, &document)?,
                }
                errors |= document
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error);
            }
            Err(error) => {
                out.flush()?;
                eprintln!("vanban: {error}");
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

/// One JSON object per diagnostic and line: file, line, column, severity, code, message.
fn write_diagnostics_json(out: &mut dyn Write, document: &vanban::Document) -> Result<()> {
    for d in &document.diagnostics {
        let object = serde_json::json!({
            "file": document.file,
            "line": d.line,
            "column": d.column,
            "severity": d.severity.as_str(),
            "code": d.code,
            "message": d.message,
        });
        serde_json::to_writer(&mut *out, &object).map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(())
}
