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

criterion_group!(benches, bench);
criterion_main!(benches);
