//! Every real directive of `../shared/corpus-ext` parses, and its record keeps the promises of
//! the contract: the id is the document's own Số line, the date its date line, paths are
//! unique, lines are within the file, no markdown or table frames are left in the text.

mod common;

use std::path::Path;
use std::process::Command;

use regex::Regex;
use vanban::record::{walk_all, Document};

/// The Số line as printed, read independently of vanban: `Số:` then the number, possibly on
/// the next line of a table cell; spaces and markdown removed.
fn printed_number(source: &str) -> Option<String> {
    let lines: Vec<&str> = source.lines().take(40).collect();
    let position = lines
        .iter()
        .position(|l| l.trim_start().starts_with("Số:"))?;
    let same_line = lines[position].trim_start()["Số:".len()..]
        .trim()
        .trim_end_matches('|')
        .trim();
    let raw = if same_line.is_empty() {
        lines.get(position + 1)?.trim()
    } else {
        same_line
    };
    Some(
        raw.chars()
            .filter(|c| !c.is_whitespace() && *c != '*')
            .collect(),
    )
}

/// The date line as printed (`ngày 19 tháng 11 năm 2025`, possibly wrapped), as ISO.
fn printed_date(source: &str) -> Option<String> {
    let head: String = source
        .lines()
        .take(40)
        .collect::<Vec<_>>()
        .join(" ")
        .replace('*', "");
    let pattern = Regex::new(r",\s*ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})").unwrap();
    let caps = pattern.captures(&head)?;
    Some(format!(
        "{}-{:02}-{:02}",
        &caps[3],
        caps[2].parse::<u32>().ok()?,
        caps[1].parse::<u32>().ok()?
    ))
}

fn check_record(path: &Path, document: &Document, problems: &mut Vec<String>) {
    let source = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let line_count = source.lines().count() as u32;
    let compact_id: String = document.id.chars().filter(|c| !c.is_whitespace()).collect();
    match printed_number(&source) {
        Some(printed)
            if printed.eq_ignore_ascii_case(&compact_id)
                || printed.to_lowercase() == compact_id.to_lowercase() => {}
        printed => problems.push(format!(
            "{name}: id {:?} but the Số line says {printed:?}",
            document.id
        )),
    }
    if printed_date(&source) != document.date {
        problems.push(format!(
            "{name}: date {:?} but the date line says {:?}",
            document.date,
            printed_date(&source)
        ));
    }
    let mut paths = std::collections::HashSet::new();
    for node in walk_all(&document.sections) {
        if !paths.insert(node.path.as_str()) {
            problems.push(format!("{name}: path {} appears twice", node.path));
        }
        if node.line == 0 || node.line > line_count {
            problems.push(format!(
                "{name}: node {} at line {} of {line_count}",
                node.path, node.line
            ));
        }
        for text in [&node.text, &node.title] {
            if text.replace("(**)", "").contains("**") || text.contains('|') {
                problems.push(format!(
                    "{name}: node {} keeps markup: {:.80}",
                    node.path, text
                ));
            }
        }
    }
    for citation in &document.citations {
        if citation.line == 0 || citation.line > line_count {
            problems.push(format!(
                "{name}: citation {} at line {}",
                citation.id, citation.line
            ));
        }
    }
}

#[test]
fn every_corpus_ext_directive_keeps_the_contract() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(shared.join("corpus-ext"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 126, "corpus-ext should hold 126 directives");
    let mut problems = Vec::new();
    let mut named_signers = 0;
    for path in &files {
        let output = Command::new(env!("CARGO_BIN_EXE_vanban"))
            .arg("parse")
            .arg(path)
            .args(["--format", "json"])
            .output()
            .unwrap();
        if !output.status.success() {
            problems.push(format!(
                "{}: exit {:?}: {}",
                path.display(),
                output.status.code(),
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let document: Document = serde_json::from_slice(&output.stdout).unwrap();
        named_signers += usize::from(!document.signer.name.is_empty());
        check_record(path, &document, &mut problems);
    }
    eprintln!(
        "signer name found in {named_signers} of {} documents",
        files.len()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        named_signers >= 120,
        "signer names found in only {named_signers} documents"
    );
}
