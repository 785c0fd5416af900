use super::*;

fn detected(bytes: &[u8]) -> (Encoding, String) {
    let decoded = decode(bytes, None).unwrap_or_else(|e| panic!("{bytes:?}: {e}"));
    (decoded.encoding, decoded.text)
}

#[test]
fn names_round_trip_and_aliases_parse() {
    for encoding in Encoding::ALL {
        assert_eq!(encoding.name().parse::<Encoding>(), Ok(encoding));
    }
    for (alias, encoding) in [
        ("UTF8", Encoding::Utf8),
        ("cp1258", Encoding::Windows1258),
        ("tcvn", Encoding::Tcvn3),
        ("TCVN5712-1", Encoding::Tcvn3),
        ("abc", Encoding::Tcvn3),
        ("vni-windows", Encoding::Vni),
        ("utf_16le", Encoding::Utf16Le),
    ] {
        assert_eq!(alias.parse::<Encoding>(), Ok(encoding), "{alias}");
    }
    let error = "latin1".parse::<Encoding>().expect_err("unknown");
    assert!(error.to_string().contains("windows-1258"), "{error}");
}

#[test]
fn tcvn3_lowercase() {
    assert_eq!(
        detected(b"B\xb6o Th\xbeng"),
        (Encoding::Tcvn3, "Bảo Thắng".into())
    );
    let forced = decode(b"M\xad\xeang", Some(Encoding::Tcvn3)).expect("forced");
    assert_eq!(forced.text, "Mường");
    assert_eq!(
        detected(b"Huy\xd6n M\xad\xeang Kh\xad\xacng"),
        (Encoding::Tcvn3, "Huyện Mường Khương".into())
    );
}

#[test]
fn one_word_is_not_enough_to_guess() {
    assert_eq!(
        decode(b"M\xad\xeang", None).map(|d| d.encoding),
        Err(DecodeError::Unknown)
    );
}

#[test]
fn tcvn3_capitals_in_every_convention() {
    // The reference table's convention: base capital + lowercase letter with the marks.
    assert_eq!(
        detected(b"H\x41\xb5 N\xa4\xe9I"),
        (Encoding::Tcvn3, "HÀ NỘI".into())
    );
    // glibc's precomposed capitals, in 0x80-0xFF and in the C0 range.
    assert_eq!(
        detected(b"\x9eY BAN NH\xa2N D\xa2N"),
        (Encoding::Tcvn3, "ỦY BAN NHÂN DÂN".into())
    );
    assert_eq!(
        detected(b"\x01y ban \x11ng"),
        (Encoding::Tcvn3, "Úy ban Ứng".into())
    );
    // Real .VnTimeH files: lowercase codes shown as capitals by the font.
    assert_eq!(
        detected(b"QUY\xd5T \xa7\xdeNH"),
        (Encoding::Tcvn3, "QUYẾT ĐỊNH".into())
    );
}

#[test]
fn vni() {
    assert_eq!(
        detected(b"Xin cha\xf8o ca\xf9c ba\xefn"),
        (Encoding::Vni, "Xin chào các bạn".into())
    );
    assert_eq!(detected("Xin chaøo caùc baïn".as_bytes()).0, Encoding::Utf8);
    let vni: Vec<u8> = "Xin chaøo caùc baïn"
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect();
    assert_eq!(detected(&vni), (Encoding::Vni, "Xin chào các bạn".into()));
    assert_eq!(
        detected(b"Ky\xf5 thua\xe4t Vie\xe4t Nam"),
        (Encoding::Vni, "Kỹ thuật Việt Nam".into())
    );
}

#[test]
fn windows_1258_composes_its_combining_marks() {
    let (encoding, text) = detected(b"Ti\xea\xecng Vi\xea\xf2t cu\xd2a ch\xfang ta");
    assert_eq!(
        (encoding, text.as_str()),
        (Encoding::Windows1258, "Tiếng Việt của chúng ta")
    );
    for (bytes, letter) in [
        (b"a\xcc", "à"),
        (b"a\xec", "á"),
        (b"a\xd2", "ả"),
        (b"a\xde", "ã"),
        (b"a\xf2", "ạ"),
    ] {
        let decoded = decode(bytes, Some(Encoding::Windows1258)).expect("forced");
        assert_eq!(decoded.text, letter);
    }
}

