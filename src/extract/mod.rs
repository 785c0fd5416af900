//! Stage 5: the record's fields, from the recognised layout.

pub mod agencies;
pub mod citations;
pub mod obligations;
