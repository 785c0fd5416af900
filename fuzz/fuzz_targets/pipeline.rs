//! The whole pipeline on arbitrary bytes, through every `--format` of `vanban parse`: any
//! input is refused with a reason, or gives a record that serialises in JSON, JSONL and YAML,
//! and whose JSON reads back as the same record.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vanban::write::{write_documents, Format, Inputs};
use vanban::{Document, ParseOptions, Rules};

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::built_in().expect("built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name, so every reader (text, markdown, Word, web page) runs.
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = ["fuzz.txt", "fuzz.md", "fuzz.docx", "fuzz.html", "fuzz"][usize::from(pick) % 5];
    let options = ParseOptions {
        max_bytes: 1 << 20,
        ..ParseOptions::default()
    };
    let Ok(document) = vanban::parse_bytes(name, bytes, rules(), &options) else {
        return;
    };
    let documents = [document];
    for format in [Format::Json, Format::Jsonl, Format::Yaml] {
        let mut out = Vec::new();
        write_documents(&mut out, &documents, format, Inputs::One).expect("a record serialises");
        assert!(std::str::from_utf8(&out).is_ok(), "{format:?} output is UTF-8");
    }
    let mut json = Vec::new();
    write_documents(&mut json, &documents, Format::Json, Inputs::One).unwrap();
    let back: Document = serde_json::from_slice(&json).expect("JSON output reads back");
    let mut again = Vec::new();
    write_documents(&mut again, &[back], Format::Json, Inputs::One).unwrap();
    assert_eq!(json, again, "JSON output is stable through a read back");
});
