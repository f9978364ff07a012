//! The fast GeoJSON path: one pass of serde over the bytes, features deserialised straight
//! into `geo` coordinates without a JSON tree (only each feature's `properties` become JSON
//! values). It accepts a strict subset of what the tree reader accepts and yields the same
//! layer for it; on anything unusual (a syntax error, a wrong member, a geometry problem,
//! a duplicate key, a skip under `--strict`) it gives up, and the tree reader runs instead and
//! words the error. The feature array is split at top-level feature boundaries and parsed in
//! parallel.

use super::id_text;
use std::fmt;
use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon};
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{Layer, Properties, RawFeature, ReadOptions, SkipReason, SkippedFeature};

/// Below this many bytes the feature array is parsed on one thread.
const PARALLEL_MIN_BYTES: usize = 4 << 20;

/// The layer, or `None` when the tree reader must decide (and word the error).
pub(super) fn parse(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Option<Layer> {
    let (crs_member, spans) = split(bytes)?;
    let one = |(index, &(start, end)): (usize, &(usize, usize))| -> Option<Parsed> {
        let b = &bytes[start..end];
        let fast = (opts.properties == Properties::None)
            .then(|| super::point_fast::point_feature(b, index))
            .flatten();
        fast.or_else(|| serde_feature(b, index, opts.properties))
    };
    // Collected in place, then checked: an `Option` collect would gather pieces and append
    // them on one thread.
    let parsed: Vec<Option<Parsed>> = if bytes.len() >= PARALLEL_MIN_BYTES {
        // Pieces of at most about 128 KiB (a thousand points, or a hundred polygons), so that
        // a thread left idle near the end finds work to take.
        let per_piece = ((128 << 10) * spans.len() / bytes.len()).max(1);
        spans
            .par_iter()
            .enumerate()
            .with_max_len(per_piece)
            .map(one)
            .collect()
    } else {
        spans.iter().enumerate().map(one).collect()
    };
    drop(spans);
    if parsed.iter().any(Option::is_none) {
        return None;
    }
    let any_skipped = parsed.iter().any(|p| matches!(p, Some(Parsed::Skipped(_))));
    if opts.strict && any_skipped {
        return None;
    }
    // Moved in parallel, in file order (a million features are worth it); straight into place
    // when nothing was skipped, as is usual.
    let (features, skipped) = if any_skipped {
        parsed.into_par_iter().flatten().partition_map(|p| match p {
            Parsed::Feature(f) => rayon::iter::Either::Left(f),
            Parsed::Skipped(s) => rayon::iter::Either::Right(s),
        })
    } else {
        let features = parsed
            .into_par_iter()
            .map(|p| match p {
                Some(Parsed::Feature(f)) => f,
                _ => unreachable!("every feature was parsed, none skipped"),
            })
            .collect();
        (features, Vec::new())
    };
    Some(Layer {
        path: path.to_path_buf(),
        features,
        skipped,
        crs_member,
        declared_crs: None,
        notes: Vec::new(),
        warnings: Vec::new(),
    })
}

/// One element of the feature array (its bytes `b`, numbered `index`) through serde, or
/// `None` when the tree reader must decide.
pub(super) fn serde_feature(b: &[u8], index: usize, keep: Properties) -> Option<Parsed> {
    let mut de = serde_json::Deserializer::from_slice(b);
    let v = FeatureSeed { index, keep }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(v)
}

/// Byte range of one feature in the file.
type Span = (usize, usize);

/// Deepest nesting inside one feature the fast path takes; deeper files go to the tree reader,
/// which applies serde_json's limit of 128 to the whole file.
const MAX_FEATURE_DEPTH: usize = 100;

/// Read the top-level object with a light scanner: its `crs` member (as a value), its other
/// members checked as JSON, and the byte span of every element of `features` (each then
/// parsed and checked by serde_json on its own).
fn split(bytes: &[u8]) -> Option<(Option<Value>, Vec<Span>)> {
    let mut s = Scanner { b: bytes, i: 0 };
    s.ws();
    s.eat(b'{')?;
    let mut crs = None;
    let mut features = None;
    let mut kind = None;
    let mut seen: Vec<&[u8]> = Vec::new();
    s.ws();
    if s.peek()? == b'}' {
        return None;
    }
    loop {
        s.ws();
        let key = s.string()?;
        if seen.contains(&key) {
            return None;
        }
        seen.push(key);
        s.ws();
        s.eat(b':')?;
        s.ws();
        let start = s.i;
        match key {
            b"features" => {
                s.eat(b'[')?;
                s.ws();
                let spans = if s.peek()? == b']' {
                    s.i += 1;
                    Vec::new()
                } else {
                    feature_spans(&mut s)?
                };
                features = Some(spans);
            }
            b"crs" => {
                s.value()?;
                crs = Some(serde_json::from_slice::<Value>(&bytes[start..s.i]).ok()?);
            }
            b"type" => {
                s.value()?;
                kind = Some(&bytes[start..s.i]);
            }
            _ => {
                s.value()?;
                serde_json::from_slice::<IgnoredAny>(&bytes[start..s.i]).ok()?;
            }
        }
        s.ws();
        match s.next()? {
            b',' => continue,
            b'}' => break,
            _ => return None,
        }
    }
    s.ws();
    if s.i != bytes.len() || kind != Some(&b"\"FeatureCollection\""[..]) {
        return None;
    }
    Some((crs, features?))
}

/// Where a scan of features stopped.
enum Next {
    /// At the start of the feature at this offset (the `stop` given).
    Start(usize),
    /// After the array's closing bracket, at this offset.
    End(usize),
}

/// Scan features from `s.i` (at a feature's `{`) until the array ends or the next feature
/// starts at or after `stop`.
fn scan_features(s: &mut Scanner<'_>, stop: usize) -> Option<(Vec<Span>, Next)> {
    let mut spans = Vec::new();
    loop {
        s.ws();
        let from = s.i;
        if from >= stop {
            return Some((spans, Next::Start(from)));
        }
        if s.peek()? != b'{' {
            return None;
        }
        s.value()?;
        spans.push((from, s.i));
        s.ws();
        match s.next()? {
            b',' => {}
            b']' => return Some((spans, Next::End(s.i))),
            _ => return None,
        }
    }
}

/// The next likely feature start at or after `from`: a `{` after `}` `,` (white space
/// between). A guess: it may lie inside a string.
fn guess_start(b: &[u8], from: usize) -> Option<usize> {
    let is_ws = |c: &u8| matches!(c, b' ' | b'\n' | b'\r' | b'\t');
    let mut i = from;
    loop {
        i += memchr::memchr(b',', b.get(i..)?)?;
        let before = b[..i].iter().rev().find(|c| !is_ws(c));
        let after = b[i + 1..].iter().position(|c| !is_ws(c)).map(|k| i + 1 + k);
        if before == Some(&b'}') && after.is_some_and(|k| b[k] == b'{') {
            return after;
        }
        i += 1;
    }
}

/// The spans of the feature array's elements, `s` at the first one (after `[`), and `s`
/// left after the closing `]`. Large arrays are cut into pieces at guessed feature starts
/// and the pieces scanned in parallel; a piece counts only when the scan before it ended
/// exactly where it began (so it began at a real feature), otherwise the scan goes on
/// serially from there. The spans are those of a serial scan either way.
fn feature_spans(s: &mut Scanner<'_>) -> Option<Vec<Span>> {
    feature_spans_in(s, PARALLEL_MIN_BYTES, 4 * rayon::current_num_threads())
}

/// [`feature_spans`] with `pieces` pieces when at least `min_bytes` remain.
fn feature_spans_in(s: &mut Scanner<'_>, min_bytes: usize, pieces: usize) -> Option<Vec<Span>> {
    let (b, from) = (s.b, s.i);
    if b.len() - from < min_bytes || pieces < 2 {
        let (spans, next) = scan_features(s, usize::MAX)?;
        return matches!(next, Next::End(_)).then_some(spans);
    }
    let mut starts: Vec<usize> = (1..pieces)
        .filter_map(|k| guess_start(b, from + (b.len() - from) * k / pieces))
        .collect();
    starts.insert(0, from);
    starts.dedup();
    let scanned: Vec<Option<(Vec<Span>, Next)>> = starts
        .par_iter()
        .enumerate()
        .map(|(k, &start)| {
            let stop = starts.get(k + 1).copied().unwrap_or(usize::MAX);
            scan_features(&mut Scanner { b, i: start }, stop)
        })
        .collect();
    let mut spans = Vec::new();
    let mut at = from;
    for (&start, piece) in starts.iter().zip(scanned) {
        if start != at {
            break;
        }
        match piece? {
            (mut part, Next::Start(next)) => {
                spans.append(&mut part);
                at = next;
            }
            (mut part, Next::End(end)) => {
                spans.append(&mut part);
                s.i = end;
                return Some(spans);
            }
        }
    }
    // A guess fell inside a feature: the rest serially.
    s.i = at;
    let (mut rest, next) = scan_features(s, usize::MAX)?;
    spans.append(&mut rest);
    matches!(next, Next::End(_)).then_some(spans)
}

/// A byte scanner that skips JSON values without building them. It only needs to find
/// boundaries in text that serde_json then parses for real; escapes in keys make it give up.
/// (The point parser of `point_fast` reads with it too.)
pub(super) struct Scanner<'a> {
    pub(super) b: &'a [u8],
    pub(super) i: usize,
}

