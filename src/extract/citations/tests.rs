//! One test per form of citation, on sentences taken from the seeds and corpus-ext.

use super::*;
use crate::record::{Document, NodeKind, Span};
use crate::Rules;

/// The citations of a document built by hand.
fn extract(doc: &Document, rules: &Rules) -> (Vec<Citation>, Vec<Diagnostic>) {
    crate::extract::on_document(doc, &rules.lexicon, |cx| {
        super::extract(cx, &rules.citations)
    })
}

fn rules() -> &'static Rules {
    static RULES: std::sync::OnceLock<Rules> = std::sync::OnceLock::new();
    RULES.get_or_init(|| Rules::built_in().expect("built-in rules load"))
}

/// A document whose preamble holds `text`, one paragraph per line, the first on line `first`.
fn doc_at(id: &str, date: Option<&str>, text: &str, first: u32) -> Document {
    let mut spans = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split('\n').enumerate() {
        spans.push(Span::new(offset, first + i as u32, 1));
        offset += line.len() + 1;
    }
    let node = Node {
        path: "preamble".into(),
        label: String::new(),
        kind: NodeKind::Preamble,
        title: String::new(),
        text: text.into(),
        line: first,
        children: Vec::new(),
        spans,
    };
    Document {
        id: id.into(),
        date: date.map(str::to_string),
        sections: vec![node],
        ..Document::default()
    }
}

fn cite(text: &str) -> Vec<Citation> {
    extract(&doc_at("1/KH-XYZ", Some("2099-01-01"), text, 1), rules()).0
}

fn ids(citations: &[Citation]) -> Vec<&str> {
    citations.iter().map(|c| c.id.as_str()).collect()
}

fn one(text: &str) -> Citation {
    let all = cite(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    all.into_iter().next().unwrap()
}

#[test]
fn state_document_with_issuer_and_canonical_code() {
    let c = one("Quyết định số 291/QĐ-TTG ngày 21/02/2020 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai thực hiện.");
    assert_eq!(c.id, "291/QĐ-TTg");
    assert_eq!(c.doc_type, "Quyết định");
    assert_eq!((c.number.as_str(), c.symbol.as_str()), ("291", "QĐ-TTg"));
    assert_eq!(c.date.as_deref(), Some("2020-02-21"));
    assert_eq!(c.issuer.as_deref(), Some("Thủ tướng Chính phủ"));
    assert_eq!(c.text, "Quyết định số 291/QĐ-TTG ngày 21/02/2020");
}

#[test]
fn normative_documents_with_a_year() {
    let c = one("theo Nghị định số 94/2010/NĐ-CP ngày 09/9/2010 của Chính phủ.");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str(), c.year.as_deref()),
        ("94/2010/NĐ-CP", "Nghị định", Some("2010"))
    );
    assert_eq!(c.date.as_deref(), Some("2010-09-09"));
    let c = one("Căn cứ Nghị quyết số 202/2025/QH15 ngày 12 tháng 6 năm 2025 của Quốc hội;");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("202/2025/QH15", "Nghị quyết")
    );
    assert_eq!(c.date.as_deref(), Some("2025-06-12"));
    let c = one("Căn cứ Luật số 18/2023/QH15;");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str(), c.issuer.as_deref()),
        ("18/2023/QH15", "Luật", Some("Quốc hội"))
    );
}

#[test]
fn named_law_with_number_takes_the_number_as_id() {
    let c = one("Căn cứ Luật Dữ liệu số 60/2024/QH15 ngày 30 tháng 11 năm 2024;");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("60/2024/QH15", "Luật")
    );
    assert_eq!(c.date.as_deref(), Some("2024-11-30"));
    assert_eq!(c.relation, Relation::Basis);
    let c = one("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025 của Quốc hội;");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("72/2025/QH15", "Luật")
    );
}

