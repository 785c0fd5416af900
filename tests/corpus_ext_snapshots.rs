//! Whole-record snapshots of real 2025 directives from `../shared/corpus-ext`, chosen to cover
//! the types and layouts met there. Skipped, with a note, where `../shared` is absent.

mod common;

/// The chosen documents: file, and why it is here.
const CHOSEN: &[(&str, &str)] = &[
    (
        "001c610b2efdcf0c.md",
        "Quyết định with an attached Kế hoạch and a task table (TP HCM)",
    ),
    (
        "2f6f80b9918e52de.md",
        "Kế hoạch with lettered clauses (TP HCM)",
    ),
    (
        "8e9a425dd83e56b3.md",
        "Kế hoạch with monthly deadlines (Hà Nội)",
    ),
    ("2847e16133f7b987.md", "Chỉ thị (Cần Thơ)"),
    (
        "24701a1c97c8c368.md",
        "Thông báo kết luận (VPCP), stacked KT. signature",
    ),
    (
        "826ed569ec2ddaa1.md",
        "Thông báo kết luận with targets (VPCP)",
    ),
    (
        "a328fbb46798c2b5.md",
        "Công điện (TTg): addressees after `điện:`",
    ),
    ("5daf5bf63dc3baac.md", "Nghị quyết of a HĐND"),
    (
        "bcb420579d35d2e9.md",
        "Thông tư (BKHCN): chapters and articles",
    ),
    (
        "c49a5afadf61b342.md",
        "Party Quyết định 1147-QĐ/BTGDVTW with K/T signature and a Quy chế",
    ),
    (
        "de1ea1a30ca1e0bc.md",
        "Công văn 1539/VLO-QLDN3: V/v, no type code",
    ),
    (
        "1e6fb98e16a75e3d.md",
        "Văn bản hợp nhất (BQP): rank before the signer's name",
    ),
    (
        "5e4a9784909432f8.md",
        "Quyết định of a ministry with an execution article",
    ),
    ("a49ef8a0da1f62dd.md", "Kế hoạch 0130/KH-UBND: leading zero"),
    (
        "ce4ad96dbd9a518d.md",
        "Quyết định with a Quy chế whose article headings break after `**Điều`",
    ),
    (
        "1a434d0a7e14dc93.md",
        "Quyết định citing a law by number with the laws it amends in its title",
    ),
];

#[test]
fn corpus_ext_records() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (file, why) in CHOSEN {
            let record = common::parse(&shared.join("corpus-ext").join(file));
            insta::with_settings!({ description => *why }, {
                insta::assert_yaml_snapshot!(format!("corpus-ext__{file}"), record);
            });
        }
    });
}
