//! The pipeline's stages one at a time, for measuring each (`cargo bench`) and for tests
//! that run one stage on a hand-made input. [`crate::parse_text`] runs them all.
//!
//! ```text
//! text ─read→ Read ─normalise→ Vec<Line> ─segment→ Vec<Paragraph> ─recognise→ Layout
//! Layout ─header / recipients / signer→ their parts
//! Context ─citations / obligations→ theirs
//! ```

pub use crate::extract::citations::{extract as citations, CitationRules};
pub use crate::extract::header::{extract as header, Header};
pub use crate::extract::obligations::{extract as obligations, ObligationRules};
pub use crate::extract::recipients::extract as recipients;
pub use crate::extract::signer::extract as signer;
pub use crate::extract::{extract, Context, Extractors};
pub use crate::lexicon::Lexicon;
pub use crate::lines::{segment, Paragraph};
pub use crate::normalise::{normalise, Line, NormaliseRules};
pub use crate::read::{read, LayoutRules, Read};
pub use crate::structure::{recognise, HeaderEntry, HeaderRole, Layout, TailRole, TypeHeading};