#[test]
fn party_documents() {
    let all = cite("Tiếp tục triển khai Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị và Chỉ thị số 30-CT/TU ngày 22/1/2020 của Ban Thường vụ Thành ủy Hà Nội về “Tăng cường”; Kế hoạch số 175-KH/TU ngày 22/01/2020 của Thành ủy Hà Nội.");
    assert_eq!(ids(&all), ["36-CT/TW", "30-CT/TU", "175-KH/TU"]);
    assert_eq!(all[0].doc_type, "Chỉ thị");
    assert_eq!(all[0].issuer.as_deref(), Some("Bộ Chính trị"));
    assert_eq!(
        all[1].issuer.as_deref(),
        Some("Ban Thường vụ Thành ủy Hà Nội")
    );
    assert_eq!(all[1].date.as_deref(), Some("2020-01-22"));
    assert_eq!(all[2].doc_type, "Kế hoạch");
    let c = one("thực hiện Kết luận số 149-KL/TW của Bộ Chính trị.");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("149-KL/TW", "Kết luận")
    );
    let c = one("theo Quy định số 178-QĐ/TW ngày 27/6/2024 của Bộ Chính trị.");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("178-QĐ/TW", "Quy định")
    );
    let c = one("triển khai Kế hoạch hành động số 459-KHHĐ/TU của Thành ủy.");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("459-KHHĐ/TU", "Kế hoạch")
    );
}

#[test]
fn party_issuer_from_code() {
    let c = one("theo Chỉ thị số 36-CT/TW.");
    assert_eq!(c.issuer.as_deref(), Some("Ban Chấp hành Trung ương"));
}

#[test]
fn without_so() {
    let all = cite("tổ chức thực hiện có hiệu quả công tác cai nghiện theo Nghị định 94/2010/NĐ-CP ngày 09/9/2010 của Chính phủ và Quyết định 1229/QĐ-UBND của UBND Thành phố.");
    assert_eq!(ids(&all), ["94/2010/NĐ-CP", "1229/QĐ-UBND"]);
    assert_eq!(all[1].doc_type, "Quyết định");
}

#[test]
fn number_wrapped_onto_the_next_line_then_joined() {
    let c = one("Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ;");
    assert_eq!(c.id, "749/QĐ-TTg");
}

#[test]
fn leading_zero_and_ocr_spaces() {
    let c = one("Căn cứ Kế hoạch số 0129/KH-UBND ngày 05/01/2021;");
    assert_eq!((c.id.as_str(), c.number.as_str()), ("0129/KH-UBND", "0129"));
    let c = one("theo Kế hoạch số 30 /KH-UBND ngày 14/02/2020.");
    assert_eq!(c.id, "30/KH-UBND");
    let c = one("Báo cáo thẩm tra số 164/BC- BKTNS của Ban Kinh tế - Ngân sách;");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("164/BC-BKTNS", "Báo cáo")
    );
    let c =
        one("Theo đề nghị của Giám đốc Sở Tư pháp tại Văn bản số 3169/TTr -STP ngày 31/10/2025.");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("3169/TTr-STP", "Tờ trình")
    );
}

