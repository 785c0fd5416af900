//! The one content digest of the crate: SHA-256 as lowercase hex. The registry's index holds
//! the digest of every file it lists, and a reader checks each file against it; identities
//! and databases that need a digest of bytes take it from here, so that every digest vanban
//! writes is of one kind.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The SHA-256 of `prefix` then `value` written as JSON, streamed into the hash rather than
/// held: a fingerprint of what a file serialised from `value` is made of (JSON is the
/// cheapest form serde writes, several times faster than the YAML of the file itself).
pub fn sha256_of_json<T: serde::Serialize + ?Sized>(
    prefix: &[u8],
    value: &T,
) -> Result<String, serde_json::Error> {
    let mut hasher = HashWriter(Sha256::new());
    std::io::Write::write_all(&mut hasher, prefix).map_err(serde_json::Error::io)?;
    serde_json::to_writer(&mut hasher, value)?;
    Ok(hex(&hasher.0.finalize()))
}

/// Hashes what is written to it.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `digest` as lowercase hex digits.
pub fn hex(digest: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0xf)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_json_digest_is_the_digest_of_the_prefix_and_the_json() {
        let value = serde_json::json!({"a": [1, "b"]});
        let json = serde_json::to_vec(&value).unwrap();
        let whole = [b"p:".as_slice(), json.as_slice()].concat();
        assert_eq!(sha256_of_json(b"p:", &value).unwrap(), sha256_hex(&whole));
    }
}
