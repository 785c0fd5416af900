//! Each seed, written out in every supported encoding (fixtures made by our own encoder and
//! checked against iconv, see tests/fixtures/encodings/README.md), parses to the same record
//! as its UTF-8 form: same id, citations, recipients, structure; only `encoding` differs.

mod common;

use vanban::decode::Encoding;
use vanban::Document;

/// The original text as a legacy fixture holds it: each character the encoding cannot write is
/// replaced by its closest ASCII (the table in tests/fixtures/encodings/README.md).
fn as_fixture_holds_it(text: &str, encoding: Encoding) -> String {
    text.chars()
        .map(|c| {
            if vanban::decode::encode(&c.to_string(), encoding).is_ok() {
                return c.to_string();
            }
            match c {
                '⁽' => "(".into(),
                '⁾' => ")".into(),
                '¹' => "1".into(),
                '²' => "2".into(),
                '³' => "3".into(),
                '“' | '”' => "\"".into(),
                '‘' | '’' => "'".into(),
                '–' | '—' => "-".into(),
                '…' => "...".into(),
                '✓' => "v".into(),
                '≤' => "<=".into(),
                '≥' => ">=".into(),
                other => other.to_string(),
            }
        })
        .collect()
}

fn record_without_encoding(mut document: Document) -> Document {
    document.encoding.clear();
    document.file.clear();
    document.diagnostics.retain(|d| d.code != "encoding");
    document
}

#[test]
fn every_encoding_gives_the_same_record() {
    let dir = common::root().join("tests/fixtures/encodings");
    for seed in ["000_f13dcb22fb0d6dd6", "002_711db2a21855934a"] {
        let original_path = dir.join(format!("{seed}.utf-8.txt"));
        let original_text = std::fs::read_to_string(&original_path).unwrap();
        let original = common::parse(&original_path);
        let expected_id = if seed.starts_with("000") {
            "1790/CV-BCĐ"
        } else {
            "31/KH-UBND"
        };
        assert_eq!(original.id, expected_id);
        for (suffix, encoding) in [
            ("tcvn3", "tcvn3"),
            ("tcvn3.iconv", "tcvn3"),
            ("vni", "vni"),
            ("windows-1258", "windows-1258"),
            ("windows-1258.iconv", "windows-1258"),
            ("utf-16le", "utf-16le"),
            ("utf-16be", "utf-16be"),
            ("utf-8-nfd", "utf-8"),
        ] {
            let parsed = common::parse(&dir.join(format!("{seed}.{suffix}.txt")));
            let legacy: Encoding = encoding.parse().unwrap();
            let expected = if matches!(
                legacy,
                Encoding::Windows1258 | Encoding::Tcvn3 | Encoding::Vni
            ) {
                let text = as_fixture_holds_it(&original_text, legacy);
                vanban::parse_text("", &text, Encoding::Utf8, &common::rules())
            } else {
                original.clone()
            };
            assert_eq!(parsed.encoding, encoding, "{seed}.{suffix}");
            if encoding != "utf-8" {
                assert!(
                    parsed.diagnostics.iter().any(|d| d.code == "encoding"),
                    "{seed}.{suffix}: info diagnostic"
                );
            }
            assert_eq!(parsed.id, expected_id, "{seed}.{suffix}");
            assert_eq!(
                record_without_encoding(parsed),
                record_without_encoding(expected),
                "{seed}.{suffix}"
            );
        }
    }
}

#[test]
fn forced_encoding_is_used() {
    let path = common::root().join("tests/fixtures/encodings/000_f13dcb22fb0d6dd6.vni.txt");
    let options = vanban::ParseOptions {
        encoding: Some(vanban::decode::Encoding::Vni),
        ..Default::default()
    };
    let document = vanban::parse_path(&path, &common::rules(), &options).unwrap();
    assert_eq!(document.encoding, "vni");
    assert_eq!(document.id, "1790/CV-BCĐ");
}

#[test]
fn eight_bit_garbage_is_refused() {
    let bytes: Vec<u8> = (0..4000u32)
        .map(|i| (128 + (i * 7919 % 127)) as u8)
        .collect();
    let error = vanban::parse_bytes("garbage.txt", &bytes, &common::rules(), &Default::default())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "garbage.txt: not UTF-8 and not a known Vietnamese legacy encoding"
    );
}
