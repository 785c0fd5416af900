//! `vanban report`: a directive's text cannot inject markup, and in the site of a
//! corpus-ext build every local link resolves to a file and an anchor, the home page links
//! every document, every obligation is on its agency's page and every section path has an
//! anchor on its document's page.

mod common;
#[path = "browser/site.rs"]
mod site;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use regex::Regex;
use site::build_and_report;
use vanban::link::Registry;

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// The text of an attribute or a text node as the browser reads it.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("a percent-encoded href is UTF-8")
}

#[test]
fn text_from_a_directive_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    fs::create_dir(&corpus).unwrap();
    fs::write(
        corpus.join("99_kh_hostile.txt"),
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n\nSố: 99/KH-UBND\n\n\
         Hà Nội, ngày 14 tháng 02 năm 2020\n\nKẾ HOẠCH\n\
         Kiểm tra <script>alert(1)</script> và \"><img src=x onerror=alert(2)>\n\n\
         1. Sở Y tế chủ trì kiểm tra <script>alert(3)</script> và \"><img src=x onerror=alert(4)> trước ngày 30/6/2020.\n\n\
         2. Công an thành phố phối hợp thực hiện Kế hoạch số 5/KH-UBND<script>x</script> ngày 01/01/2020.\n",
    )
    .unwrap();
    let (_, site) = build_and_report(&corpus, dir.path(), "2020-07-01");
    let mut pages = Vec::new();
    html_files(&site, &mut pages);
    let mut shown = 0;
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let name = page.display();
        assert!(
            !html.contains("<script>"),
            "{name}: a <script> from the text"
        );
        assert!(!html.contains("<img"), "{name}: an <img> from the text");
        assert_eq!(
            html.matches("onerror=").count(),
            html.matches("&lt;img src=x onerror=").count(),
            "{name}: an onerror attribute from the text"
        );
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{name}: only the search script"
        );
        if html.contains(
            "&lt;script&gt;alert(3)&lt;/script&gt; và &quot;&gt;&lt;img src=x onerror=alert(4)&gt;",
        ) {
            shown += 1;
        }
    }
    // The task's text, on the document's page, its agency's page and the list of tasks.
    assert!(shown >= 3, "the text is shown, escaped, on {shown} pages");
    let home = fs::read_to_string(site.join("index.html")).unwrap();
    assert!(home.contains("Kiểm tra &lt;script&gt;alert(1)&lt;/script&gt; và &quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
}

/// Every `id` of every page, and every local `href`/`src`, by page.
struct Site {
    ids: BTreeMap<PathBuf, BTreeSet<String>>,
    links: Vec<(PathBuf, String)>,
    text: BTreeMap<PathBuf, String>,
}

fn read_site(site: &Path) -> Site {
    let id = Regex::new(r#"\sid="([^"]*)""#).unwrap();
    let link = Regex::new(r#"\s(?:href|src)="([^"]*)""#).unwrap();
    let mut pages = Vec::new();
    html_files(site, &mut pages);
    let mut out = Site {
        ids: BTreeMap::new(),
        links: Vec::new(),
        text: BTreeMap::new(),
    };
    for page in pages {
        let html = fs::read_to_string(&page).unwrap();
        let ids: BTreeSet<String> = id.captures_iter(&html).map(|c| unescape(&c[1])).collect();
        for c in link.captures_iter(&html) {
            out.links.push((page.clone(), unescape(&c[1])));
        }
        out.ids.insert(page.clone(), ids);
        out.text.insert(page, unescape(&html));
    }
    out
}

/// Where a local link leads: the file and the anchor, if any.
fn resolve(page: &Path, href: &str) -> (PathBuf, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((path, fragment)) => (path, Some(percent_decode(fragment))),
        None => (href, None),
    };
    let file = if path.is_empty() {
        page.to_path_buf()
    } else {
        let mut file = page.parent().unwrap().to_path_buf();
        for part in percent_decode(path).split('/') {
            match part {
                ".." => {
                    file.pop();
                }
                "." | "" => {}
                part => file.push(part),
            }
        }
        file
    };
    (file, fragment)
}

#[test]
fn the_site_of_corpus_ext_links_everything() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (registry_dir, site_dir) =
        build_and_report(&shared.join("corpus-ext"), dir.path(), "2025-12-01");
    let site = read_site(&site_dir);
    check_links(&site);
    let mut registry = Registry::open(&registry_dir).unwrap();
    registry.load_agencies().unwrap();
    let home = site_dir.join("index.html");
    let linked: BTreeSet<PathBuf> = site
        .links
        .iter()
        .filter(|(page, href)| *page == home && href.starts_with("documents/"))
        .map(|(page, href)| resolve(page, href).0)
        .collect();
    assert_eq!(registry.index.documents.len(), 126);
    assert_eq!(linked.len(), 126, "the home page links every document");
    check_obligations(&site, &site_dir, &registry);
    check_section_anchors(&site, &site_dir, &registry);
}

fn check_links(site: &Site) {
    let mut checked = 0;
    for (page, href) in &site.links {
        assert!(
            !href.contains("://") && !href.starts_with("//"),
            "{}: {href} leaves the site",
            page.display()
        );
        if href.starts_with("data:") {
            continue;
        }
        let (file, fragment) = resolve(page, href);
        assert!(
            file.is_file(),
            "{}: {href}: no file {}",
            page.display(),
            file.display()
        );
        if let Some(fragment) = fragment {
            let ids = site.ids.get(&file).expect("a page of the site");
            assert!(
                ids.contains(&fragment),
                "{}: {href}: no anchor `{fragment}`",
                page.display()
            );
        }
        checked += 1;
    }
    eprintln!("{checked} local links resolve");
    assert!(checked > 10_000, "{checked} links checked");
}

fn check_obligations(site: &Site, dir: &Path, registry: &Registry) {
    let mut total = 0;
    for agency in &registry.agencies {
        let page = dir.join("agencies").join(format!("{}.html", agency.slug));
        let ids = &site.ids[&page];
        let text = &site.text[&page];
        for (i, ob) in agency.obligations.iter().enumerate() {
            assert!(
                ids.contains(&format!("t-{}", i + 1)),
                "{}: task {} ({})",
                page.display(),
                i + 1,
                ob.key
            );
            assert!(
                text.contains(&ob.text),
                "{}: the text of {}",
                page.display(),
                ob.key
            );
            total += 1;
        }
    }
    eprintln!("{total} obligations on their agencies' pages");
    assert_eq!(total, registry.index.totals.obligations);
    assert!(total > 1_500, "{total} obligations");
}

fn check_section_anchors(site: &Site, dir: &Path, registry: &Registry) {
    let mut paths = 0;
    for entry in &registry.index.documents {
        let stem = Path::new(&entry.record)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let page = dir.join("documents").join(format!("{stem}.html"));
        let ids = &site.ids[&page];
        let document = registry.read_record(&entry.record).unwrap();
        for node in vanban::record::walk_all(&document.sections) {
            assert!(
                ids.contains(&node.path),
                "{}: no anchor for {}",
                page.display(),
                node.path
            );
            paths += 1;
        }
    }
    eprintln!("{paths} section paths with an anchor");
    assert!(paths > 1_000, "{paths} section paths");
}