#[test]
fn list_sharing_type_and_issuer() {
    let text = "Thực hiện các Quyết định của Thủ tướng Chính phủ: số 2596/QĐ-TTg ngày 27/12/2013 về việc phê duyệt Đề án đổi mới công tác cai nghiện ma túy ở Việt Nam đến năm 2020; số 1001/QĐ-TTg ngày 27/6/2011 phê duyệt “Chiến lược Quốc gia phòng, chống và kiểm soát ma túy ở Việt Nam đến năm 2020 và định hướng đến năm 2030”; Nghị quyết số 98/NQ-CP ngày 26/12/2014 của Chính phủ về tăng cường, chỉ đạo công tác phòng, chống, kiểm soát và cai nghiện ma túy trong tình hình mới; Quyết định số 1640/QĐ-TTg ngày 18/8/2016 của Thủ tướng Chính phủ về việc phê duyệt Quy hoạch mạng lưới cơ sở cai nghiện ma túy đến năm 2020 và định hướng đến năm 2030; ý kiến của Cục Phòng, chống tệ nạn xã hội - Bộ Lao động Thương binh và Xã hội tại Công văn số 331/PCTNXH-CS06 ngày 04/7/2016 về việc hướng dẫn xây dựng kế hoạch cai nghiện và quản lý sau cai nghiện giai đoạn 2016 - 2020; Kế hoạch số 28/KH-UBND ngày 09/3/2012 của UBND Thành phố tổ chức thực hiện Chiến lược Quốc gia phòng, chống và kiểm soát ma túy ở Việt Nam đến năm 2020 và định hướng đến năm 2030 trên địa bàn thành phố Hà Nội; UBND Thành phố xây dựng Kế hoạch tăng cường công tác cai nghiện phục hồi và quản lý sau cai nghiện giai đoạn 2016 - 2020 trên địa bàn thành phố Hà Nội, như sau:";
    let all = cite(text);
    assert_eq!(
        ids(&all),
        [
            "2596/QĐ-TTg",
            "1001/QĐ-TTg",
            "98/NQ-CP",
            "1640/QĐ-TTg",
            "331/PCTNXH-CS06",
            "28/KH-UBND"
        ]
    );
    let types: Vec<&str> = all.iter().map(|c| c.doc_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "Quyết định",
            "Quyết định",
            "Nghị quyết",
            "Quyết định",
            "Công văn",
            "Kế hoạch"
        ]
    );
    assert!(
        all.iter().all(|c| c.relation == Relation::Implements),
        "{all:#?}"
    );
    assert_eq!(all[0].issuer.as_deref(), Some("Thủ tướng Chính phủ"));
    assert_eq!(all[1].issuer.as_deref(), Some("Thủ tướng Chính phủ"));
    assert_eq!(all[1].date.as_deref(), Some("2011-06-27"));
    assert_eq!(all[1].text, "số 1001/QĐ-TTg ngày 27/6/2011");
}

#[test]
fn list_of_plans_after_a_colon() {
    let all = cite("Chương trình công tác năm 2020 của UBND Thành phố (theo các Kế hoạch: số 30/KH-UBND ngày 14/02/2020 thực hiện công tác phòng, chống ma túy năm 2020; số 16/KH-UBND ngày 20/01/2020 thực hiện công tác phòng chống mại dâm năm 2020, số 55/KH-UBND ngày 09/3/2020 triển khai công tác cai nghiện), đồng thời");
    assert_eq!(ids(&all), ["30/KH-UBND", "16/KH-UBND", "55/KH-UBND"]);
    assert!(all.iter().all(|c| c.doc_type == "Kế hoạch"));
    let dates: Vec<_> = all.iter().map(|c| c.date.as_deref().unwrap()).collect();
    assert_eq!(dates, ["2020-02-14", "2020-01-20", "2020-03-09"]);
}

#[test]
fn list_with_the_type_repeated() {
    let all = cite("Thực hiện các Quyết định của Thủ tướng Chính phủ về chuyển đổi số: Quyết định số 1629/QĐ-TTg ngày 12/12/2023; Quyết định số 790/QĐ-TTg ngày 07/8/2025.");
    assert_eq!(ids(&all), ["1629/QĐ-TTg", "790/QĐ-TTg"]);
    assert_eq!(all[1].issuer.as_deref(), Some("Thủ tướng Chính phủ"));
    assert!(all.iter().all(|c| c.relation == Relation::Implements));
}

#[test]
fn named_law_without_number() {
    let c = one("Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;");
    assert_eq!(
        (c.id.as_str(), c.doc_type.as_str()),
        ("Luật Tổ chức Chính phủ", "Luật")
    );
    assert_eq!((c.number.as_str(), c.symbol.as_str()), ("", ""));
    assert_eq!(c.date.as_deref(), Some("2025-02-18"));
    assert_eq!(c.relation, Relation::Basis);
    let c = one("- Tiếp tục thực hiện các hình thức và biện pháp cai nghiện ma túy theo quy định tại Điều 26 Luật sửa đổi, bổ sung một số điều của Luật phòng, chống ma túy.");
    // The law amended is written as rules/laws.yaml lists it; `text` keeps the words as written.
    assert_eq!(
        c.id,
        "Luật sửa đổi, bổ sung một số điều của Luật Phòng, chống ma túy"
    );
    assert!(c.text.contains("Luật phòng, chống ma túy"), "{}", c.text);
    assert_eq!(c.article.as_deref(), Some("Điều 26"));
    let c = one("tuyên truyền Luật Phòng, chống ma túy trong nhà trường.");
    assert_eq!(c.id, "Luật Phòng, chống ma túy");
}

