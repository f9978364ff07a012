//! Reading a `.osm.pbf`: the blob framing checked first (a truncated or foreign file is an
//! error naming the byte where it breaks), then three passes over the data blobs, each decoded
//! in parallel: relations, ways, nodes.

use std::fs::File;
use std::io::{BufReader, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use geo::Coord;
use osmpbf::{BlobReader, PrimitiveBlock, RelMemberType};
use rayon::prelude::*;

use super::assemble::{self, Broken, MemberWay, Role};
use super::tags::{Tags, closed_way_is_area};
use super::{BrokenArea, OsmArea, OsmData, OsmNode, OsmStats, OsmWanted, OsmWay};
use crate::io::input::InputError;

/// Largest blob header the format allows.
const MAX_HEADER: u64 = 64 * 1024;
/// Largest blob the format allows.
const MAX_BLOB: u64 = 32 * 1024 * 1024;
/// Features this reader understands.
const KNOWN_FEATURES: [&str; 2] = ["OsmSchema-V0.6", "DenseNodes"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlobKind {
    Header,
    Data,
    Other,
}

/// Where a blob is: its frame (length prefix, header, data) in the file.
#[derive(Debug, Clone, Copy)]
struct BlobRef {
    offset: u64,
    len: u64,
    kind: BlobKind,
}

/// Which element types a data blob holds (known after the first pass).
#[derive(Debug, Clone, Copy, Default)]
struct Holds {
    nodes: bool,
    ways: bool,
}

struct RelRec {
    id: i64,
    tags: Tags,
    members: Vec<(i64, Role)>,
}

struct WayRec {
    id: i64,
    tags: Tags,
    refs: Vec<i64>,
    as_line: bool,
    as_area: bool,
}

/// Read the ways, tagged nodes and areas of `path` that `wanted` asks for.
#[allow(clippy::too_many_lines)] // two passes over the file (ways and relations, then their nodes) sharing their indexes
pub fn read_pbf(path: &Path, wanted: &OsmWanted) -> Result<OsmData, InputError> {
    let fail = |problem: String| InputError::File {
        path: path.to_path_buf(),
        problem,
    };
    if path.is_dir() {
        return Err(fail("is a directory, not an OSM PBF file".into()));
    }
    let file = File::open(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let blobs = index_blobs(&file).map_err(fail)?;
    check_header(path, &file, &blobs[0]).map_err(fail)?;
    let data: Vec<(usize, BlobRef)> = blobs
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, b)| b.kind == BlobKind::Data)
        .collect();
    let mut stats = OsmStats {
        blobs: blobs.len(),
        ..OsmStats::default()
    };

    // Pass 1: relations, and what each blob holds.
    let pass1 =
        decode_all(path, &file, &data, |block| scan_relations(block, wanted)).map_err(fail)?;
    let mut holds = Vec::with_capacity(pass1.len());
    let mut relations = Vec::new();
    for (h, counts, rels) in pass1 {
        holds.push(h);
        stats.nodes += counts[0];
        stats.ways += counts[1];
        stats.relations += counts[2];
        relations.extend(rels);
    }
    relations.sort_by_key(|r| r.id);
    let mut members: Vec<i64> = relations
        .iter()
        .flat_map(|r| r.members.iter().map(|m| m.0))
        .collect();
    members.sort_unstable();
    members.dedup();

    // Pass 2: ways wanted as ways or areas, and relation members.
    let way_blobs: Vec<(usize, BlobRef)> = data
        .iter()
        .zip(&holds)
        .filter(|(_, h)| h.ways)
        .map(|(b, _)| *b)
        .collect();
    let mut ways: Vec<WayRec> = decode_all(path, &file, &way_blobs, |block| {
        scan_ways(block, wanted, &members)
    })
    .map_err(fail)?
    .into_iter()
    .flatten()
    .collect();
    ways.sort_by_key(|w| w.id);
    ways.dedup_by_key(|w| w.id);

    // Pass 3: coordinates of the nodes those ways use, and wanted tagged nodes.
    let mut needed: Vec<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    needed.sort_unstable();
    needed.dedup();
    let node_blobs: Vec<(usize, BlobRef)> = data
        .iter()
        .zip(&holds)
        .filter(|(_, h)| h.nodes)
        .map(|(b, _)| *b)
        .collect();
    let pass3 = decode_all(path, &file, &node_blobs, |block| {
        scan_nodes(block, wanted, &needed)
    })
    .map_err(fail)?;
    let mut coords = vec![
        Coord {
            x: f64::NAN,
            y: f64::NAN
        };
        needed.len()
    ];
    let mut tagged_nodes = Vec::new();
    for (located, tagged) in pass3 {
        for (i, c) in located {
            coords[i] = c;
        }
        tagged_nodes.extend(tagged);
    }
    tagged_nodes.sort_by_key(|n: &OsmNode| n.id);
    tagged_nodes.dedup_by_key(|n| n.id);
    let nodes = NodeCoords {
        ids: needed,
        coords,
    };

    let out_ways = build_ways(&ways, &nodes, &mut stats);
    let (areas, broken, mismatches) = build_areas(&ways, &relations, &nodes);
    stats.broken = broken;
    stats.role_mismatches = mismatches;
    Ok(OsmData {
        ways: out_ways,
        tagged_nodes,
        areas,
        stats,
    })
}

/// Node coordinates sorted by id; NaN where a node is not in the file.
struct NodeCoords {
    ids: Vec<i64>,
    coords: Vec<Coord<f64>>,
}

impl NodeCoords {
    fn get(&self, id: i64) -> Option<Coord<f64>> {
        let i = self.ids.binary_search(&id).ok()?;
        let c = self.coords[i];
        (!c.x.is_nan()).then_some(c)
    }

    /// The coordinates of `refs`, or the first node that is missing.
    fn all(&self, refs: &[i64]) -> Result<Vec<Coord<f64>>, i64> {
        refs.iter().map(|&n| self.get(n).ok_or(n)).collect()
    }
}

fn build_ways(ways: &[WayRec], nodes: &NodeCoords, stats: &mut OsmStats) -> Vec<OsmWay> {
    let mut out = Vec::new();
    for w in ways.iter().filter(|w| w.as_line) {
        let mut node_ids = Vec::with_capacity(w.refs.len());
        let mut coords = Vec::with_capacity(w.refs.len());
        for &n in &w.refs {
            if let Some(c) = nodes.get(n) {
                node_ids.push(n);
                coords.push(c);
            }
        }
        if node_ids.len() < w.refs.len() {
            stats.ways_missing_nodes += 1;
        }
        if node_ids.len() < 2 {
            stats.ways_dropped += 1;
            continue;
        }
        out.push(OsmWay {
            id: w.id,
            tags: w.tags.clone(),
            node_ids,
            coords,
        });
    }
    out
}

fn build_areas(
    ways: &[WayRec],
    relations: &[RelRec],
    nodes: &NodeCoords,
) -> (Vec<OsmArea>, Vec<BrokenArea>, usize) {
    let find = |id: i64| {
        ways.binary_search_by_key(&id, |w| w.id)
            .ok()
            .map(|i| &ways[i])
    };
    let from_ways = ways.par_iter().filter(|w| w.as_area).map(|w| {
        let id = format!("way/{}", w.id);
        let r = nodes
            .all(&w.refs)
            .map_err(|node| Broken::MissingNode { way: w.id, node })
            .and_then(|coords| {
                assemble::assemble(&[MemberWay {
                    id: w.id,
                    role: Role::Outer,
                    nodes: &w.refs,
                    coords: &coords,
                }])
            });
        (id, w.tags.clone(), r)
    });
    let from_relations = relations.par_iter().map(|rel| {
        let id = format!("relation/{}", rel.id);
        let r = relation_members(rel, &find, nodes).and_then(|m| {
            let members: Vec<MemberWay<'_>> = m
                .iter()
                .map(|(w, role, coords)| MemberWay {
                    id: w.id,
                    role: *role,
                    nodes: &w.refs,
                    coords,
                })
                .collect();
            assemble::assemble(&members)
        });
        (id, rel.tags.clone(), r)
    });
    let results: Vec<_> = from_ways.chain(from_relations).collect();
    let mut areas = Vec::new();
    let mut broken = Vec::new();
    let mut mismatches = 0;
    for (id, tags, r) in results {
        match r {
            Ok(a) => {
                mismatches += a.role_mismatches;
                areas.push(OsmArea {
                    id,
                    tags,
                    geometry: a.geometry,
                });
            }
            Err(reason) => broken.push(BrokenArea { id, reason }),
        }
    }
    (areas, broken, mismatches)
}

type Member<'a> = (&'a WayRec, Role, Vec<Coord<f64>>);

