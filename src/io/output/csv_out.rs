//! Every CSV greenreach writes goes through [`CsvOut`]: rows as the `csv` crate's default
//! writer makes them (comma, `\n`, a field quoted only when it holds a comma, a quote or a
//! line break, quotes doubled, a row of one empty field written `""`), built straight into
//! one buffer: numbers are formatted in place and never need quotes.

use std::fmt;
use std::io::{self, Write};

/// The buffer is handed to the writer once it holds this many bytes.
const FLUSH_AT: usize = 1 << 16;

/// A CSV writer of rows field by field.
pub(crate) struct CsvOut<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// Where the current row starts in `buf`.
    row_start: usize,
    /// Fields written in the current row.
    fields: usize,
    scratch: String,
}

impl<W: Write> CsvOut<W> {
    /// Rows into `w`.
    pub(crate) fn new(w: W) -> Self {
        Self {
            out: w,
            buf: Vec::new(),
            row_start: 0,
            fields: 0,
            scratch: String::new(),
        }
    }

    /// A whole record (a header).
    pub(crate) fn record<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        for f in fields {
            self.text(f)?;
        }
        self.end()
    }

    /// The delimiter before every field but the first of a row.
    fn next_field(&mut self) {
        if self.fields > 0 {
            self.buf.push(b',');
        }
        self.fields += 1;
    }

    /// A text field, quoted when it holds a comma, a quote or a line break.
    pub(crate) fn text(&mut self, s: impl AsRef<[u8]>) -> io::Result<()> {
        self.next_field();
        let s = s.as_ref();
        if s.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
            self.buf.push(b'"');
            for &b in s {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s);
        }
        Ok(())
    }

    /// A formatted field (`format_args!("{x:.2}")`), quoted like [`CsvOut::text`].
    pub(crate) fn fmt(&mut self, args: fmt::Arguments<'_>) -> io::Result<()> {
        use std::fmt::Write as _;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        scratch.write_fmt(args).map_err(io::Error::other)?;
        let written = self.text(&scratch);
        self.scratch = scratch;
        written
    }

    /// A number with `digits` decimals (what `{v:.digits$}` writes, faster).
    pub(crate) fn fixed(&mut self, v: f64, digits: u32) -> io::Result<()> {
        self.next_field();
        super::fixed::push_fixed(&mut self.buf, v, digits);
        Ok(())
    }

    /// `n` empty fields.
    pub(crate) fn empty(&mut self, n: usize) -> io::Result<()> {
        for _ in 0..n {
            self.next_field();
        }
        Ok(())
    }

    /// End the current row.
    pub(crate) fn end(&mut self) -> io::Result<()> {
        if self.buf.len() == self.row_start {
            // Nothing in the row: a lone empty field, which must not read as no field.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        self.fields = 0;
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.row_start = self.buf.len();
        Ok(())
    }

    /// Flush and hand back the writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl CsvOut<Vec<u8>> {
    /// Rows into a string.
    pub(crate) fn string() -> Self {
        Self::new(Vec::new())
    }

    /// The text written.
    pub(crate) fn into_string(self) -> io::Result<String> {
        String::from_utf8(self.finish()?).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        let mut c = CsvOut::string();
        c.record(["id", "name"]).unwrap();
        for s in ["plain", "a, b", "say \"hi\"", "two\nlines", "街头绿地"] {
            c.fmt(format_args!("{:.1}", 1.26)).unwrap();
            c.text(s).unwrap();
            c.end().unwrap();
        }
        c.empty(2).unwrap();
        c.end().unwrap();
        c.empty(1).unwrap();
        c.end().unwrap();
        c.fixed(-0.125, 2).unwrap();
        c.text("\r").unwrap();
        c.end().unwrap();
        assert_eq!(
            c.into_string().unwrap(),
            "id,name\n1.3,plain\n1.3,\"a, b\"\n1.3,\"say \"\"hi\"\"\"\n1.3,\"two\nlines\"\n1.3,街头绿地\n,\n\"\"\n-0.12,\"\r\"\n"
        );
    }

    proptest::proptest! {
        /// The same bytes as the `csv` crate's default writer, for rows of any text fields
        /// (rows of one empty field too), across the flush threshold.
        #[test]
        fn same_bytes_as_the_csv_crate(
            rows in proptest::collection::vec(
                proptest::collection::vec("[a-c,\"\r\n 街]{0,6}", 1..4), 0..40),
            big in 0usize..3,
        ) {
            let pad = "x".repeat(big * 40_000);
            let mut ours = CsvOut::string();
            let mut theirs = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
            for row in &rows {
                for f in row {
                    ours.text(f).unwrap();
                    theirs.write_field(f).unwrap();
                }
                if big > 0 {
                    ours.text(&pad).unwrap();
                    theirs.write_field(&pad).unwrap();
                }
                ours.end().unwrap();
                theirs.write_record(None::<&[u8]>).unwrap();
            }
            let theirs = String::from_utf8(theirs.into_inner().unwrap()).unwrap();
            proptest::prop_assert_eq!(ours.into_string().unwrap(), theirs);
        }
    }
}
