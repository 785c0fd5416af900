//! Unit tests of the obligation recognisers, on documents built by hand.

use super::*;
use crate::record::{Document, Node, NodeKind, Span};
use crate::Rules;

/// The obligations, targets and diagnostics of a document built by hand.
fn extract(doc: &Document, rules: &Rules) -> (Vec<Obligation>, Vec<Target>, Vec<Diagnostic>) {
    crate::extract::on_document(doc, &rules.lexicon, |cx| {
        super::extract(cx, &rules.obligations)
    })
}

pub(crate) fn node(
    path: &str,
    kind: NodeKind,
    title: &str,
    text: &str,
    line: u32,
    children: Vec<Node>,
) -> Node {
    Node {
        path: path.to_string(),
        label: String::new(),
        kind,
        title: title.to_string(),
        text: text.to_string(),
        line,
        children,
        spans: vec![Span::new(0, line, 1)],
    }
}

fn doc(sections: Vec<Node>) -> Document {
    Document {
        id: "31/KH-UBND".to_string(),
        symbol: "KH-UBND".to_string(),
        doc_type: "Kế hoạch".to_string(),
        place: Some("Hà Nội".to_string()),
        sections,
        ..Default::default()
    }
}

fn run(d: &Document) -> Vec<(String, String, Role, Modality)> {
    let rules = Rules::built_in().unwrap();
    let (obligations, _, _) = extract(d, &rules);
    obligations
        .into_iter()
        .map(|o| (o.path, o.agency, o.role, o.modality))
        .collect()
}

fn o(path: &str, agency: &str, role: Role, modality: Modality) -> (String, String, Role, Modality) {
    (path.to_string(), agency.to_string(), role, modality)
}

use Modality::{Directive, Request};
use NodeKind::*;
use Role::{Lead, Support};

#[test]
fn heading_names_the_agency_of_its_bullets() {
    let d = doc(vec![node(
        "4",
        Section,
        "Sở Y tế",
        "",
        44,
        vec![
            node(
                "4.-1",
                Bullet,
                "",
                "Tiếp tục thực hiện có hiệu quả chương trình điều trị thay thế.",
                46,
                vec![],
            ),
            node(
                "4.-2",
                Bullet,
                "",
                "Chủ trì, phối hợp với các đơn vị liên quan tham mưu UBND Thành phố.",
                50,
                vec![],
            ),
            node(
                "4.-3",
                Bullet,
                "",
                "Phối hợp với ngành Y tế trong việc tiếp nhận.",
                52,
                vec![],
            ),
        ],
    )]);
    assert_eq!(
        run(&d),
        vec![
            o("4.-1", "Sở Y tế thành phố Hà Nội", Lead, Directive),
            o("4.-2", "Sở Y tế thành phố Hà Nội", Lead, Directive),
            o("4.-3", "Sở Y tế thành phố Hà Nội", Support, Directive),
        ]
    );
}

#[test]
fn objects_are_partners_not_agencies() {
    let d = doc(vec![node(
        "IV",
        Part,
        "TỔ CHỨC THỰC HIỆN",
        "",
        117,
        vec![
            node(
                "IV.4",
                Section,
                "Sở Kế hoạch và Đầu tư",
                "Phối hợp Sở Tài chính trong việc cân đối nguồn lực, tổng hợp phân bổ kế hoạch kinh phí hàng năm.",
                179,
                vec![],
            ),
            node(
                "IV.5",
                Section,
                "Sở Tài chính",
                "Bố trí vốn sự nghiệp. Phối hợp Sở Lao động Thương binh và Xã hội, Công an thành phố Hà Nội xây dựng các cơ chế.",
                181,
                vec![],
            ),
        ],
    )]);
    let rules = Rules::built_in().unwrap();
    let (obligations, _, _) = extract(&d, &rules);
    assert_eq!(obligations.len(), 2);
    assert_eq!(
        (obligations[0].agency.as_str(), obligations[0].role),
        ("Sở Kế hoạch và Đầu tư thành phố Hà Nội", Support)
    );
    assert_eq!(
        obligations[0].partners,
        vec!["Sở Tài chính thành phố Hà Nội".to_string()]
    );
    assert_eq!(
        obligations[0]
            .deadline
            .as_ref()
            .unwrap()
            .recurrence
            .as_deref(),
        Some("yearly")
    );
    assert_eq!(obligations[0].id, "31/KH-UBND#IV.4");
    assert_eq!(
        (obligations[1].agency.as_str(), obligations[1].role),
        ("Sở Tài chính thành phố Hà Nội", Lead)
    );
    assert_eq!(
        obligations[1].partners,
        vec![
            "Sở Lao động - Thương binh và Xã hội thành phố Hà Nội".to_string(),
            "Công an thành phố Hà Nội".to_string()
        ]
    );
}

