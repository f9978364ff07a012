//! `--export-network`: the walking graph as used, WGS84 GeoJSON, to check any route in QGIS
//! or with networkx/scipy.
//!
//! Features: every edge (`kind: edge`, nodes `u`, `v`, `length_m`, `forward`/`backward`
//! walkable, `snap` when homes may join it, `bridge`/`tunnel`/`steps`, the input `way`);
//! every node (`kind: junction` or `entrance`, `node`); every entrance (`kind: start`, its
//! `node`, green `feature` number and `label`, `offset_m`, `how`, and per tier
//! `<tier>_start_m`, the value the tier's search starts it at, absent when the feature does not
//! serve the tier); every home that joined the network (`kind: home-snap`, `id`, `edge`, `u`,
//! `v`, `along_u_m`, `along_v_m`, `snap_m`). A home's walk in a tier is `snap_m` plus the least
//! over its edge's walkable ends of `along_*_m` plus the end's distance to the nearest start
//! (start values included), minus the start feature's size-class offset (`R − r`).

use std::io::{self, Write};
use std::path::Path;

use crate::crs::LocalPlane;
use crate::engine::walk::network::flag;
use crate::engine::walk::{NodeKind, Snap, WalkReach};
use crate::io::atomic::AtomicFile;
use crate::run::demand::DemandPoints;
use crate::run::green::GreenSpaces;
use crate::standard::Standard;

fn ll(plane: &LocalPlane, c: geo::Coord) -> io::Result<(f64, f64)> {
    let g = plane
        .inverse(c)
        .map_err(|e| io::Error::other(e.to_string()))?;
    Ok((g.x, g.y))
}

/// Write the graph of `reach` to `path`.
#[allow(clippy::too_many_lines)] // one GeoJSON document streamed: the nodes, then the edges
pub(crate) fn write(
    path: &Path,
    reach: &WalkReach,
    standard: &Standard,
    green: &GreenSpaces,
    plane: &LocalPlane,
    points: &DemandPoints,
    snaps: &[Option<Snap>],
) -> io::Result<()> {
    let net = reach.network();
    let mut w = AtomicFile::create(path)?;
    let json = |s: &str| serde_json::to_string(s).map_err(io::Error::other);
    writeln!(w, "{{\"type\":\"FeatureCollection\",\"features\":[")?;
    let mut first = true;
    let mut sep = |w: &mut AtomicFile| -> io::Result<()> {
        if !first {
            writeln!(w, ",")?;
        }
        first = false;
        Ok(())
    };
    let lonlat: Vec<(f64, f64)> = net
        .xy
        .iter()
        .map(|&c| ll(plane, c))
        .collect::<io::Result<_>>()?;
    for e in 0..net.edge_count() {
        sep(&mut w)?;
        let (u, v) = (net.edge_u[e] as usize, net.edge_v[e] as usize);
        let f = net.edge_flags[e];
        let b = |bit: u8| f & bit != 0;
        write!(
            w,
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{:.8},{:.8}],[{:.8},{:.8}]]}},\"properties\":{{\"kind\":\"edge\",\"edge\":{e},\"u\":{u},\"v\":{v},\"length_m\":{:.6},\"forward\":{},\"backward\":{},\"snap\":{},\"bridge\":{},\"tunnel\":{},\"steps\":{},\"way\":{}}}}}",
            lonlat[u].0,
            lonlat[u].1,
            lonlat[v].0,
            lonlat[v].1,
            net.edge_len[e],
            b(flag::FORWARD),
            b(flag::BACKWARD),
            b(flag::SNAP),
            b(flag::BRIDGE),
            b(flag::TUNNEL),
            b(flag::STEPS),
            net.edge_way[e]
        )?;
    }
    for (n, &(x, y)) in lonlat.iter().enumerate() {
        sep(&mut w)?;
        let kind = match net.kind[n] {
            NodeKind::Junction => "junction",
            NodeKind::Entrance => "entrance",
        };
        write!(
            w,
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x:.8},{y:.8}]}},\"properties\":{{\"kind\":\"{kind}\",\"node\":{n}}}}}"
        )?;
    }
    for e in &net.entrances {
        sep(&mut w)?;
        let (x, y) = lonlat[e.node as usize];
        let f = &green.features[e.feature as usize];
        write!(
            w,
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x:.8},{y:.8}]}},\"properties\":{{\"kind\":\"start\",\"node\":{},\"feature\":{},\"label\":{},\"offset_m\":{:.6},\"how\":\"{}\"",
            e.node,
            e.feature,
            json(&f.label)?,
            e.offset_m,
            e.kind.name()
        )?;
        for (t, tier) in standard.tiers.iter().enumerate() {
            if let Some(start) = reach.start_value(t, e) {
                write!(w, ",\"{}_start_m\":{start:.6}", tier.name)?;
            }
        }
        write!(w, "}}}}")?;
    }
    for (i, s) in snaps.iter().enumerate() {
        let Some(s) = s else { continue };
        sep(&mut w)?;
        let e = s.edge as usize;
        let (u, v) = (net.edge_u[e], net.edge_v[e]);
        let p = net.xy[u as usize] + (net.xy[v as usize] - net.xy[u as usize]) * s.t;
        let (x, y) = ll(plane, p)?;
        let len = net.edge_len[e];
        write!(
            w,
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x:.8},{y:.8}]}},\"properties\":{{\"kind\":\"home-snap\",\"home\":{i},\"id\":{},\"edge\":{e},\"u\":{u},\"v\":{v},\"along_u_m\":{:.6},\"along_v_m\":{:.6},\"snap_m\":{:.6}}}}}",
            json(&points.ids.get(i))?,
            s.t * len,
            (1.0 - s.t) * len,
            s.gap_m
        )?;
    }
    writeln!(w, "\n]}}")?;
    w.commit()
}
