//! The fastest GeoJSON path, for the commonest feature of a large file: a `Point` whose
//! properties are read only for their `id` (a million homes under `check`). A hand-written
//! parser over the feature's bytes; it accepts a strict subset of what the serde path
//! ([`super::stream`]) accepts and gives the same feature for it, bit for bit. Anything else
//! (another geometry type, escapes in names, an id that is not a plain integer or string, a
//! number with more than 15 significant digits, `bbox`, a syntax error) answers `None`, and
//! the serde path reads the feature and decides.

use geo::{Coord, Geometry, Point};
use serde_json::Map;

use super::stream::{Parsed, Scanner};
use super::{RawFeature, SkipReason, SkippedFeature};

/// Nesting the property skipper follows before giving up (the serde path decides deeper).
const MAX_DEPTH: usize = 64;

/// Exact powers of ten, as serde_json multiplies and divides by them.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The feature in `b` (one element of the feature array, from `{` to `}`), numbered `index`,
/// or `None` when the serde path must read it.
pub(super) fn point_feature(b: &[u8], index: usize) -> Option<Parsed> {
    let mut p = Scanner { b, i: 0 };
    p.ws();
    p.eat(b'{')?;
    let mut seen_type = false;
    let mut kind_ok = false;
    let mut id: Option<String> = None;
    let mut seen_props = false;
    let mut prop_id: Option<String> = None;
    let mut geometry: Option<Option<Coord>> = None;
    loop {
        match p.member_name()? {
            b"type" => {
                if std::mem::replace(&mut seen_type, true) {
                    return None;
                }
                kind_ok = p.plain_string()? == b"Feature";
            }
            b"id" => {
                if id.is_some() {
                    return None;
                }
                id = Some(p.id()?.map(str::to_string)?);
            }
            b"properties" => {
                if std::mem::replace(&mut seen_props, true) {
                    return None;
                }
                prop_id = p.properties_id()?;
            }
            b"geometry" => {
                if geometry.is_some() {
                    return None;
                }
                geometry = Some(p.point_geometry()?);
            }
            b"bbox" => return None,
            _ => p.skip(0)?,
        }
        if p.closed_by(b'}')? {
            break;
        }
    }
    p.ws();
    if p.i != b.len() || !kind_ok {
        return None;
    }
    let geometry = geometry?;
    let id = id.or(prop_id);
    Some(match geometry {
        None => Parsed::Skipped(SkippedFeature {
            index,
            id,
            reason: SkipReason::NullGeometry,
        }),
        Some(c) => Parsed::Feature(RawFeature {
            index,
            id,
            properties: Map::new(),
            geometry: Geometry::Point(Point(c)),
        }),
    })
}