#[test]
fn two_named_laws_joined_by_va() {
    let all = cite(
        "Căn cứ Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 16/6/2025;",
    );
    assert_eq!(
        ids(&all),
        [
            "Luật Tổ chức Chính phủ",
            "Luật Tổ chức chính quyền địa phương"
        ]
    );
}

#[test]
fn a_draft_law_is_not_a_citation() {
    assert!(cite("tham mưu, góp ý xây dựng dự thảo Luật Phòng, chống mại dâm.").is_empty());
    assert!(cite("Quyết định này có hiệu lực kể từ ngày ký. Luật sư tư vấn.").is_empty());
}

#[test]
fn named_law_linked_to_its_number() {
    let all = cite("Căn cứ Luật Thủ đô số 39/2024/QH15 ngày 28/6/2024;\nthực hiện điểm b khoản 4 Điều 24 Luật Thủ đô;");
    assert_eq!(ids(&all), ["39/2024/QH15"]);
}

#[test]
fn dates_in_words_are_iso() {
    let c = one("Căn cứ Luật Xây dựng số 62/2020/QH14 ngày 17 tháng 06 năm 2020;");
    assert_eq!(c.date.as_deref(), Some("2020-06-17"));
}

#[test]
fn cong_van_without_type_code() {
    let c = one("theo Công văn số 2420/VPCP-KGVX ngày 28/3/2020 của Văn phòng Chính phủ;");
    assert_eq!(
        (c.doc_type.as_str(), c.issuer.as_deref()),
        ("Công văn", Some("Văn phòng Chính phủ"))
    );
    let c = one("theo Công văn số 5363/CT-CS ngày 01/11/2023 của Cục Thuế.");
    assert_eq!(c.doc_type, "Công văn");
    let c = one("theo số 2420/VPCP-KGVX.");
    assert_eq!(
        (c.doc_type.as_str(), c.issuer.as_deref()),
        ("Công văn", Some("Văn phòng Chính phủ"))
    );
}

#[test]
fn own_number_and_this_document_are_not_citations() {
    let doc = doc_at(
        "31/KH-UBND",
        None,
        "Kế hoạch số 31/KH-UBND và Quyết định này.",
        1,
    );
    assert!(extract(&doc, rules()).0.is_empty());
}

#[test]
fn form_numbers_are_not_citations() {
    assert!(cite("báo cáo theo mẫu số 01/BC-UBND kèm theo.").is_empty());
    assert!(cite("ngày 14/02/2020, giai đoạn 2016-2020, HIV/AIDS, COVID-19").is_empty());
}

#[test]
fn each_id_once_with_the_first_date() {
    let all = cite(
        "theo Kế hoạch số 30/KH-UBND của UBND Thành phố.\nKế hoạch số 30/KH-UBND ngày 14/02/2020.",
    );
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].date.as_deref(), Some("2020-02-14"));
    assert_eq!(all[0].line, 1);
}

#[test]
fn relations() {
    let rel = |text: &str| one(text).relation;
    assert_eq!(
        rel("Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;"),
        Relation::Basis
    );
    assert_eq!(
        rel("Thực hiện Kế hoạch số 14-KH/TU ngày 12/3/2021 của Thành ủy;"),
        Relation::Implements
    );
    assert_eq!(
        rel("Kế hoạch triển khai Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ"),
        Relation::Implements
    );
    assert_eq!(rel("Quyết định này sửa đổi, bổ sung một số điều của Quyết định số 12/2020/QĐ-UBND ngày 05/6/2020."), Relation::Amends);
    assert_eq!(rel("Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 1229/QĐ-UBND ngày 05/3/2019."), Relation::Replaces);
    assert_eq!(
        rel("Bãi bỏ Quyết định số 25/2019/QĐ-UBND ngày 05/3/2019."),
        Relation::Repeals
    );
    assert_eq!(rel("Quyết định số 25/2019/QĐ-UBND ngày 05/3/2019 của UBND tỉnh hết hiệu lực kể từ ngày Quyết định này có hiệu lực."), Relation::Repeals);
    assert_eq!(
        rel("Thông tư này hướng dẫn thi hành Nghị định số 118/2025/NĐ-CP ngày 09/6/2025."),
        Relation::Guides
    );
    assert_eq!(
        rel("Theo đề nghị của Giám đốc Sở tại Tờ trình số 10720/TTr-SNNMT-VP ngày 17/11/2025."),
        Relation::Refers
    );
}

