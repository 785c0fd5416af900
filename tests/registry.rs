//! The registry: build (layout, resolution, determinism, safety), trace, graph and tasks.
//!
//! Most tests build from hand-made records shaped like `corpus/101..104` and the seed
//! `1790/CV-BCĐ`, so they do not depend on the parser; the tests that parse real files
//! check only what holds whatever the parser fills.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use vanban::link::trace::children;
use vanban::link::{
    self, build, build_documents, graph, render_tasks_text, render_trace_text, tasks, trace,
    BuildError, BuildOptions, Direction, Format, GraphFormat, Registry, RegistryError, TaskFilter,
    TaskSort, TaskView,
};
use vanban::record::{Citation, Deadline, Document, Obligation, Relation, Role};
use vanban::Rules;

/// Tasks as text under a heading per document, unwrapped.
fn document_view() -> TaskView {
    TaskView {
        sort: TaskSort::Document,
        width: None,
    }
}

/// Every task, in document order (the filters' tests compare lists in that order).
fn document_order() -> TaskFilter {
    TaskFilter {
        sort: TaskSort::Document,
        ..TaskFilter::default()
    }
}

fn rules() -> Rules {
    Rules::built_in().expect("built-in rules load")
}

/// A fresh, empty folder under the system temp dir (removed when dropped).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let path =
            std::env::temp_dir().join(format!("vanban-reg-{}-{}-{}", name, std::process::id(), n));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn doc(id: &str, doc_type: &str, date: &str, subject: &str, file: &str) -> Document {
    Document {
        id: id.into(),
        doc_type: doc_type.into(),
        date: Some(date.into()),
        subject: subject.into(),
        file: file.into(),
        encoding: "utf-8".into(),
        ..Document::default()
    }
}

fn cite(
    id: &str,
    doc_type: &str,
    date: Option<&str>,
    relation: Relation,
    path: &str,
    line: u32,
) -> Citation {
    Citation {
        id: id.into(),
        doc_type: doc_type.into(),
        date: date.map(String::from),
        relation,
        path: path.into(),
        line,
        text: format!("{doc_type} số {id}"),
        ..Citation::default()
    }
}

fn task(
    doc: &str,
    agency: &str,
    role: Role,
    path: &str,
    text: &str,
    due: Option<&str>,
    line: u32,
) -> Obligation {
    Obligation {
        id: format!("{doc}#{path}"),
        agency: agency.into(),
        role,
        path: path.into(),
        text: text.into(),
        deadline: due.map(|date| Deadline {
            text: format!("trước ngày {date}"),
            date: Some(date.into()),
            recurrence: None,
        }),
        line,
        known_agency: true,
        ..Obligation::default()
    }
}

