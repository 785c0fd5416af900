//! MB/s of each pipeline stage on its own, over `../shared/corpus-ext` and
//! `../shared/corpus-layouts` together (about 10 MB; skipped with a note when `../shared` is
//! absent). Every stage's throughput is counted in bytes of the input documents, so that the
//! figures add up: a stage at 100 MB/s costs 10 ms per MB of directives.
//!
//! Each stage's inputs are made by the stages before it once, outside the timed loop; the
//! loop times that stage alone.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use vanban::record::Document;
use vanban::stages::{self, Context, Layout, Line, Paragraph};
use vanban::write::{write_documents, Format, Inputs};
use vanban::Rules;

/// The text of every file of the folders, read as the pipeline would read it.
fn corpus() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for folder in ["../shared/corpus-ext", "../shared/corpus-layouts"] {
        let Ok(entries) = std::fs::read_dir(Path::new(folder)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if let Ok(text) = std::fs::read_to_string(&path) {
                files.push((path.display().to_string(), text));
            }
        }
    }
    files
}

/// What each stage takes, for every document.
struct StageInputs {
    texts: Vec<String>,
    read: Vec<String>,
    lines: Vec<Vec<Line>>,
    paragraphs: Vec<Vec<Paragraph>>,
    documents: Vec<Document>,
}

fn prepare(files: &[(String, String)], rules: &Rules) -> StageInputs {
    let texts: Vec<String> = files.iter().map(|(_, t)| t.clone()).collect();
    let read: Vec<String> = texts
        .iter()
        .map(|t| stages::read(t, &rules.layouts).text)
        .collect();
    let lines: Vec<Vec<Line>> = read
        .iter()
        .map(|t| stages::normalise(t, &rules.normalise))
        .collect();
    let paragraphs = lines
        .iter()
        .map(|l| stages::segment(l, &rules.lexicon))
        .collect();
    let documents = files
        .iter()
        .map(|(name, text)| vanban::parse_text(name, text, vanban::decode::Encoding::Utf8, rules))
        .collect();
    StageInputs {
        texts,
        read,
        lines,
        paragraphs,
        documents,
    }
}

fn layouts(inputs: &StageInputs, rules: &Rules) -> Vec<Layout> {
    inputs
        .paragraphs
        .iter()
        .map(|p| stages::recognise(p, &rules.lexicon))
        .collect()
}

fn bench_text_stages(c: &mut Criterion, inputs: &StageInputs, rules: &Rules) {
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(bytes(inputs)));
    group.sample_size(10);
    group.bench_function("read", |b| {
        b.iter(|| {
            inputs
                .texts
                .iter()
                .map(|t| stages::read(t, &rules.layouts).text.len())
                .sum::<usize>()
        })
    });
    group.bench_function("normalise", |b| {
        b.iter(|| {
            inputs
                .read
                .iter()
                .map(|t| stages::normalise(t, &rules.normalise).len())
                .sum::<usize>()
        })
    });
    group.bench_function("segment", |b| {
        b.iter(|| {
            inputs
                .lines
                .iter()
                .map(|l| stages::segment(l, &rules.lexicon).len())
                .sum::<usize>()
        })
    });
    group.bench_function("structure", |b| {
        b.iter(|| {
            inputs
                .paragraphs
                .iter()
                .map(|p| stages::recognise(p, &rules.lexicon).sections.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn bench_extractors(c: &mut Criterion, inputs: &StageInputs, rules: &Rules) {
    let layouts = layouts(inputs, rules);
    let headers: Vec<_> = layouts
        .iter()
        .map(|l| stages::header(&l.header, &l.self_references, &rules.lexicon))
        .collect();
    let signers: Vec<_> = layouts
        .iter()
        .map(|l| stages::signer(&l.tail, &rules.lexicon))
        .collect();
    let contexts: Vec<Context> = layouts
        .iter()
        .zip(&headers)
        .zip(&signers)
        .map(|((layout, header), signer)| Context {
            lexicon: &rules.lexicon,
            header,
            signer,
            sections: &layout.sections,
        })
        .collect();
    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(bytes(inputs)));
    group.sample_size(10);
    group.bench_function("header", |b| {
        b.iter(|| {
            layouts
                .iter()
                .map(|l| {
                    stages::header(&l.header, &l.self_references, &rules.lexicon)
                        .doc_type
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("citations", |b| {
        b.iter(|| {
            contexts
                .iter()
                .map(|c| stages::citations(c, &rules.citations).0.len())
                .sum::<usize>()
        })
    });
    group.bench_function("obligations", |b| {
        b.iter(|| {
            contexts
                .iter()
                .map(|c| stages::obligations(c, &rules.obligations).0.len())
                .sum::<usize>()
        })
    });
    group.bench_function("write", |b| {
        b.iter_batched(
            Vec::new,
            |mut out: Vec<u8>| {
                write_documents(&mut out, &inputs.documents, Format::Jsonl, Inputs::Several)
                    .map(|()| out.len())
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn bytes(inputs: &StageInputs) -> u64 {
    inputs.texts.iter().map(|t| t.len() as u64).sum()
}

fn stages_bench(c: &mut Criterion) {
    let files = corpus();
    if files.is_empty() {
        eprintln!("benches/stages: ../shared/corpus-ext and corpus-layouts are absent; nothing to measure");
        return;
    }
    let rules = Rules::built_in().expect("the built-in rules load");
    let inputs = prepare(&files, &rules);
    bench_text_stages(c, &inputs, &rules);
    bench_extractors(c, &inputs, &rules);
}

criterion_group!(benches, stages_bench);
criterion_main!(benches);
