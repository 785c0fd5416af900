//! Every directive of `../shared/corpus-layouts` (149 files in the layouts a user saves them
//! in: Thư viện Pháp luật pages, flattened exports, bodies without their header, Quốc hội
//! texts, news ledes) parses, and its record keeps the contract's promises: the id is the
//! document's own Số line wherever the text has one, nothing of a portal's banner, metadata
//! table or footer becomes a citation, an addressee or a recipient, and every line number is
//! a line of the file. Also: the gold of `../shared/gold-layouts`, and ours in
//! `tests/gold-layouts`, do not drop below the level reached.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use vanban::record::walk_all;

fn corpus() -> Option<PathBuf> {
    let dir = common::shared()?.join("corpus-layouts");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared/corpus-layouts is absent; skipping");
        None
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

/// The document's own Số line, read independently of vanban: a line that starts (after table
/// bars, rules and markdown) with `Số:` or `Số`, the number on it or on the next line. A
/// portal's `Số hiệu:` is not one; a law's `Luật số:` is.
fn printed_number(source: &str) -> Option<String> {
    let pattern = Regex::new(r"^[|\s\-_–*]*(?:Luật\s+)?Số\s*:?\s*(\S*)").unwrap();
    let lines: Vec<String> = source.lines().map(|l| l.replace("**", "")).collect();
    let (index, caps) = lines
        .iter()
        .take(120)
        .enumerate()
        .find_map(|(i, l)| pattern.captures(l).map(|c| (i, c)))?;
    let same = caps[1].trim_end_matches('|').to_string();
    let raw = if same.is_empty() {
        lines
            .get(index + 1)?
            .trim()
            .trim_end_matches('|')
            .trim()
            .to_string()
    } else {
        same
    };
    let raw: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect();
    raw.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit())
        .then_some(raw)
}

#[test]
fn every_layout_file_parses_and_keeps_the_contract() {
    let Some(dir) = corpus() else {
        return;
    };
    let rules = common::rules();
    let mut problems = Vec::new();
    let mut layouts: HashMap<String, usize> = HashMap::new();
    for path in files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).unwrap();
        let document = match vanban::parse_path(&path, &rules, &vanban::ParseOptions::default()) {
            Ok(document) => document,
            Err(e) => {
                problems.push(format!("{name}: {e}"));
                continue;
            }
        };
        *layouts.entry(document.layout.clone()).or_default() += 1;
        if let Some(printed) = printed_number(&source) {
            let lookalike_free: String = printed
                .chars()
                .map(|c| match c {
                    'С' => 'C',
                    'Р' => 'P',
                    'Т' => 'T',
                    c => c,
                })
                .collect();
            if lookalike_free.to_lowercase() != document.id.to_lowercase() {
                problems.push(format!(
                    "{name}: id {:?} but the Số line says {printed:?}",
                    document.id
                ));
            }
        }
        // The portal's lines, found by the reader, and checked here against the record.
        let read = vanban::stages::read(&source, &rules.layouts);
        let in_chrome = |line: u32| read.chrome.iter().any(|&(s, e)| s <= line && line <= e);
        for c in &document.citations {
            if in_chrome(c.line) {
                problems.push(format!(
                    "{name}: citation {} from portal line {}",
                    c.id, c.line
                ));
            }
        }
        let line_count = source.lines().count() as u32;
        for node in walk_all(&document.sections) {
            if node.line == 0 || node.line > line_count {
                problems.push(format!("{name}: node {} at line {}", node.path, node.line));
            }
            if in_chrome(node.line) {
                problems.push(format!(
                    "{name}: node {} from portal line {}",
                    node.path, node.line
                ));
            }
        }
        for c in &document.citations {
            if c.line == 0 || c.line > line_count {
                problems.push(format!("{name}: citation {} at line {}", c.id, c.line));
            }
        }
        for o in &document.obligations {
            if o.line == 0 || o.line > line_count {
                problems.push(format!("{name}: obligation {} at line {}", o.id, o.line));
            }
        }
        for d in &document.diagnostics {
            if d.line > line_count {
                problems.push(format!("{name}: diagnostic {} at line {}", d.code, d.line));
            }
        }
        // Portal text that must never be read as the document's.
        let portal = [
            "Quý Thành viên",
            "THƯ VIỆN PHÁP LUẬT",
            "Thành viên Pro",
            "Văn bản liên quan",
        ];
        for entry in document.addressees.iter().chain(&document.recipients) {
            if portal.iter().any(|p| entry.contains(p)) {
                problems.push(format!(
                    "{name}: portal text as an addressee or recipient: {entry}"
                ));
            }
        }
        if document.layout == "tvpl-portal" {
            if document.source_metadata.is_none() {
                problems.push(format!("{name}: a portal page without source_metadata"));
            }
            if document.citations.iter().any(|c| c.id == "13/2023/NĐ-CP")
                && !source_cites_decree_13(&source, &read)
            {
                problems.push(format!(
                    "{name}: the portal's 13/2023/NĐ-CP notice was cited"
                ));
            }
        }
    }
    eprintln!("layouts: {layouts:?}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert_eq!(layouts.get("tvpl-portal"), Some(&79), "{layouts:?}");
}

/// True when the document itself (outside the portal's lines) names Nghị định 13/2023/NĐ-CP.
fn source_cites_decree_13(source: &str, read: &vanban::stages::Read) -> bool {
    source.lines().enumerate().any(|(i, l)| {
        let line = i as u32 + 1;
        l.contains("13/2023/NĐ-CP") && !read.chrome.iter().any(|&(s, e)| s <= line && line <= e)
    })
}

/// The `overall:` figures of `gold` scored on corpus-layouts.
fn score(gold: &Path) -> Option<HashMap<String, f64>> {
    let shared = common::shared()?;
    if !gold.is_dir() {
        eprintln!("note: {} is absent; skipping", gold.display());
        return None;
    }
    let docs = shared.join("corpus-layouts");
    common::score(&["--docs", docs.to_str()?, gold.to_str()?])
}

/// Fails when a figure drops below its floor.
fn at_least(figures: &HashMap<String, f64>, floors: [(&str, f64); 5]) {
    for (name, floor) in floors {
        let value = figures.get(name).copied().unwrap_or(0.0);
        assert!(value >= floor, "{name} = {value:.3}, below {floor}");
    }
}

#[test]
fn layouts_against_shared_gold() {
    let Some(shared) = common::shared() else {
        return;
    };
    let Some(figures) = score(&shared.join("gold-layouts")) else {
        return;
    };
    // The level reached, rounded down: 0.98 for citations, as 74e2ddc7b11340da (law names
    // cut short, 552/TB-VPCP) and 355bcc582867074b (a Luật giá) are not done yet.
    at_least(
        &figures,
        [
            ("header", 1.0),
            ("addressees_f1", 1.0),
            ("signer", 1.0),
            ("recipients_f1", 1.0),
            ("citations_f1", 0.98),
        ],
    );
}

#[test]
fn layouts_against_our_gold() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold-layouts");
    let Some(figures) = score(&gold) else {
        return;
    };
    // The level reached, rounded down (see tests/gold-layouts/README.md and the branch's
    // report for what is left: a squashed TM. title, a split `Nơi / nhận:` label, ...).
    at_least(
        &figures,
        [
            ("header", 0.99),
            ("addressees_f1", 1.0),
            ("signer", 0.97),
            ("recipients_f1", 0.95),
            ("citations_f1", 0.99),
        ],
    );
}
