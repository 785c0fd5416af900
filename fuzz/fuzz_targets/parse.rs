//! The whole parse, from bytes: decode, normalise, structure, extract. Any input must give a
//! record whose paths are unique and whose lines are within the input, or a refusal.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vanban::record::walk_all;
use vanban::{ParseOptions, Rules};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::built_in().expect("built-in rules load"))
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(document) = vanban::parse_bytes("fuzz", bytes, rules(), &ParseOptions::default()) else {
        return;
    };
    let lines = bytes.split(|&b| b == b'\n').count() as u32;
    let mut paths = std::collections::HashSet::new();
    for node in walk_all(&document.sections) {
        assert!(paths.insert(node.path.clone()), "path {} twice", node.path);
        assert!(node.line >= 1 && node.line <= lines, "node {} at line {}", node.path, node.line);
    }
    for citation in &document.citations {
        assert!(citation.line <= lines, "citation at line {}", citation.line);
    }
});