#[test]
fn nfd_becomes_nfc() {
    let (encoding, text) = detected("Vie\u{302}\u{323}t Nam".as_bytes());
    assert_eq!(encoding, Encoding::Utf8);
    assert_eq!(text, "Việt Nam");
}

#[test]
fn byte_order_marks() {
    assert_eq!(
        detected(b"\xef\xbb\xbfH\xc3\xa0 N\xe1\xbb\x99i"),
        (Encoding::Utf8, "Hà Nội".into())
    );
    let le = encode("Hà Nội", Encoding::Utf16Le).expect("utf-16");
    assert_eq!(&le[..2], b"\xff\xfe");
    assert_eq!(detected(&le), (Encoding::Utf16Le, "Hà Nội".into()));
    let be = encode("Hà Nội", Encoding::Utf16Be).expect("utf-16");
    assert_eq!(detected(&be), (Encoding::Utf16Be, "Hà Nội".into()));
    assert_eq!(
        decode(b"\xff\xfeH\x00\x00", None).map(|d| d.text),
        Err(DecodeError::OddLength {
            encoding: Encoding::Utf16Le,
            len: 5
        })
    );
    assert_eq!(
        decode(b"\xff\xfe\x00\xd8a\x00", None).map(|d| d.text),
        Err(DecodeError::Invalid {
            encoding: Encoding::Utf16Le,
            offset: 2
        })
    );
    assert_eq!(
        decode(b"\xff\xfe", None).map(|d| d.text),
        Err(DecodeError::Empty)
    );
}

#[test]
fn forced_encodings() {
    let decoded = decode(b"Xin chao\xf8", Some(Encoding::Windows1258)).expect("forced");
    assert_eq!(
        (decoded.encoding, decoded.text.as_str()),
        (Encoding::Windows1258, "Xin chaoø")
    );
    assert_eq!(
        decode(b"ab\x81", Some(Encoding::Windows1258)).map(|d| d.text),
        Err(DecodeError::Invalid {
            encoding: Encoding::Windows1258,
            offset: 2
        })
    );
    assert_eq!(
        decode(b"a\xff", Some(Encoding::Utf8)).map(|d| d.text),
        Err(DecodeError::Invalid {
            encoding: Encoding::Utf8,
            offset: 1
        })
    );
    assert_eq!(
        decode(b"abc", Some(Encoding::Utf16Be)).map(|d| d.text),
        Err(DecodeError::OddLength {
            encoding: Encoding::Utf16Be,
            len: 3
        })
    );
    assert_eq!(
        decode(b"a\x00b", Some(Encoding::Vni)).map(|d| d.text),
        Err(DecodeError::Binary { offset: 1 })
    );
    assert_eq!(
        decode(b" \n", Some(Encoding::Tcvn3)).map(|d| d.text),
        Err(DecodeError::Empty)
    );
    let utf16 = decode(b"a\x00b\x00", Some(Encoding::Utf16Le)).expect("no BOM needed when forced");
    assert_eq!(utf16.text, "ab");
}

#[test]
fn refuses_empty_and_binary() {
    assert_eq!(decode(b"", None).map(|d| d.text), Err(DecodeError::Empty));
    assert_eq!(
        decode(b" \r\n\t ", None).map(|d| d.text),
        Err(DecodeError::Empty)
    );
    assert_eq!(
        decode(b"\xef\xbb\xbf \n", None).map(|d| d.text),
        Err(DecodeError::Empty)
    );
    assert_eq!(
        decode(b"abc\x00def", None).map(|d| d.text),
        Err(DecodeError::Binary { offset: 3 })
    );
    assert_eq!(
        decode(b"ab\x1b\x07\x08cd", None).map(|d| d.text),
        Err(DecodeError::Binary { offset: 2 })
    );
    assert_eq!(
        DecodeError::Unknown.to_string(),
        "not UTF-8 and not a known Vietnamese legacy encoding"
    );
}

#[test]
fn tolerates_a_stray_control_in_long_text_and_a_dos_eof() {
    let mut text = "Ủy ban nhân dân thành phố Hà Nội. ".repeat(20).into_bytes();
    text.push(0x0b);
    text.push(0x1a);
    assert_eq!(detected(&text).0, Encoding::Utf8);
}

/// A small deterministic generator, so the test needs no dependency.
fn pseudo_random_bytes(seed: u64, len: usize, low: u8) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let byte = (state >> 33) as u8;
            byte.max(low)
        })
        .collect()
}

