//! The `.dbf` attribute table, and the choice of its text encoding: `--encoding`, else the
//! `.cpg` file, else the DBF language id, else strict UTF-8 if every string is, else GBK.

use encoding_rs::{Encoding, GBK, UTF_8};
use serde_json::{Map, Number, Value};

/// A field of the table.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// Raw name bytes (up to 10, cut wherever the writer cut them).
    name: Vec<u8>,
    kind: u8,
    offset: usize,
    len: usize,
}

/// The table, with raw bytes until the encoding is chosen.
#[derive(Debug)]
pub(crate) struct Table<'a> {
    fields: Vec<Field>,
    records: usize,
    header_len: usize,
    record_len: usize,
    language_id: u8,
    bytes: &'a [u8],
}

impl<'a> Table<'a> {
    /// Read the header and field descriptors.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, String> {
        if bytes.len() < 32 {
            return Err(format!(
                "is {} bytes, shorter than a dBASE header",
                bytes.len()
            ));
        }
        let records = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
        let record_len = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
        let language_id = bytes[29];
        let mut fields = Vec::new();
        let mut offset = 1;
        let mut at = 32;
        while at + 32 <= bytes.len().min(header_len) && bytes[at] != 0x0D {
            let d = &bytes[at..at + 32];
            let name: Vec<u8> = d[..11].iter().copied().take_while(|&c| c != 0).collect();
            let len = d[16] as usize;
            fields.push(Field {
                name,
                kind: d[11],
                offset,
                len,
            });
            offset += len;
            at += 32;
        }
        if offset > record_len.max(1) || header_len > bytes.len() {
            return Err("the header does not fit the file: not a dBASE file, or truncated".into());
        }
        Ok(Self {
            fields,
            records,
            header_len,
            record_len,
            language_id,
            bytes,
        })
    }

    /// Records the header announces.
    pub(crate) fn len(&self) -> usize {
        self.records
    }

    /// Records actually present (a truncated file has fewer).
    pub(crate) fn present(&self) -> usize {
        (self.bytes.len().saturating_sub(self.header_len)) / self.record_len.max(1)
    }

    /// The encoding named by the language id, if it names one.
    pub(crate) fn language_encoding(&self) -> Option<&'static Encoding> {
        match self.language_id {
            0x4D | 0x7A => Some(GBK),
            0x4E => Encoding::for_label(b"euc-kr"),
            0x4F => Encoding::for_label(b"big5"),
            0x7B | 0x13 => Encoding::for_label(b"shift_jis"),
            0x03 | 0x57 | 0x58 | 0x59 => None, // Windows ANSI: says nothing reliable
            _ => None,
        }
    }

    /// True when every text value is valid UTF-8 (field names may end mid-character).
    pub(crate) fn all_utf8(&self) -> bool {
        (0..self.present()).all(|r| {
            self.fields
                .iter()
                .filter(|f| f.kind == b'C')
                .all(|f| std::str::from_utf8(self.raw(r, f)).is_ok())
        })
    }

    /// True when some text value or field name is not ASCII.
    pub(crate) fn has_non_ascii(&self) -> bool {
        self.fields.iter().any(|f| !f.name.is_ascii())
            || (0..self.present()).any(|r| {
                self.fields
                    .iter()
                    .filter(|f| f.kind == b'C')
                    .any(|f| !self.raw(r, f).is_ascii())
            })
    }

    fn raw(&self, r: usize, f: &Field) -> &'a [u8] {
        let start = self.header_len + r * self.record_len + f.offset;
        self.bytes.get(start..start + f.len).unwrap_or(&[])
    }

    /// Field names decoded; a name cut mid-character loses the partial character.
    pub(crate) fn names(&self, enc: &'static Encoding) -> Vec<String> {
        self.fields
            .iter()
            .map(|f| {
                let (s, _) = enc.decode_without_bom_handling(&f.name);
                s.trim_end_matches('\u{FFFD}').trim().to_string()
            })
            .collect()
    }

    /// Record `r` as JSON properties, text decoded with `enc` (invalid bytes become U+FFFD).
    pub(crate) fn record(
        &self,
        r: usize,
        names: &[String],
        enc: &'static Encoding,
    ) -> Map<String, Value> {
        let mut m = Map::new();
        for (f, name) in self.fields.iter().zip(names) {
            let raw = self.raw(r, f);
            let v = match f.kind {
                b'C' => {
                    let (s, _) = enc.decode_without_bom_handling(raw);
                    let t = s.trim_end_matches([' ', '\0']).trim_start();
                    if t.is_empty() {
                        Value::Null
                    } else {
                        Value::String(t.to_string())
                    }
                }
                b'N' | b'F' => number(raw),
                b'L' => match raw.first() {
                    Some(b'T' | b't' | b'Y' | b'y') => Value::Bool(true),
                    Some(b'F' | b'f' | b'N' | b'n') => Value::Bool(false),
                    _ => Value::Null,
                },
                b'I' if raw.len() == 4 => {
                    Value::from(i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]))
                }
                b'O' if raw.len() == 8 => {
                    Number::from_f64(f64::from_le_bytes(raw.try_into().expect("8")))
                        .map_or(Value::Null, Value::Number)
                }
                b'D' => {
                    let t = String::from_utf8_lossy(raw).trim().to_string();
                    if t.is_empty() {
                        Value::Null
                    } else {
                        Value::String(t)
                    }
                }
                _ => Value::Null,
            };
            m.insert(name.clone(), v);
        }
        m
    }
}