/// Records shaped like corpus/101..104 and the seed 1790/CV-BCĐ.
fn corpus() -> Vec<Document> {
    let mut d1790 = doc(
        "1790/CV-BCĐ",
        "Công văn",
        "2020-05-13",
        "triển khai phương hướng, nhiệm vụ trọng tâm công tác phòng, chống AIDS",
        "seeds/000_f13dcb22fb0d6dd6.txt",
    );
    d1790.citations = vec![
        cite(
            "2420/VPCP-KGVX",
            "Công văn",
            Some("2020-03-28"),
            Relation::Implements,
            "preamble",
            12,
        ),
        cite(
            "36-CT/TW",
            "Chỉ thị",
            Some("2019-08-16"),
            Relation::Implements,
            "2.-1",
            22,
        ),
        cite(
            "291/QĐ-TTg",
            "Quyết định",
            Some("2020-02-21"),
            Relation::Implements,
            "2.-1",
            22,
        ),
    ];
    d1790.obligations = vec![
        task(
            "1790/CV-BCĐ",
            "Sở Y tế",
            Role::Lead,
            "1.-1",
            "Duy trì, mở rộng điều trị Methadone",
            None,
            16,
        ),
        Obligation {
            known_agency: false,
            ..task(
                "1790/CV-BCĐ",
                "Ban Chỉ đạo 138 Thành phố",
                Role::Lead,
                "9",
                "Kiểm tra các địa phương",
                None,
                80,
            )
        },
    ];

    let mut d101 = doc(
        "101/KH-UBND",
        "Kế hoạch",
        "2020-06-10",
        "Triển khai thực hiện Chỉ thị số 36-CT/TW",
        "corpus/101_kh_ubnd_phong_chong_ma_tuy.txt",
    );
    d101.citations = vec![
        cite(
            "36-CT/TW",
            "Chỉ thị",
            Some("2019-08-16"),
            Relation::Implements,
            "preamble",
            15,
        ),
        cite(
            "291/QĐ-TTG",
            "Quyết định",
            Some("2020-02-21"),
            Relation::Implements,
            "preamble",
            15,
        ),
        cite(
            "1790/CV-BCĐ",
            "Công văn",
            Some("2020-05-13"),
            Relation::Basis,
            "preamble",
            15,
        ),
        cite("36-CT/TW", "Chỉ thị", None, Relation::Refers, "III.1.a", 39),
    ];
    d101.obligations = vec![
        task("101/KH-UBND", "Công an Thành phố", Role::Lead, "III.1.a", "Chủ trì sơ kết 01 năm thực hiện Chỉ thị số 36-CT/TW", Some("2020-09-30"), 39),
        task("101/KH-UBND", "Công an Thành phố", Role::Lead, "III.1.b", "Rà soát, thống kê người nghiện", None, 41),
        task("101/KH-UBND", "Sở Lao động - Thương binh và Xã hội", Role::Lead, "III.2.a", "Xây dựng hướng dẫn cai nghiện tại gia đình, cộng đồng", Some("2020-06-30"), 47),
        task("101/KH-UBND", "Sở Lao động - Thương binh và Xã hội", Role::Support, "III.2.b", "Phối hợp với Công an Thành phố, Sở Y tế nâng cao chất lượng xác định tình trạng nghiện", None, 49),
        task("101/KH-UBND", "Sở Y tế", Role::Lead, "III.3.a", "Mở rộng điều trị Methadone", Some("2020-12-31"), 53),
        task("101/KH-UBND", "Sở Y tế", Role::Lead, "III.3.b", "Hướng dẫn nghiệp vụ xác định tình trạng nghiện", None, 55),
    ];

    let mut d102 = doc(
        "102/HD-SLĐTBXH",
        "Hướng dẫn",
        "2020-06-25",
        "Tổ chức cai nghiện ma túy tại gia đình, cộng đồng",
        "corpus/102_hd_sldtbxh_cai_nghien_cong_dong.txt",
    );
    d102.citations = vec![
        cite(
            "94/2010/NĐ-CP",
            "Nghị định",
            Some("2010-09-09"),
            Relation::Basis,
            "preamble",
            16,
        ),
        cite(
            "101/KH-UBND",
            "Kế hoạch",
            Some("2020-06-10"),
            Relation::Implements,
            "preamble",
            18,
        ),
    ];
    d102.obligations = vec![task(
        "102/HD-SLĐTBXH",
        "Sở Y tế",
        Role::Lead,
        "II.3",
        "Chỉ đạo Trung tâm Y tế bố trí cán bộ",
        None,
        40,
    )];

    let mut d103 = doc(
        "103/UBND-VHXH",
        "Công văn",
        "2020-07-08",
        "triển khai cai nghiện ma túy tại gia đình, cộng đồng",
        "corpus/103_cv_ubnd_quan_ba_dinh_trien_khai.txt",
    );
    d103.citations = vec![
        // The date conflicts with 101/KH-UBND's own (2020-06-10).
        cite(
            "101/KH-UBND",
            "Kế hoạch",
            Some("2020-06-12"),
            Relation::Implements,
            "preamble",
            20,
        ),
        cite(
            "102/HD-SLĐTBXH",
            "Hướng dẫn",
            Some("2020-06-25"),
            Relation::Implements,
            "preamble",
            20,
        ),
    ];
    d103.obligations = vec![task(
        "103/UBND-VHXH",
        "Công an quận",
        Role::Support,
        "2",
        "Phối hợp với Phòng Lao động rà soát người nghiện",
        Some("2020-07-20"),
        28,
    )];

    let mut d104 = doc(
        "104/QĐ-UBND",
        "Quyết định",
        "2020-08-20",
        "sửa đổi, bổ sung Kế hoạch số 101/KH-UBND",
        "corpus/104_qd_ubnd_sua_doi_ke_hoach_101.txt",
    );
    d104.citations = vec![
        cite(
            "1790/CV-BCĐ",
            "Công văn",
            Some("2020-05-13"),
            Relation::Basis,
            "preamble",
            21,
        ),
        cite(
            "101/KH-UBND",
            "Kế hoạch",
            Some("2020-06-10"),
            Relation::Amends,
            "D1",
            27,
        ),
        // A law cited by name; quotes and `#` must survive DOT and Mermaid.
        cite(
            "Luật Phòng, chống ma túy",
            "Luật",
            Some("2000-12-09"),
            Relation::Basis,
            "preamble",
            19,
        ),
        cite(
            "Quy chế \"số #1\" <tạm>",
            "Quy chế",
            None,
            Relation::Refers,
            "D3",
            35,
        ),
        // A document citing its own number (e.g. in an attachment) makes no edge.
        cite(
            "104/QĐ-UBND",
            "Quyết định",
            None,
            Relation::Refers,
            "D2",
            33,
        ),
    ];
    // Out of order on purpose: the registry sorts.
    vec![d104, d101, d1790, d103, d102]
}

fn options(format: Format) -> BuildOptions {
    BuildOptions {
        format,
        ..BuildOptions::default()
    }
}

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn built(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(name);
    let out = tmp.path().join("reg");
    build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).expect("build");
    (tmp, out)
}

