//! Registry identity on the bundled corpus: every link true, every document, obligation and
//! edge with a key of its own, record names that do not depend on the other files.
//!
//! `corpus/201..209` reproduce the false links found in `../shared/corpus-ext`: two
//! provinces' `310/KH-UBND` (Bắc Ninh 2024, Hà Nội 2025), cited with `của UBND tỉnh` (by
//! Bắc Ninh's 556/KH-UBND, and by Nghệ An, whose own 310 is not in the corpus) and without
//! `của` (by Hà Nội's 2101/UBND-KGVX); Hà Nội's 73/2025/NQ-HĐND citing `35/2025/NQ-HĐND ...
//! của HĐND Thành phố` while only Huế's 35/2025/NQ-HĐND is in the corpus; and 209, an exact
//! copy of 201.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use vanban::link::registry::{GraphEdge, Resolution};
use vanban::link::{build, build_documents, trace, BuildOptions, Direction, Registry};
use vanban::record::{Citation, Document};

struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let path = std::env::temp_dir().join(format!("vanban-id-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        Temp(path)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Builds the corpus files whose names pass `keep` into `tmp/NAME`, and reads it back.
fn build_corpus(tmp: &Path, name: &str, keep: impl Fn(&str) -> bool) -> Registry {
    let input = tmp.join(format!("{name}-in"));
    fs::create_dir_all(&input).unwrap();
    for entry in fs::read_dir(common::root().join("corpus")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if file.ends_with(".txt") && keep(&file) {
            fs::copy(&path, input.join(&file)).unwrap();
        }
    }
    let out = tmp.join(name);
    build(&input, &out, &common::rules(), &BuildOptions::default()).unwrap();
    let mut registry = Registry::open(&out).unwrap();
    registry.load_agencies().unwrap();
    registry
}

fn key_of(registry: &Registry, file: &str) -> String {
    registry
        .index
        .documents
        .iter()
        .find(|d| d.file == file)
        .unwrap_or_else(|| panic!("no document from {file}"))
        .key
        .clone()
}

fn edges<'a>(registry: &'a Registry, from: &str, to: &str) -> Vec<&'a GraphEdge> {
    registry
        .citations
        .edges
        .iter()
        .filter(|e| e.from == from && e.to == to)
        .collect()
}

#[test]
fn true_links_exist_and_false_ones_do_not() {
    let tmp = Temp::new("links");
    let registry = build_corpus(&tmp.0, "reg", |_| true);
    let bac_ninh_310 = key_of(&registry, "201_kh_ubnd_bac_ninh_nuoi_trong_thuy_san.txt");
    let ha_noi_310 = key_of(&registry, "202_kh_ubnd_ha_noi_chuyen_doi_so.txt");
    let hue_35 = key_of(&registry, "205_nq_hdnd_hue_phi_le_phi.txt");
    let ha_noi_12 = key_of(&registry, "207_nq_hdnd_ha_noi_kinh_te_so.txt");
    assert!(bac_ninh_310.starts_with("ubnd-tinh-bac-ninh:310/KH-UBND:2024-08-21"));
    assert_eq!(ha_noi_310, "ubnd-thanh-pho-ha-noi:310/KH-UBND:2025-03-10");

    // `của UBND tỉnh` in Bắc Ninh's plan: Bắc Ninh's 310 (the first of its two copies).
    let e = edges(&registry, "556/KH-UBND", "310/KH-UBND");
    assert_eq!(e.len(), 1);
    assert_eq!(
        (e[0].resolution, e[0].to_key.as_str()),
        (Resolution::Resolved, bac_ninh_310.as_str())
    );
    // No `của`, a local symbol, in a Hà Nội letter: Hà Nội's 310.
    let e = edges(&registry, "2101/UBND-KGVX", "310/KH-UBND");
    assert_eq!(
        (e[0].resolution, e[0].to_key.as_str()),
        (Resolution::Resolved, ha_noi_310.as_str())
    );
    // `của Hội đồng nhân dân Thành phố` in a Hà Nội resolution: Hà Nội's 12/2025.
    let e = edges(&registry, "73/2025/NQ-HĐND", "12/2025/NQ-HĐND");
    assert_eq!(
        (e[0].resolution, e[0].to_key.as_str()),
        (Resolution::Resolved, ha_noi_12.as_str())
    );

    // `của HĐND Thành phố` in Hà Nội is not Huế's 35/2025: ambiguous, Huế's the candidate.
    let e = edges(&registry, "73/2025/NQ-HĐND", "35/2025/NQ-HĐND");
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].resolution, Resolution::Ambiguous);
    assert_ne!(e[0].to_key, hue_35);
    assert_eq!(e[0].candidates.len(), 1);
    assert_eq!(e[0].candidates[0].key, hue_35);
    assert!(
        e[0].candidates[0].reason.contains("Huế"),
        "{:?}",
        e[0].candidates
    );
    // Nghệ An's `310/KH-UBND của UBND tỉnh`: neither province's 310; all three files listed.
    let e = edges(&registry, "4120/UBND-NN", "310/KH-UBND");
    assert_eq!(e[0].resolution, Resolution::Ambiguous);
    assert_eq!(e[0].candidates.len(), 3, "{:?}", e[0].candidates);
    assert!(e[0].to_key.contains("nghe-an"), "{}", e[0].to_key);
    // No edge resolves to a document of another locality.
    for edge in &registry.citations.edges {
        if edge.resolution == Resolution::Resolved {
            assert!(edge.candidates.is_empty());
        }
        assert!(
            !(edge.to_key == hue_35
                || (edge.to_key == ha_noi_310 && edge.from != "2101/UBND-KGVX")),
            "false link {edge:?}"
        );
    }

    // `trace` shows the ambiguous citation, its candidate and why.
    let t = trace(&registry.root, "73/2025/NQ-HĐND", Some(1), Direction::Up).unwrap();
    let text = vanban::link::render_trace_text(&t);
    assert!(text.contains("ambiguous: not linked"), "{text}");
    assert!(text.contains("HĐND thành phố Huế"), "{text}");
    let graph = vanban::link::render_graph(
        &registry,
        vanban::link::GraphFormat::Dot,
        Some("73/2025/NQ-HĐND"),
    )
    .unwrap();
    assert!(
        graph.contains("not chosen: issued by HĐND thành phố Huế"),
        "{graph}"
    );
}

