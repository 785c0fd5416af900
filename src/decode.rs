//! Stage 1: bytes to text. UTF-8 (with or without BOM); legacy encodings come later.

/// The encodings vanban can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
}

impl Encoding {
    /// The name used in the record and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
        }
    }
}

impl std::str::FromStr for Encoding {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(Encoding::Utf8),
            other => Err(format!("unknown encoding `{other}`; known: utf-8")),
        }
    }
}

/// Decoded text and the encoding it was read in.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// Why a file's bytes cannot be used as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text (NUL or control bytes at byte {offset})")]
    Binary { offset: usize },
    #[error("not UTF-8 and not a known Vietnamese legacy encoding")]
    Unknown,
}

/// Decodes the bytes of one input file.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded, DecodeError> {
    let _ = forced;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DecodeError::Empty);
    }
    if let Some(offset) = bytes
        .iter()
        .position(|&b| b == 0 || (b < 0x20 && !b"\t\n\r\x0c".contains(&b)))
    {
        return Err(DecodeError::Binary { offset });
    }
    let text = std::str::from_utf8(bytes).map_err(|_| DecodeError::Unknown)?;
    Ok(Decoded {
        text: text.to_string(),
        encoding: Encoding::Utf8,
    })
}