#[test]
fn layout_and_resolution() {
    let tmp = TempDir::new("layout");
    let out = tmp.path().join("reg");
    let report = build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap();
    assert_eq!(report.documents, 5);
    assert!(report.skipped.is_empty());

    for file in [
        "index.yaml",
        "citations.yaml",
        "documents/101_KH-UBND.yaml",
        "documents/1790_CV-BCĐ.yaml",
        "documents/104_QĐ-UBND.yaml",
        "agencies/so-y-te.yaml",
        "agencies/cong-an-thanh-pho.yaml",
        "agencies/so-lao-dong-thuong-binh-va-xa-hoi.yaml",
    ] {
        assert!(out.join(file).is_file(), "missing {file}");
    }
    // Nothing of the build is left beside OUT.
    let beside: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, vec!["reg".to_string()]);

    let registry = Registry::open(&out).unwrap();
    let index = &registry.index;
    assert_eq!(index.totals.documents, 5);
    // Sorted by id key, with files relative to the built folder.
    let ids: Vec<&str> = index.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "101/KH-UBND",
            "102/HD-SLĐTBXH",
            "103/UBND-VHXH",
            "104/QĐ-UBND",
            "1790/CV-BCĐ"
        ]
    );
    assert_eq!(
        index.documents[0].file,
        "corpus/101_kh_ubnd_phong_chong_ma_tuy.txt"
    );
    assert_eq!(index.documents[0].counts.obligations, 6);
    let yte = index.agencies.iter().find(|a| a.name == "Sở Y tế").unwrap();
    assert_eq!(
        (yte.counts.lead, yte.counts.support, yte.counts.documents),
        (4, 0, 3)
    );

    // Corpus documents resolve to each other; the others are external nodes.
    let node = |id: &str| {
        registry
            .citations
            .nodes
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    assert!(node("101/KH-UBND").in_corpus);
    assert_eq!(
        node("101/KH-UBND").record.as_deref(),
        Some("documents/101_KH-UBND.yaml")
    );
    assert_eq!(node("101/KH-UBND").dates, ["2020-06-10"]);
    // 103 cites 101 as of 2020-06-12, a date 101 does not have: no edge to 101, an ambiguous
    // one to a node of its own, with 101 as the candidate and the reason.
    let ambiguous = registry
        .citations
        .edges
        .iter()
        .find(|e| e.from == "103/UBND-VHXH" && e.to == "101/KH-UBND")
        .unwrap();
    assert_eq!(ambiguous.resolution, link::registry::Resolution::Ambiguous);
    assert_ne!(ambiguous.to_key, node("101/KH-UBND").key);
    assert_eq!(ambiguous.candidates.len(), 1);
    assert_eq!(ambiguous.candidates[0].key, node("101/KH-UBND").key);
    assert!(ambiguous.candidates[0].reason.contains("2020-06-12"));
    assert!(!node("36-CT/TW").in_corpus);
    assert_eq!(node("36-CT/TW").doc_type.as_deref(), Some("Chỉ thị"));
    // `291/QĐ-TTG` and `291/QĐ-TTg` are one node.
    assert_eq!(
        registry
            .citations
            .nodes
            .iter()
            .filter(|n| n.id.starts_with("291/"))
            .count(),
        1
    );
    let edge = registry
        .citations
        .edges
        .iter()
        .find(|e| e.from == "103/UBND-VHXH" && e.to == "101/KH-UBND")
        .unwrap();
    assert_eq!(
        (edge.relation, edge.path.as_str(), edge.line),
        (Relation::Implements, "preamble", 20)
    );
    // No self edge.
    assert!(!registry.citations.edges.iter().any(|e| e.from == e.to));

    // The date conflict is a diagnostic of the build, in the report and in the index.
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    assert!(report.diagnostics[0].contains("citation-date-conflict"));
    assert!(
        report.diagnostics[0].contains("2020-06-12")
            && report.diagnostics[0].contains("2020-06-10")
    );
    assert_eq!(index.diagnostics[0].document, "103/UBND-VHXH");
    assert_eq!(index.diagnostics[0].line, 20);
    // Unknown agencies once per build.
    assert_eq!(report.unknown_agencies, ["Ban Chỉ đạo 138 Thành phố"]);
    assert_eq!(index.unknown_agencies[0].documents, ["1790/CV-BCĐ"]);

    // Agency files list all obligations across the corpus, by id.
    let mut registry = registry;
    registry.load_agencies().unwrap();
    let police = registry
        .agencies
        .iter()
        .find(|a| a.slug == "cong-an-thanh-pho")
        .unwrap();
    let ids: Vec<&str> = police.obligations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["101/KH-UBND#III.1.a", "101/KH-UBND#III.1.b"]);
    assert_eq!(
        police.obligations[0]
            .deadline
            .as_ref()
            .unwrap()
            .date
            .as_deref(),
        Some("2020-09-30")
    );
    // The document record reads back whole.
    let d103 = registry.document("103/ubnd-vhxh").unwrap();
    assert_eq!(d103.citations.len(), 2);
    assert_eq!(d103.file, "corpus/103_cv_ubnd_quan_ba_dinh_trien_khai.txt");
}

#[test]
fn output_is_byte_identical_for_the_same_corpus() {
    let tmp = TempDir::new("determinism");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_documents(corpus(), &a, &rules(), &options(Format::Yaml)).unwrap();
    let mut reversed = corpus();
    reversed.reverse();
    build_documents(reversed, &b, &rules(), &options(Format::Yaml)).unwrap();
    let first = snapshot(&a);
    assert_eq!(first, snapshot(&b));
    // Rebuilding in place changes nothing either.
    build_documents(corpus(), &a, &rules(), &options(Format::Yaml)).unwrap();
    assert_eq!(first, snapshot(&a));
    // No absolute path in any file.
    let tmp_text = tmp.path().display().to_string();
    for (name, bytes) in &first {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&tmp_text),
            "{name} has an absolute path"
        );
    }
}

#[test]
fn json_registry_has_the_same_shape() {
    let tmp = TempDir::new("json");
    let out = tmp.path().join("reg");
    build_documents(corpus(), &out, &rules(), &options(Format::Json)).unwrap();
    assert!(out.join("index.json").is_file() && out.join("citations.json").is_file());
    assert!(out.join("documents/101_KH-UBND.json").is_file());
    assert!(!out.join("index.yaml").exists());
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(
        index["documents"][0]["record"],
        "documents/101_KH-UBND.json"
    );
    let found = trace(&out, "101/kh-ubnd", None, Direction::Both).unwrap();
    assert!(!found.downstream.is_empty());
    // Switching a registry between formats replaces it whole.
    build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap();
    assert!(out.join("index.yaml").is_file() && !out.join("index.json").exists());
}

