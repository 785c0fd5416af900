//! Stage 6: many documents in, one cross-linked registry out, and the commands that read it.
//!
//! ```text
//! Vec<Document> ─assemble→ Registry ─write→ OUT/{index, documents/, agencies/, citations}
//! OUT ─open→ Registry ─trace | graph | tasks→ what the user asked
//! ```
//!
//! * [`build`]: parse a folder in parallel and write the registry, atomically (see [`build`]
//!   for how an interrupted build is recovered).
//! * [`trace`]: the citation chain of one document, upstream and downstream.
//! * [`graph`]: the citation graph as Graphviz DOT or Mermaid.
//! * [`tasks`]: obligations filtered by agency (any spelling), role, deadline, document.
//!
//! Every file is keyed by id; ids compare with [`crate::lexicon::doc_number::id_key`], so a user may
//! type `291/QD-TTG` for `291/QĐ-TTg`.

pub mod build;
pub mod graph;
pub mod registry;
pub mod tasks;
pub mod trace;

pub use build::{build, build_documents, BuildError, BuildOptions, BuildReport, Format};
pub use graph::{graph, render_graph, GraphFormat};
pub use registry::{agency_slug, assemble, Registry, RegistryError};
pub use tasks::{render_tasks_text, select_tasks, tasks, TaskEntry, TaskFilter};
pub use trace::{render_trace_text, trace, trace_in, Direction, Trace};
