//! Parse throughput on the bundled corpus and, where `../shared` is beside the repository, on
//! all 126 real directives of `corpus-ext` (about 4.8 MB). `cargo bench` reports MB/s.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vanban::decode::Encoding;
use vanban::Rules;

fn files_in(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect()
}

fn parse_all(files: &[(String, String)], rules: &Rules) -> usize {
    files
        .iter()
        .map(|(name, text)| {
            vanban::parse_text(name, text, Encoding::Utf8, rules)
                .sections
                .len()
        })
        .sum()
}

/// The parse as issue 2 defined it, without citations and obligations: normalise,
/// paragraphs, structure, header, recipients and signer. The figure the citations' cost is
/// measured against.
fn parse_only(text: &str, rules: &Rules) -> Parsed {
    let lines = vanban::stages::normalise(text, &rules.normalise);
    let paragraphs = vanban::stages::segment(&lines, &rules.lexicon);
    let layout = vanban::stages::recognise(&paragraphs, &rules.lexicon);
    let header = vanban::stages::header(&layout.header, &layout.self_references, &rules.lexicon);
    let recipients = vanban::stages::recipients(&layout.tail);
    let signer = vanban::stages::signer(&layout.tail, &rules.lexicon);
    Parsed {
        header,
        signer,
        recipients,
        sections: layout.sections,
    }
}

/// What the parse without citations and obligations gives.
struct Parsed {
    header: vanban::stages::Header,
    signer: vanban::record::Signer,
    recipients: Vec<String>,
    sections: Vec<vanban::record::Node>,
}

fn parse_only_all(files: &[(String, String)], rules: &Rules) -> usize {
    files
        .iter()
        .map(|(_, text)| parse_only(text, rules).sections.len())
        .sum()
}

/// The same parse plus the citations: what the citations cost.
fn with_citations_all(files: &[(String, String)], rules: &Rules) -> usize {
    files
        .iter()
        .map(|(_, text)| {
            let parsed = parse_only(text, rules);
            let context = vanban::stages::Context {
                lexicon: &rules.lexicon,
                header: &parsed.header,
                signer: &parsed.signer,
                sections: &parsed.sections,
            };
            vanban::stages::citations(&context, &rules.citations)
                .0
                .len()
                + parsed.recipients.len()
        })
        .sum()
}

fn read_all(files: &[(String, String)], rules: &Rules) -> usize {
    files
        .iter()
        .map(|(_, text)| vanban::stages::read(text, &rules.layouts).text.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let rules = Rules::built_in().expect("built-in rules load");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut groups = vec![("corpus", files_in(&root.join("corpus")))];
    let corpus_ext = files_in(&root.join("../shared/corpus-ext"));
    if corpus_ext.is_empty() {
        eprintln!("note: ../shared/corpus-ext is absent; benchmarking corpus/ only");
    } else {
        groups.push(("corpus-ext", corpus_ext));
        groups.push((
            "corpus-layouts",
            files_in(&root.join("../shared/corpus-layouts")),
        ));
    }
    for (name, files) in &groups {
        let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
        let mut group = c.benchmark_group("parse");
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(10);
        group.bench_function(format!("{name}/full"), |b| {
            b.iter(|| parse_all(files, &rules))
        });
        group.bench_function(format!("{name}/parse-only"), |b| {
            b.iter(|| parse_only_all(files, &rules))
        });
        group.bench_function(format!("{name}/parse+citations"), |b| {
            b.iter(|| with_citations_all(files, &rules))
        });
        // The reader stage alone: detecting the layout and turning it into text, the cost
        // the readers add to every parse.
        group.bench_function(format!("{name}/read"), |b| {
            b.iter(|| read_all(files, &rules))
        });
        group.finish();
    }
}

/// Repeats `unit` until the text holds `bytes` bytes.
fn repeat_to(head: &str, unit: &str, sep: &str, tail: &str, bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + tail.len() + unit.len());
    out.push_str(head);
    while out.len() < bytes {
        out.push_str(unit);
        out.push_str(sep);
    }
    out.push_str(tail);
    out
}

/// Inputs of the shapes that once made a stage superlinear (issues 11 and 17): each is parsed
/// as a whole directive and must go at no less than 1 MB/s.
fn pathological_inputs() -> Vec<(&'static str, String)> {
    const MB: usize = 1 << 20;
    let head = "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG THÁP\nSố: 1/KH-UBND\nĐồng Tháp, ngày 01 tháng 12 năm 2025\n\nKẾ HOẠCH\nThử\n\n";
    let wrapped = "Sở Tài chính phối hợp với các sở, ban, ngành rà soát, tổng hợp\nvà báo cáo kết quả thực hiện";
    let citation = "Quyết định số 12/2025/QĐ-UBND ngày 01/02/2025";
    let agency = "Sở Tài chính, Sở Xây dựng, Sở Y tế, UBND các xã, phường";
    // Numbered items nested ten deep, again and again: `1.`, `1.1.`, `1.1.1.` ...
    let mut numbers = String::from(head);
    for i in 0..20_000 {
        let depth = i % 10 + 1;
        let marker: Vec<String> = (0..depth)
            .map(|d| (1 + (i / 10 + d) % 9).to_string())
            .collect();
        numbers.push_str(&format!(
            "{}. Sở Y tế thực hiện nội dung {i}\n",
            marker.join(".")
        ));
    }
    vec![
        (
            "wrapped-paragraph-1MB",
            repeat_to(head, wrapped, " ", ".\n", MB),
        ),
        (
            "one-line-16MB",
            repeat_to(
                head,
                "các cơ quan, đơn vị triển khai thực hiện",
                " ",
                ".\n",
                16 * MB,
            ),
        ),
        ("citations-list-100k", {
            let mut t = String::from(head);
            for _ in 0..100_000 {
                t.push_str("- ");
                t.push_str(citation);
                t.push_str(";\n");
            }
            t
        }),
        ("citations-sentence-100k", {
            let mut t = String::from(head);
            t.push_str("Căn cứ ");
            for _ in 0..100_000 {
                t.push_str(citation);
                t.push_str(", ");
            }
            t.push_str("quy định như sau.\n");
            t
        }),
        ("agencies-sentence-50k", {
            let units = 50_000 / 5;
            let mut t = String::from(head);
            for _ in 0..units {
                t.push_str(agency);
                t.push_str(", ");
            }
            t.push_str("chủ trì thực hiện.\n");
            t
        }),
        (
            "giao-list-1MB",
            repeat_to(
                &format!("{head}1. Giao "),
                agency,
                ", ",
                " thực hiện.\n",
                MB,
            ),
        ),
        ("nested-numbers-20k", numbers),
        (
            "clauses-200k",
            format!("{head}{}", "a) Sở Y tế thực hiện\n".repeat(200_000)),
        ),
    ]
}

/// `cargo bench --bench parse -- pathological`: MB/s on each shape.
fn pathological(c: &mut Criterion) {
    let rules = Rules::built_in().expect("built-in rules load");
    let mut group = c.benchmark_group("pathological");
    group.sample_size(10);
    for (name, text) in pathological_inputs() {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                vanban::parse_text(name, &text, Encoding::Utf8, &rules)
                    .obligations
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench, pathological);
criterion_main!(benches);
