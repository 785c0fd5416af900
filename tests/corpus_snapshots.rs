//! Whole-record snapshots of every directive in `corpus/` (the seeds and our own).
//! `insta::glob!` keeps process-global state, so it lives alone in this file.

mod common;

#[test]
fn corpus_records() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../corpus", "*.txt", |path| {
            insta::assert_yaml_snapshot!(common::parse(path));
        });
    });
}
