#!/usr/bin/env python3
"""Writes the Word and HTML fixtures of tests/fixtures/kinds/ from one description of the
directive 105/KH-UBND, whose plain-text twin (written by hand) is 105_kh_ubnd_tiem_chung.txt
beside them. The generated files are committed, so the tests need neither Python nor
python-docx; run this again after changing the directive here or in the text twin.

    pip install python-docx
    python3 scripts/make-fixtures.py

The Word file is written the way Word writes a directive: the header block (issuer and
motto, Số and date) and the signature block are tables without borders, the parts,
sections, lettered clauses and bullets carry Word's automatic numbering (numbering.xml:
upper Roman, decimal, lower letter, dash), never typed labels, and the tasks are a table.
"""

import html
import os
import sys

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "kinds")

HEADER = [
    (["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    (["Số: 105/KH-UBND"], ["Hà Nội, ngày 15 tháng 3 năm 2021"]),
]

# (level, text): level None is an unnumbered paragraph; 0 Roman part, 1 section, 2 lettered
# clause, 3 dash bullet; "TABLE" stands for the table of tasks.
BODY = [
    (None, "KẾ HOẠCH"),
    (None, "Triển khai tiêm chủng mở rộng trên địa bàn thành phố Hà Nội năm 2021"),
    (None, "Căn cứ Luật Phòng, chống bệnh truyền nhiễm ngày 21 tháng 11 năm 2007; thực hiện "
           "Quyết định số 1234/QĐ-BYT ngày 01/02/2021 của Bộ Y tế về ban hành Kế hoạch tiêm "
           "chủng mở rộng năm 2021, UBND Thành phố ban hành Kế hoạch triển khai như sau:"),
    (0, "MỤC ĐÍCH, YÊU CẦU"),
    (1, "Mục đích"),
    (None, "Bảo đảm trẻ em trong độ tuổi được tiêm chủng đầy đủ, đúng lịch; duy trì tỷ lệ tiêm "
           "chủng đầy đủ đạt trên 95%."),
    (1, "Yêu cầu"),
    (None, "Các cơ quan, đơn vị phối hợp chặt chẽ, bảo đảm an toàn tiêm chủng."),
    (0, "NHIỆM VỤ VÀ GIẢI PHÁP"),
    (1, "Sở Y tế"),
    (2, "Chủ trì, phối hợp với Sở Thông tin và Truyền thông tổ chức tuyên truyền về lợi ích "
        "của tiêm chủng."),
    (2, "Hướng dẫn các Trung tâm Y tế quận, huyện tổ chức tiêm chủng an toàn, báo cáo kết quả "
        "trước ngày 30/6/2021."),
    (1, "Sở Giáo dục và Đào tạo"),
    (3, "Phối hợp với Sở Y tế rà soát tiền sử tiêm chủng của trẻ khi nhập học."),
    (3, "Chỉ đạo các trường học tuyên truyền cho phụ huynh học sinh về lịch tiêm chủng."),
    (1, "UBND các quận, huyện, thị xã"),
    (None, "Xây dựng kế hoạch tiêm chủng tại địa phương, gửi về Sở Y tế trước ngày 15/4/2021."),
    (0, "PHÂN CÔNG THỰC HIỆN"),
    (None, "TABLE"),
    (None, "Giao Sở Y tế theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch, báo cáo UBND "
           "Thành phố trước ngày 15/12/2021./."),
]

TASKS = [
    ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
    ["1", "Tổ chức chiến dịch tiêm bổ sung vắc xin sởi", "Sở Y tế", "Quý II/2021"],
    ["2", "Bảo đảm kinh phí cho hoạt động tiêm chủng", "Sở Tài chính", "Tháng 4/2021"],
]

SIGNATURE = (
    ["Nơi nhận:", "- Bộ Y tế;", "- Thường trực Thành ủy;", "- Các Sở, ban, ngành Thành phố;",
     "- UBND các quận, huyện, thị xã;", "- Lưu: VT, KGVX."],
    ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn Minh"],
)

# Word's list: upper Roman "I.", decimal "1.", lower letter "a)", and a dash bullet.
NUMBERING = (
    '<w:abstractNum %s w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%%1."/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%%2."/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
    '<w:lvlText w:val="%%3)"/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
    '<w:lvlText w:val="-"/><w:lvlJc w:val="left"/></w:lvl>'
    '</w:abstractNum>'
) % nsdecls("w")
NUM_ID = "90"


def add_numbering(document):
    numbering = document.part.numbering_part.element
    abstract = parse_xml(NUMBERING)
    # Abstract lists come before the list instances in numbering.xml.
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        '<w:num %s w:numId="%s"><w:abstractNumId w:val="90"/></w:num>' % (nsdecls("w"), NUM_ID)))