#[test]
fn refuses_random_bytes() {
    for seed in 0..200 {
        for low in [0, 0x20] {
            let bytes = pseudo_random_bytes(seed, 64 + seed as usize * 13, low);
            let result = decode(&bytes, None);
            assert!(
                matches!(
                    result,
                    Err(DecodeError::Unknown | DecodeError::Binary { .. })
                ),
                "seed {seed}: {:?}",
                result.map(|d| (d.encoding, d.text))
            );
        }
    }
}

/// Latin-1 / Windows-1252 bytes of a UTF-8 string.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '“' => 0x93,
            '”' => 0x94,
            '’' => 0x92,
            '—' => 0x97,
            c => u8::try_from(u32::from(c)).expect("latin-1 character"),
        })
        .collect()
}

#[test]
fn refuses_other_languages() {
    let samples = [
        "Le ministre a présenté à l'Assemblée nationale un projet de loi très ambitieux sur l'éducation.",
        "Je vais à Paris et à Lyon, où ma soeur habite déjà.",
        "Die größten Städte Österreichs: Wien, Graz, Linz und Salzburg. Müller fährt über die Brücke.",
        "“Hello,” she said — it’s a “smart” quote test, isn’t it? Don’t worry.",
        "El niño comió piña en la montaña; ¿qué más? Mañana, señor.",
    ];
    for sample in samples {
        let bytes = latin1(sample);
        let result = decode(&bytes, None).map(|d| (d.encoding, d.text));
        assert_eq!(result, Err(DecodeError::Unknown), "{sample}");
    }
}

#[test]
fn refuses_shift_jis() {
    // 日本語のテキストです。東京都。 in Shift-JIS.
    let bytes = b"\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x83\x65\x83\x4c\x83\x58\x83\x67\x82\xc5\x82\xb7\x81\x42\x93\x8c\x8b\x9e\x93\x73\x81\x42";
    assert!(matches!(
        decode(bytes, None),
        Err(DecodeError::Unknown | DecodeError::Binary { .. })
    ));
}

#[test]
fn encode_names_the_character_it_cannot_write() {
    let error = encode("Số ⁽¹⁾", Encoding::Tcvn3).expect_err("⁽ is not in TCVN3");
    assert_eq!(
        error,
        EncodeError::Unrepresentable {
            character: '⁽',
            offset: 3,
            encoding: Encoding::Tcvn3
        }
    );
    assert!(error.to_string().contains("U+207D"), "{error}");
    assert!(
        encode("\u{1}", Encoding::Tcvn3).is_err(),
        "0x01 is a TCVN3 letter, not a control"
    );
}

#[test]
fn every_letter_round_trips_in_every_encoding() {
    let letters = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂĐĨŨƠƯăđĩũơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ";
    assert_eq!(letters.chars().count(), 134);
    for encoding in Encoding::ALL {
        for letter in letters.chars() {
            let text = format!("x{letter} {letter}");
            let bytes = encode(&text, encoding).expect("every letter encodes");
            let decoded = decode(&bytes, Some(encoding)).expect("decodes");
            assert_eq!(decoded.text, text, "{encoding} {letter}");
        }
    }
}

#[test]
fn damaged_utf8_is_read_with_a_replacement_where_it_breaks() {
    let mut bytes = "Ủy ban nhân dân thành phố Hà Nội thực hiện kế hoạch năm 2020.\n"
        .repeat(3)
        .into_bytes();
    bytes.extend_from_slice(b" \xe1\xbb ");
    bytes.extend_from_slice("Sở Y tế chủ trì.".as_bytes());
    let decoded = decode(&bytes, None).unwrap();
    assert_eq!(decoded.encoding, Encoding::Utf8);
    assert!(decoded.text.ends_with(" \u{fffd} Sở Y tế chủ trì."));
    assert_eq!(decoded.invalid, [(4, 2)]);
    // Forcing UTF-8 reads it the same way.
    assert_eq!(
        decode(&bytes, Some(Encoding::Utf8)).unwrap().invalid,
        [(4, 2)]
    );
}

#[test]
fn mostly_broken_utf8_is_still_refused() {
    let bytes: Vec<u8> = "Ủy ban nhân dân thành phố Hà Nội"
        .bytes()
        .map(|b| if (0xa0..0xc0).contains(&b) { 0xff } else { b })
        .collect();
    assert!(decode(&bytes, Some(Encoding::Utf8)).is_err());
}