#[test]
fn request_headings_and_two_agencies() {
    let d = doc(vec![
        node(
            "IV.11",
            Section,
            "Đề nghị Ủy ban Mặt trận Tổ quốc thành phố Hà Nội",
            "",
            199,
            vec![node(
                "IV.11.-1",
                Bullet,
                "",
                "Chỉ đạo các tổ chức thành viên tham gia phát hiện.",
                201,
                vec![],
            )],
        ),
        node(
            "IV.14",
            Section,
            "Hội Liên hiệp Phụ nữ thành phố Hà Nội, Hội Cựu chiến binh thành phố Hà Nội",
            "Tổ chức các hoạt động tuyên truyền pháp luật phòng, chống ma túy.",
            215,
            vec![],
        ),
        node(
            "IV.12",
            Section,
            "Đề nghị Tòa án nhân dân thành phố Hà Nội",
            "Tăng cường công tác chỉ đạo Tòa án nhân dân cấp huyện.",
            205,
            vec![],
        ),
    ]);
    assert_eq!(
        run(&d),
        vec![
            o(
                "IV.11.-1",
                "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
                Lead,
                Request
            ),
            o(
                "IV.14",
                "Hội Liên hiệp Phụ nữ thành phố Hà Nội",
                Lead,
                Request
            ),
            o(
                "IV.14",
                "Hội Cựu chiến binh thành phố Hà Nội",
                Lead,
                Request
            ),
            o("IV.12", "Tòa án nhân dân thành phố Hà Nội", Lead, Request),
        ]
    );
}

#[test]
fn preamble_assigning_verbs() {
    let text = "Thực hiện chỉ đạo của Ủy ban quốc gia phòng, chống AIDS theo Công văn số 2420/VPCP-KGVX ngày 28/3/2020 của Văn phòng Chính phủ; Ban Chỉ đạo 138 Thành phố đề nghị các đoàn thể Thành phố; yêu cầu các Sở, ban, ngành, Ban Chỉ đạo 138 các quận, huyện, thị xã tăng cường công tác tuyên truyền, đồng thời tập trung thực hiện một số nhiệm vụ sau:";
    let mut d = doc(vec![node("preamble", Preamble, "", text, 14, vec![])]);
    d.symbol = "CV-BCĐ".to_string();
    assert_eq!(
        run(&d),
        vec![
            o("preamble", "Các đoàn thể thành phố Hà Nội", Lead, Request),
            o(
                "preamble",
                "Các Sở, ban, ngành thành phố Hà Nội",
                Lead,
                Directive
            ),
            o(
                "preamble",
                "Ban Chỉ đạo 138 các quận, huyện, thị xã thành phố Hà Nội",
                Lead,
                Directive
            ),
        ]
    );
}

#[test]
fn closing_gives_tasks_and_skips_the_issuer() {
    let text = "UBND Thành phố đề nghị các đoàn thể Thành phố, yêu cầu các Sở, ban, ngành, UBND các quận, huyện, thị xã căn cứ tình hình cụ thể của địa phương và đơn vị xây dựng kế hoạch thực hiện, báo cáo UBND Thành phố. Trong quá trình thực hiện có vướng mắc phản ánh kịp thời cơ quan Thường trực Ban Chỉ đạo phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm Thành phố (Công an thành phố Hà Nội) và Sở Lao động Thương binh và Xã hội (qua Chi cục Phòng, chống tệ nạn xã hội) để tổng hợp, báo cáo UBND Thành phố.";
    let d = doc(vec![node("closing", Closing, "", text, 231, vec![])]);
    assert_eq!(
        run(&d),
        vec![
            o("closing", "Các đoàn thể thành phố Hà Nội", Lead, Request),
            o(
                "closing",
                "Các Sở, ban, ngành thành phố Hà Nội",
                Lead,
                Directive
            ),
            o(
                "closing",
                "UBND các quận, huyện, thị xã thành phố Hà Nội",
                Lead,
                Directive
            ),
        ]
    );
    let d = doc(vec![node(
        "closing",
        Closing,
        "",
        "Giao Công an Thành phố (Cơ quan thường trực về lĩnh vực phòng, chống tội phạm và tệ nạn xã hội của Ban Chỉ đạo 138 Thành phố) theo dõi, đôn đốc các đơn vị thực hiện nhiệm vụ được giao, tổng hợp, báo cáo UBND Thành phố./.",
        82,
        vec![],
    )]);
    assert_eq!(
        run(&d),
        vec![o("closing", "Công an thành phố Hà Nội", Lead, Directive)]
    );
}

