//! Hostile input: huge lines, deep nesting, long runs of markers, malformed markdown, mutated
//! real documents. Each must give a record (paths unique, lines within the input) or a clean
//! refusal, never a panic or a stack overflow. Their speed is measured in `benches/`, not here.

mod common;

use proptest::prelude::*;
use vanban::record::walk_all;
use vanban::{parse_bytes, Document, ParseOptions};

fn assert_well_formed(bytes: &[u8], document: &Document) {
    let line_count = bytes.split(|&b| b == b'\n').count() as u32;
    let mut paths = std::collections::HashSet::new();
    for node in walk_all(&document.sections) {
        assert!(paths.insert(node.path.clone()), "path {} twice", node.path);
        assert!(
            node.line >= 1 && node.line <= line_count,
            "node {} at line {} of {line_count}",
            node.path,
            node.line
        );
    }
    for diagnostic in &document.diagnostics {
        assert!(
            diagnostic.line <= line_count,
            "diagnostic {} at line {}",
            diagnostic.code,
            diagnostic.line
        );
    }
}

fn parse_or_refuse(bytes: &[u8]) {
    match parse_bytes("hostile", bytes, &common::rules(), &ParseOptions::default()) {
        Ok(document) => assert_well_formed(bytes, &document),
        Err(error) => assert!(error.to_string().starts_with("hostile: "), "{error}"),
    }
}

#[test]
fn one_megabyte_line() {
    let line =
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 01/01/2025 của Ủy ban nhân dân; ".repeat(14_000);
    parse_or_refuse(format!("Số: 1/KH-UBND\n\n{line}\n").as_bytes());
}

#[test]
fn twenty_thousand_nested_numbers() {
    let mut text = String::from("Số: 1/KH-UBND\n\n");
    for depth in 1..=20_000 {
        text.push_str(&"  ".repeat(depth % 40));
        text.push_str(&format!("{depth}. {}\n", "1.".repeat(depth % 7)));
    }
    text.push_str(&"- ".repeat(20_000));
    text.push('\n');
    text.push_str(&">".repeat(20_000));
    text.push_str(" trích dẫn\n");
    parse_or_refuse(text.as_bytes());
}

#[test]
fn two_hundred_thousand_clauses_in_a_row() {
    let text = format!(
        "Số: 1/KH-UBND\n\n1. Sở Y tế\n\n{}",
        "a) Việc.\n".repeat(200_000)
    );
    parse_or_refuse(text.as_bytes());
}

#[test]
fn malformed_markdown() {
    let text = "Số: **1 /KH-UBND\n\n**Điều 1. **Ban\n\n*** ** * _ __ ___ [x](\n\n```\nkhông đóng\n\n| a | b |\n|---|\n<div>\n\n\\*\\*\n\n# \n\n1) ⁽¹⁾ ⁽\n";
    parse_or_refuse(text.as_bytes());
    parse_or_refuse(&"**".repeat(100_000).into_bytes());
    parse_or_refuse(&"[".repeat(100_000).into_bytes());
    parse_or_refuse(&"*a ".repeat(100_000).into_bytes());
}

/// The seeds, and with `../shared` some corpus-ext documents, as bytes to mutate.
fn originals() -> Vec<Vec<u8>> {
    let mut files = vec![
        std::fs::read(common::root().join("corpus/000_f13dcb22fb0d6dd6.txt")).unwrap(),
        std::fs::read(common::root().join("corpus/002_711db2a21855934a.txt")).unwrap(),
    ];
    let shared = common::root().join("../shared/corpus-ext");
    for name in [
        "001c610b2efdcf0c.md",
        "a328fbb46798c2b5.md",
        "c49a5afadf61b342.md",
    ] {
        if let Ok(bytes) = std::fs::read(shared.join(name)) {
            files.push(bytes);
        }
    }
    files
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
    Insert(usize, &'static str),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let markup = prop::sample::select(vec![
        "**",
        "*",
        "|",
        "\n|\n",
        "- ",
        "1. ",
        "a) ",
        "⁽¹⁾",
        "# ",
        "> ",
        "```",
        "[",
        "\n\n",
        "Số: ",
        "Nơi nhận:",
        "TM. ",
    ]);
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), markup).prop_map(|(at, text)| Mutation::Insert(at, text)),
    ]
}

fn apply(bytes: &[u8], mutation: &Mutation) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    match *mutation {
        Mutation::DeleteLine(i) => {
            let i = i % lines.len();
            lines.remove(i);
        }
        Mutation::SwapLines(a, b) => {
            let n = lines.len();
            lines.swap(a % n, b % n);
        }
        Mutation::Truncate(at) => return bytes[..at % (bytes.len() + 1)].to_vec(),
        Mutation::Insert(at, text) => {
            let at = at % (bytes.len() + 1);
            return [&bytes[..at], text.as_bytes(), &bytes[at..]].concat();
        }
    }
    lines.join(&b'\n')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        parse_or_refuse(&bytes);
    }

    #[test]
    fn mutated_documents_never_panic(which in any::<usize>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let originals = originals();
        let mut bytes = originals[which % originals.len()].clone();
        for m in &mutations {
            bytes = apply(&bytes, m);
        }
        parse_or_refuse(&bytes);
    }
}
