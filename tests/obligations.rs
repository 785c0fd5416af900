//! Data-driven tests of the obligations stage: each file under `tests/cases/obligations/` holds
//! a document (header fields and a section tree, as the earlier stages hand it over) and, beside
//! it, the obligations and targets expected from it.

use std::path::Path;

use serde::Deserialize;
use vanban::record::{Node, NodeKind, Signer, Span};
use vanban::stages::obligations as extract;
use vanban::stages::{Context, Header};
use vanban::Rules;

#[derive(Deserialize)]
struct Case {
    #[serde(default)]
    about: String,
    document: CaseDocument,
    #[serde(default)]
    obligations: Vec<Expected>,
    /// When true, the obligations listed are all there may be.
    #[serde(default)]
    exhaustive: bool,
    #[serde(default)]
    targets: Vec<ExpectedTarget>,
    /// Diagnostics the stage must report (a fragment not taken as an agency).
    #[serde(default)]
    diagnostics: Vec<ExpectedDiagnostic>,
}

#[derive(Deserialize)]
struct ExpectedDiagnostic {
    code: String,
    line: u32,
}

#[derive(Deserialize)]
struct CaseDocument {
    id: String,
    #[serde(default)]
    symbol: String,
    #[serde(default, rename = "type")]
    doc_type: String,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    sections: Vec<CaseNode>,
}

#[derive(Deserialize)]
struct CaseNode {
    path: String,
    kind: NodeKind,
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default = "one")]
    line: u32,
    #[serde(default)]
    children: Vec<CaseNode>,
}

fn one() -> u32 {
    1
}

#[derive(Deserialize, Debug)]
struct Expected {
    path: String,
    agency: String,
    role: String,
    modality: String,
    #[serde(default)]
    partners: Option<Vec<String>>,
    #[serde(default)]
    deadline: Option<ExpectedDeadline>,
    /// The date the task runs from (ISO), when the case states one.
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    known: Option<bool>,
}

#[derive(Deserialize, Debug)]
struct ExpectedDeadline {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    recurrence: Option<String>,
}

#[derive(Deserialize, Debug)]
struct ExpectedTarget {
    path: String,
    value: f64,
    #[serde(default)]
    unit: Option<String>,
}

fn node(n: CaseNode) -> Node {
    Node {
        path: n.path,
        label: String::new(),
        kind: n.kind,
        title: n.title,
        text: n.text,
        line: n.line,
        children: n.children.into_iter().map(node).collect(),
        spans: vec![Span::new(0, n.line, 1)],
    }
}

fn run_case(file: &Path, rules: &Rules) -> Vec<String> {
    let case: Case = serde_yaml::from_str(&std::fs::read_to_string(file).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let d = case.document;
    let header = Header {
        id: d.id,
        symbol: d.symbol,
        doc_type: d.doc_type,
        place: d.place,
        issuer: d.issuer,
        ..Default::default()
    };
    let sections: Vec<Node> = d.sections.into_iter().map(node).collect();
    let context = Context {
        lexicon: &rules.lexicon,
        header: &header,
        signer: &Signer::default(),
        sections: &sections,
    };
    let (obligations, targets, diagnostics) = extract(&context, &rules.obligations);
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let mut failures = Vec::new();
    let shown = || {
        obligations
            .iter()
            .map(|o| format!("  {} {} {:?} {:?}", o.path, o.agency, o.role, o.modality))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for want in &case.obligations {
        let found = obligations
            .iter()
            .find(|o| o.path == want.path && o.agency == want.agency);
        let Some(o) = found else {
            failures.push(format!(
                "{name} ({}): no obligation of {} at {}; got:\n{}",
                case.about,
                want.agency,
                want.path,
                shown()
            ));
            continue;
        };
        let role = serde_json::to_value(o.role).unwrap();
        let modality = serde_json::to_value(o.modality).unwrap();
        if role != want.role.as_str() || modality != want.modality.as_str() {
            failures.push(format!(
                "{name}: {} at {}: role {role}, modality {modality}; want {} {}",
                want.agency, want.path, want.role, want.modality
            ));
        }
        if let Some(partners) = &want.partners {
            if &o.partners != partners {
                failures.push(format!(
                    "{name}: {} at {}: partners {:?}, want {:?}",
                    want.agency, want.path, o.partners, partners
                ));
            }
        }
        if let Some(known) = want.known {
            if o.known_agency != known {
                failures.push(format!(
                    "{name}: {} at {}: known_agency {}",
                    want.agency, want.path, o.known_agency
                ));
            }
        }
        if want.start.is_some() && want.start != o.start {
            failures.push(format!(
                "{name}: {} at {}: start {:?}, want {:?}",
                want.agency, want.path, o.start, want.start
            ));
        }
        if let Some(dl) = &want.deadline {
            match &o.deadline {
                None => failures.push(format!(
                    "{name}: {} at {}: no deadline",
                    want.agency, want.path
                )),
                Some(got) => {
                    if dl.text.as_ref().is_some_and(|t| *t != got.text)
                        || dl.date.is_some() && dl.date != got.date
                        || dl.recurrence.is_some() && dl.recurrence != got.recurrence
                    {
                        failures.push(format!(
                            "{name}: {} at {}: deadline {:?}, want {:?}",
                            want.agency, want.path, got, dl
                        ));
                    }
                }
            }
        }
    }
    if case.exhaustive && obligations.len() != case.obligations.len() {
        failures.push(format!(
            "{name}: {} obligations, want {}:\n{}",
            obligations.len(),
            case.obligations.len(),
            shown()
        ));
    }
    for want in &case.diagnostics {
        if !diagnostics
            .iter()
            .any(|d| d.code == want.code && d.line == want.line)
        {
            failures.push(format!(
                "{name}: no {} diagnostic at line {}; got {:?}",
                want.code,
                want.line,
                diagnostics
                    .iter()
                    .map(|d| (d.code.as_str(), d.line, d.message.as_str()))
                    .collect::<Vec<_>>()
            ));
        }
    }
    for want in &case.targets {
        let hit = targets.iter().any(|t| {
            t.path == want.path
                && t.value == want.value
                && want.unit.as_ref().is_none_or(|u| *u == t.unit)
        });
        if !hit {
            failures.push(format!(
                "{name}: no target {} {:?} at {}; got {:?}",
                want.value,
                want.unit,
                want.path,
                targets
                    .iter()
                    .map(|t| (t.path.as_str(), t.value, t.unit.as_str()))
                    .collect::<Vec<_>>()
            ));
        }
    }
    failures
}

#[test]
fn obligation_cases() {
    let rules = Rules::built_in().unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/obligations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no cases in {}", dir.display());
    let failures: Vec<String> = files.iter().flat_map(|f| run_case(f, &rules)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