fn relation_members<'a>(
    rel: &RelRec,
    find: &impl Fn(i64) -> Option<&'a WayRec>,
    nodes: &NodeCoords,
) -> Result<Vec<Member<'a>>, Broken> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for &(way, role) in &rel.members {
        if !seen.insert(way) {
            continue;
        }
        let w = find(way).ok_or(Broken::MissingWay(way))?;
        let coords = nodes
            .all(&w.refs)
            .map_err(|node| Broken::MissingNode { way, node })?;
        out.push((w, role, coords));
    }
    Ok(out)
}

/// Decode `blobs` in parallel and apply `f` to each block, in file order.
fn decode_all<T: Send>(
    path: &Path,
    file: &File,
    blobs: &[(usize, BlobRef)],
    f: impl Fn(&PrimitiveBlock) -> T + Sync,
) -> Result<Vec<T>, String> {
    blobs
        .par_iter()
        .map(|&(n, b)| {
            let block = decode_block(path, file, &b)
                .map_err(|e| format!("blob {n} (at byte {}) cannot be decoded: {e}", b.offset))?;
            catch_unwind(AssertUnwindSafe(|| f(&block)))
                .map_err(|_| format!("blob {n} (at byte {}) holds malformed OSM data", b.offset))
        })
        .collect()
}

