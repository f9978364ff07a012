//! Which OSM ways are walkable, in which direction, and where a home may join them.
//!
//! Walkable: `highway` in footway, path, pedestrian, steps, living_street, residential, service,
//! unclassified, road, tertiary(_link), secondary(_link), primary(_link), track, corridor,
//! crossing, bridleway; cycleway only with `foot=yes|designated|permissive`; trunk(_link) only
//! with `--walk-trunk` or a `sidewalk=both|left|right|yes` or `sidewalk:both|left|right=yes`
//! tag. Never: motorway(_link), `motorroad=yes`, `foot=no|private|use_sidepath`,
//! `access=no|private` without `foot=yes|designated|permissive`, construction, proposed,
//! abandoned, platforms.
//! `oneway` is for vehicles and ignored; `oneway:foot=yes|-1` is honoured.

/// The tags of one way, looked up by key.
pub(crate) trait TagLookup {
    /// The value of `key`, if present.
    fn tag(&self, key: &str) -> Option<&str>;
}

impl TagLookup for [(String, String)] {
    fn tag(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Highway values walkable on their own.
const WALKABLE: &[&str] = &[
    "footway",
    "path",
    "pedestrian",
    "steps",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "road",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
    "track",
    "corridor",
    "crossing",
    "bridleway",
];

/// How a walkable way may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WayRule {
    /// Walkable in the way's direction.
    pub forward: bool,
    /// Walkable against the way's direction.
    pub backward: bool,
    /// A bridge (`bridge=*` other than `no`).
    pub bridge: bool,
    /// A tunnel (`tunnel=*` other than `no`, or `covered=yes` corridors are not counted).
    pub tunnel: bool,
    /// `highway=steps`.
    pub steps: bool,
}

impl WayRule {
    /// At ground level: not a bridge or tunnel. Only these cross green-space boundaries and
    /// take entrance joins.
    pub(crate) fn at_ground(&self) -> bool {
        !self.bridge && !self.tunnel
    }

    /// A home may snap to it: at ground level and not steps.
    pub(crate) fn snappable(&self) -> bool {
        self.at_ground() && !self.steps
    }
}

fn is_yes(v: Option<&str>) -> bool {
    v.is_some_and(|v| v != "no")
}

/// The rule for a way with these tags, or `None` when it is not walkable. `walk_trunk` makes
/// every trunk road walkable.
pub(crate) fn classify<T: TagLookup + ?Sized>(tags: &T, walk_trunk: bool) -> Option<WayRule> {
    let highway = tags.tag("highway")?;
    let foot = tags.tag("foot");
    let foot_allowed = matches!(foot, Some("yes" | "designated" | "permissive"));
    let walkable_type = match highway {
        h if WALKABLE.contains(&h) => true,
        "cycleway" => foot_allowed,
        "trunk" | "trunk_link" => {
            walk_trunk
                || foot_allowed
                || matches!(
                    tags.tag("sidewalk"),
                    Some("both" | "left" | "right" | "yes")
                )
                || ["sidewalk:both", "sidewalk:left", "sidewalk:right"]
                    .iter()
                    .any(|k| tags.tag(k) == Some("yes"))
        }
        _ => false,
    };
    if !walkable_type
        || tags.tag("motorroad") == Some("yes")
        || matches!(foot, Some("no" | "private" | "use_sidepath"))
        || (matches!(tags.tag("access"), Some("no" | "private")) && !foot_allowed)
        || tags.tag("public_transport") == Some("platform")
        || tags.tag("railway") == Some("platform")
        || tags.tag("construction").is_some_and(|v| v != "no")
    {
        return None;
    }
    let (forward, backward) = match tags.tag("oneway:foot") {
        Some("yes" | "1" | "true") => (true, false),
        Some("-1" | "reverse") => (false, true),
        _ => (true, true),
    };
    Some(WayRule {
        forward,
        backward,
        bridge: is_yes(tags.tag("bridge")),
        tunnel: is_yes(tags.tag("tunnel")),
        steps: highway == "steps",
    })
}

/// Is this tagged node an entrance of whatever it lies on (`entrance=*` or `barrier=gate`)?
pub(crate) fn is_entrance<T: TagLookup + ?Sized>(tags: &T) -> bool {
    tags.tag("entrance").is_some_and(|v| v != "no") || tags.tag("barrier") == Some("gate")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn rule(pairs: &[(&str, &str)]) -> Option<WayRule> {
        classify(tags(pairs).as_slice(), false)
    }

    #[test]
    fn walkable_and_not() {
        assert!(rule(&[("highway", "residential")]).is_some());
        assert!(rule(&[("highway", "footway")]).is_some());
        assert!(rule(&[("highway", "motorway")]).is_none());
        assert!(rule(&[("highway", "motorway_link"), ("foot", "yes")]).is_none());
        assert!(rule(&[("highway", "primary"), ("motorroad", "yes")]).is_none());
        assert!(rule(&[("highway", "path"), ("foot", "no")]).is_none());
        assert!(rule(&[("highway", "service"), ("access", "private")]).is_none());
        assert!(
            rule(&[
                ("highway", "service"),
                ("access", "private"),
                ("foot", "yes")
            ])
            .is_some()
        );
        assert!(rule(&[("highway", "construction")]).is_none());
        assert!(rule(&[("highway", "proposed")]).is_none());
        assert!(rule(&[("highway", "platform")]).is_none());
        assert!(rule(&[("highway", "cycleway")]).is_none());
        assert!(rule(&[("highway", "cycleway"), ("foot", "designated")]).is_some());
        assert!(rule(&[("railway", "rail")]).is_none());
    }

    #[test]
    fn trunk_needs_a_sidewalk_or_the_flag() {
        assert!(rule(&[("highway", "trunk")]).is_none());
        assert!(rule(&[("highway", "trunk"), ("sidewalk", "both")]).is_some());
        assert!(rule(&[("highway", "trunk"), ("sidewalk", "separate")]).is_none());
        assert!(rule(&[("highway", "trunk"), ("sidewalk:left", "yes")]).is_some());
        assert!(rule(&[("highway", "trunk"), ("sidewalk:both", "separate")]).is_none());
        assert!(classify(tags(&[("highway", "trunk")]).as_slice(), true).is_some());
    }

    #[test]
    fn oneway_is_for_vehicles() {
        let r = rule(&[("highway", "residential"), ("oneway", "yes")]).unwrap();
        assert!(r.forward && r.backward);
        let r = rule(&[("highway", "path"), ("oneway:foot", "yes")]).unwrap();
        assert!(r.forward && !r.backward);
        let r = rule(&[("highway", "path"), ("oneway:foot", "-1")]).unwrap();
        assert!(!r.forward && r.backward);
    }

    #[test]
    fn bridges_tunnels_steps() {
        let r = rule(&[("highway", "footway"), ("bridge", "yes")]).unwrap();
        assert!(r.bridge && !r.at_ground() && !r.snappable());
        let r = rule(&[("highway", "footway"), ("bridge", "no")]).unwrap();
        assert!(r.at_ground());
        let r = rule(&[("highway", "steps")]).unwrap();
        assert!(r.at_ground() && !r.snappable());
    }

    #[test]
    fn entrances() {
        assert!(is_entrance(tags(&[("barrier", "gate")]).as_slice()));
        assert!(is_entrance(tags(&[("entrance", "main")]).as_slice()));
        assert!(!is_entrance(tags(&[("barrier", "bollard")]).as_slice()));
    }
}