impl<'a> Scanner<'a> {
    pub(super) fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    pub(super) fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }
    pub(super) fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }
    pub(super) fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }
    /// A string without escapes, returned without its quotes.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.i;
        let len = memchr_quote(&self.b[start..])?;
        let s = &self.b[start..start + len];
        if s.iter().any(|&c| c == b'\\' || c < 0x20) || std::str::from_utf8(s).is_err() {
            return None;
        }
        self.i = start + len + 1;
        Some(s)
    }
    /// Skip one value: an array or object ([`Scanner::container`]), a string (escapes
    /// included) or a scalar.
    fn value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'[' | b'{' => self.container(),
            b']' | b'}' => None,
            b'"' => {
                self.i = after_string(self.b, self.i + 1)?;
                Some(())
            }
            _ => {
                self.i += 1;
                while matches!(self.peek(), Some(c) if !matches!(c, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t' | b':' | b'"' | b'[' | b'{'))
                {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    /// Skip an array or object: only strings (with their escapes) and brackets matter for
    /// finding where it ends; serde_json then checks the text in between for real.
    fn container(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = self.i;
        let mut depth = 0usize;
        loop {
            // Eight bytes at a time through the numbers between brackets.
            if let Some(block) = b.get(i..i + 8)
                && !may_hold_structural(u64::from_le_bytes(block.try_into().ok()?))
            {
                i += 8;
                continue;
            }
            let Some(&c) = b.get(i) else {
                break;
            };
            i += 1;
            match c {
                b'"' => i = after_string(b, i)?,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FEATURE_DEPTH {
                        return None;
                    }
                }
                b']' | b'}' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        self.i = i;
                        return Some(());
                    }
                }
                _ => {}
            }
        }
        None
    }
}

