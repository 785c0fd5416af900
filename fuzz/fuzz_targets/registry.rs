//! The registry readers on arbitrary files: `trace`, `tasks` and `graph` on a registry whose
//! index, citation graph, agency file and document record are the fuzzer's bytes. Each must
//! answer or refuse with a reason; none may panic, hang, or read outside the registry.
//!
//! The input is the four files separated by the line `\n=====\n` (missing parts are empty);
//! the first byte picks YAML or JSON. In the index, `{{citations}}`, `{{agency}}` and
//! `{{document}}` are replaced by the SHA-256 of those parts, so that mutated files can pass
//! the digest check and reach the readers behind it (a fuzzer cannot forge a digest).
#![no_main]

use std::fs;
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vanban::link::{self, Direction, GraphFormat, TaskFilter};

/// One registry folder per fuzzing process, rewritten for every input.
fn folder() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("vanban-fuzz-registry-{}", std::process::id()));
        fs::create_dir_all(dir.join("agencies")).unwrap();
        fs::create_dir_all(dir.join("documents")).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (ext, other) = if pick % 2 == 0 { ("yaml", "json") } else { ("json", "yaml") };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split("\n=====\n");
    let mut index = parts.next().unwrap_or("").to_string();
    let rest: Vec<&str> = (0..3).map(|_| parts.next().unwrap_or("")).collect();
    for (placeholder, part) in ["{{citations}}", "{{agency}}", "{{document}}"].iter().zip(&rest) {
        index = index.replace(placeholder, &vanban::digest::sha256_hex(part.as_bytes()));
    }
    let dir = folder();
    let _ = fs::remove_file(dir.join(format!("index.{other}")));
    fs::write(dir.join(format!("index.{ext}")), index).unwrap();
    for (name, part) in [
        format!("citations.{ext}"),
        format!("agencies/so-y-te.{ext}"),
        format!("documents/31_KH-UBND.{ext}"),
    ]
    .iter()
    .zip(&rest)
    {
        fs::write(dir.join(name), part).unwrap();
    }
    let _ = link::trace(dir, "31/KH-UBND", None, Direction::Both).map(|t| link::render_trace_text(&t));
    let _ = link::trace(dir, "31/KH-UBND", Some(2), Direction::Up);
    for format in [GraphFormat::Dot, GraphFormat::Mermaid] {
        let _ = link::graph(dir, format, None);
        let _ = link::graph(dir, format, Some("31/KH-UBND"));
    }
    let _ = link::tasks(dir, &TaskFilter::default());
    let _ = link::tasks(
        dir,
        &TaskFilter {
            agency: Some("Sở Y tế".into()),
            document: Some("31/KH-UBND".into()),
            ..TaskFilter::default()
        },
    );
});