#[test]
fn subjects_of_bullets_in_thematic_sections() {
    let d = doc(vec![node(
        "III.2",
        Section,
        "Nâng cao chất lượng hiệu quả công tác điều trị",
        "",
        71,
        vec![
            node("III.2.-1", Bullet, "", "Quy hoạch hệ thống các cơ sở cai nghiện phù hợp.", 73, vec![]),
            node("III.2.-3", Bullet, "", "Ban Chỉ đạo phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm các quận, huyện, thị xã chỉ đạo Công an, phòng Lao động Thương binh và Xã hội, UBND các xã, phường, thị trấn phối hợp chặt chẽ.", 77, vec![]),
            node("III.2.-4", Bullet, "", "Phối hợp các đoàn thể vận động người nghiện tự nguyện đi cai nghiện.", 79, vec![]),
        ],
    )]);
    assert_eq!(
        run(&d),
        vec![o(
            "III.2.-3",
            "Ban Chỉ đạo phòng, chống AIDS và phòng, chống tệ nạn ma túy, mại dâm các quận, huyện, thị xã thành phố Hà Nội",
            Lead,
            Directive
        )]
    );
}

#[test]
fn section_with_subject_and_no_colon() {
    let d = doc(vec![node(
        "9",
        Section,
        "",
        "Các cơ quan thường trực Ban Chỉ đạo 138 Thành phố chủ động bố trí đoàn công tác kiểm tra.",
        80,
        vec![],
    )]);
    assert_eq!(
        run(&d),
        vec![o(
            "9",
            "Cơ quan thường trực Ban Chỉ đạo 138 thành phố",
            Lead,
            Directive
        )]
    );
}

#[test]
fn assignment_lines_apply_to_the_tasks_before_them() {
    let d = doc(vec![node(
        "III.4",
        Section,
        "Nâng cao phẩm chất, năng lực cho đội ngũ cán bộ",
        "",
        150,
        vec![
            node("III.4.-1", Bullet, "", "Tăng cường công tác giáo dục chính trị, tư tưởng.", 152, vec![]),
            node(
                "III.4.-2",
                Bullet,
                "",
                "Nâng cao nhận thức, ý thức trách nhiệm.\nĐơn vị thực hiện: Các Sở, ngành, đơn vị, UBND cấp xã.\nĐơn vị phối hợp: Sở Tư pháp.\nThời gian thực hiện: Thường xuyên.",
                156,
                vec![],
            ),
            node(
                "III.4.-3",
                Bullet,
                "",
                "Nâng cao kiến thức, kỹ năng xây dựng pháp luật.\nĐơn vị chủ trì: Sở Nội vụ.\nĐơn vị phối hợp: Sở Tư pháp; các cơ quan, đơn vị, địa phương liên quan.\nThời gian thực hiện: Trong quý I/2026.",
                200,
                vec![],
            ),
            node(
                "III.4.-4",
                Bullet,
                "",
                "Tổ chức điểm cầu trực tuyến.\nĐơn vị chủ trì: Trung tâm Kiểm soát bệnh tật tỉnh.",
                210,
                vec![],
            ),
        ],
    )]);
    let rules = Rules::built_in().unwrap();
    let (obligations, _, _) = extract(&d, &rules);
    let got: Vec<(&str, &str, Role)> = obligations
        .iter()
        .map(|o| (o.path.as_str(), o.agency.as_str(), o.role))
        .collect();
    assert_eq!(
        got,
        vec![
            ("III.4.-1", "Các Sở, ngành thành phố Hà Nội", Lead),
            ("III.4.-1", "UBND cấp xã thành phố Hà Nội", Lead),
            ("III.4.-1", "Sở Tư pháp thành phố Hà Nội", Support),
            ("III.4.-2", "Các Sở, ngành thành phố Hà Nội", Lead),
            ("III.4.-2", "UBND cấp xã thành phố Hà Nội", Lead),
            ("III.4.-2", "Sở Tư pháp thành phố Hà Nội", Support),
            ("III.4.-3", "Sở Nội vụ thành phố Hà Nội", Lead),
            ("III.4.-3", "Sở Tư pháp thành phố Hà Nội", Support),
            (
                "III.4.-3",
                "Các cơ quan, đơn vị, địa phương liên quan thành phố Hà Nội",
                Support
            ),
            (
                "III.4.-4",
                "Trung tâm Kiểm soát bệnh tật thành phố Hà Nội",
                Lead
            ),
        ]
    );
    let o2 = &obligations[3];
    assert_eq!(o2.text, "Nâng cao nhận thức, ý thức trách nhiệm.");
    assert_eq!(o2.deadline.as_ref().unwrap().text, "Thường xuyên");
    assert_eq!(
        obligations[6].deadline.as_ref().unwrap().date.as_deref(),
        Some("2026-03-31")
    );
    // Trung tâm Kiểm soát bệnh tật is a local body of rules/agencies.yaml: it takes the
    // issuer's locality, and no name here is unknown.
    assert!(obligations[9].known_agency);
    assert!(crate::lexicon::agencies::unknown_agencies(&obligations).is_empty());
}