fn ids(branches: Vec<&vanban::link::TraceBranch>) -> Vec<&str> {
    branches.into_iter().map(|b| b.id.as_str()).collect()
}

#[test]
fn trace_up_and_down_in_any_spelling() {
    let (_tmp, out) = built("trace");
    // Upstream of 103: 101 and 102, then 1790 and 36-CT/TW through 101 (the seed chain).
    let up = trace(&out, "103/ubnd-vhxh", None, Direction::Up).unwrap();
    assert_eq!(up.id, "103/UBND-VHXH");
    assert!(up.downstream.is_empty());
    let top: Vec<&str> = ids(children(&up.upstream, None));
    assert_eq!(top, ["101/KH-UBND", "102/HD-SLĐTBXH"]);
    // 103 cites 101 as of 2020-06-12, which 101 is not: ambiguous, 101 its candidate.
    assert!(!up.upstream[0].in_corpus);
    let first = &up.upstream[0].citations[0];
    assert_eq!(first.resolution, link::registry::Resolution::Ambiguous);
    assert_eq!(first.candidates[0].id, "101/KH-UBND");
    // Through 102, the seed chain: 101, then 1790 and 36-CT/TW.
    let at_102 = up.upstream.iter().position(|b| b.id == "102/HD-SLĐTBXH");
    let via_102: Vec<&str> = ids(children(&up.upstream, at_102));
    assert_eq!(via_102, ["94/2010/NĐ-CP", "101/KH-UBND"]);
    let at_101 = up
        .upstream
        .iter()
        .position(|b| b.id == "101/KH-UBND" && b.parent == at_102);
    let via_101: Vec<&str> = ids(children(&up.upstream, at_101));
    assert_eq!(via_101, ["1790/CV-BCĐ", "291/QĐ-TTg", "36-CT/TW"]);
    let text = render_trace_text(&up);
    assert!(text.contains("ambiguous: not linked"), "{text}");
    // Each citation has its relation, path and line.
    let c = &up.upstream[0].citations[0];
    assert_eq!(
        (
            c.from.as_str(),
            c.to.as_str(),
            c.relation,
            c.path.as_str(),
            c.line
        ),
        (
            "103/UBND-VHXH",
            "101/KH-UBND",
            Relation::Implements,
            "preamble",
            20
        )
    );

    // Downstream of the Party directive, spelled without diacritics / in lower case.
    let down = trace(&out, "36-ct/tw", None, Direction::Down).unwrap();
    assert!(!down.in_corpus);
    let citing: Vec<&str> = ids(children(&down.downstream, None));
    assert_eq!(citing, ["101/KH-UBND", "1790/CV-BCĐ"]);
    // 101 cites 36-CT/TW twice: both citations are on the one branch.
    assert_eq!(down.downstream[0].citations.len(), 2);
    let under_101: Vec<&str> = ids(children(&down.downstream, Some(0)));
    // 103's citation of 101 gives a date 101 does not have: ambiguous, not under 101.
    assert_eq!(under_101, ["102/HD-SLĐTBXH", "104/QĐ-UBND"]);

    // Diacritics in the symbol are optional: 102/HD-SLDTBXH finds 102/HD-SLĐTBXH.
    let both = trace(&out, "102/HD-SLDTBXH", Some(1), Direction::Both).unwrap();
    assert_eq!(both.upstream.len(), 2);
    assert!(
        both.upstream.iter().all(|b| b.level == 1),
        "depth 1 stops after one step"
    );
    assert_eq!(ids(both.downstream.iter().collect()), ["103/UBND-VHXH"]);

    let text = render_trace_text(&up);
    assert!(
        text.starts_with("103/UBND-VHXH  Công văn, 2020-07-08"),
        "{text}"
    );
    assert!(
        text.contains("── 101/KH-UBND  Kế hoạch, 2020-06-10"),
        "{text}"
    );
    assert!(
        text.contains("36-CT/TW  Chỉ thị, 2019-08-16  (not in the corpus)"),
        "{text}"
    );
    assert!(
        text.contains("103/UBND-VHXH implements at preamble (line 20)"),
        "{text}"
    );
    assert!(
        text.contains("dated 2020-06-10, cited as of 2020-06-12"),
        "{text}"
    );
    let json = serde_json::to_value(&up).unwrap();
    assert_eq!(
        json["upstream"][0]["citations"][0]["relation"],
        "implements"
    );
}

#[test]
fn unknown_id_is_an_error_with_suggestions() {
    let (_tmp, out) = built("unknown");
    let error = trace(&out, "105/KH-UBND", None, Direction::Both).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, RegistryError::UnknownDocument { .. }));
    assert!(message.contains("no document `105/KH-UBND`"), "{message}");
    assert!(message.contains("did you mean: 101/KH-UBND"), "{message}");
    let error = graph(&out, GraphFormat::Dot, Some("1791/CV-BCD")).unwrap_err();
    assert!(error.to_string().contains("1790/CV-BCĐ"), "{error}");
}

#[test]
fn missing_registry_names_the_folder() {
    let tmp = TempDir::new("missing");
    let out = tmp.path().join("nowhere");
    let message = trace(&out, "1/A", None, Direction::Both)
        .unwrap_err()
        .to_string();
    assert_eq!(
        message,
        format!(
            "{}: not a vanban registry (no index.yaml); run vanban build first",
            out.display()
        )
    );
    let message = tasks(tmp.path(), &document_order())
        .unwrap_err()
        .to_string();
    assert!(message.contains("not a vanban registry"), "{message}");
    // A corrupt file is named, with what was expected.
    let (_tmp2, reg) = built("corrupt");
    fs::write(reg.join("citations.yaml"), "edges: 3\n").unwrap();
    let message = trace(&reg, "101/KH-UBND", None, Direction::Both)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("citations.yaml: does not agree with the index"),
        "{message}"
    );
    fs::write(
        reg.join("index.yaml"),
        "registry: vanban\nversion: 3\ntotals: 3\n",
    )
    .unwrap();
    let message = trace(&reg, "101/KH-UBND", None, Direction::Both)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("index.yaml: not a valid registry index"),
        "{message}"
    );
}

