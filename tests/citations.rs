//! Data-driven citation cases: `tests/cases/citations/NAME.txt` holds the input (one paragraph
//! per line, optionally preceded by `# id: ...`, `# date: ...`, `# line: N` for the citing
//! document and the input line of the first paragraph); `NAME.yaml` beside it the expected
//! citations, in order, each with the fields to check, and optionally the expected diagnostics
//! (`code` and `line`). Cases named after what once broke are regressions.

use std::path::Path;

use serde::Deserialize;
use vanban::record::{Node, NodeKind, Signer, Span};
use vanban::stages::citations as extract;
use vanban::stages::{Context, Header};
use vanban::Rules;

#[derive(Deserialize)]
struct Expected {
    citations: Vec<ExpectedCitation>,
    #[serde(default)]
    diagnostics: Option<Vec<ExpectedDiagnostic>>,
}

#[derive(Deserialize)]
struct ExpectedCitation {
    id: String,
    #[serde(rename = "type")]
    doc_type: Option<String>,
    #[serde(default, deserialize_with = "some_or_null")]
    date: Option<Option<String>>,
    relation: Option<String>,
    issuer: Option<String>,
    line: Option<u32>,
    article: Option<String>,
    text: Option<String>,
}

/// `date: null` means "no date", a missing `date` means "not checked".
fn some_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct ExpectedDiagnostic {
    code: String,
    line: u32,
}

/// The citing document's header and its one preamble node.
fn document(input: &str) -> (Header, Vec<Node>) {
    let mut doc = Header::default();
    let mut first_line = 1;
    let mut body = Vec::new();
    for line in input.lines() {
        if let Some(header) = line.strip_prefix("# ") {
            if let Some((key, value)) = header.split_once(": ") {
                match key {
                    "id" => doc.id = value.trim().to_string(),
                    "date" => doc.date = Some(value.trim().to_string()),
                    "subject" => doc.subject = value.trim().to_string(),
                    "line" => first_line = value.trim().parse().expect("line number"),
                    _ => panic!("unknown header {key}"),
                }
                continue;
            }
        }
        body.push(line);
    }
    let mut spans = Vec::new();
    let mut offset = 0;
    for (i, line) in body.iter().enumerate() {
        spans.push(Span::new(offset, first_line + i as u32, 1));
        offset += line.len() + 1;
    }
    let preamble = Node {
        path: "preamble".into(),
        label: String::new(),
        kind: NodeKind::Preamble,
        title: String::new(),
        text: body.join("\n"),
        line: first_line,
        children: Vec::new(),
        spans,
    };
    (doc, vec![preamble])
}

fn check(case: &Path, rules: &Rules) -> Result<(), String> {
    let input = std::fs::read_to_string(case).map_err(|e| e.to_string())?;
    let expected_path = case.with_extension("yaml");
    let expected: Expected = serde_yaml::from_str(
        &std::fs::read_to_string(&expected_path)
            .map_err(|e| format!("{}: {e}", expected_path.display()))?,
    )
    .map_err(|e| format!("{}: {e}", expected_path.display()))?;
    let (header, sections) = document(&input);
    let context = Context {
        lexicon: &rules.lexicon,
        header: &header,
        signer: &Signer::default(),
        sections: &sections,
    };
    let (citations, diagnostics) = extract(&context, &rules.citations);
    let got: Vec<&str> = citations.iter().map(|c| c.id.as_str()).collect();
    let want: Vec<&str> = expected.citations.iter().map(|c| c.id.as_str()).collect();
    if got != want {
        return Err(format!("ids: got {got:?}, want {want:?}"));
    }
    let mut errors = Vec::new();
    for (c, e) in citations.iter().zip(&expected.citations) {
        let mut field = |name: &str, got: String, want: String| {
            if got != want {
                errors.push(format!("{}: {name}: got {got:?}, want {want:?}", c.id));
            }
        };
        if let Some(t) = &e.doc_type {
            field("type", c.doc_type.clone(), t.clone());
        }
        if let Some(d) = &e.date {
            field("date", format!("{:?}", c.date), format!("{d:?}"));
        }
        if let Some(r) = &e.relation {
            field("relation", c.relation.as_str().to_string(), r.clone());
        }
        if let Some(i) = &e.issuer {
            field(
                "issuer",
                format!("{:?}", c.issuer),
                format!("{:?}", Some(i)),
            );
        }
        if let Some(l) = e.line {
            field("line", c.line.to_string(), l.to_string());
        }
        if let Some(a) = &e.article {
            field(
                "article",
                format!("{:?}", c.article),
                format!("{:?}", Some(a)),
            );
        }
        if let Some(t) = &e.text {
            field("text", c.text.clone(), t.clone());
        }
    }
    if let Some(want) = &expected.diagnostics {
        let got: Vec<(String, u32)> = diagnostics
            .iter()
            .map(|d| (d.code.clone(), d.line))
            .collect();
        let want: Vec<(String, u32)> = want.iter().map(|d| (d.code.clone(), d.line)).collect();
        if got != want {
            errors.push(format!("diagnostics: got {got:?}, want {want:?}"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.join("\n  "))
    }
}

#[test]
fn citation_cases() {
    let rules = Rules::built_in().expect("built-in rules load");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/citations");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", dir.display());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(case, &rules)
                .err()
                .map(|e| format!("{}:\n  {e}", case.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