#[test]
fn execution_article_lists_bodies() {
    let mut d = doc(vec![node(
        "D3",
        Article,
        "",
        "Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc các Sở: Tư pháp, Nội vụ; Giám đốc các sở, Thủ trưởng các ban, ngành cấp tỉnh; Chủ tịch Ủy ban nhân dân các xã, phường và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
        60,
        vec![],
    )]);
    d.place = Some("Bắc Ninh".to_string());
    d.issuer = Some("ỦY BAN NHÂN DÂN TỈNH BẮC NINH".to_string());
    let got: Vec<String> = run(&d).into_iter().map(|x| x.1).collect();
    assert_eq!(
        got,
        vec![
            "Văn phòng Ủy ban nhân dân tỉnh",
            "Sở Tư pháp tỉnh Bắc Ninh",
            "Sở Nội vụ tỉnh Bắc Ninh",
            "Các Sở, ban, ngành tỉnh Bắc Ninh",
            "Ủy ban nhân dân các xã, phường tỉnh Bắc Ninh"
        ]
    );
}

#[test]
fn execution_article_of_a_ministry() {
    let d = doc(vec![node(
        "D3",
        Article,
        "",
        "Chánh Văn phòng Bộ, Cục trưởng Cục Xuất nhập khẩu, Vụ trưởng Vụ Pháp chế và Thủ trưởng các đơn vị có liên quan thuộc Bộ chịu trách nhiệm thi hành Quyết định này./.",
        60,
        vec![],
    )]);
    let got: Vec<String> = run(&d).into_iter().map(|x| x.1).collect();
    assert_eq!(
        got,
        vec!["Văn phòng Bộ", "Cục Xuất nhập khẩu", "Vụ Pháp chế"]
    );
}

#[test]
fn giao_in_an_article() {
    let d = doc(vec![node(
        "D2",
        Article,
        "",
        "Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính hướng dẫn triển khai thực hiện trước ngày 15/12/2025.",
        40,
        vec![],
    )]);
    let rules = Rules::built_in().unwrap();
    let (obligations, _, _) = extract(&d, &rules);
    assert_eq!(obligations.len(), 1);
    assert_eq!(obligations[0].agency, "Sở Nội vụ thành phố Hà Nội");
    assert_eq!(
        obligations[0].partners,
        vec!["Sở Tài chính thành phố Hà Nội".to_string()]
    );
    assert_eq!(
        obligations[0].deadline.as_ref().unwrap().date.as_deref(),
        Some("2025-12-15")
    );
}

#[test]
fn targets_of_a_plan() {
    let d = doc(vec![node(
        "I.3.c",
        Clause,
        "",
        "Duy trì hoạt động từ 15 - 40 Câu lạc bộ quản lý sau cai (B93) phấn đấu 80% Câu lạc bộ có số buổi sinh hoạt đều đặn.",
        39,
        vec![],
    )]);
    let rules = Rules::built_in().unwrap();
    let (_, targets, _) = extract(&d, &rules);
    let got: Vec<(f64, &str, &str)> = targets
        .iter()
        .map(|t| (t.value, t.unit.as_str(), t.path.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (15.0, "câu lạc bộ", "I.3.c"),
            (40.0, "câu lạc bộ", "I.3.c"),
            (80.0, "%", "I.3.c")
        ]
    );
    assert_eq!(targets[0].text, "từ 15 - 40 Câu lạc bộ");
    assert_eq!(targets[0].line, 39);
}

#[test]
fn a_name_ends_at_a_slash_and_at_a_line_break_before_a_capital() {
    use super::name_punctuation_end as end;
    let slash = "Trung tâm Phục vụ hành chính công/Bộ phận Một cửa";
    assert_eq!(&slash[..end(slash)], "Trung tâm Phục vụ hành chính công");
    let wrapped = "Phòng Bảo tàng Di sản Đô thị\ncổ Hội An.";
    assert_eq!(
        &wrapped[..end(wrapped)],
        "Phòng Bảo tàng Di sản Đô thị\ncổ Hội An"
    );
    let listed = "Phòng Hướng dẫn tham quan\nPhòng Biểu diễn";
    assert_eq!(&listed[..end(listed)], "Phòng Hướng dẫn tham quan");
    assert_eq!(end("Sở Y tế"), "Sở Y tế".len());
}

#[test]
fn capitalised_pieces_between_commas_are_a_list_of_names() {
    use super::is_list_of_names;
    assert!(is_list_of_names("Chính phủ, Thủ tướng Chính phủ"));
    assert!(!is_list_of_names("Cơ quan, tổ chức, cá nhân"));
    assert!(!is_list_of_names(
        "Đại biểu Quốc hội, đại biểu Hội đồng nhân dân"
    ));
    assert!(!is_list_of_names("Chính phủ"));
}