#[test]
fn graph_dot_and_mermaid() {
    let (_tmp, out) = built("graph");
    let dot = graph(&out, GraphFormat::Dot, None).unwrap();
    assert!(dot.starts_with("digraph vanban {\n") && dot.ends_with("}\n"));
    assert!(
        dot.contains(
            "\"101/KH-UBND\" [label=\"101/KH-UBND\\nKế hoạch\\n2020-06-10\", style=filled"
        ),
        "{dot}"
    );
    assert!(
        dot.contains("\"36-CT/TW\" [label=\"36-CT/TW\\nChỉ thị\\n2019-08-16\", style=dashed]"),
        "{dot}"
    );
    // 101 → 36-CT/TW twice (implements, refers): one arrow with both relations.
    assert!(
        dot.contains("\"101/KH-UBND\" -> \"36-CT/TW\" [label=\"implements, refers\"];"),
        "{dot}"
    );
    assert!(
        dot.contains("\"104/QĐ-UBND\" -> \"101/KH-UBND\" [label=\"amends\"];"),
        "{dot}"
    );

    let mermaid = graph(&out, GraphFormat::Mermaid, None).unwrap();
    // To check the output with Mermaid's own parser and Graphviz by hand.
    if let Ok(p) = std::env::var("VANBAN_MERMAID_OUT") {
        fs::write(p, &mermaid).unwrap();
    }
    assert!(mermaid.starts_with("flowchart LR\n"));
    assert!(
        mermaid.contains("  d_101_kh_ubnd[\"101/KH-UBND<br/>Kế hoạch<br/>2020-06-10\"]:::corpus\n"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("  d_104_qd_ubnd -->|\"amends\"| d_101_kh_ubnd\n"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("d_36_ct_tw[\"36-CT/TW<br/>Chỉ thị<br/>2019-08-16\"]:::external"),
        "{mermaid}"
    );
    // Node ids are plain: letters, digits and underscores.
    for line in mermaid.lines().filter(|l| l.contains("-->")) {
        for id in [
            line.split_whitespace().next().unwrap(),
            line.split_whitespace().last().unwrap(),
        ] {
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{id}"
            );
        }
    }

    // With a root: only what it rests on and what rests on it.
    let rooted = graph(&out, GraphFormat::Dot, Some("102/hd-sldtbxh")).unwrap();
    // To check the output with Mermaid's own parser and Graphviz by hand.
    if let Ok(p) = std::env::var("VANBAN_MERMAID_OUT") {
        fs::write(
            format!("{p}.root"),
            graph(&out, GraphFormat::Mermaid, Some("104/QD-UBND")).unwrap(),
        )
        .unwrap();
        fs::write(format!("{p}.dot"), &dot).unwrap();
    }
    assert!(rooted.contains("\"94/2010/NĐ-CP\""));
    assert!(rooted.contains("\"103/UBND-VHXH\""));
    assert!(
        rooted.contains("\"36-CT/TW\""),
        "102 rests on 101 which rests on 36-CT/TW"
    );
    assert!(
        !rooted.contains("\"104/QĐ-UBND\""),
        "104 is a sibling, not connected through 102"
    );
    assert!(!rooted.contains("\"2420/VPCP-KGVX\"") || rooted.contains("\"1790/CV-BCĐ\""));
    assert!(rooted.contains("penwidth=2"));

    match std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(dot.as_bytes())
                .unwrap();
            let output = child.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "dot rejected the graph: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
        }
        Err(_) => {
            eprintln!("note: Graphviz `dot` not installed; DOT syntax not checked by Graphviz")
        }
    }
}

