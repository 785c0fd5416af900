//! The pipeline's shape, checked: no import loop between the top-level modules of `src/`, and
//! none between the files of one module.
//!
//! A file depends on what it names: `use crate::lexicon::...` or an inline `crate::lexicon::`
//! path makes its module depend on `lexicon`; `use super::store::...` or `crate::link::store`
//! in `link/build.rs` makes `build.rs` depend on its sibling `store.rs`. A module's `mod.rs`
//! declares and re-exports its files, so the edges between it and them are not counted. Test
//! code (a `tests.rs` file, or what follows `#[cfg(test)]`) may reach anywhere.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// One source file: its module path (`link`, `extract::obligations`) and its own name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct File {
    module: Vec<String>,
    name: String,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn file_of(src: &Path, path: &Path) -> File {
    let relative = path.strip_prefix(src).unwrap();
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    let name = parts.pop().unwrap();
    File {
        module: parts,
        name,
    }
}

/// The code of a file without its tests.
fn code_without_tests(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("#[cfg(test)]") && !line.starts_with(' ') {
            break;
        }
        let line = line.split("//").next().unwrap_or_default();
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// Every path the code names from `prefix` (`crate::`, `super::`): the words after it.
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find(prefix) {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + prefix.len()..];
        rest = after;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(after.len());
        let words: Vec<&str> = after[..end].split("::").filter(|w| !w.is_empty()).collect();
        // `use super::{error::io, store};`: each name of the group.
        if let Some(group) = after[end..].strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for name in group.split(',') {
                let first = name.trim().split("::").next().unwrap_or_default().trim();
                if !first.is_empty() && first != "self" {
                    let mut path = words.clone();
                    path.push(first);
                    paths.push(path);
                }
            }
            if group.split(',').any(|n| n.trim() == "self") && !words.is_empty() {
                paths.push(words);
            }
        } else if !words.is_empty() {
            paths.push(words);
        }
    }
    paths
}

/// Items the crate root re-exports (`pub use pipeline::{Rules, ...}`), by the module they
/// come from, so that `crate::Rules` counts as a use of `pipeline`.
fn root_exports(lib: &str) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    let flat = lib.replace('\n', " ");
    for statement in flat.split(';') {
        let Some(rest) = statement.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let item = item.split(" as ").last().unwrap_or_default().trim();
            if !item.is_empty() {
                exports.insert(item.to_string(), module.trim().to_string());
            }
        }
    }
    exports
}

/// A cycle in a directed graph, if there is one, as the list of its nodes.
fn find_cycle<N: Ord + Clone + std::fmt::Debug>(
    edges: &BTreeMap<N, BTreeSet<N>>,
) -> Option<Vec<N>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<N, Mark> = BTreeMap::new();
    for start in edges.keys() {
        if marks.contains_key(start) {
            continue;
        }
        // Iterative depth-first search: the stack holds each node and its remaining children.
        let mut stack: Vec<(N, Vec<N>)> = vec![(start.clone(), children(edges, start))];
        marks.insert(start.clone(), Mark::Open);
        while let Some((node, pending)) = stack.last_mut() {
            match pending.pop() {
                Some(next) => match marks.get(&next) {
                    Some(Mark::Open) => {
                        let from = stack.iter().position(|(n, _)| *n == next).unwrap();
                        let mut cycle: Vec<N> =
                            stack[from..].iter().map(|(n, _)| n.clone()).collect();
                        cycle.push(next);
                        return Some(cycle);
                    }
                    Some(Mark::Done) => {}
                    None => {
                        marks.insert(next.clone(), Mark::Open);
                        let grand = children(edges, &next);
                        stack.push((next, grand));
                    }
                },
                None => {
                    marks.insert(node.clone(), Mark::Done);
                    stack.pop();
                }
            }
        }
    }
    None
}

fn children<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>, node: &N) -> Vec<N> {
    edges
        .get(node)
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default()
}

struct Graphs {
    /// Top-level module → the top-level modules it names.
    modules: BTreeMap<String, BTreeSet<String>>,
    /// Module path → (file → sibling files it names).
    files: BTreeMap<Vec<String>, BTreeMap<String, BTreeSet<String>>>,
}

