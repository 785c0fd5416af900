//! Data-driven parse cases: each `tests/cases/parse/NAME.txt` is a directive, and
//! `NAME.expect.yaml` beside it lists what its record must hold (any of: the record's own
//! fields compared as values, `paths` as the full list of node paths in order, `texts` as
//! fragments a node's title or text must contain, `diagnostics` as codes at lines). Cases are
//! named after what they guard against.

mod common;

use std::path::Path;

use serde_yaml::Value;
use vanban::record::{walk_all, Document};

fn check(case: &Path, document: &Document, expected: &serde_yaml::Mapping) -> Vec<String> {
    let record = serde_yaml::to_value(document).unwrap();
    let nodes = walk_all(&document.sections);
    let mut problems = Vec::new();
    for (key, want) in expected {
        let key = key.as_str().unwrap_or_default();
        match key {
            "paths" => {
                let got: Vec<Value> = nodes.iter().map(|n| Value::from(n.path.clone())).collect();
                if Value::Sequence(got.clone()) != *want {
                    problems.push(format!("paths: got {got:?}"));
                }
            }
            "texts" => {
                for (path, fragment) in want.as_mapping().into_iter().flatten() {
                    let (path, fragment) = (
                        path.as_str().unwrap_or_default(),
                        fragment.as_str().unwrap_or_default(),
                    );
                    let node = nodes.iter().find(|n| n.path == path);
                    if !node.is_some_and(|n| n.content().contains(fragment)) {
                        problems.push(format!(
                            "texts: node {path} lacks {fragment:?}: {:?}",
                            node.map(|n| n.content())
                        ));
                    }
                }
            }
            "diagnostics" => {
                for want in want.as_sequence().into_iter().flatten() {
                    let code = want["code"].as_str().unwrap_or_default();
                    let line = want["line"].as_u64().unwrap_or_default() as u32;
                    if !document
                        .diagnostics
                        .iter()
                        .any(|d| d.code == code && d.line == line)
                    {
                        problems.push(format!(
                            "diagnostics: no {code} at line {line}: {:?}",
                            document.diagnostics
                        ));
                    }
                }
            }
            field => match &record[field] {
                got if got == want => {}
                Value::Mapping(got) => {
                    for (k, v) in want.as_mapping().into_iter().flatten() {
                        if got.get(k) != Some(v) {
                            problems
                                .push(format!("{field}.{k:?}: got {:?}, want {v:?}", got.get(k)));
                        }
                    }
                }
                got => problems.push(format!("{field}: got {got:?}, want {want:?}")),
            },
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}", case.display()))
        .collect()
}

#[test]
fn parse_cases() {
    let dir = common::root().join("tests/cases/parse");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut problems = Vec::new();
    for case in &cases {
        let expect_path = case.with_extension("expect.yaml");
        let expected: serde_yaml::Mapping = serde_yaml::from_str(
            &std::fs::read_to_string(&expect_path)
                .unwrap_or_else(|e| panic!("{}: {e}", expect_path.display())),
        )
        .unwrap();
        problems.extend(check(case, &common::parse(case), &expected));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
