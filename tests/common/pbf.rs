//! A minimal OSM PBF writer for tests: plain (non-dense) nodes, ways and relations, each kind
//! in its own uncompressed blob, after an OSMHeader blob. Just enough protobuf to build hand
//! cases; see https://wiki.openstreetmap.org/wiki/PBF_Format for the messages.
#![allow(dead_code)]

/// Tags as `(key, value)` pairs.
pub type Tags = Vec<(&'static str, &'static str)>;

/// A relation member: type `'n'`, `'w'` or `'r'`, id, role.
pub type Member = (char, i64, &'static str);

/// A scene to write.
#[derive(Debug, Clone, Default)]
pub struct Osm {
    /// `(id, lon, lat, tags)`.
    pub nodes: Vec<(i64, f64, f64, Tags)>,
    /// `(id, node ids, tags)`.
    pub ways: Vec<(i64, Vec<i64>, Tags)>,
    /// `(id, members as (type 'n'|'w'|'r', id, role), tags)`.
    pub relations: Vec<(i64, Vec<Member>, Tags)>,
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn key(out: &mut Vec<u8>, field: u64, wire: u64) {
    varint(out, field << 3 | wire);
}

fn bytes(out: &mut Vec<u8>, field: u64, b: &[u8]) {
    key(out, field, 2);
    varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn uint(out: &mut Vec<u8>, field: u64, v: u64) {
    key(out, field, 0);
    varint(out, v);
}

fn packed(out: &mut Vec<u8>, field: u64, vals: impl IntoIterator<Item = u64>) {
    let mut b = Vec::new();
    for v in vals {
        varint(&mut b, v);
    }
    bytes(out, field, &b);
}

/// Strings of a block, index 0 reserved for "".
struct Strings(Vec<String>);

impl Strings {
    fn id(&mut self, s: &str) -> u64 {
        match self.0.iter().position(|x| x == s) {
            Some(i) => i as u64,
            None => {
                self.0.push(s.to_string());
                (self.0.len() - 1) as u64
            }
        }
    }
}

fn tags_fields(out: &mut Vec<u8>, st: &mut Strings, tags: &Tags) {
    if tags.is_empty() {
        return;
    }
    let k: Vec<u64> = tags.iter().map(|t| st.id(t.0)).collect();
    let v: Vec<u64> = tags.iter().map(|t| st.id(t.1)).collect();
    packed(out, 2, k);
    packed(out, 3, v);
}

fn deltas(ids: impl IntoIterator<Item = i64>) -> Vec<u64> {
    let mut prev = 0;
    ids.into_iter()
        .map(|id| {
            let d = id - prev;
            prev = id;
            zigzag(d)
        })
        .collect()
}

/// A PrimitiveBlock holding one group built by `group`.
fn block(group: impl FnOnce(&mut Strings) -> Vec<u8>) -> Vec<u8> {
    let mut st = Strings(vec![String::new()]);
    let g = group(&mut st);
    let mut table = Vec::new();
    for s in &st.0 {
        bytes(&mut table, 1, s.as_bytes());
    }
    let mut b = Vec::new();
    bytes(&mut b, 1, &table);
    bytes(&mut b, 2, &g);
    b
}

fn frame(out: &mut Vec<u8>, kind: &str, payload: &[u8]) {
    let mut blob = Vec::new();
    bytes(&mut blob, 1, payload);
    uint(&mut blob, 2, payload.len() as u64);
    let mut header = Vec::new();
    bytes(&mut header, 1, kind.as_bytes());
    uint(&mut header, 3, blob.len() as u64);
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&blob);
}

/// Degrees to the default granularity (100 nanodegrees).
fn units(deg: f64) -> i64 {
    (deg * 1e7).round() as i64
}

impl Osm {
    /// The scene as `.osm.pbf` bytes.
    pub fn to_pbf(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut header = Vec::new();
        bytes(&mut header, 4, b"OsmSchema-V0.6");
        bytes(&mut header, 16, b"greenreach tests");
        frame(&mut out, "OSMHeader", &header);
        if !self.nodes.is_empty() {
            let b = block(|st| {
                let mut g = Vec::new();
                for (id, lon, lat, tags) in &self.nodes {
                    let mut n = Vec::new();
                    uint(&mut n, 1, zigzag(*id));
                    tags_fields(&mut n, st, tags);
                    uint(&mut n, 8, zigzag(units(*lat)));
                    uint(&mut n, 9, zigzag(units(*lon)));
                    bytes(&mut g, 1, &n);
                }
                g
            });
            frame(&mut out, "OSMData", &b);
        }
        if !self.ways.is_empty() {
            let b = block(|st| {
                let mut g = Vec::new();
                for (id, refs, tags) in &self.ways {
                    let mut w = Vec::new();
                    uint(&mut w, 1, *id as u64);
                    tags_fields(&mut w, st, tags);
                    packed(&mut w, 8, deltas(refs.iter().copied()));
                    bytes(&mut g, 3, &w);
                }
                g
            });
            frame(&mut out, "OSMData", &b);
        }
        if !self.relations.is_empty() {
            let b = block(|st| {
                let mut g = Vec::new();
                for (id, members, tags) in &self.relations {
                    let mut r = Vec::new();
                    uint(&mut r, 1, *id as u64);
                    tags_fields(&mut r, st, tags);
                    let roles: Vec<u64> = members.iter().map(|m| st.id(m.2)).collect();
                    packed(&mut r, 8, roles);
                    packed(&mut r, 9, deltas(members.iter().map(|m| m.1)));
                    packed(
                        &mut r,
                        10,
                        members.iter().map(|m| match m.0 {
                            'n' => 0,
                            'w' => 1,
                            _ => 2,
                        }),
                    );
                    bytes(&mut g, 4, &r);
                }
                g
            });
            frame(&mut out, "OSMData", &b);
        }
        out
    }
}