fn graphs() -> Graphs {
    let src = common::root().join("src");
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let exports = root_exports(&lib);
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let files: Vec<(File, String)> = paths
        .iter()
        .map(|p| (file_of(&src, p), fs::read_to_string(p).unwrap()))
        .collect();
    let siblings: BTreeSet<(Vec<String>, String)> = files
        .iter()
        .map(|(f, _)| (f.module.clone(), f.name.clone()))
        .collect();
    let mut graphs = Graphs {
        modules: BTreeMap::new(),
        files: BTreeMap::new(),
    };
    for (file, text) in &files {
        let top = match file.module.first() {
            Some(top) => top.clone(),
            None if file.name == "lib" || file.name == "main" => continue,
            None => file.name.clone(),
        };
        if file.name == "tests" {
            continue;
        }
        let code = code_without_tests(text);
        graphs.modules.entry(top.clone()).or_default();
        for words in paths_after(&code, "crate::") {
            let target = exports
                .get(words[0])
                .cloned()
                .unwrap_or(words[0].to_string());
            if target != top {
                graphs.modules.get_mut(&top).unwrap().insert(target);
            }
            // `crate::link::store` from a file of `link`.
            if words.len() > 1 && !file.module.is_empty() && words[0] == file.module[0] {
                let module: Vec<String> = words[..words.len() - 1]
                    .iter()
                    .map(|w| w.to_string())
                    .collect();
                add_sibling_edge(
                    &mut graphs,
                    &siblings,
                    file,
                    &module,
                    words[words.len() - 1],
                );
                if words.len() > 2 {
                    let module: Vec<String> = words[..words.len() - 2]
                        .iter()
                        .map(|w| w.to_string())
                        .collect();
                    add_sibling_edge(
                        &mut graphs,
                        &siblings,
                        file,
                        &module,
                        words[words.len() - 2],
                    );
                }
            }
        }
        if file.name != "mod" {
            for words in paths_after(&code, "super::") {
                add_sibling_edge(&mut graphs, &siblings, file, &file.module.clone(), words[0]);
            }
        }
    }
    graphs
}

fn add_sibling_edge(
    graphs: &mut Graphs,
    siblings: &BTreeSet<(Vec<String>, String)>,
    file: &File,
    module: &[String],
    target: &str,
) {
    let is_sibling = module == file.module.as_slice()
        && target != file.name
        && target != "mod"
        && file.name != "mod"
        && siblings.contains(&(module.to_vec(), target.to_string()));
    if is_sibling {
        graphs
            .files
            .entry(file.module.clone())
            .or_default()
            .entry(file.name.clone())
            .or_default()
            .insert(target.to_string());
    }
}

#[test]
fn no_import_loop_between_top_level_modules() {
    let graphs = graphs();
    assert!(graphs.modules.contains_key("lexicon") && graphs.modules.contains_key("extract"));
    if let Some(cycle) = find_cycle(&graphs.modules) {
        panic!(
            "an import loop between modules of src/: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn no_import_loop_between_the_files_of_a_module() {
    let graphs = graphs();
    assert!(
        graphs.files.contains_key(&vec!["link".to_string()]),
        "link/ has sibling imports"
    );
    for (module, edges) in &graphs.files {
        if let Some(cycle) = find_cycle(edges) {
            panic!(
                "an import loop between the files of {}: {}",
                module.join("::"),
                cycle.join(" → ")
            );
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_only_one() {
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    edges.entry("a").or_default().insert("b");
    edges.entry("b").or_default().insert("c");
    assert!(find_cycle(&edges).is_none());
    edges.entry("c").or_default().insert("a");
    assert_eq!(find_cycle(&edges), Some(vec!["a", "b", "c", "a"]));
}

#[test]
fn paths_are_read_from_use_lines_and_inline_paths() {
    let code = "use crate::lexicon::{date, Lexicon};\nlet x = crate::link::store::write();\nuse super::error::io;";
    let crate_paths = paths_after(code, "crate::");
    assert_eq!(crate_paths[0], vec!["lexicon", "date"]);
    assert_eq!(crate_paths[1], vec!["lexicon", "Lexicon"]);
    assert_eq!(crate_paths[2], vec!["link", "store", "write"]);
    assert_eq!(paths_after(code, "super::")[0], vec!["error", "io"]);
    let group = paths_after("use super::{error::io, store};", "super::");
    assert_eq!(group, vec![vec!["error"], vec!["store"]]);
}
