//! Reliability under hostile corpora and registries (issue 17): one test per defect, named
//! after what broke. Each builds what the probe built, in a throwaway folder, and checks that
//! vanban answers or refuses with a clear message: no panic, no hang, nothing read or written
//! outside the corpus or the registry.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use vanban::link::{build_documents, trace, BuildOptions, Direction};
use vanban::record::{Citation, Document, Relation};

fn vanban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .expect("vanban runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn document(id: &str, cites: &[&str]) -> Document {
    Document {
        id: id.into(),
        doc_type: "Kế hoạch".into(),
        date: Some("2024-01-02".into()),
        subject: format!("Kế hoạch {id}"),
        file: format!("{}.txt", id.replace('/', "_")),
        encoding: "utf-8".into(),
        citations: cites
            .iter()
            .enumerate()
            .map(|(i, cited)| Citation {
                id: (*cited).into(),
                doc_type: "Kế hoạch".into(),
                relation: Relation::Implements,
                path: "preamble".into(),
                line: i as u32 + 1,
                text: format!("Kế hoạch số {cited}"),
                ..Citation::default()
            })
            .collect(),
        ..Document::default()
    }
}

fn build_registry(documents: Vec<Document>, out: &Path) {
    build_documents(documents, out, &common::rules(), &BuildOptions::default())
        .expect("the registry builds");
}

/// Defect 1: `trace` on a chain of 20,000 documents overflowed the stack (exit 134), and
/// its text grew with the square of the depth.
#[test]
fn trace_of_a_twenty_thousand_long_chain_neither_overflows_nor_grows_quadratically() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reg");
    let n = 20_000;
    let documents = (1..=n)
        .map(|i| {
            let cited = format!("{}/KH-UBND", i - 1);
            let cites: Vec<&str> = if i > 1 { vec![cited.as_str()] } else { vec![] };
            document(&format!("{i}/KH-UBND"), &cites)
        })
        .collect();
    build_registry(documents, &out);
    // In a test thread (2 MB of stack, less than a main thread's 8 MB).
    let up = trace(&out, &format!("{n}/KH-UBND"), None, Direction::Up).unwrap();
    assert_eq!(up.upstream.len(), n - 1);
    assert_eq!(up.upstream.last().unwrap().level, n - 1);
    let out = out.to_str().unwrap();
    for format in ["text", "json", "yaml"] {
        let output = vanban(&["trace", &format!("{n}/KH-UBND"), "--registry", out, "--format", format]);
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        // Linear: a few hundred bytes per document, however deep it stands.
        assert!(
            output.stdout.len() < n * 1_000,
            "{format}: {} bytes for {n} documents",
            output.stdout.len()
        );
    }
}