#[test]
fn every_key_is_unique() {
    let tmp = Temp::new("keys");
    let registry = build_corpus(&tmp.0, "reg", |_| true);
    let mut seen = BTreeSet::new();
    let docs: Vec<&str> = registry
        .index
        .documents
        .iter()
        .map(|d| d.key.as_str())
        .collect();
    let nodes: Vec<&str> = registry
        .citations
        .nodes
        .iter()
        .map(|n| n.key.as_str())
        .collect();
    let edges: Vec<&str> = registry
        .citations
        .edges
        .iter()
        .map(|e| e.key.as_str())
        .collect();
    let obligations: Vec<&str> = registry
        .agencies
        .iter()
        .flat_map(|a| a.obligations.iter().map(|o| o.key.as_str()))
        .collect();
    assert!(!obligations.is_empty());
    for (what, keys) in [
        ("document", &docs),
        ("node", &nodes),
        ("edge", &edges),
        ("obligation", &obligations),
    ] {
        let mut unique = BTreeSet::new();
        for key in keys.iter() {
            assert!(!key.is_empty(), "a {what} without a key");
            assert!(unique.insert(key.to_lowercase()), "{what} key {key} twice");
        }
        if what != "node" {
            // Nodes of corpus documents carry the document's key.
            for key in keys.iter() {
                assert!(seen.insert((what, key.to_string())));
            }
        }
    }
    // The exact copy: same issuer, id, date and text; told apart by file.
    let copies: Vec<&str> = docs
        .iter()
        .copied()
        .filter(|k| k.starts_with("ubnd-tinh-bac-ninh:310/KH-UBND:"))
        .collect();
    assert_eq!(copies.len(), 2);
    assert_ne!(copies[0], copies[1]);
    // Every edge names both ends by key.
    for edge in &registry.citations.edges {
        assert!(
            nodes.contains(&edge.from_key.as_str()) && nodes.contains(&edge.to_key.as_str()),
            "{edge:?}"
        );
    }
    // The document records carry their key.
    let record = registry.document(docs[0]).unwrap();
    assert_eq!(record.key, docs[0]);
}

#[test]
fn record_names_do_not_depend_on_the_other_files() {
    let tmp = Temp::new("names");
    let names = |registry: &Registry| -> BTreeMap<String, String> {
        registry
            .index
            .documents
            .iter()
            .map(|d| (d.file.clone(), d.record.clone()))
            .collect()
    };
    let all = names(&build_corpus(&tmp.0, "all", |_| true));
    // Files removed: every other record keeps its name.
    let fewer = names(&build_corpus(&tmp.0, "fewer", |f| {
        !f.starts_with("204_")
            && !f.starts_with("208_")
            && !f.starts_with("101_")
            && !f.starts_with("000_")
    }));
    assert!(fewer.len() < all.len());
    for (file, record) in &fewer {
        assert_eq!(Some(record), all.get(file), "{file}");
    }
    // The colliding ids alone: the same names as among all the files.
    let colliding = names(&build_corpus(&tmp.0, "colliding", |f| {
        f.starts_with("201_") || f.starts_with("202_") || f.starts_with("209_")
    }));
    assert_eq!(colliding.len(), 3);
    for (file, record) in &colliding {
        assert_eq!(Some(record), all.get(file), "{file}");
        assert!(record.starts_with("documents/310_KH-UBND~"), "{record}");
    }
    // A unique id keeps `ID.yaml`.
    assert_eq!(
        all["203_kh_ubnd_bac_ninh_phat_trien_thuy_san.txt"],
        "documents/556_KH-UBND.yaml"
    );
}

#[test]
fn a_law_by_name_and_by_number_is_one_node() {
    let tmp = Temp::new("laws");
    let law = |id: &str, number: &str, symbol: &str| Citation {
        id: id.into(),
        doc_type: "Luật".into(),
        number: number.into(),
        symbol: symbol.into(),
        text: id.into(),
        line: 3,
        path: "preamble".into(),
        ..Citation::default()
    };
    let doc = |id: &str, citation: Citation| Document {
        id: id.into(),
        symbol: "KH-UBND".into(),
        date: Some("2025-01-02".into()),
        citations: vec![citation],
        file: format!("{id}.txt").replace('/', "_"),
        ..Document::default()
    };
    let docs = vec![
        doc("1/KH-UBND", law("Luật Đất đai", "", "")),
        doc("2/KH-UBND", law("31/2024/QH15", "31", "QH15")),
    ];
    let out = tmp.0.join("reg");
    build_documents(docs, &out, &common::rules(), &BuildOptions::default()).unwrap();
    let registry = Registry::open(&out).unwrap();
    let to: BTreeSet<&str> = registry
        .citations
        .edges
        .iter()
        .map(|e| e.to_key.as_str())
        .collect();
    assert_eq!(to.len(), 1, "{to:?}");
    let node = registry.find_node("31/2024/QH15").unwrap();
    assert_eq!(node.titles, ["Luật Đất đai"]);
}