#[test]
fn relation_word_far_from_the_citation_does_not_govern_it() {
    let c = one("Kiến nghị Bộ Nông nghiệp và Môi trường bãi bỏ thủ tục hành chính Xác nhận Hợp đồng tiếp cận nguồn gen và chia sẻ lợi ích đã được công bố tại Quyết định số 2310/QĐ-BNNMT ngày 08 tháng 4 năm 2025.");
    assert_eq!(c.relation, Relation::Refers);
}

#[test]
fn basis_paragraph_governs_its_list() {
    let all = cite("Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính; Nghị định số 48/2013/NĐ-CP ngày 14 tháng 5 năm 2013 của Chính phủ sửa đổi, bổ sung một số điều của các nghị định liên quan; Nghị định số 92/2017/NĐ-CP ngày 07 tháng 8 năm 2017 của Chính phủ sửa đổi, bổ sung một số điều;\nTheo đề xuất của Giám đốc Sở tại Tờ trình số 454/TTr-SoNNMT ngày 17 tháng 11 năm 2025.");
    assert_eq!(
        ids(&all),
        [
            "63/2010/NĐ-CP",
            "48/2013/NĐ-CP",
            "92/2017/NĐ-CP",
            "454/TTr-SoNNMT"
        ]
    );
    let relations: Vec<_> = all.iter().map(|c| c.relation).collect();
    assert_eq!(
        relations,
        [
            Relation::Basis,
            Relation::Basis,
            Relation::Basis,
            Relation::Refers
        ]
    );
    assert_eq!(all[3].line, 2);
}

#[test]
fn nested_guides_inside_basis_stays_basis() {
    let all = cite("Căn cứ Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 của Bộ trưởng, Chủ nhiệm Văn phòng Chính phủ hướng dẫn thi hành một số nội dung của Nghị định số 118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ;");
    assert!(all.iter().all(|c| c.relation == Relation::Basis));
    assert_eq!(all[0].issuer.as_deref(), Some("Bộ trưởng"));
}

#[test]
fn date_conflict_is_warned_on_the_later_line() {
    let text = "theo các Kế hoạch: số 30/KH-UBND ngày 14/02/2020 thực hiện công tác phòng, chống ma túy.\nkhác\ntheo Kế hoạch số 30/KH-UBND ngày 12/02/2020 của UBND Thành phố.";
    let (cites, diags) = extract(
        &doc_at("1790/CV-BCĐ", Some("2020-05-13"), text, 14),
        rules(),
    );
    assert_eq!(cites[0].date.as_deref(), Some("2020-02-14"));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(
        (diags[0].code.as_str(), diags[0].line),
        ("citation-date-conflict", 16)
    );
}

#[test]
fn year_of_symbol_disagreeing_with_date_is_warned() {
    let text = "tổ chức quản lý sau cai tại nơi cư trú theo Nghị định số 94/2009/NĐ-CP ngày 09/9/2010 của Chính phủ;";
    let (_, diags) = extract(
        &doc_at("31/KH-UBND", Some("2017-02-14"), text, 127),
        rules(),
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].code.as_str(), diags[0].line),
        ("citation-year-mismatch", 127)
    );
}

#[test]
fn citation_after_the_document_is_warned() {
    let (_, diags) = extract(
        &doc_at(
            "31/KH-UBND",
            Some("2017-02-14"),
            "theo Kế hoạch số 5/KH-UBND ngày 01/03/2018.",
            3,
        ),
        rules(),
    );
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "citation-after-document");
}