#[test]
fn tasks_by_agency_in_any_spelling() {
    let (_tmp, out) = built("tasks");
    let all = tasks(&out, &document_order()).unwrap();
    assert_eq!(all.len(), 10);
    // Grouped by document in index order, then by line.
    assert_eq!(all[0].id, "101/KH-UBND#III.1.a");
    assert_eq!(all.last().unwrap().document, "1790/CV-BCĐ");

    let by = |agency: &str| {
        tasks(
            &out,
            &TaskFilter {
                agency: Some(agency.into()),
                ..document_order()
            },
        )
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect::<Vec<_>>()
    };
    let expected = [
        "101/KH-UBND#III.3.a",
        "101/KH-UBND#III.3.b",
        "102/HD-SLĐTBXH#II.3",
        "1790/CV-BCĐ#1.-1",
    ];
    for spelling in ["So Y te", "sở y tế", "Sở Y Tế", "SỞ Y TẾ", "so-y-te"] {
        assert_eq!(by(spelling), expected, "{spelling}");
    }
    assert_eq!(by("So Lao dong Thuong binh va Xa hoi").len(), 2);
    // Words of a name select every agency whose name contains them.
    assert_eq!(by("cong an").len(), 3);

    let task_ids = |filter: TaskFilter| -> Vec<String> {
        tasks(&out, &filter)
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect()
    };
    assert_eq!(
        task_ids(TaskFilter {
            role: Some(Role::Support),
            ..document_order()
        }),
        ["101/KH-UBND#III.2.b", "103/UBND-VHXH#2"]
    );
    assert_eq!(
        task_ids(TaskFilter {
            due_before: Some("01/08/2020".into()),
            ..document_order()
        }),
        ["101/KH-UBND#III.2.a", "103/UBND-VHXH#2"]
    );

    let of_doc = tasks(
        &out,
        &TaskFilter {
            document: Some("1790/cv-bcd".into()),
            ..document_order()
        },
    )
    .unwrap();
    assert_eq!(of_doc.len(), 2);

    let error = tasks(
        &out,
        &TaskFilter {
            agency: Some("So Y tee".into()),
            ..document_order()
        },
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("did you mean: Sở Y tế"),
        "{error}"
    );
    let error = tasks(
        &out,
        &TaskFilter {
            due_before: Some("31/02/2020".into()),
            ..document_order()
        },
    )
    .unwrap_err();
    assert!(error.to_string().contains("not a date"), "{error}");

    let text = render_tasks_text(&all, &document_view());
    assert!(
        text.contains(
            "101/KH-UBND  Kế hoạch, 2020-06-10 — Triển khai thực hiện Chỉ thị số 36-CT/TW\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  III.1.a  lead     Công an Thành phố  [due 2020-09-30]: Chủ trì sơ kết"),
        "{text}"
    );
    assert!(text.ends_with("10 tasks in 4 documents\n"), "{text}");
    assert_eq!(render_tasks_text(&[], &document_view()), "no tasks match\n");
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_a_registry() {
    let tmp = TempDir::new("clobber");
    let out = tmp.path().join("thesis");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("chapter1.txt"), "precious").unwrap();
    let error = build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap_err();
    assert!(matches!(error, BuildError::NotARegistry { .. }), "{error}");
    assert!(
        error.to_string().contains("is not a vanban registry"),
        "{error}"
    );
    assert_eq!(
        fs::read_to_string(out.join("chapter1.txt")).unwrap(),
        "precious"
    );
    // Nor a plain file.
    let file = tmp.path().join("file.txt");
    fs::write(&file, "x").unwrap();
    assert!(build_documents(corpus(), &file, &rules(), &options(Format::Yaml)).is_err());
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
    // An empty folder is fine.
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    build_documents(corpus(), &empty, &rules(), &options(Format::Yaml)).unwrap();
    assert!(empty.join("index.yaml").is_file());
}

#[test]
fn an_interrupted_build_leaves_the_registry_whole() {
    let tmp = TempDir::new("interrupt");
    let out = tmp.path().join("reg");
    build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap();
    let before = snapshot(&out);

    // Killed while writing the new registry: a half-written tmp folder beside OUT.
    let stale = tmp.path().join(".reg.tmp-999999");
    fs::create_dir_all(stale.join("documents")).unwrap();
    fs::write(stale.join("documents/x.yaml"), "half").unwrap();
    assert_eq!(snapshot(&out), before, "OUT untouched");
    assert!(Registry::open(&out).is_ok());
    // A failed build (input missing) changes nothing.
    let error = build(
        &tmp.path().join("no-such-dir"),
        &out,
        &rules(),
        &BuildOptions::default(),
    )
    .unwrap_err();
    assert!(error.to_string().contains("no such folder"), "{error}");
    assert_eq!(snapshot(&out), before);
    // The next build removes the leftover and says so.
    let report = build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap();
    assert!(!stale.exists());
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("unfinished registry")),
        "{:?}",
        report.notes
    );
    assert_eq!(snapshot(&out), before);

    // Killed between the two renames: OUT moved aside, the new one not yet in place.
    let aside = tmp.path().join(".reg.old-999998");
    fs::rename(&out, &aside).unwrap();
    fs::create_dir_all(tmp.path().join(".reg.tmp-999998/documents")).unwrap();
    // Readers still see the old registry meanwhile.
    let up = trace(&out, "103/UBND-VHXH", Some(1), Direction::Up).unwrap();
    assert_eq!(up.upstream.len(), 2);
    // A stale lock of the killed process does not block the next build.
    fs::write(tmp.path().join(".reg.lock"), "999998").unwrap();
    let mut fewer = corpus();
    fewer.retain(|d| d.id != "104/QĐ-UBND");
    let report = build_documents(fewer, &out, &rules(), &options(Format::Yaml)).unwrap();
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("restored the previous registry")),
        "{:?}",
        report.notes
    );
    assert_eq!(report.documents, 4);
    let left: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["reg".to_string()], "no tmp, backup or lock left");
    assert!(!out.join("documents/104_QĐ-UBND.yaml").exists());
}