fn number(raw: &[u8]) -> Value {
    let t = String::from_utf8_lossy(raw);
    let t = t.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Value::from(i);
    }
    t.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// The encoding a `.cpg` file names (`UTF-8`, `GBK`, `936`, `CP936`, `GB2312`, `1252`, ...).
pub(crate) fn cpg_encoding(text: &str) -> Option<&'static Encoding> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.trim_start_matches("cp").trim_start_matches("ansi ");
    match t {
        "936" | "gbk" | "gb2312" | "gb18030" | "54936" => Some(GBK),
        "65001" | "utf-8" | "utf8" => Some(UTF_8),
        "1252" => Encoding::for_label(b"windows-1252"),
        "950" | "big5" => Encoding::for_label(b"big5"),
        "932" => Encoding::for_label(b"shift_jis"),
        "88591" | "8859_1" | "iso-8859-1" => Encoding::for_label(b"windows-1252"),
        other => Encoding::for_label(other.as_bytes())
            .or_else(|| Encoding::for_label(text.trim().as_bytes())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dbf(names: &[&[u8]], rows: &[&[&[u8]]]) -> Vec<u8> {
        let width = 12usize;
        let mut b = vec![0u8; 32];
        b[0] = 3;
        b[4..8].copy_from_slice(&(rows.len() as u32).to_le_bytes());
        let header = 32 + 32 * names.len() + 1;
        b[8..10].copy_from_slice(&(header as u16).to_le_bytes());
        b[10..12].copy_from_slice(&((1 + width * names.len()) as u16).to_le_bytes());
        for n in names {
            let mut d = [0u8; 32];
            d[..n.len()].copy_from_slice(n);
            d[11] = b'C';
            d[16] = width as u8;
            b.extend_from_slice(&d);
        }
        b.push(0x0D);
        for r in rows {
            b.push(b' ');
            for v in *r {
                let mut f = vec![b' '; width];
                f[..v.len()].copy_from_slice(v);
                b.extend_from_slice(&f);
            }
        }
        b
    }

    #[test]
    fn utf8_names_cut_mid_character_and_gbk_values() {
        let cut = &"用地代码".as_bytes()[..10];
        let b = dbf(&[cut], &[&["公园".as_bytes()]]);
        let t = Table::parse(&b).unwrap();
        assert!(t.all_utf8());
        assert_eq!(t.names(UTF_8), vec!["用地代"]);
        let (gbk, _, _) = GBK.encode("公园绿地");
        let b = dbf(&[b"NAME"], &[&[&gbk]]);
        let t = Table::parse(&b).unwrap();
        assert!(!t.all_utf8());
        let names = t.names(GBK);
        assert_eq!(t.record(0, &names, GBK)["NAME"], "公园绿地");
        assert_eq!(cpg_encoding("936\n"), Some(GBK));
        assert_eq!(cpg_encoding("UTF-8"), Some(UTF_8));
    }
}