fn read_frame(path: &Path, file: &File, b: &BlobRef) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; b.len as usize];
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let _ = path;
        file.read_exact_at(&mut buf, b.offset)?;
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        use std::io::Seek;
        let mut f = File::open(path)?;
        f.seek(std::io::SeekFrom::Start(b.offset))?;
        f.read_exact(&mut buf)?;
    }
    Ok(buf)
}

fn decode_block(path: &Path, file: &File, b: &BlobRef) -> Result<PrimitiveBlock, String> {
    let frame = read_frame(path, file, b).map_err(|e| e.to_string())?;
    let blob = BlobReader::new(&frame[..])
        .next()
        .ok_or("empty blob")?
        .map_err(|e| e.to_string())?;
    catch_unwind(AssertUnwindSafe(|| blob.to_primitiveblock()))
        .map_err(|_| "malformed block".to_string())?
        .map_err(|e| e.to_string())
}

fn check_header(path: &Path, file: &File, b: &BlobRef) -> Result<(), String> {
    let frame = read_frame(path, file, b).map_err(|e| e.to_string())?;
    let header = BlobReader::new(&frame[..])
        .next()
        .ok_or("empty header blob")?
        .and_then(|blob| blob.to_headerblock())
        .map_err(|e| format!("the OSMHeader block cannot be decoded: {e}"))?;
    if let Some(f) = header
        .required_features()
        .iter()
        .find(|f| !KNOWN_FEATURES.contains(&f.as_str()))
    {
        return Err(format!(
            "requires the PBF feature \"{f}\", which greenreach does not read (history files and change files are not extracts)"
        ));
    }
    Ok(())
}

/// Walk the blob frames without decoding them: every declared size must fit in the file.
fn index_blobs(file: &File) -> Result<Vec<BlobRef>, String> {
    let file_len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut r = BufReader::new(file);
    let mut out = Vec::new();
    let mut off = 0u64;
    while off < file_len {
        let left = file_len - off;
        let truncated = |what: String| {
            format!(
                "is truncated: {what}; the file ends at byte {file_len} (re-download or re-export it)"
            )
        };
        if left < 4 {
            return Err(truncated(format!(
                "{left} stray byte(s) at byte {off} where a blob should start"
            )));
        }
        let mut len4 = [0u8; 4];
        r.read_exact(&mut len4).map_err(|e| e.to_string())?;
        let hlen = u64::from(u32::from_be_bytes(len4));
        if hlen == 0 || hlen > MAX_HEADER {
            return Err(not_pbf(off, &format!("a blob header of {hlen} bytes")));
        }
        if 4 + hlen > left {
            return Err(truncated(format!(
                "the blob header at byte {off} needs {hlen} bytes"
            )));
        }
        let mut header = vec![0u8; hlen as usize];
        r.read_exact(&mut header).map_err(|e| e.to_string())?;
        let (kind, size) =
            parse_blob_header(&header).ok_or_else(|| not_pbf(off, "an unreadable blob header"))?;
        if size > MAX_BLOB {
            return Err(not_pbf(off, &format!("a blob of {size} bytes")));
        }
        if 4 + hlen + size > left {
            return Err(truncated(format!(
                "blob {} at byte {off} needs {size} bytes, only {} are left",
                out.len(),
                left - 4 - hlen
            )));
        }
        r.seek_relative(size as i64).map_err(|e| e.to_string())?;
        if out.is_empty() && kind != BlobKind::Header {
            return Err(not_pbf(off, "no OSMHeader block first"));
        }
        out.push(BlobRef {
            offset: off,
            len: 4 + hlen + size,
            kind,
        });
        off += 4 + hlen + size;
    }
    if out.is_empty() {
        return Err("is empty; expected an OSM PBF file".into());
    }
    Ok(out)
}

fn not_pbf(off: u64, what: &str) -> String {
    format!("is not an OSM PBF file, or is corrupt: {what} at byte {off}")
}

fn varint(b: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*pos)?;
        *pos += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// `BlobHeader { string type = 1; bytes indexdata = 2; int32 datasize = 3; }`.