/// The point parser's readings, on the serde path's byte scanner.
impl<'a> Scanner<'a> {
    /// A member's name (plain) and its colon, white space around.
    fn member_name(&mut self) -> Option<&'a [u8]> {
        self.ws();
        let key = self.plain_string()?;
        self.ws();
        self.eat(b':')?;
        self.ws();
        Some(key)
    }

    /// After a member or an element: `Some(false)` at a comma (more follow), `Some(true)` at
    /// the closing `close`.
    pub(super) fn closed_by(&mut self, close: u8) -> Option<bool> {
        self.ws();
        match self.next()? {
            b',' => Some(false),
            c if c == close => Some(true),
            _ => None,
        }
    }

    /// `Some(true)` after a `null` value, `Some(false)` before any other (nothing read).
    fn null(&mut self) -> Option<bool> {
        if self.peek()? != b'n' {
            return Some(false);
        }
        self.literal(b"null").map(|()| true)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i + word.len();
        (self.b.get(self.i..end)? == word).then(|| self.i = end)
    }

    /// A string without escapes or control characters, valid UTF-8, without its quotes.
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        self.string_checked(false)
    }

    /// Any string, checked as JSON (escapes well formed, no control characters, UTF-8).
    fn json_string(&mut self) -> Option<()> {
        self.string_checked(true).map(drop)
    }

    /// A string checked as JSON, escapes allowed or not; its text as written, without quotes.
    fn string_checked(&mut self, escapes: bool) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let mut ascii = true;
        loop {
            match self.next()? {
                b'"' => break,
                b'\\' if !escapes => return None,
                b'\\' => match self.next()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        for _ in 0..4 {
                            if !self.next()?.is_ascii_hexdigit() {
                                return None;
                            }
                        }
                    }
                    _ => return None,
                },
                c if c < 0x20 => return None,
                c => ascii &= c < 0x80,
            }
        }
        let s = &self.b[start..self.i - 1];
        if !ascii {
            std::str::from_utf8(s).ok()?;
        }
        Some(s)
    }

    /// A JSON number, checked against the grammar: its sign, its significand (the digits
    /// without the point, while they fit in 15 digits; `None` past that), the decimal
    /// exponent, and whether it was written as an integer.
    fn number(&mut self) -> Option<(bool, Option<u64>, i32, bool)> {
        let negative = self.peek()? == b'-';
        if negative {
            self.i += 1;
        }
        let mut sig: Option<u64> = Some(0);
        let mut digits = 0u32;
        let mut push = |sig: &mut Option<u64>, d: u8| {
            if *sig != Some(0) || d != b'0' {
                digits += 1;
            }
            *sig = sig
                .filter(|_| digits <= 15)
                .map(|s| s * 10 + u64::from(d - b'0'));
        };
        match self.next()? {
            b'0' => {
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return None;
                }
            }
            d @ b'1'..=b'9' => {
                push(&mut sig, d);
                while let Some(d @ b'0'..=b'9') = self.peek() {
                    self.i += 1;
                    push(&mut sig, d);
                }
            }
            _ => return None,
        }
        let mut exponent = 0i32;
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.i += 1;
            integer = false;
            let mut any = false;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                any = true;
                push(&mut sig, d);
                exponent -= 1;
            }
            if !any {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            integer = false;
            let minus = match self.peek()? {
                b'-' => {
                    self.i += 1;
                    true
                }
                b'+' => {
                    self.i += 1;
                    false
                }
                _ => false,
            };
            let mut e: i32 = 0;
            let mut any = false;
            while let Some(d @ b'0'..=b'9') = self.peek() {
                self.i += 1;
                any = true;
                e = e.saturating_mul(10).saturating_add(i32::from(d - b'0'));
            }
            if !any {
                return None;
            }
            exponent = exponent.saturating_add(if minus { -e } else { e });
        }
        Some((negative, sig, exponent, integer))
    }

    /// A coordinate: the value serde_json gives, when this path can compute it exactly the
    /// same way (at most 15 significant digits and a power of ten it holds exactly).
    fn coordinate(&mut self) -> Option<f64> {
        if let Some(v) = self.plain_coordinate() {
            return Some(v);
        }
        let (negative, sig, exponent, _) = self.number()?;
        let f = sig? as f64;
        let f = match exponent {
            0..=22 => f * POW10[exponent as usize],
            -22..=-1 => f / POW10[(-exponent) as usize],
            _ => return None,
        };
        Some(if negative { -f } else { f })
    }

    /// The commonest coordinate, `-?digits(.digits)?` with at most 15 digits in all, read
    /// in one tight loop (the same value as [`Scanner::coordinate`]'s general reading);
    /// `None`, with nothing read, for any other number (or no number).
    #[inline]
    fn plain_coordinate(&mut self) -> Option<f64> {
        let b = self.b;
        let mut i = self.i;
        let negative = b.get(i) == Some(&b'-');
        i += usize::from(negative);
        let start = i;
        let mut sig: u64 = 0;
        let digits = |i: &mut usize, sig: &mut u64| {
            while let Some(&c) = b.get(*i) {
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    break;
                }
                *sig = sig.wrapping_mul(10).wrapping_add(u64::from(d));
                *i += 1;
            }
        };
        digits(&mut i, &mut sig);
        let whole = i - start;
        if whole == 0 || (whole > 1 && b[start] == b'0') {
            return None;
        }
        let mut fraction = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let from = i;
            digits(&mut i, &mut sig);
            fraction = i - from;
            if fraction == 0 {
                return None;
            }
        }
        if whole + fraction > 15 || matches!(b.get(i), Some(b'e' | b'E')) {
            return None;
        }
        self.i = i;
        let f = sig as f64 / POW10[fraction];
        Some(if negative { -f } else { f })
    }

    /// An `id` value as the serde path names it: a string without escapes, or a
    /// non-negative integer, as text; `Some(None)` for the values that name nothing (null,
    /// true, false); `None` for anything else.
    fn id(&mut self) -> Option<Option<&'a str>> {
        match self.peek()? {
            b'"' => {
                let s = self.plain_string()?;
                Some(Some(std::str::from_utf8(s).ok()?))
            }
            b'0'..=b'9' => {
                let start = self.i;
                let (_, sig, _, integer) = self.number()?;
                sig.filter(|_| integer)?;
                Some(Some(std::str::from_utf8(&self.b[start..self.i]).ok()?))
            }
            b'n' => self.literal(b"null").map(|()| None),
            b't' => self.literal(b"true").map(|()| None),
            b'f' => self.literal(b"false").map(|()| None),
            _ => None,
        }
    }

    /// The `properties` value: `null` or an object, of which only `id` is read (the last
    /// one wins, as the serde path reads it).
    fn properties_id(&mut self) -> Option<Option<String>> {
        if self.null()? {
            return Some(None);
        }
        self.eat(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(None);
        }
        let mut id = None;
        loop {
            let key = self.member_name()?;
            if key == b"id" {
                id = match self.peek()? {
                    b'{' | b'[' => {
                        self.skip(1)?;
                        None
                    }
                    _ => self.id()?.map(str::to_string),
                };
            } else {
                self.skip(1)?;
            }
            if self.closed_by(b'}')? {
                return Some(id);
            }
        }
    }

    /// A `geometry` value: `Some(None)` for null, the point of a `Point` with at least two
    /// numbers as its coordinates; `None` for anything else.
    fn point_geometry(&mut self) -> Option<Option<Coord>> {
        if self.null()? {
            return Some(None);
        }
        self.eat(b'{')?;
        let mut kind: Option<&[u8]> = None;
        let mut at: Option<Coord> = None;
        loop {
            let key = self.member_name()?;
            match key {
                b"type" if kind.is_none() => kind = Some(self.plain_string()?),
                b"coordinates" if at.is_none() => at = Some(self.position()?),
                _ => return None,
            }
            if self.closed_by(b'}')? {
                break;
            }
        }
        (kind? == b"Point").then_some(Some(at?))
    }

    /// `[x, y, …]`: at least two numbers, the first two kept.
    pub(super) fn position(&mut self) -> Option<Coord> {
        self.eat(b'[')?;
        let mut xy = [0.0; 2];
        let mut n = 0;
        loop {
            self.ws();
            let v = self.coordinate()?;
            if n < 2 {
                xy[n] = v;
            }
            n += 1;
            if self.closed_by(b']')? {
                break;
            }
        }
        (n >= 2).then_some(Coord { x: xy[0], y: xy[1] })
    }

    /// Skip one value, checked as JSON.
    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            open @ (b'{' | b'[') => {
                let object = open == b'{';
                let close = if object { b'}' } else { b']' };
                self.i += 1;
                self.ws();
                if self.peek()? == close {
                    self.i += 1;
                    return Some(());
                }
                loop {
                    if object {
                        self.ws();
                        self.json_string()?;
                        self.ws();
                        self.eat(b':')?;
                    }
                    self.skip(depth + 1)?;
                    if self.closed_by(close)? {
                        return Some(());
                    }
                }
            }
            b'"' => self.json_string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number().map(|_| ()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::input::Properties;
    use crate::io::input::stream::serde_feature;
    use proptest::prelude::*;

    #[test]
    fn a_home() {
        let f = br#"{"type":"Feature","properties":{"id":0},"geometry":{"type":"Point","coordinates":[106.5742016,29.5609402]}}"#;
        let Some(Parsed::Feature(r)) = point_feature(f, 3) else {
            panic!("the fast path takes a plain home");
        };
        assert_eq!((r.index, r.id.as_deref()), (3, Some("0")));
        assert_eq!(
            r.geometry,
            Geometry::Point(Point::new(106.5742016, 29.5609402))
        );
    }

    /// A number as JSON text: mostly valid (integers, decimals of any length, exponents,
    /// signs), sometimes not (leading zeros, a bare point, a plus sign).
    fn number() -> BoxedStrategy<String> {
        let valid = (
            prop::bool::weighted(0.3),
            prop_oneof![1 => Just("0".to_string()), 6 => "[1-9][0-9]{0,4}", 1 => "[1-9][0-9]{5,17}"],
            prop::option::weighted(0.8, prop_oneof![6 => "[0-9]{1,8}", 1 => "[0-9]{9,19}"]),
            prop::option::weighted(
                0.15,
                (prop_oneof![Just("e"), Just("E")], prop_oneof![Just(""), Just("+"), Just("-")], 0u32..40),
            ),
        )
            .prop_map(|(neg, int, frac, exp)| {
                let mut t = if neg { "-".to_string() } else { String::new() };
                t += &int;
                if let Some(f) = frac {
                    t += ".";
                    t += &f;
                }
                if let Some((e, sign, v)) = exp {
                    t += &format!("{e}{sign}{v}");
                }
                t
            });
        prop_oneof![
            40 => valid,
            1 => prop_oneof![Just("01".to_string()), Just("1.".to_string()), Just(".5".to_string()), Just("+1".to_string()), Just("1e".to_string()), Just("-".to_string())],
        ]
        .boxed()
    }

    /// A JSON value that may stand as a property: strings with escapes and non-ASCII
    /// text, numbers, literals, nested arrays and objects.
    fn value() -> BoxedStrategy<String> {
        let leaf = prop_oneof![
            4 => number(),
            1 => Just("null".to_string()),
            1 => Just("true".to_string()),
            1 => Just("false".to_string()),
            1 => Just("\"公园\"".to_string()),
            1 => Just("\"a\\\"b\\u00e9\\n\"".to_string()),
            1 => Just("\"bad \\x escape\"".to_string()),
            4 => "\"[a-z ]{0,6}\"",
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-z]{1,3}", inner), 0..3).prop_map(|v| {
                    let m: Vec<String> = v.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", m.join(","))
                }),
            ]
        })
        .boxed()
    }

    fn ws() -> impl Strategy<Value = &'static str> {
        prop_oneof![4 => Just(""), 1 => Just(" "), 1 => Just("\n\t "), 1 => Just("\r\n")]
    }

    fn id_value() -> BoxedStrategy<String> {
        prop_oneof![
            6 => "[1-9][0-9]{0,6}",
            1 => Just("0".to_string()),
            4 => "\"[a-z0-9]{0,4}\"",
            1 => Just("null".to_string()),
            1 => Just("\"h\\u00e9\"".to_string()),
            1 => Just("\"街\"".to_string()),
            1 => number(),
            1 => value(),
        ]
        .boxed()
    }

    fn position() -> BoxedStrategy<String> {
        (number(), number(), prop::option::of(number()), ws())
            .prop_map(|(x, y, z, w)| match z {
                Some(z) => format!("[{w}{x},{w}{y},{z}{w}]"),
                None => format!("[{w}{x}{w},{y}]"),
            })
            .boxed()
    }

    fn geometry() -> BoxedStrategy<String> {
        prop_oneof![
            30 => (position(), any::<bool>(), ws()).prop_map(|(c, swap, w)| if swap {
                format!("{{{w}\"coordinates\"{w}:{w}{c},\"type\":\"Point\"}}")
            } else {
                format!("{{\"type\":{w}\"Point\",{w}\"coordinates\":{c}{w}}}")
            }),
            1 => Just("null".to_string()),
            1 => position().prop_map(|c| format!("{{\"type\":\"MultiPoint\",\"coordinates\":[{c}]}}")),
            1 => position().prop_map(|c| format!("{{\"type\":\"Point\",\"coordinates\":{c},\"bbox\":[0,0,1,1]}}")),
            1 => position().prop_map(|c| format!("{{\"type\":\"Point\",\"coordinates\":{c},\"type\":\"Point\"}}")),
            1 => position().prop_map(|c| format!("{{\"type\":\"P\\u006fint\",\"coordinates\":{c}}}")),
            1 => Just("{\"type\":\"Point\",\"coordinates\":[]}".to_string()),
            1 => Just("{\"type\":\"Point\",\"coordinates\":[1]}".to_string()),
        ]
        .boxed()
    }

    prop_compose! {
        /// A feature as text: members in any order, optional and repeated ones, white space.
        fn feature()(
            kind in prop_oneof![20 => Just("\"Feature\""), 1 => Just("\"Feat\\u0075re\""), 1 => Just("\"Point\"")],
            top_id in prop::option::weighted(0.3, id_value()),
            props in prop_oneof![
                1 => Just(None),
                1 => Just(Some("null".to_string())),
                6 => prop::collection::vec(
                    (prop_oneof![6 => Just("id".to_string()), 6 => "[a-z]{1,4}", 1 => Just("\\u0069d".to_string()), 1 => Just("名".to_string())],
                     prop_oneof![2 => id_value(), 1 => value()]),
                    0..4,
                ).prop_map(|v| {
                    let m: Vec<String> = v.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    Some(format!("{{{}}}", m.join(",")))
                }),
            ],
            geometry in prop::option::weighted(0.95, geometry()),
            extra in prop::option::weighted(0.3, ("[a-z]{1,8}", value())),
            twice in prop::option::weighted(0.05, 0usize..4),
            order in Just(()).prop_perturb(|_, mut rng| {
                let mut o: Vec<usize> = (0..6).collect();
                for i in (1..o.len()).rev() {
                    o.swap(i, (rng.next_u32() as usize) % (i + 1));
                }
                o
            }),
            w in ws(),
        ) -> String {
            let mut members: Vec<Option<String>> = vec![
                Some(format!("\"type\":{w}{kind}")),
                top_id.map(|v| format!("\"id\":{v}")),
                props.map(|v| format!("\"properties\"{w}:{v}")),
                geometry.map(|v| format!("\"geometry\":{v}")),
                extra.map(|(k, v)| format!("\"{k}\":{w}{v}")),
                None,
            ];
            if let Some(k) = twice {
                members[5] = members[k].clone();
            }
            let body: Vec<String> = order.iter().filter_map(|&k| members[k].clone()).collect();
            format!("{w}{{{w}{}{w}}}{w}", body.join(&format!(",{w}")))
        }
    }

    /// What a parse gave, comparable to the bit (Debug prints floats exactly, -0 too).
    fn shown(p: &Option<Parsed>) -> String {
        format!("{p:?}")
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Whatever the fast path accepts, the serde path accepts and reads the same:
        /// index, id, skip reason, coordinates to the bit.
        #[test]
        fn same_feature_as_serde(text in feature(), index in 0usize..1000) {
            let fast = point_feature(text.as_bytes(), index);
            if fast.is_some() {
                let slow = serde_feature(text.as_bytes(), index, Properties::None);
                prop_assert_eq!(shown(&fast), shown(&slow), "{}", text);
            }
        }
    }

    /// The generator reaches the fast path often, so the property above is not vacuous.
    #[test]
    fn the_fast_path_is_taken() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let taken = (0..2000)
            .filter(|&i| {
                let text = feature().new_tree(&mut runner).unwrap().current();
                point_feature(text.as_bytes(), i).is_some()
            })
            .count();
        assert!(
            taken > 200,
            "only {taken} of 2000 generated features took the fast path"
        );
    }
}
