//! Every CSV greenreach writes goes through [`CsvOut`]: the `csv` crate quotes a text field
//! when it needs it, and numbers are formatted into one reused buffer.

use std::fmt;
use std::io::{self, Write};

/// A CSV writer of rows field by field.
pub(crate) struct CsvOut<W: Write> {
    out: csv::Writer<W>,
    buf: String,
    num: Vec<u8>,
}

impl<W: Write> CsvOut<W> {
    /// Rows into `w`.
    pub(crate) fn new(w: W) -> Self {
        Self {
            out: csv::WriterBuilder::new().from_writer(w),
            buf: String::new(),
            num: Vec::new(),
        }
    }

    /// A whole record (a header).
    pub(crate) fn record<I, T>(&mut self, fields: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.out.write_record(fields)?;
        Ok(())
    }

    /// A text field, quoted when it holds a comma, a quote or a line break.
    pub(crate) fn text(&mut self, s: impl AsRef<[u8]>) -> io::Result<()> {
        self.out.write_field(s)?;
        Ok(())
    }

    /// A formatted field (`format_args!("{x:.2}")`).
    pub(crate) fn fmt(&mut self, args: fmt::Arguments<'_>) -> io::Result<()> {
        use std::fmt::Write as _;
        self.buf.clear();
        self.buf.write_fmt(args).map_err(io::Error::other)?;
        self.out.write_field(self.buf.as_bytes())?;
        Ok(())
    }

    /// A number with `digits` decimals (what `{v:.digits$}` writes, faster).
    pub(crate) fn fixed(&mut self, v: f64, digits: u32) -> io::Result<()> {
        self.num.clear();
        super::fixed::push_fixed(&mut self.num, v, digits);
        self.out.write_field(&self.num)?;
        Ok(())
    }

    /// `n` empty fields.
    pub(crate) fn empty(&mut self, n: usize) -> io::Result<()> {
        for _ in 0..n {
            self.out.write_field(b"")?;
        }
        Ok(())
    }

    /// End the current row.
    pub(crate) fn end(&mut self) -> io::Result<()> {
        self.out.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flush and hand back the writer.
    pub(crate) fn finish(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
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
        assert_eq!(
            c.into_string().unwrap(),
            "id,name\n1.3,plain\n1.3,\"a, b\"\n1.3,\"say \"\"hi\"\"\"\n1.3,\"two\nlines\"\n1.3,街头绿地\n,\n"
        );
    }
}