/// Whether any of the eight bytes of `w` may be a quote or a bracket (`[`, `]`, `{`, `}`):
/// never false when one is (a few other bytes answer true too: `Y`, `_`, `y`, DEL).
fn may_hold_structural(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    // The four brackets differ only in the bits 0x26: with those set they all read 0x7F.
    has_zero((w | (ONES * 0x26)) ^ (ONES * 0x7F)) || has_zero(w ^ (ONES * u64::from(b'"')))
}

/// The offset just after the string whose text starts at `i` (after its opening quote).
/// Strings in features are short (keys, ids): a plain loop beats a memchr call.
fn after_string(b: &[u8], mut i: usize) -> Option<usize> {
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

fn memchr_quote(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'"', b)
}

/// One element of the feature array.
#[derive(Debug)]
pub(super) enum Parsed {
    Feature(RawFeature),
    Skipped(SkippedFeature),
}

struct FeatureSeed {
    index: usize,
    keep: Properties,
}

impl<'de> DeserializeSeed<'de> for FeatureSeed {
    type Value = Parsed;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FeatureSeed {
    type Value = Parsed;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Feature")
    }
    #[allow(clippy::too_many_lines)] // one arm per member of a GeoJSON feature, in one streaming visitor
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parsed, A::Error> {
        let mut kind_ok = false;
        let mut id: Option<Option<String>> = None;
        let mut properties: Option<Map<String, Value>> = None;
        let mut geometry: Option<Option<Geometry<f64>>> = None;
        let mut seen_props = false;
        let mut prop_id: Option<String> = None;
        let mut seen_type = false;
        let mut seen_bbox = false;
        let dup = || de::Error::custom("duplicate member");
        while let Some(key) = map.next_key::<KeyName>()? {
            match key {
                KeyName::Type => {
                    if seen_type {
                        return Err(dup());
                    }
                    seen_type = true;
                    kind_ok = map.next_value::<KindName>()?.0 == "Feature";
                }
                KeyName::Id => {
                    if id.is_some() {
                        return Err(dup());
                    }
                    id = Some(Some(
                        id_text(&map.next_value::<Value>()?)
                            .ok_or_else(|| de::Error::custom("id"))?,
                    ));
                }
                KeyName::Properties => {
                    if seen_props {
                        return Err(dup());
                    }
                    seen_props = true;
                    properties = match self.keep {
                        Properties::All => map.next_value::<Option<Map<String, Value>>>()?,
                        Properties::None => {
                            prop_id = map.next_value::<Option<IdOnly>>()?.and_then(|i| i.0);
                            None
                        }
                    };
                }
                KeyName::Geometry => {
                    if geometry.is_some() {
                        return Err(dup());
                    }
                    geometry = Some(map.next_value::<Option<GeomSeed>>()?.map(|g| g.0));
                }
                KeyName::Bbox => {
                    if seen_bbox {
                        return Err(dup());
                    }
                    seen_bbox = true;
                    map.next_value::<Vec<f64>>()?;
                }
                KeyName::Other | KeyName::Coordinates => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Some(geometry) = geometry else {
            return Err(de::Error::custom("no geometry"));
        };
        if !kind_ok {
            return Err(de::Error::custom("not a Feature"));
        }
        let properties = properties.unwrap_or_default();
        let id = match id {
            Some(id) => id,
            None => prop_id.or_else(|| properties.get("id").and_then(id_text)),
        };
        let index = self.index;
        Ok(match geometry {
            None => Parsed::Skipped(SkippedFeature {
                index,
                id,
                reason: SkipReason::NullGeometry,
            }),
            Some(g) if geo::CoordsIter::coords_count(&g) == 0 => Parsed::Skipped(SkippedFeature {
                index,
                id,
                reason: SkipReason::EmptyGeometry,
            }),
            Some(geometry) => Parsed::Feature(RawFeature {
                index,
                id,
                properties,
                geometry,
            }),
        })
    }
}

/// A `properties` object of which only `id` is kept (as the tree reader names it).
struct IdOnly(Option<String>);

impl<'de> serde::Deserialize<'de> for IdOnly {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = IdOnly;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a properties object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IdOnly, A::Error> {
                let mut id = None;
                while let Some(key) = map.next_key::<KeyName>()? {
                    match key {
                        // The last `id` wins, as in a JSON object read into a map.
                        KeyName::Id => id = id_text(&map.next_value::<Value>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(IdOnly(id))
            }
        }
        d.deserialize_map(V)
    }
}

/// Member names the feature and geometry readers care about.
enum KeyName {
    Type,
    Id,
    Properties,
    Geometry,
    Bbox,
    Other,
    Coordinates,
}

impl<'de> serde::Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyName, E> {
                Ok(match s {
                    "type" => KeyName::Type,
                    "id" => KeyName::Id,
                    "properties" => KeyName::Properties,
                    "geometry" => KeyName::Geometry,
                    "bbox" => KeyName::Bbox,
                    "coordinates" => KeyName::Coordinates,
                    _ => KeyName::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// A `type` value, borrowed when it can be.
struct KindName(String);

impl<'de> serde::Deserialize<'de> for KindName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KindName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a type name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KindName, E> {
                Ok(KindName(s.to_string()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A geometry object read straight into `geo`, with the tree reader's checks (any problem is
/// an error here: the tree reader words it).
struct GeomSeed(Geometry<f64>);

impl<'de> serde::Deserialize<'de> for GeomSeed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(GeomVisitor)
    }
}

struct GeomVisitor;

impl<'de> Visitor<'de> for GeomVisitor {
    type Value = GeomSeed;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a geometry")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GeomSeed, A::Error> {
        let mut kind: Option<String> = None;
        let mut coords: Option<&'de RawValue> = None;
        let mut seen_bbox = false;
        while let Some(key) = map.next_key::<KeyName>()? {
            match key {
                KeyName::Type if kind.is_none() => kind = Some(map.next_value::<KindName>()?.0),
                KeyName::Coordinates if coords.is_none() => coords = Some(map.next_value()?),
                KeyName::Bbox if !seen_bbox => {
                    seen_bbox = true;
                    map.next_value::<Vec<f64>>()?;
                }
                _ => return Err(de::Error::custom("unexpected geometry member")),
            }
        }
        let (Some(kind), Some(c)) = (kind, coords) else {
            return Err(de::Error::custom("incomplete geometry"));
        };
        // Read straight into coordinates where the text allows, else through the tree of
        // nested arrays (which decides what the reader accepts).
        let geometry = match super::coords_fast::geometry(&kind, c.get().as_bytes()) {
            Some(g) => Some(g),
            None => to_geo(
                &kind,
                serde_json::from_str(c.get()).map_err(de::Error::custom)?,
            ),
        };
        geometry
            .map(GeomSeed)
            .ok_or_else(|| de::Error::custom("geometry problem"))
    }
}

/// Nested coordinate arrays before the geometry type is known (`type` may come after
/// `coordinates`).
enum Nested {
    /// An array of numbers: the first two and how many there were.
    Pos(f64, f64, usize),
    /// An array of arrays (or an empty array).
    List(Vec<Nested>),
}

impl<'de> serde::Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(NestedVisitor)
    }
}

struct NestedVisitor;

/// One array element: a number or a nested array.
enum Elem {
    Num(f64),
    Arr(Nested),
}

impl<'de> serde::Deserialize<'de> for Elem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Elem;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or an array")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Elem, E> {
                Ok(Elem::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Elem, E> {
                Ok(Elem::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Elem, E> {
                Ok(Elem::Num(v as f64))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Elem, A::Error> {
                NestedVisitor.visit_seq(seq).map(Elem::Arr)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("coordinates")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        let Some(first) = seq.next_element::<Elem>()? else {
            return Ok(Nested::List(Vec::new()));
        };
        match first {
            Elem::Num(x) => {
                let mut y = f64::NAN;
                let mut n = 1;
                while let Some(v) = seq.next_element::<NumOnly>()? {
                    if n == 1 {
                        y = v.0;
                    }
                    n += 1;
                }
                Ok(Nested::Pos(x, y, n))
            }
            Elem::Arr(a) => {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(4).max(4));
                v.push(a);
                while let Some(e) = seq.next_element::<Nested>()? {
                    v.push(e);
                }
                Ok(Nested::List(v))
            }
        }
    }
}

/// A number inside a position.
struct NumOnly(f64);

impl<'de> serde::Deserialize<'de> for NumOnly {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        f64::deserialize(d).map(NumOnly)
    }
}

fn coord(n: &Nested) -> Option<Coord> {
    match *n {
        Nested::Pos(x, y, k) if k >= 2 && x.is_finite() && y.is_finite() => Some(Coord { x, y }),
        _ => None,
    }
}

fn coords(n: &Nested) -> Option<Vec<Coord>> {
    match n {
        Nested::List(v) => v.iter().map(coord).collect(),
        Nested::Pos(..) => None,
    }
}

fn list(n: &Nested) -> Option<&[Nested]> {
    match n {
        Nested::List(v) => Some(v),
        Nested::Pos(..) => None,
    }
}

fn line(n: &Nested) -> Option<LineString> {
    let cs = coords(n)?;
    (cs.len() >= 2).then_some(LineString(cs))
}

/// `Some(None)` for a polygon with no rings (an empty geometry).
fn polygon(n: &Nested) -> Option<Option<Polygon>> {
    let mut rings = Vec::new();
    for r in list(n)? {
        let cs = coords(r)?;
        if cs.len() < 4 || cs[0] != cs[cs.len() - 1] {
            return None;
        }
        rings.push(LineString(cs));
    }
    let mut it = rings.into_iter();
    Some(it.next().map(|ext| Polygon::new(ext, it.collect())))
}

/// The nesting depth the `geojson` crate gives coordinates: decided by the first element
/// (`[]` is depth 1), every later element then read as that type; `None` where it fails.
fn depth(n: &Nested) -> Option<u8> {
    let Nested::List(v) = n else {
        return Some(0);
    };
    let Some((first, rest)) = v.split_first() else {
        return Some(1);
    };
    let d = depth(first)?;
    (d < 3 && rest.iter().all(|r| fits(r, d))).then_some(d + 1)
}

/// Whether `n` reads as positions nested `d` deep.
fn fits(n: &Nested, d: u8) -> bool {
    match n {
        Nested::Pos(..) => d == 0,
        Nested::List(v) => d > 0 && v.iter().all(|e| fits(e, d - 1)),
    }
}

/// The same geometry `geometry::to_geo` makes, or `None` where it would fail.
fn to_geo(kind: &str, n: Nested) -> Option<Geometry<f64>> {
    let d = depth(&n)?;
    let empty = matches!(&n, Nested::List(v) if v.is_empty());
    let want = match kind {
        "Point" => 0,
        "LineString" | "MultiPoint" => 1,
        "Polygon" | "MultiLineString" => 2,
        "MultiPolygon" => 3,
        _ => return None,
    };
    if d != want && !(empty && want >= 2) {
        return None;
    }
    Some(match kind {
        "Point" => Geometry::Point(Point(coord(&n)?)),
        "MultiPoint" => {
            Geometry::MultiPoint(MultiPoint(coords(&n)?.into_iter().map(Point).collect()))
        }
        "LineString" => Geometry::LineString(line(&n)?),
        "MultiLineString" => Geometry::MultiLineString(MultiLineString(
            list(&n)?.iter().map(line).collect::<Option<_>>()?,
        )),
        "Polygon" => match polygon(&n)? {
            Some(p) => Geometry::Polygon(p),
            None => Geometry::MultiPolygon(MultiPolygon(vec![])),
        },
        "MultiPolygon" => {
            let mut parts = Vec::new();
            for p in list(&n)? {
                parts.extend(polygon(p)?);
            }
            Geometry::MultiPolygon(MultiPolygon(parts))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both(text: &str, opts: ReadOptions) -> (Option<String>, String) {
        let p = Path::new("t.geojson");
        let fast = parse(p, text.as_bytes(), &opts).map(|l| format!("{l:?}"));
        let tree = match super::super::parse_tree(p, text.as_bytes(), &opts) {
            Ok(l) => format!("{l:?}"),
            Err(e) => format!("error: {e}"),
        };
        (fast, tree)
    }

    fn same(text: &str) {
        for properties in [Properties::All, Properties::None] {
            for strict in [false, true] {
                let opts = ReadOptions {
                    strict,
                    properties,
                    ..Default::default()
                };
                let (fast, tree) = both(text, opts.clone());
                if let Some(fast) = fast {
                    assert_eq!(fast, tree, "{text}");
                }
            }
        }
    }

    #[test]
    fn agrees_with_the_tree_reader_on_hand_cases() {
        let ok = r#"{"crs":{"type":"name","properties":{"name":"EPSG:32648"}},"type":"FeatureCollection","features":[
            {"geometry":{"coordinates":[1,2.5,3],"type":"Point"},"type":"Feature","id":1.0,"properties":{"id":"x","a":[1,{"b":null}]}},
            {"type":"Feature","properties":{"id":7},"geometry":null},
            {"type":"Feature","properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]},"bbox":[0,0,1,1]},
            {"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[]},"properties":{"id":"e","id":"f"}}
        ],"name":"x"}"#;
        let (fast, tree) = both(ok, ReadOptions::default());
        assert_eq!(fast.as_deref(), Some(tree.as_str()));
        for bad in [
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"geometry":null}]}"#,
            r#"{"type":"FeatureCollection","features":[1]}"#,
            r#"{"type":"FeatureCollection","features":[],"x":[1 2]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}] x}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[]}}]}"#,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}]"#,
            r#"{"type":"FeatureCollection","type":"FeatureCollection","features":[]}"#,
        ] {
            let (fast, _) = both(bad, ReadOptions::default());
            assert!(fast.is_none(), "{bad}");
            same(bad);
        }
        same(ok);
    }

    fn position() -> impl Strategy<Value = String> {
        prop_oneof![
            (-180i32..180, -90i32..90).prop_map(|(x, y)| format!("[{x},{y}]")),
            (-1e3f64..1e3, -1e3f64..1e3, 0f64..1.0).prop_map(|(x, y, z)| format!("[{x},{y},{z}]")),
            Just("[1]".to_string()),
            Just("[]".to_string()),
            Just("[\"1\",2]".to_string()),
        ]
    }

    fn list(item: BoxedStrategy<String>, max: usize) -> BoxedStrategy<String> {
        prop::collection::vec(item, 0..max)
            .prop_map(|v| format!("[{}]", v.join(",")))
            .boxed()
    }

    fn ring() -> BoxedStrategy<String> {
        prop_oneof![
            list(position().boxed(), 6),
            Just("[[0,0],[1,0],[1,1],[0,0]]".to_string()),
            Just("[[0,0],[2,0],[2,2],[0,2],[0,0]]".to_string()),
        ]
        .boxed()
    }

    fn geometry() -> impl Strategy<Value = String> {
        let kinds = prop::sample::select(vec![
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "Circle",
        ]);
        let coords = prop_oneof![
            position().boxed(),
            list(position().boxed(), 4),
            list(ring(), 3),
            list(list(ring(), 3), 3),
        ];
        (kinds, coords, any::<bool>()).prop_map(|(k, c, order)| {
            if order {
                format!(r#"{{"type":"{k}","coordinates":{c}}}"#)
            } else {
                format!(r#"{{"coordinates":{c},"type":"{k}"}}"#)
            }
        })
    }

    fn feature() -> impl Strategy<Value = String> {
        let id = prop::sample::select(vec![
            "",
            r#""id":"a","#,
            r#""id":3,"#,
            r#""id":2.50,"#,
            r#""id":null,"#,
            r#""id":true,"#,
        ]);
        let props = prop::sample::select(vec![
            "",
            r#""properties":null,"#,
            r#""properties":{},"#,
            r#""properties":{"id":9,"name":"公园"},"#,
            r#""properties":{"id":"p","id":"q"},"#,
            r#""properties":[1],"#,
        ]);
        let geom = prop_oneof![Just("null".to_string()), geometry().boxed(),];
        let kind = prop::sample::select(vec![r#""type":"Feature","#, r#""type":"feature","#, ""]);
        (id, props, geom, kind, any::<bool>()).prop_map(|(id, props, g, kind, has_geom)| {
            let g = if has_geom {
                format!(r#""geometry":{g},"#)
            } else {
                String::new()
            };
            format!("{{{kind}{id}{props}{g}\"x\":1}}")
        })
    }

    /// Numbers as files write them: plain decimals of every length (past the 15 digits the
    /// direct reading takes), integers, negative zero, exponents, leading zeros.
    fn number_text() -> impl Strategy<Value = String> {
        prop_oneof![
            (-180.0f64..180.0, 0usize..18).prop_map(|(v, d)| format!("{v:.d$}")),
            (-1_000_000i64..1_000_000).prop_map(|v| v.to_string()),
            (0.0f64..1e-3).prop_map(|v| v.to_string()),
            (-1e5f64..1e5).prop_map(|v| format!("{v:e}")),
            Just("-0".to_string()),
            Just("-0.0".to_string()),
            Just("0.10000000000000001".to_string()),
            Just("123456789012345".to_string()),
            Just("1234567890123456".to_string()),
        ]
    }

    #[test]
    fn the_block_screen_never_misses_a_quote_or_bracket() {
        for c in 0..=255u8 {
            let flagged = (0..8).all(|k| {
                let mut w = [b'1'; 8];
                w[k] = c;
                may_hold_structural(u64::from_le_bytes(w))
            });
            if b"\"[]{}".contains(&c) {
                assert!(flagged, "{}", c as char);
            } else if !b"Y_y\x7f".contains(&c) {
                assert!(!may_hold_structural(u64::from_le_bytes([c; 8])), "{c}");
            }
        }
        assert!(!may_hold_structural(u64::from_le_bytes(*b"106.4975")));
    }

    #[test]
    fn plain_rings_are_read_directly() {
        let ring = "[[[106.497561586,29.528148269],[106.49746194,29.528213099],[106.4,29.5],[106.497561586,29.528148269]]]";
        let g = super::super::coords_fast::geometry("Polygon", ring.as_bytes());
        let nested = to_geo("Polygon", serde_json::from_str::<Nested>(ring).unwrap());
        assert_eq!(format!("{g:?}"), format!("{nested:?}"));
        assert!(g.is_some());
    }

    /// Features whose strings hold what looks like a feature boundary, so that guessed
    /// piece starts fall inside strings.
    fn tricky_feature() -> impl Strategy<Value = String> {
        let name = prop::sample::select(vec![
            "plain",
            "a},{b",
            "},{\\\"type\\\":1",
            "} , {",
            "\\\\",
            "x\\\"},{",
        ]);
        (name, 0usize..30).prop_map(|(n, k)| {
            let pad = "},{".repeat(k);
            format!(r#"{{"type":"Feature","properties":{{"name":"{n}{pad}"}},"geometry":{{"type":"Point","coordinates":[{k},1]}}}}"#)
        })
    }

    proptest! {
        #[test]
        fn pieces_give_the_serial_spans(
            features in prop::collection::vec(tricky_feature(), 1..40),
            pieces in 2usize..12,
            ws in any::<bool>(),
            tail in prop::sample::select(vec!["]", "] ", ",]", "", "]]"]),
        ) {
            let sep = if ws { " ,\n " } else { "," };
            let text = format!("{}{tail}", features.join(sep));
            let serial = feature_spans_in(&mut Scanner { b: text.as_bytes(), i: 0 }, usize::MAX, 1);
            let mut s = Scanner { b: text.as_bytes(), i: 0 };
            let parallel = feature_spans_in(&mut s, 0, pieces);
            prop_assert_eq!(&parallel, &serial);
            if serial.is_some() {
                let mut t = Scanner { b: text.as_bytes(), i: 0 };
                feature_spans_in(&mut t, usize::MAX, 1);
                prop_assert_eq!(s.i, t.i, "both stop after the array");
            }
        }

        /// Coordinates read straight from the text are those of the tree of nested arrays,
        /// to the bit, whenever the direct reading takes them; plain rings always are.
        #[test]
        fn direct_coordinates_agree_with_the_nested_path(
            kind in prop::sample::select(vec!["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]),
            numbers in prop::collection::vec(number_text(), 2..12),
            shape in 0usize..4,
            ws in prop::sample::select(vec!["", " ", "\n  "]),
        ) {
            let pos = |k: usize| format!("[{ws}{},{ws}{}{ws}]", numbers[k % numbers.len()], numbers[(k + 1) % numbers.len()]);
            let ring: Vec<String> = (0..4).map(pos).chain([pos(0)]).collect();
            let ring = format!("[{}]", ring.join(&format!(",{ws}")));
            let coords = match shape {
                0 => pos(0),
                1 => format!("[{},{}]", pos(1), pos(2)),
                2 => format!("[{ring}]"),
                _ => format!("[[{ring}],[{ring},{ring}]]"),
            };
            let nested = serde_json::from_str::<Nested>(&coords).ok().and_then(|n| to_geo(kind, n));
            let direct = super::super::coords_fast::geometry(kind, coords.as_bytes());
            if let Some(g) = &direct {
                prop_assert_eq!(Some(format!("{g:?}")), nested.map(|n| format!("{n:?}")), "{}", coords);
            }
        }

        #[test]
        fn agrees_with_the_tree_reader(features in prop::collection::vec(feature(), 0..6), ws in any::<bool>()) {
            let sep = if ws { ",\n " } else { "," };
            let text = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(sep));
            same(&text);
        }
    }
}