#[test]
fn a_running_build_holds_the_lock() {
    use fs4::FileExt;
    let tmp = TempDir::new("lock");
    let out = tmp.path().join("reg");
    // Another builder holds the operating system's lock on the lock file.
    let held = fs::File::create(tmp.path().join(".reg.lock")).unwrap();
    FileExt::lock(&held).unwrap();
    fs::write(tmp.path().join(".reg.lock"), "4242").unwrap();
    let error = build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap_err();
    assert!(matches!(error, BuildError::Locked { .. }), "{error}");
    assert!(error.to_string().contains("(pid 4242)"), "{error}");
    assert!(error.to_string().contains("--wait"), "{error}");
    assert!(!out.exists());
    // With `wait`, the build waits for the holder, then builds.
    let waiting = {
        let out = out.clone();
        std::thread::spawn(move || {
            let options = BuildOptions {
                wait: true,
                ..options(Format::Yaml)
            };
            build_documents(corpus(), &out, &rules(), &options)
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        !waiting.is_finished(),
        "the build waits while the lock is held"
    );
    assert!(!out.exists());
    FileExt::unlock(&held).unwrap();
    drop(held);
    assert_eq!(waiting.join().unwrap().unwrap().documents, 5);
    assert!(
        !tmp.path().join(".reg.lock").exists(),
        "the lock file is removed"
    );
}

#[test]
fn duplicate_and_unnumbered_documents() {
    let tmp = TempDir::new("dups");
    let out = tmp.path().join("reg");
    let mut docs = corpus();
    // The same number reused in another year, spelled differently.
    let mut again = doc(
        "101/kh-ubnd",
        "Kế hoạch",
        "2021-06-01",
        "Kế hoạch năm 2021",
        "corpus/2021/101.txt",
    );
    again.citations = vec![cite(
        "36-CT/TW",
        "Chỉ thị",
        Some("2019-08-16"),
        Relation::Implements,
        "preamble",
        9,
    )];
    docs.push(again);
    docs.push(doc("", "", "2020-01-01", "", "corpus/scan.txt"));
    let report = build_documents(docs, &out, &rules(), &options(Format::Yaml)).unwrap();
    assert_eq!(report.documents, 7);
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.contains("duplicate-id")),
        "{:?}",
        report.diagnostics
    );
    assert!(
        report.diagnostics.iter().any(|d| d.contains("missing-id")),
        "{:?}",
        report.diagnostics
    );
    // Case-insensitive file systems: the two records get different names either way.
    // Named by key, not by order: issuer (unknown here: no header, no symbol), then date.
    let names: Vec<String> = fs::read_dir(out.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        out.join("documents/101_KH-UBND~unknown_2020-06-10.yaml")
            .is_file(),
        "{names:?}"
    );
    assert!(
        out.join("documents/101_kh-ubnd~unknown_2021-06-01.yaml")
            .is_file(),
        "{names:?}"
    );
    assert!(out
        .join("documents/unnumbered_corpus_scan.txt.yaml")
        .is_file());
    // 102 cites 101 dated 2020-06-10: it matches one of the two, so no conflict for it.
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.contains("102/HD-SLĐTBXH cites")),
        "{:?}",
        report.diagnostics
    );
}

/// Writes the repository's corpus/ (and the shared seeds when present) into a folder with
/// some files that must be skipped, and builds it with the real parser.
#[test]
fn build_parses_a_folder() {
    let tmp = TempDir::new("parse");
    let input = tmp.path().join("in");
    fs::create_dir_all(input.join("nested/deeper")).unwrap();
    fs::create_dir_all(input.join(".hidden")).unwrap();
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut expected = 0;
    for entry in fs::read_dir(&corpus_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            fs::copy(&path, input.join("nested").join(path.file_name().unwrap())).unwrap();
            expected += 1;
        }
    }
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let with_seeds = seeds.is_dir();
    if with_seeds {
        for entry in fs::read_dir(&seeds).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                fs::copy(
                    &path,
                    input.join("nested/deeper").join(path.file_name().unwrap()),
                )
                .unwrap();
                expected += 1;
            }
        }
    } else {
        eprintln!("note: ../shared absent; building corpus/ only");
    }
    // A file without an extension is not read (it is named among the skipped).
    fs::write(input.join("README"), "Số: 8/TB-UBND\n").unwrap();
    fs::write(
        input.join("NOTES.txt"),
        "Số: 7/TB-UBND\n\nHà Nội, ngày 01 tháng 01 năm 2020\n\nTHÔNG BÁO\n\nVề việc thử\n\n\
         Thực hiện Luật Thử nghiệm ghi chú và Luật Đất đai.\n",
    )
    .unwrap();
    expected += 1;
    fs::write(input.join("empty.md"), "").unwrap();
    fs::write(input.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    fs::write(input.join("ignored.yaml"), "a: 1").unwrap();
    fs::write(input.join(".hidden.txt"), "x").unwrap();
    fs::write(input.join(".hidden/x.txt"), "x").unwrap();

    let out = tmp.path().join("out");
    let report = build(&input, &out, &rules(), &BuildOptions::default()).unwrap();
    assert_eq!(report.documents, expected);
    assert_eq!(report.skipped.len(), 4, "{:?}", report.skipped);
    assert!(
        report.skipped[0].ends_with("README: no extension: vanban reads .txt, .md, .docx, .html and .htm files (rename it to say which it is)"),
        "{:?}",
        report.skipped
    );
    assert!(
        report.skipped[1].ends_with("empty.md: empty file"),
        "{:?}",
        report.skipped
    );
    // A file of a kind that is not a document's is named, not dropped silently.
    assert!(
        report.skipped[2].contains("ignored.yaml: .yaml is not a kind of file vanban reads"),
        "{:?}",
        report.skipped
    );
    assert!(
        report.skipped[3].contains("image.txt: binary data"),
        "{:?}",
        report.skipped
    );
    assert!(report.summary(&out).contains("; 4 files skipped ("));
    // A law's name that rules/laws.yaml does not list is reported once; a listed one is not.
    assert!(
        report
            .unlisted_laws
            .contains(&"Luật Thử nghiệm ghi chú".to_string()),
        "{:?}",
        report.unlisted_laws
    );
    assert!(!report.unlisted_laws.iter().any(|l| l == "Luật Đất đai"));
    let registry = Registry::open(&out).unwrap();
    assert_eq!(registry.index.skipped[0].file, "README");
    assert_eq!(registry.index.skipped[1].file, "empty.md");
    assert_eq!(registry.index.skipped[1].reason, "empty file");
    let files: Vec<&str> = registry
        .index
        .documents
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    assert!(
        files.contains(&"nested/101_kh_ubnd_phong_chong_ma_tuy.txt"),
        "{files:?}"
    );
    assert!(files.contains(&"NOTES.txt"));
    assert!(!files
        .iter()
        .any(|f| f.contains("hidden") || f.ends_with(".yaml")));

    // Same input, same bytes.
    let first = snapshot(&out);
    build(&input, &out, &rules(), &BuildOptions::default()).unwrap();
    assert_eq!(first, snapshot(&out));

    // The corpus chain, read from the files; with the seeds it crosses into 1790/CV-BCĐ.
    let up = trace(&out, "103/UBND-VHXH", None, Direction::Up).unwrap();
    let text = render_trace_text(&up);
    assert!(
        text.contains("101/KH-UBND") && text.contains("36-CT/TW"),
        "{text}"
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.contains("citation-date-conflict")),
        "{:?}",
        report.diagnostics
    );
    if with_seeds {
        assert!(text.contains("1790/CV-BCĐ"), "{text}");
    } else {
        eprintln!(
            "note: ../shared/seeds absent; the link from the corpus to 1790/CV-BCĐ is not checked"
        );
    }
}

