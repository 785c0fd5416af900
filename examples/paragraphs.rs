//! Prints the paragraphs and layout roles of a directive, for working on the recognisers:
//! `cargo run --example paragraphs -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: paragraphs FILE");
        std::process::exit(2);
    };
    let rules = vanban::Rules::built_in().expect("built-in rules load");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let decoded = vanban::decode::decode(&bytes, None).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2);
    });
    let lines = vanban::stages::normalise(&decoded.text, &rules.normalise);
    let paragraphs = vanban::stages::segment(&lines, &rules.lexicon);
    let layout = vanban::stages::recognise(&paragraphs, &rules.lexicon);
    for entry in &layout.header {
        let p = &entry.paragraph;
        println!("H {:?} {}: {}", entry.role, p.line, p.text);
    }
    for (role, p) in &layout.tail {
        println!(
            "T {role:?} {}: {:?}",
            p.line,
            p.lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>()
        );
    }
    if std::env::args().nth(2).as_deref() == Some("--all") {
        for p in &paragraphs {
            println!("P {}: {}", p.line, p.text);
        }
    }
}
