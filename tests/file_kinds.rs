//! The file kinds a directive arrives in (issue 10): Word files, web pages, standard input,
//! UTF-8 with a few invalid bytes, and `build` naming each file it does not read.
//!
//! The fixtures in tests/fixtures/kinds/ are written by scripts/make-fixtures.py from one
//! description of 105/KH-UBND, except its text twin, written by hand.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/kinds").join(name)
}

fn record(path: &Path) -> Value {
    serde_json::to_value(common::parse(path)).unwrap()
}

/// A value without its `line` and `column` fields, at any depth: a Word file's lines are
/// paragraph numbers, not the text file's lines.
fn without_lines(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| *k != "line" && *k != "column")
                .map(|(k, v)| (k.clone(), without_lines(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_lines).collect()),
        other => other.clone(),
    }
}

fn paths(nodes: &Value, out: &mut Vec<String>) {
    for node in nodes.as_array().into_iter().flatten() {
        out.push(node["path"].as_str().unwrap_or_default().to_string());
        paths(&node["children"], out);
    }
}

/// The fields the issue names: id, date, section paths, citations, recipients, obligations.
fn assert_same_directive(text: &Value, other: &Value) {
    for field in ["id", "date", "recipients"] {
        assert_eq!(text[field], other[field], "{field}");
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    paths(&text["sections"], &mut a);
    paths(&other["sections"], &mut b);
    assert_eq!(a, b, "sections paths");
    for field in ["citations", "obligations"] {
        assert_eq!(
            without_lines(&text[field]),
            without_lines(&other[field]),
            "{field}"
        );
    }
}

#[test]
fn the_word_fixture_parses_as_its_text_twin() {
    let text = record(&fixture("105_kh_ubnd_tiem_chung.txt"));
    let word = record(&fixture("105_kh_ubnd_tiem_chung.docx"));
    assert_eq!(text["id"], "105/KH-UBND");
    assert!(text["obligations"].as_array().unwrap().len() >= 5);
    assert_same_directive(&text, &word);
    assert_eq!(word["layout"], "docx");
    // Lines are paragraph numbers: the header table's two rows are 1 and 2, the type
    // heading `KẾ HOẠCH` is paragraph 3, and part I (numbered by Word) paragraph 6.
    let part_one = &word["sections"][1];
    assert_eq!(part_one["path"], "I");
    assert_eq!(part_one["line"], 6);
}

#[test]
fn the_html_fixture_parses_as_its_text_twin() {
    let text = record(&fixture("105_kh_ubnd_tiem_chung.txt"));
    let page = record(&fixture("105_kh_ubnd_tiem_chung.html"));
    assert_same_directive(&text, &page);
    assert_eq!(page["layout"], "html");
    let all = serde_json::to_string(&page).unwrap();
    for chrome in ["Trang chủ", "var menu", "font-family", "track()"] {
        assert!(
            !all.contains(chrome),
            "{chrome} is the page's, not the directive's"
        );
    }
}

/// A minimal Word file: one paragraph per given text, stored uncompressed.
fn docx(paragraphs: &[String]) -> Vec<u8> {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let body: String = paragraphs
        .iter()
        .map(|p| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(p)
            )
        })
        .collect();
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
         <w:body>{body}</w:body></w:document>"
    );
    let parts = [
        (
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".to_string(),
        ),
        (
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
             <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".to_string(),
        ),
        ("word/document.xml", document),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        zip.start_file(name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_word_file_of_seed_000_gives_the_seeds_header_citations_and_recipients() {
    let Some(shared) = common::shared() else {
        return;
    };
    let seed = shared.join("seeds/000_f13dcb22fb0d6dd6.txt");
    let text = std::fs::read_to_string(&seed).unwrap();
    // One paragraph per paragraph of the seed, its markdown bold gone: a paragraph is a
    // block between blank lines, where each `- ` item of a list is a paragraph of its own
    // and a line that continues an item (a wrapped Nơi nhận entry) is part of it.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines().map(|l| l.replace("**", "")) {
        let line = line.trim();
        if line.is_empty() {
            open = false;
        } else if open && !line.starts_with("- ") && !line.starts_with("+ ") {
            let last = paragraphs.last_mut().unwrap();
            last.push(' ');
            last.push_str(line);
        } else {
            paragraphs.push(line.to_string());
            open = true;
        }
    }
    let bytes = docx(&paragraphs);
    let rules = common::rules();
    let options = vanban::ParseOptions::default();
    let word = vanban::parse_bytes("000.docx", &bytes, &rules, &options).unwrap();
    let seed = common::parse(&seed);
    assert_eq!(word.layout, "docx");
    assert_eq!(word.id, seed.id);
    assert_eq!(word.id, "1790/CV-BCĐ");
    assert_eq!(word.date, seed.date);
    assert_eq!(word.recipients, seed.recipients);
    let ids = |d: &vanban::Document| {
        d.citations
            .iter()
            .map(|c| (c.id.clone(), format!("{:?}", c.relation), c.date.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&word), ids(&seed));
    // A content sniff finds the Word file without its extension too (standard input).
    let sniffed = vanban::parse_bytes("-", &bytes, &rules, &options).unwrap();
    assert_eq!(sniffed.layout, "docx");
}

fn vanban(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let bytes = stdin.unwrap_or_default().to_vec();
    let writer = std::thread::spawn(move || {
        // The reader may stop early (--max-bytes): a broken pipe is expected then.
        let _ = input.write_all(&bytes);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

#[test]
fn standard_input_with_a_name_gives_the_same_record_as_the_file() {
    for name in [
        "105_kh_ubnd_tiem_chung.txt",
        "105_kh_ubnd_tiem_chung.docx",
        "105_kh_ubnd_tiem_chung.html",
    ] {
        let path = fixture(name);
        let file = path.to_str().unwrap();
        let direct = vanban(&["parse", file], None);
        assert!(
            direct.status.success(),
            "{}",
            String::from_utf8_lossy(&direct.stderr)
        );
        let bytes = std::fs::read(&path).unwrap();
        let piped = vanban(&["parse", "-", "--name", file], Some(&bytes));
        assert!(
            piped.status.success(),
            "{}",
            String::from_utf8_lossy(&piped.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&direct.stdout),
            String::from_utf8_lossy(&piped.stdout),
            "{name}"
        );
    }
    // `check -` labels its lines with the name.
    let bytes = std::fs::read(fixture("101_stray_ff.txt")).unwrap();
    let checked = vanban(&["check", "-", "--name", "piped.txt"], Some(&bytes));
    let out = String::from_utf8_lossy(&checked.stdout);
    assert!(
        out.lines()
            .any(|l| l.starts_with("piped.txt:") && l.contains("invalid-utf8")),
        "{out}"
    );
}

#[test]
fn standard_input_is_bounded_by_max_bytes() {
    let bytes = std::fs::read(fixture("105_kh_ubnd_tiem_chung.txt")).unwrap();
    let output = vanban(
        &["parse", "-", "--name", "big.txt", "--max-bytes", "100"],
        Some(&bytes),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("vanban: big.txt: larger than the limit of 100 bytes"),
        "{stderr}"
    );
}

#[test]
fn build_reads_word_and_html_and_names_the_pdf_it_does_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::copy(fixture("105_kh_ubnd_tiem_chung.docx"), input.join("a.docx")).unwrap();
    std::fs::copy(fixture("105_kh_ubnd_tiem_chung.html"), input.join("b.htm")).unwrap();
    std::fs::write(input.join("x.pdf"), b"%PDF-1.4\n%...").unwrap();
    let out = dir.path().join("out");
    let output = vanban(
        &[
            "build",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.ends_with("x.pdf: PDF is not read yet")),
        "{stderr}"
    );
    let summary = stderr.lines().last().unwrap_or_default();
    assert!(summary.contains("2 documents"), "{summary}");
    assert!(
        summary.contains("1 files skipped") && summary.contains("x.pdf: PDF is not read yet"),
        "{summary}"
    );
    let index = std::fs::read_to_string(out.join("index.yaml")).unwrap();
    assert!(index.contains("x.pdf"), "the index lists the file not read");
}

#[test]
fn utf8_with_a_few_invalid_bytes_parses_with_a_warning_for_each() {
    for (name, line, column) in [("101_truncated.txt", 49, 97), ("101_stray_ff.txt", 41, 7)] {
        let document = common::parse(&fixture(name));
        assert_eq!(document.id, "101/KH-UBND", "{name}");
        assert_eq!(document.date.as_deref(), Some("2020-06-10"), "{name}");
        assert_eq!(document.encoding, "utf-8");
        let warnings: Vec<_> = document
            .diagnostics
            .iter()
            .filter(|d| d.code == "invalid-utf8")
            .collect();
        assert_eq!(warnings.len(), 1, "{name}: {warnings:?}");
        assert_eq!(
            (warnings[0].line, warnings[0].column),
            (line, column),
            "{name}"
        );
        assert!(warnings[0]
            .message
            .contains(&format!("line {line}, column {column}")));
    }
}

#[test]
fn mostly_undecodable_text_is_still_refused() {
    // Vietnamese UTF-8 with every other letter's bytes broken.
    let text = "Số: 12/KH-UBND ngày tháng năm Hà Nội Ủy ban nhân dân ".repeat(20);
    let bytes: Vec<u8> = text
        .bytes()
        .enumerate()
        .map(|(i, b)| if b >= 0x80 && i % 2 == 0 { 0xff } else { b })
        .collect();
    let result = vanban::parse_bytes("bad.txt", &bytes, &common::rules(), &Default::default());
    assert!(result.is_err(), "{:?}", result.map(|d| d.diagnostics));
}