#[test]
fn uppercase_title() {
    let all = cite("BAN HÀNH KẾ HOẠCH TRIỂN KHAI QUYẾT ĐỊNH SỐ 06/QĐ-TTG NGÀY 02 THÁNG 01 NĂM 2025 CỦA THỦ TƯỚNG CHÍNH PHỦ VÀ QUYẾT ĐỊNH SỐ 3103/QĐ-BTC NGÀY 05 THÁNG 9 NĂM 2025 CỦA BỘ TÀI CHÍNH");
    assert_eq!(ids(&all), ["06/QĐ-TTg", "3103/QĐ-BTC"]);
    assert_eq!(all[0].date.as_deref(), Some("2025-01-02"));
    assert_eq!(all[0].doc_type, "Quyết định");
    assert!(
        all.iter().all(|c| c.relation == Relation::Implements),
        "{all:#?}"
    );
}

#[test]
fn line_of_a_mention_in_a_wrapped_paragraph() {
    // Paragraph joined from three input lines; spans say where each piece started.
    let text = "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ; Nghị định số 48/2013/NĐ-CP ngày 14 tháng 5 năm 2013";
    let mut doc = doc_at("", None, text, 40);
    let second = text.find("Nghị định số 48").unwrap();
    doc.sections[0].spans.push(Span::new(second - 5, 42, 1));
    let all = extract(&doc, rules()).0;
    assert_eq!((all[0].line, all[1].line), (40, 42));
}

#[test]
fn linear_on_a_huge_line() {
    let unit = "Căn cứ Quyết định số 12/QĐ-UBND ngày 01/02/2020 của UBND tỉnh; Luật Đất đai và ";
    let text = unit.repeat(1_000_000 / unit.len());
    let started = std::time::Instant::now();
    let all = cite(&text);
    assert_eq!(all.len(), 2);
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
    let text = "1/".repeat(500_000);
    let _ = cite(&text);
    let text = "số ".repeat(300_000) + "12/QĐ-UBND";
    let _ = cite(&text);
}

fn node(path: &str, title: &str, text: &str, line: u32, children: Vec<Node>) -> Node {
    Node {
        path: path.into(),
        label: String::new(),
        kind: NodeKind::Section,
        title: title.into(),
        text: text.into(),
        line,
        children,
        spans: Vec::new(),
    }
}

#[test]
fn heading_that_repeals_governs_the_items_under_it() {
    let items = vec![
        node("D1.1", "", "Quyết định số 104/2000/QĐ-TTg ngày 25 tháng 8 năm 2000 của Thủ tướng Chính phủ về việc phê duyệt Chiến lược.", 42, vec![]),
        node("D1.2", "", "Chỉ thị số 07/2000/CT-TTg ngày 30 tháng 3 năm 2000 của Thủ tướng Chính phủ.", 46, vec![]),
    ];
    let article = node(
        "D1",
        "Bãi bỏ toàn bộ một số văn bản quy phạm pháp luật của Thủ tướng Chính phủ",
        "",
        40,
        items,
    );
    let doc = Document {
        id: "01/2026/QĐ-TTg".into(),
        sections: vec![article],
        ..Document::default()
    };
    let all = extract(&doc, rules()).0;
    assert_eq!(ids(&all), ["104/2000/QĐ-TTg", "07/2000/CT-TTg"]);
    assert!(
        all.iter().all(|c| c.relation == Relation::Repeals),
        "{all:#?}"
    );
    assert_eq!((all[0].path.as_str(), all[0].line), ("D1.1", 42));
}

