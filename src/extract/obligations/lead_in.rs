//! Lead-ins that close a text and give their agencies to what follows.
//!
//! A node's text (or the preamble) often ends with the sentence that says who does the tasks
//! listed after it: `Để phối hợp triển khai hiệu quả, Cục Lãnh sự trân trọng đề nghị Quý Cơ
//! quan giúp:`, `... yêu cầu các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ khẩn trương
//! chỉ đạo thực hiện các nội dung sau:`. The sentence ends with a colon; an assigning verb (or
//! the sentence's own subject) names the agencies, and what follows them is a lead-in: a
//! heading suffix, a lead-in tail, or a short verb phrase closed by one. Under a node, the
//! lead-in heads its children; at the end of the preamble it gives its agencies to every
//! numbered task that names none.

use super::{Context, Heading, NodeHeading};
use crate::lexicon::agencies::{key, Category, Keyed};
use crate::record::{Modality, Node};

/// Most words a verb phrase between the agencies and the lead-in tail may have
/// (`khẩn trương chỉ đạo thực hiện các nội dung sau`).
const LEAD_IN_WORDS: usize = 12;

impl Context<'_> {
    /// The heading a node's title or text makes for its children: agencies named in the title,
    /// in the title and text together, in an untitled text, a group cut at a colon, or a lead-in
    /// closing the text. `text_start` is where the text starts in the node's content.
    pub(super) fn node_heading(&self, node: &Node, free: bool, text_start: usize) -> NodeHeading {
        let mut own_heading = if node.title.is_empty() || free {
            None
        } else {
            self.heading(&node.title)
        };
        // A heading whose list runs on into the text (`Đề nghị` + `Hội Nông dân tỉnh, ...`).
        let mut text_is_heading = false;
        if own_heading.is_none()
            && !free
            && !node.children.is_empty()
            && !node.title.is_empty()
            && !node.text.is_empty()
            && node.text.len() < 300
        {
            own_heading = self.heading(&format!("{}: {}", node.title, node.text));
            text_is_heading = own_heading.is_some();
        }
        // `a) Sở Nông nghiệp và Môi trường`, `UBND các xã, phường có trách nhiệm:`: an untitled
        // node whose whole text names agencies heads the bullets under it.
        if own_heading.is_none()
            && !free
            && !node.children.is_empty()
            && node.title.is_empty()
            && !node.text.is_empty()
            && node.text.len() < 300
        {
            own_heading = self.heading(node.text.trim());
            text_is_heading = own_heading.is_some();
        }
        // `Các Bộ` + `Quốc phòng, Công an chủ động ...`: a title cut at the colon of a group.
        if !free && !node.title.is_empty() && !node.text.is_empty() {
            let combined = format!("{}: {}", node.title, node.text);
            // `Bộ trưởng các Bộ` + `Quốc phòng, Công an chỉ đạo ...`: the holders of the group.
            let at = self.skip_office_title(&combined, self.skip_address(&combined, 0, None), None);
            let group = self
                .group_list(&combined, at, None)
                .or_else(|| self.group_after_heading(&combined, node.title.len()));
            if let Some(group) = group {
                own_heading = Some(Heading {
                    agencies: group,
                    ..Heading::default()
                });
                text_is_heading = !node.children.is_empty();
            }
        }
        // `... Cục Lãnh sự trân trọng đề nghị Quý Cơ quan giúp:` closing a longer text: the
        // lead-in heads the children and is no task of its own.
        let mut text_end = node.content().len();
        if own_heading.is_none() && !free && !node.children.is_empty() && !node.text.is_empty() {
            if let Some((start, lead)) = self.closing_lead_in(&node.text) {
                // A lead-in whose subject is not named (`Giao Ban Quản lý ... chỉ đạo các đơn
                // vị ... có trách nhiệm:`) still holds the task of whoever it names.
                if !lead.agencies.is_empty() {
                    text_end = text_start + start;
                    text_is_heading = start == 0;
                }
                own_heading = Some(lead);
            }
        }
        NodeHeading {
            heading: own_heading,
            text_is_heading,
            text_end,
        }
    }

    /// The heading the preamble's closing lead-in gives the numbered tasks. An issuer whose
    /// lead-in orders a central body (`yêu cầu các Bộ trưởng`) commands the central bodies.
    pub(super) fn preamble_lead_in(&self, node: &Node) -> Option<Heading> {
        let (_, mut lead) = self.closing_lead_in(&node.content())?;
        if lead.modality == Some(Modality::Directive)
            && lead
                .agencies
                .iter()
                .any(|m| m.category == Category::Central)
        {
            self.central.set(true);
        }
        lead.weak = true;
        Some(lead)
    }

    /// The lead-in sentence that closes `text`: where it starts, and the heading it makes.
    pub(super) fn closing_lead_in(&self, text: &str) -> Option<(usize, Heading)> {
        let body = text.trim_end();
        let colon = body.strip_suffix(':')?.len();
        let start = sentence_start(&body[..colon]);
        let sentence = &body[start..colon];
        // `Cục Hải quan thông báo kết quả ... như sau:` is the issuer speaking, not a subject.
        if let Some(heading) = self.heading(sentence.trim()).filter(|h| {
            h.agencies.iter().all(|m| {
                let k = format!(" {}", key(&m.name));
                m.known()
                    || !self.is_fragment(&m.name)
                        && !self
                            .rules
                            .lead_in_tails
                            .iter()
                            .any(|t| k.ends_with(&format!(" {t}")))
            })
        }) {
            return Some((start, heading));
        }
        let Some((verb_end, modality)) = self.last_assigner(sentence) else {
            return self
                .unnamed_lead_in(sentence)
                .then(|| (start, Heading::default()));
        };
        let list = self.list_at(sentence, verb_end, true);
        let Some(last) = list.last() else {
            return self
                .unnamed_lead_in(sentence)
                .then(|| (start, Heading::default()));
        };
        let rest = key(&sentence[last.end..]);
        if !self.is_lead_in_rest(&rest) && !self.ends_with_lead_in_tail(&rest) {
            return self
                .unnamed_lead_in(sentence)
                .then(|| (start, Heading::default()));
        }
        Some((
            start,
            Heading {
                agencies: list,
                modality: Some(modality),
                weak: false,
            },
        ))
    }

    /// `... chỉ đạo các đơn vị kinh doanh hạ tầng khu công nghiệp có trách nhiệm:`: a lead-in
    /// whose subject the rules do not name. Its children are that subject's tasks, not the
    /// outer heading's: the empty heading it makes stops the outer one.
    fn unnamed_lead_in(&self, sentence: &str) -> bool {
        let k = key(sentence);
        self.rules.responsibility_cues.iter().any(|cue| {
            k.match_indices(cue.as_str())
                .any(|(i, _)| i > 0 && k.as_bytes()[i - 1] == b' ' && self.is_lead_in_rest(&k[i..]))
        })
    }

    /// True when `rest` (folded) is a short verb phrase closed by a lead-in tail.
    fn ends_with_lead_in_tail(&self, rest: &str) -> bool {
        let rest = rest.trim();
        rest.split(' ').count() <= LEAD_IN_WORDS
            && self
                .rules
                .lead_in_tails
                .iter()
                .any(|t| rest.ends_with(&format!(" {t}")))
    }

    /// The last assigning verb of a sentence, as a whole word: where it ends, and its modality.
    fn last_assigner(&self, sentence: &str) -> Option<(usize, Modality)> {
        let keyed = Keyed::new(sentence);
        let k = &keyed.key;
        let mut found = None;
        for (a, modality) in &self.rules.assigners {
            for (i, _) in k.match_indices(a.as_str()) {
                let before = i == 0 || k.as_bytes()[i - 1] == b' ';
                let after = i + a.len() == k.len() || k.as_bytes()[i + a.len()] == b' ';
                // Longest first: a shorter verb inside a longer one (`đề nghị` in `trân
                // trọng đề nghị`) ends at the same place and is not later.
                if before && after && found.is_none_or(|(s, e, _)| i > s && i + a.len() > e) {
                    found = Some((i, i + a.len(), *modality));
                }
            }
        }
        let (_, e, modality) = found?;
        Some((keyed.end(e), modality))
    }
}

/// Where the last sentence of `text` starts: after its last full stop, semicolon or line break.
fn sentence_start(text: &str) -> usize {
    let stop = text.rfind(". ").map(|i| i + 2);
    let other = text.rfind(['\n', ';']).map(|i| i + 1);
    stop.max(other).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::sentence_start;

    #[test]
    fn the_last_sentence_starts_after_the_last_stop() {
        let text = "Các thủ tục nêu trên. Để phối hợp, Cục đề nghị Quý Cơ quan giúp";
        assert_eq!(
            &text[sentence_start(text)..],
            "Để phối hợp, Cục đề nghị Quý Cơ quan giúp"
        );
        assert_eq!(sentence_start("Một câu"), 0);
    }
}
