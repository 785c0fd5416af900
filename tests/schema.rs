//! The JSON Schemas `vanban schema` prints hold for what vanban writes: every record of the
//! bundled corpus, of a corpus-ext build and of a corpus-layouts build, the index of those
//! builds and every row of `tasks --format json`. And they are strict enough to reject a
//! record that is wrong: a required field missing, a field of the wrong type, a value that
//! is not one of an enum's.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{json, Value};

fn vanban(args: &[&str]) -> Vec<u8> {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    common::vanban_ok(&args)
}

/// The validator of `vanban schema KIND`.
fn validator(kind: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_slice(&vanban(&["schema", kind])).unwrap();
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "{kind}"
    );
    jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema {kind}: {e}"))
}

/// Fails with every error of `instance`, naming `what`.
fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {}", errors.join("; "));
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The records of the bundled corpus, as `vanban parse --format json` prints them.
fn corpus_records() -> Vec<Value> {
    let mut files: Vec<String> = std::fs::read_dir(common::root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["parse", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    match serde_json::from_slice(&vanban(&args)).unwrap() {
        Value::Array(records) => records,
        other => panic!("several inputs give an array, not {other}"),
    }
}

/// JSON registries of corpus-ext and corpus-layouts, built once for every test here; None
/// without ../shared.
fn registries() -> Option<&'static [PathBuf]> {
    static BUILT: OnceLock<Option<Vec<PathBuf>>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let shared = common::shared()?;
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
            let registries = ["corpus-ext", "corpus-layouts"].map(|corpus| {
                let registry = out.join(format!("schema-{corpus}"));
                let dir = shared.join(corpus);
                vanban(&[
                    "build",
                    "--quiet",
                    dir.to_str().unwrap(),
                    "--out",
                    registry.to_str().unwrap(),
                    "--format",
                    "json",
                ]);
                registry
            });
            Some(registries.to_vec())
        })
        .as_deref()
}

#[test]
fn the_bundled_corpus_records_validate() {
    let validator = validator("record");
    let records = corpus_records();
    assert!(records.len() >= 2);
    for record in &records {
        assert_valid(&validator, record, record["file"].as_str().unwrap_or("?"));
    }
}

#[test]
fn every_record_of_the_shared_corpora_validates() {
    let Some(registries) = registries() else {
        return;
    };
    let validator = validator("record");
    for registry in registries {
        let mut count = 0;
        for entry in std::fs::read_dir(registry.join("documents")).unwrap() {
            let path = entry.unwrap().path();
            assert_valid(&validator, &read_json(&path), &path.display().to_string());
            count += 1;
        }
        assert!(count > 100, "{}: {count} records", registry.display());
    }
}

#[test]
fn the_index_of_each_build_validates() {
    let Some(registries) = registries() else {
        return;
    };
    let validator = validator("index");
    for registry in registries {
        let index = read_json(&registry.join("index.json"));
        assert!(!index["documents"].as_array().unwrap().is_empty());
        assert_valid(&validator, &index, &registry.display().to_string());
    }
}

#[test]
fn every_task_row_validates() {
    let Some(registries) = registries() else {
        return;
    };
    let validator = validator("tasks");
    for registry in registries {
        let rows: Value = serde_json::from_slice(&vanban(&[
            "tasks",
            "--registry",
            registry.to_str().unwrap(),
            "--format",
            "json",
            "--as-of",
            "2025-12-01",
        ]))
        .unwrap();
        let rows = rows.as_array().expect("tasks --format json is an array");
        assert!(!rows.is_empty(), "{}", registry.display());
        for row in rows {
            assert_valid(&validator, row, row["id"].as_str().unwrap_or("?"));
        }
    }
}

/// The seed 1790/CV-BCĐ, which has citations, obligations and diagnostics to break.
fn seed_record() -> Value {
    corpus_records()
        .into_iter()
        .find(|r| r["id"] == "1790/CV-BCĐ")
        .expect("the seed is in corpus/")
}

/// A change that makes a record wrong.
type Breaker = dyn Fn(&mut Value);

#[test]
fn a_wrong_record_is_rejected() {
    let validator = validator("record");
    let seed = seed_record();
    assert_valid(&validator, &seed, "the seed as written");
    let wrong: Vec<(&str, Box<Breaker>)> = vec![
        (
            "no id",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("id");
            }),
        ),
        (
            "no date (written as null when unknown, never left out)",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("date");
            }),
        ),
        (
            "a line as a string",
            Box::new(|r| r["citations"][0]["line"] = json!("7")),
        ),
        (
            "a role outside the enum",
            Box::new(|r| r["obligations"][0]["role"] = json!("boss")),
        ),
        (
            "sections as an object",
            Box::new(|r| r["sections"] = json!({})),
        ),
        (
            "a signer without a name",
            Box::new(|r| {
                r["signer"].as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "a diagnostic at line 0",
            Box::new(|r| {
                r["diagnostics"] = json!([
                    {"severity": "info", "code": "missing-signer", "message": "m", "line": 0, "column": 1}
                ])
            }),
        ),
        (
            "a target value as text",
            Box::new(|r| {
                r["targets"] = json!([
                    {"path": "1", "value": "17.700", "unit": "người", "text": "17.700 người", "line": 3}
                ])
            }),
        ),
    ];
    for (what, break_it) in wrong {
        let mut record = seed.clone();
        break_it(&mut record);
        assert!(
            !validator.is_valid(&record),
            "accepted a record with {what}"
        );
    }
}

#[test]
fn a_wrong_task_row_or_index_is_rejected() {
    let tasks = validator("tasks");
    let row = json!({
        "id": "1/KH-UBND#1", "key": "ubnd:1/KH-UBND:#1#so-y-te", "document_key": "ubnd:1/KH-UBND:",
        "agency": "Sở Y tế", "agency_slug": "so-y-te",
        "document": "1/KH-UBND", "document_type": "Kế hoạch", "document_date": null,
        "document_subject": "", "path": "1", "role": "lead", "modality": "directive",
        "deadline": {"text": "hằng tháng", "date": null, "recurrence": "monthly"},
        "partners": [], "text": "Báo cáo.", "line": 12, "overdue": false
    });
    assert_valid(&tasks, &row, "a well-formed row");
    let mut wrong = row.clone();
    wrong["deadline"] = json!("hằng tháng");
    assert!(!tasks.is_valid(&wrong), "a deadline as a bare string");
    let mut wrong = row.clone();
    wrong.as_object_mut().unwrap().remove("agency");
    assert!(!tasks.is_valid(&wrong), "a row without its agency");

    let index = validator("index");
    assert!(!index.is_valid(&json!({"registry": "vanban", "version": 2})));
}