#[test]
fn text_ending_in_het_hieu_luc_governs_the_points_under_it() {
    // Regression (150d48a05ed57aa3 Điều 5 khoản 2): only inline words (`bãi bỏ`) counted.
    let point = node(
        "D5.2.a",
        "",
        "Quyết định số 09/2019/QĐ-UBND ngày 28/5/2019 của Ủy ban nhân dân tỉnh Kon Tum về việc ban hành Quy định.",
        210,
        vec![],
    );
    let clause = node(
        "D5.2",
        "",
        "Các Quyết định sau hết hiệu lực thi hành kể từ ngày Quyết định này có hiệu lực:",
        208,
        vec![point],
    );
    let doc = Document {
        sections: vec![clause],
        ..Document::default()
    };
    let all = extract(&doc, rules()).0;
    assert_eq!(ids(&all), ["09/2019/QĐ-UBND"]);
    assert_eq!(all[0].relation, Relation::Repeals);
}

#[test]
fn title_that_replaces_governs_the_list_in_its_text() {
    let item = node(
        "D14.2",
        "Nghị định này thay thế các Nghị định sau",
        "Nghị định số 123/2016/NĐ-CP ngày 01 tháng 9 năm 2016 của Chính phủ quy định chức năng; Nghị định số 101/2020/NĐ-CP ngày 28 tháng 8 năm 2020 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 123/2016/NĐ-CP.",
        535,
        vec![],
    );
    let doc = Document {
        sections: vec![item],
        ..Document::default()
    };
    let all = extract(&doc, rules()).0;
    assert_eq!(ids(&all), ["123/2016/NĐ-CP", "101/2020/NĐ-CP"]);
    assert!(
        all.iter().all(|c| c.relation == Relation::Replaces),
        "{all:#?}"
    );
}

#[test]
fn word_inside_brackets_governs_nothing_after_them() {
    // Regression (27e00d593ec30fac line 73): "(Thực hiện ... Luật Thủ đô)" carried implements
    // on to the Báo cáo and the Văn bản after the bracket closed.
    let text = "Xét Tờ trình số 395/TTr-UBND ngày 19 tháng 11 năm 2025 của Ủy ban nhân dân Thành phố đề nghị ban hành Nghị quyết quy định chi thu nhập tăng thêm cho cán bộ, công chức, viên chức làm việc trong các cơ quan nhà nước, tổ chức chính trị, Mặt trận Tổ quốc Việt Nam, tổ chức chính trị - xã hội và đơn vị sự nghiệp công lập được ngân sách nhà nước bảo đảm toàn bộ chi thường xuyên thuộc Thành phố Hà Nội quản lý (Thực hiện khoản 3, khoản 4 Điều 15 và khoản 1 Điều 35 Luật Thủ đô); Báo cáo thẩm tra số 115/BC-BPC ngày 22 tháng 11 năm 2025 của Ban Pháp chế Hội đồng nhân dân Thành phố; Văn bản giải trình, tiếp thu số 6253/UBND-SNV ngày 25 tháng 11 năm 2025 của Ủy ban nhân dân Thành phố; ý kiến thảo luận của đại biểu Hội đồng nhân dân tại kỳ họp;";
    let all = cite(text);
    let relation_of = |id: &str| all.iter().find(|c| c.id == id).map(|c| c.relation);
    assert_eq!(
        relation_of("115/BC-BPC"),
        Some(Relation::Refers),
        "{all:#?}"
    );
    assert_eq!(
        relation_of("6253/UBND-SNV"),
        Some(Relation::Refers),
        "{all:#?}"
    );
}

#[test]
fn without_named_types_laws_are_cited_only_by_number() {
    // The switch the closing note offers the owner: no `named_types`, no names.
    let dir = tempfile::tempdir().unwrap();
    let builtin = include_str!("../../../rules/citations.yaml");
    let edited: String = builtin
        .lines()
        .map(|line| {
            if line.starts_with("named_types:") {
                "named_types: []"
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(dir.path().join("citations.yaml"), edited).unwrap();
    let rules = Rules::load(Some(dir.path())).unwrap();
    let doc = doc_at(
        "",
        None,
        "Căn cứ Luật Đất đai số 31/2024/QH15; theo quy định tại Điều 26 Luật sửa đổi, bổ sung một số điều của Luật phòng, chống ma túy.",
        1,
    );
    let all = extract(&doc, &rules).0;
    assert_eq!(ids(&all), ["31/2024/QH15"]);
}
