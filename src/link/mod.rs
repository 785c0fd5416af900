//! Stage 6: many documents in, one cross-linked registry out, and the commands that read it.
//!
//! ```text
//! Vec<Document> ─assemble→ Registry ─store→ OUT/{index, documents/, agencies/, citations}
//! OUT ─open→ Registry ─trace | graph | tasks→ what the user asked
//! ```
//!
//! * [`registry`]: the shapes of the registry's files, and [`Registry`] holding them;
//!   [`error`]: why building or reading one fails.
//! * [`assemble`](mod@assemble): documents into a [`Registry`] in memory, with `identity`
//!   (issuers and keys), `resolve`
//!   (the citation graph, citations resolved between corpus documents, date conflicts),
//!   `agencies` (obligations under their agency) and [`names`] (file names).
//! * [`build`](mod@build): parse a folder in parallel and write the registry, atomically:
//!   `lock` (one build at a time), `outdir` (OUT, its leftovers, recovery) and `store`
//!   (writing the files, then the swap); see [`build`](mod@build) for how an interrupted
//!   build is recovered.
//! * `open`: [`Registry::open`], a written registry read back; `lookup`:
//!   [`Registry::find_document`], documents by any spelling of their id, and suggestions
//!   when there is none.
//! * [`trace`](mod@trace): the citation chain of one document, upstream and downstream.
//! * [`graph`](mod@graph): the citation graph as Graphviz DOT or Mermaid.
//! * [`tasks`](mod@tasks): obligations filtered by agency (any spelling), role, deadline,
//!   document.
//! * [`view`]: a record by its file name, and the out-folder handling of a build, for the
//!   stages after this one (`report`).
//!
//! Every document, obligation and edge also has a `key` (see `identity.rs`); ids compare folded (case and the đ/d difference ignored), so a user may
//! type `291/QD-TTG` for `291/QĐ-TTg`. The files import one another without cycles, each
//! phase importing only the shapes and the phases before it.

mod agencies;
pub mod assemble;
pub mod build;
mod cache;
pub mod error;
pub mod graph;
mod identity;
mod lock;
mod lookup;
pub mod names;
mod open;
mod outdir;
pub mod registry;
mod resolve;
mod sqlite;
mod store;
pub mod tasks;
mod tasks_csv;
pub mod trace;
pub mod view;

pub use build::{build, build_documents, BuildOptions, BuildReport, Progress};
pub use error::{BuildError, RegistryError};
pub use graph::{graph, render_graph, GraphFormat};
pub use names::agency_slug;
pub use registry::{Format, Registry};
pub use tasks::{
    render_tasks_text, select_tasks, tasks, TaskEntry, TaskFilter, TaskSort, TaskView,
};
pub use tasks_csv::{render_tasks_csv, tasks_csv, TasksCsvError, TASK_CSV_COLUMNS};
pub use trace::{render_trace_text, trace, trace_in, Direction, Trace, TraceBranch};
pub use view::{sync_folder, OutFolder, OutLock};