/// The whole shared corpus builds without a panic and every file is accounted for.
#[test]
fn shared_corpus_builds() {
    let ext = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-ext");
    if !ext.is_dir() {
        eprintln!("note: ../shared absent; skipping shared_corpus_builds");
        return;
    }
    let tmp = TempDir::new("shared");
    let out = tmp.path().join("out");
    let report = build(&ext, &out, &rules(), &BuildOptions::default()).unwrap();
    let files = fs::read_dir(&ext)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(report.documents + report.skipped.len(), files);
    let registry = Registry::open(&out).unwrap();
    assert_eq!(registry.index.totals.documents, report.documents);
    let _ = link::render_graph(&registry, GraphFormat::Mermaid, None).unwrap();
}

/// Not a check: builds `corpus/` and the shared seeds into `$VANBAN_DUMP_OUT` to look at.
/// `VANBAN_DUMP_OUT=/tmp/reg cargo test --test registry dump -- --ignored`
#[test]
#[ignore]
fn dump() {
    let Ok(out) = std::env::var("VANBAN_DUMP_OUT") else {
        return;
    };
    let tmp = TempDir::new("dump");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in [root.join("corpus"), root.join("../shared/seeds")] {
        for entry in fs::read_dir(&dir).into_iter().flatten() {
            let path = entry.unwrap().path();
            fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let report = build(
        tmp.path(),
        Path::new(&out),
        &rules(),
        &BuildOptions::default(),
    )
    .unwrap();
    eprintln!("{report:#?}");
    let (_keep, hand) = built("dump-hand");
    eprintln!(
        "{}",
        render_trace_text(&trace(&hand, "101/kh-ubnd", None, Direction::Both).unwrap())
    );
    eprintln!(
        "{}",
        render_tasks_text(&tasks(&hand, &document_order()).unwrap(), &document_view())
    );
}

/// Run by `kill_9_at_any_moment` in a child process: rebuilds `$VANBAN_KILL_OUT` forever,
/// alternating between two corpora, until it is killed.
#[test]
#[ignore]
fn rebuild_forever() {
    let Ok(out) = std::env::var("VANBAN_KILL_OUT") else {
        return;
    };
    let rules = rules();
    for round in 0.. {
        let mut docs = corpus();
        if round % 2 == 1 {
            docs.retain(|d| d.id != "104/QĐ-UBND");
        }
        let _ = build_documents(docs, Path::new(&out), &rules, &options(Format::Yaml));
    }
}

/// SIGKILL a building process at arbitrary moments: OUT (or, in the window between the two
/// renames, the backup a reader falls back to) always holds one whole registry, and the
/// next build recovers.
#[cfg(unix)]
#[test]
fn kill_9_at_any_moment() {
    let tmp = TempDir::new("kill");
    let out = tmp.path().join("reg");
    let mut fewer = corpus();
    fewer.retain(|d| d.id != "104/QĐ-UBND");
    let other = tmp.path().join("other");
    build_documents(fewer, &other, &rules(), &options(Format::Yaml)).unwrap();
    build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap();
    let whole = [snapshot(&out), snapshot(&other)];
    let exe = std::env::current_exe().unwrap();
    for round in 0..12u64 {
        let mut child = std::process::Command::new(&exe)
            .args([
                "--exact",
                "rebuild_forever",
                "--ignored",
                "--test-threads=1",
            ])
            .env("VANBAN_KILL_OUT", &out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Different moments each round: the child's start-up takes some of this.
        std::thread::sleep(std::time::Duration::from_millis(20 + round * 13 % 97));
        child.kill().unwrap();
        child.wait().unwrap();
        // What a reader sees now is one whole registry.
        let registry = Registry::open(&out).expect("a registry is readable after kill -9");
        let seen = snapshot(&registry.root);
        assert!(
            whole.contains(&seen),
            "round {round}: a mixed or partial registry at {}",
            registry.root.display()
        );
        // The next build recovers and leaves nothing beside OUT.
        build_documents(corpus(), &out, &rules(), &options(Format::Yaml)).unwrap();
        assert_eq!(snapshot(&out), whole[0]);
        let mut left: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["other", "reg"], "round {round}");
    }
}
