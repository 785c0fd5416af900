//! Accuracy against hand-checked gold, measured with `../shared/eval/score.py`: the seeds'
//! gold (`../shared/gold`), ours for corpus-ext (`tests/gold`), gold-ext and gold-layouts.
//! Fails when a figure drops below the level the project has reached. Needs python3 with PyYAML and `../shared`.

mod common;

use std::collections::HashMap;

fn at_least(figures: &HashMap<String, f64>, name: &str, floor: f64) {
    let value = figures.get(name).copied().unwrap_or(0.0);
    assert!(value >= floor, "{name} = {value:.3}, below {floor}");
}

#[test]
fn seeds_against_shared_gold() {
    let Some(shared) = common::shared() else {
        return;
    };
    let gold = shared.join("gold");
    let Some(figures) = common::score(&[gold.to_str().unwrap()]) else {
        return;
    };
    for name in [
        "header",
        "addressees_f1",
        "signer",
        "texts",
        "citations_canonical",
        "citation_dates",
        "citation_types",
        "citation_relations",
        "diagnostics",
    ] {
        at_least(&figures, name, 1.0);
    }
    at_least(&figures, "recipients_f1", 0.95);
    // 0.98, not 1.00: the seed gold omits `Luật sửa đổi, bổ sung một số điều của Luật phòng,
    // chống ma túy` (seed 002 line 75), a law cited by name that the contract says to list.
    at_least(&figures, "citations_f1", 0.98);
    at_least(&figures, "obligations_f1", 0.95);
    at_least(&figures, "roles", 0.95);
    at_least(&figures, "modality", 0.95);
    at_least(&figures, "targets", 0.90);
    at_least(&figures, "deadlines", 1.0);
}

#[test]
fn corpus_ext_against_our_gold() {
    let Some(shared) = common::shared() else {
        return;
    };
    let docs = shared.join("corpus-ext");
    let gold = common::root().join("tests/gold");
    let Some(figures) = common::score(&["--docs", docs.to_str().unwrap(), gold.to_str().unwrap()])
    else {
        return;
    };
    for name in [
        "header",
        "addressees_f1",
        "signer",
        "recipients_f1",
        "citations_f1",
        "citation_dates",
    ] {
        at_least(&figures, name, 0.98);
    }
    for name in [
        "citations_canonical",
        "citation_types",
        "citation_relations",
    ] {
        at_least(&figures, name, 0.95);
    }
    at_least(&figures, "obligations_f1", 0.90);
}

/// The hand-checked obligations of six corpus-ext plans, resolutions and decisions
/// (`../shared/gold-ext`, written independently of the parser): issue 11's floors.
#[test]
fn corpus_ext_against_shared_gold_ext() {
    let Some(shared) = common::shared() else {
        return;
    };
    let gold = shared.join("gold-ext");
    if !gold.is_dir() {
        eprintln!("note: {} is absent; skipping", gold.display());
        return;
    }
    let docs = shared.join("corpus-ext");
    let Some(figures) = common::score(&["--docs", docs.to_str().unwrap(), gold.to_str().unwrap()])
    else {
        return;
    };
    at_least(&figures, "obligations_f1", 0.90);
    at_least(&figures, "roles", 0.97);
    at_least(&figures, "modality", 0.95);
    at_least(&figures, "deadlines", 0.90);
}

/// The three gold-layouts files that annotate obligations (a Công văn of a steering committee
/// without a header, a Cục's letter to its addressees, a decree's execution chapter): issue 11's
/// target on layouts the parser was not written against.
#[test]
fn corpus_layouts_against_shared_gold_layouts() {
    let Some(shared) = common::shared() else {
        return;
    };
    let gold = shared.join("gold-layouts");
    let docs = shared.join("corpus-layouts");
    if !gold.is_dir() || !docs.is_dir() {
        eprintln!(
            "note: {} or {} is absent; skipping",
            gold.display(),
            docs.display()
        );
        return;
    }
    let Some(figures) = common::score(&["--docs", docs.to_str().unwrap(), gold.to_str().unwrap()])
    else {
        return;
    };
    // Reached 0.96 (27 of 28 gold obligations, no false one; the target is 0.80). The
    // one missed is the closing of e42103d7f815212d, which the section tree joins to 2.2.
    at_least(&figures, "obligations_f1", 0.95);
    at_least(&figures, "roles", 0.95);
    at_least(&figures, "modality", 0.95);
}

/// The words of `name_fragments` in `rules/obligations.yaml`, as they appear in an agency slug
/// (`có trách nhiệm` is `co-trach-nhiem`).
fn fragment_slugs() -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let text = std::fs::read_to_string(common::root().join("rules/obligations.yaml")).unwrap();
    let rules: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let words = rules["name_fragments"]
        .as_sequence()
        .expect("name_fragments in rules");
    words
        .iter()
        .filter_map(|w| w.as_str())
        .map(|w| {
            let folded: String = w
                .nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .map(|c| if c == 'đ' || c == 'Đ' { 'd' } else { c })
                .collect::<String>()
                .to_lowercase();
            folded.split_whitespace().collect::<Vec<_>>().join("-")
        })
        .collect()
}

/// Issue 11, "No fragments": no agency of a corpus-ext or corpus-layouts build is named by a
/// phrase holding a verb, a date or a deadline word (`so-tai-chinh-co-trach-nhiem-...`).
#[test]
fn no_agency_slug_holds_a_verb_phrase() {
    let Some(shared) = common::shared() else {
        return;
    };
    let fragments = fragment_slugs();
    assert!(
        fragments.iter().any(|f| f == "co-trach-nhiem"),
        "{fragments:?}"
    );
    let mut bad = Vec::new();
    for corpus in ["corpus-ext", "corpus-layouts"] {
        let out = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_vanban"))
            .arg("build")
            .arg(shared.join(corpus))
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(status.status.success(), "{corpus}: {status:?}");
        let agencies: Vec<String> = std::fs::read_dir(out.path().join("agencies"))
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| {
                e.file_name()
                    .to_string_lossy()
                    .trim_end_matches(".yaml")
                    .to_string()
            })
            .collect();
        assert!(
            agencies.len() > 100,
            "{corpus}: {} agencies",
            agencies.len()
        );
        for slug in agencies {
            let padded = format!("-{slug}-");
            if let Some(f) = fragments
                .iter()
                .find(|f| padded.contains(&format!("-{f}-")))
            {
                bad.push(format!("{corpus}: {slug} holds `{f}`"));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