fn parse_blob_header(b: &[u8]) -> Option<(BlobKind, u64)> {
    let mut pos = 0;
    let mut kind = None;
    let mut size = None;
    while pos < b.len() {
        let key = varint(b, &mut pos)?;
        match (key >> 3, key & 7) {
            (3, 0) => size = Some(varint(b, &mut pos)?),
            (field, 2) => {
                let len = usize::try_from(varint(b, &mut pos)?).ok()?;
                let bytes = b.get(pos..pos.checked_add(len)?)?;
                pos += len;
                if field == 1 {
                    kind = Some(match bytes {
                        b"OSMHeader" => BlobKind::Header,
                        b"OSMData" => BlobKind::Data,
                        _ => BlobKind::Other,
                    });
                }
            }
            (_, 0) => {
                varint(b, &mut pos)?;
            }
            _ => return None,
        }
    }
    Some((kind?, size?))
}

type Pass1 = (Holds, [u64; 3], Vec<RelRec>);

fn scan_relations(block: &PrimitiveBlock, wanted: &OsmWanted) -> Pass1 {
    let mut holds = Holds::default();
    let mut counts = [0u64; 3];
    let mut rels = Vec::new();
    for g in block.groups() {
        let n = g.nodes().len() + g.dense_nodes().len();
        let w = g.ways().len();
        counts[0] += n as u64;
        counts[1] += w as u64;
        holds.nodes |= n > 0;
        holds.ways |= w > 0;
        for r in g.relations() {
            counts[2] += 1;
            let tags = Tags::from_pairs(r.tags());
            if !tags.is("type", &["multipolygon", "boundary"]) {
                continue;
            }
            let tags = tags.without("type");
            if tags.is_empty() || !wanted.areas.test(&tags) {
                continue;
            }
            let members = r
                .members()
                .filter(|m| m.member_type == RelMemberType::Way)
                .filter_map(|m| Some((m.member_id, Role::parse(m.role().ok()?)?)))
                .collect();
            rels.push(RelRec {
                id: r.id(),
                tags,
                members,
            });
        }
    }
    (holds, counts, rels)
}

fn scan_ways(block: &PrimitiveBlock, wanted: &OsmWanted, members: &[i64]) -> Vec<WayRec> {
    let mut out = Vec::new();
    for g in block.groups() {
        for w in g.ways() {
            let id = w.id();
            let tags = Tags::from_pairs(w.tags());
            let refs: Vec<i64> = w.refs().collect();
            let closed = refs.len() >= 4 && refs.first() == refs.last();
            let as_line = !tags.is_empty() && wanted.ways.test(&tags);
            let as_area =
                closed && !tags.is_empty() && closed_way_is_area(&tags) && wanted.areas.test(&tags);
            let member = members.binary_search(&id).is_ok();
            if as_line || as_area || member {
                out.push(WayRec {
                    id,
                    tags: if as_line || as_area {
                        tags
                    } else {
                        Tags::default()
                    },
                    refs,
                    as_line,
                    as_area,
                });
            }
        }
    }
    out
}

type Pass3 = (Vec<(usize, Coord<f64>)>, Vec<OsmNode>);

fn scan_nodes(block: &PrimitiveBlock, wanted: &OsmWanted, needed: &[i64]) -> Pass3 {
    let mut located = Vec::new();
    let mut tagged = Vec::new();
    // nano / 1e9 is the correctly rounded decimal, the same f64 a text export parses to.
    let mut visit = |id: i64, lon: i64, lat: i64, tags: Option<Tags>| {
        let c = Coord {
            x: lon as f64 / 1e9,
            y: lat as f64 / 1e9,
        };
        if let Ok(i) = needed.binary_search(&id) {
            located.push((i, c));
        }
        if let Some(tags) = tags.filter(|t| !t.is_empty() && wanted.nodes.test(t)) {
            tagged.push(OsmNode {
                id,
                tags,
                lonlat: c,
            });
        }
    };
    for g in block.groups() {
        for n in g.nodes() {
            let tags = (n.tags().len() > 0).then(|| Tags::from_pairs(n.tags()));
            visit(n.id(), n.nano_lon(), n.nano_lat(), tags);
        }
        for n in g.dense_nodes() {
            let tags = n
                .tags()
                .next()
                .is_some()
                .then(|| Tags::from_pairs(n.tags()));
            visit(n.id(), n.nano_lon(), n.nano_lat(), tags);
        }
    }
    (located, tagged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_header_fields() {
        // type "OSMData", indexdata "x", datasize 300.
        let mut h = vec![0x0a, 7];
        h.extend_from_slice(b"OSMData");
        h.extend_from_slice(&[0x12, 1, b'x', 0x18, 0xac, 0x02]);
        assert_eq!(parse_blob_header(&h), Some((BlobKind::Data, 300)));
        assert_eq!(parse_blob_header(&h[..5]), None);
        assert_eq!(parse_blob_header(&[0x18, 1]), None); // no type
    }
}