def number(paragraph, level):
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(
        '<w:numPr %s><w:ilvl w:val="%d"/><w:numId w:val="%s"/></w:numPr>'
        % (nsdecls("w"), level, NUM_ID)))


def cell_paragraphs(cell, lines):
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def write_docx(path):
    document = Document()
    add_numbering(document)
    header = document.add_table(rows=len(HEADER), cols=2)
    for row, (left, right) in zip(header.rows, HEADER):
        cell_paragraphs(row.cells[0], left)
        cell_paragraphs(row.cells[1], right)
    for level, text in BODY:
        if text == "TABLE":
            table = document.add_table(rows=len(TASKS), cols=len(TASKS[0]))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, TASKS):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
            continue
        paragraph = document.add_paragraph(text)
        if level is not None:
            number(paragraph, level)
    signature = document.add_table(rows=1, cols=2)
    cell_paragraphs(signature.rows[0].cells[0], SIGNATURE[0])
    cell_paragraphs(signature.rows[0].cells[1], SIGNATURE[1])
    document.save(path)


def write_html(path):
    """A portal page: navigation, a script and a style around the directive, the header and
    signature blocks and the tasks as tables, the numbering typed as labels."""
    labels = {0: iter(["I.", "II.", "III."])}
    counters = [0, 0, 0]
    out = ['<!DOCTYPE html>', '<html lang="vi"><head><meta charset="utf-8">',
           '<title>Kế hoạch 105/KH-UBND</title>',
           '<style>body { font-family: serif } .nav a { color: blue }</style>',
           '<script>var menu = ["Trang chủ", "Văn bản mới"]; function go() {}</script>',
           '</head><body>',
           '<nav class="nav"><ul><li><a href="/">Trang chủ</a></li>'
           '<li><a href="/van-ban">Văn bản mới</a></li></ul></nav>',
           '<div id="content">', '<table class="header">']
    for left, right in HEADER:
        out.append('<tr><td>%s</td><td>%s</td></tr>' % (
            "".join("<p>%s</p>" % html.escape(l) for l in left),
            "".join("<p>%s</p>" % html.escape(r) for r in right)))
    out.append('</table>')
    for level, text in BODY:
        if text == "TABLE":
            out.append('<table class="tasks" border="1">')
            for cells in TASKS:
                out.append('<tr>%s</tr>' % "".join("<td>%s</td>" % html.escape(c) for c in cells))
            out.append('</table>')
            continue
        if level is None:
            label = ""
        elif level == 0:
            label = next(labels[0]) + " "
            counters = [0, 0, 0]
        elif level == 1:
            counters[1] += 1
            counters[2] = 0
            label = "%d. " % counters[1]
        elif level == 2:
            label = "%s) " % "abcdefgh"[counters[2]]
            counters[2] += 1
        else:
            label = "- "
        tag = "h3" if level == 0 else "p"
        out.append('<%s>%s%s</%s>' % (tag, html.escape(label), html.escape(text), tag))
    out.append('<table class="signature"><tr><td>%s</td><td>%s</td></tr></table>' % (
        "".join("<p>%s</p>" % html.escape(l) for l in SIGNATURE[0]),
        "".join("<p>%s</p>" % html.escape(l) for l in SIGNATURE[1] if l)))
    out.append('</div>')
    out.append('<footer><script>track();</script></footer>')
    out.append('</body></html>')
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def write_damaged():
    """Two copies of corpus/101 that are UTF-8 but for a few bytes: one cut inside a
    multi-byte letter (a truncated download), one with a stray 0xFF byte in its middle."""
    with open(os.path.join(HERE, "..", "corpus", "101_kh_ubnd_phong_chong_ma_tuy.txt"), "rb") as f:
        text = f.read()
    cut = len(text) * 2 // 3
    while text[cut] & 0xC0 != 0xC0:  # the first byte of a multi-byte letter
        cut += 1
    with open(os.path.join(OUT, "101_truncated.txt"), "wb") as f:
        f.write(text[: cut + 1])
    middle = text.index(b"\n", len(text) // 2) + 10
    with open(os.path.join(OUT, "101_stray_ff.txt"), "wb") as f:
        f.write(text[:middle] + b"\xff" + text[middle:])


def main():
    os.makedirs(OUT, exist_ok=True)
    write_damaged()
    write_docx(os.path.join(OUT, "105_kh_ubnd_tiem_chung.docx"))
    write_html(os.path.join(OUT, "105_kh_ubnd_tiem_chung.html"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
