//! Built-in standards. Each carries a one-line source; `greenreach standards` lists them.

use super::{Category, Kind, Rule, SizeClass, Standard, TagMatch, Tier};

/// Names of the built-in presets, in listing order.
pub const NAMES: [&str; 8] = [
    "jiangbei",
    "jiangbei-alt",
    "gbt51346",
    "who-europe",
    "angst",
    "3-30-300",
    "gb50137",
    "ydyh",
];

/// The preset called `name`.
pub fn preset(name: &str) -> Option<Standard> {
    Some(match name {
        "jiangbei" => jiangbei(),
        "jiangbei-alt" => jiangbei_alt(),
        "gbt51346" => gbt51346(),
        "who-europe" => who_europe(),
        "angst" => angst(),
        "3-30-300" => three_30_300(),
        "gb50137" => gb50137(),
        "ydyh" => ydyh(),
        _ => return None,
    })
}

/// Every preset, in listing order.
pub fn all() -> Vec<Standard> {
    NAMES.iter().filter_map(|n| preset(n)).collect()
}

/// Parks and public gardens. Not nature reserves (`leisure=nature_reserve` is a protection
/// status, CJJ/T 85-2017 puts reserves in 区域绿地 EG, not 公园绿地 G1), and not a "park"
/// tagged with a sport (a pool or a sports ground mapped as `leisure=park`, see `NOT_SPORT`).
const PARK: &str = "leisure=park|garden";
/// A park-tagged feature with any `sport` is a sports facility, not a park.
const NOT_SPORT: &str = "sport=*";
/// Leisure spaces open to everyone: playgrounds, fitness stations, recreation grounds,
/// commons, village greens, squares. Not sports pitches (`leisure=pitch`): they are sports
/// facilities, often of clubs, schools or private owners.
const LEISURE: [&str; 3] = [
    "leisure=playground|recreation_ground|fitness_station|dog_park|common",
    "landuse=recreation_ground|village_green",
    "place=square",
];
/// Small public green in streets (街头绿地): lawns, village greens and flower beds. Forests,
/// woods, scrub and heath are regional green (区域绿地), farm meadows are agriculture: neither
/// is street greenery; the green-space presets (WHO, 3-30-300, ANGSt) count them.
const STREET_GREEN: &str = "landuse=grass|village_green|flowerbed";
/// Green space in the broad sense of the WHO and 3-30-300 presets.
const GREEN: [&str; 2] = [
    "landuse=grass|meadow|forest|flowerbed",
    "natural=wood|scrub|grassland|heath",
];
/// Never open to the public: private, customers-only or fee-paying sites, golf courses,
/// cemeteries.
const EXCLUDE: [&str; 5] = [
    "access=private|no|customers",
    "fee=yes",
    "leisure=golf_course",
    "landuse=cemetery",
    "amenity=grave_yard",
];
/// The national garden-city grades for 公园绿地服务半径覆盖率.
const GARDEN_CITY_GRADES: [f64; 2] = [80.0, 90.0];
pub(crate) const GARDEN_CITY_SOURCE: &str = "国家园林城市 / 国家生态园林城市 evaluation standards (GB/T 50563-2010): park service-radius coverage ≥ 80% and ≥ 90%";

fn tags(specs: &[&str]) -> Vec<TagMatch> {
    specs
        .iter()
        .map(|s| TagMatch::parse(s).expect("preset tags are well formed"))
        .collect()
}

fn rule(specs: &[&str], kinds: &[Kind], min_area_m2: f64) -> Rule {
    Rule {
        any_tag: tags(specs),
        kinds: kinds.to_vec(),
        min_area_m2,
        unless: vec![],
    }
}

/// A park rule: park tags of at least `min_area_m2`, unless tagged with a sport.
fn park_rule(extra: &[&str], min_area_m2: f64) -> Rule {
    let specs: Vec<&str> = [PARK].into_iter().chain(extra.iter().copied()).collect();
    Rule {
        unless: tags(&[NOT_SPORT]),
        ..rule(&specs, AREA, min_area_m2)
    }
}

fn category(name: &str, aliases: &[&str], rules: Vec<Rule>) -> Category {
    Category {
        name: name.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        rules,
    }
}

fn tier(name: &str, label: &str, radius_m: f64, accepts: Vec<usize>) -> Tier {
    Tier {
        name: name.into(),
        label: label.into(),
        radius_m,
        size_classes: vec![],
        accepts,
    }
}

fn classes(pairs: &[(f64, f64)]) -> Vec<SizeClass> {
    pairs
        .iter()
        .map(|&(min_area_m2, radius_m)| SizeClass {
            min_area_m2,
            radius_m,
        })
        .collect()
}

const AREA: &[Kind] = &[Kind::Area];

/// park ≥ 1 ha; leisure: parks ≥ 400 m² and leisure places of any size; street green:
/// parks, lawns, village greens and flower beds ≥ 400 m². Shared by both Jiangbei texts.
fn jiangbei_categories() -> Vec<Category> {
    vec![
        category("park", &["公园"], vec![park_rule(&[], 10_000.0)]),
        category(
            "leisure",
            &["休闲空间"],
            vec![
                park_rule(&[], 400.0),
                rule(&LEISURE, &[Kind::Area, Kind::Point], 0.0),
            ],
        ),
        category(
            "street_green",
            &["街头绿地", "街头游园"],
            vec![park_rule(&[STREET_GREEN], 400.0)],
        ),
    ]
}

/// The Jiangbei district plan: street greenery 300 m, leisure space 1000 m, park 2000 m.
pub fn jiangbei() -> Standard {
    Standard {
        name: "jiangbei".into(),
        source: "Jiangbei District (Chongqing) green space plan: street greenery (街头绿地) within 300 m, leisure space (休闲空间) within 1000 m, park (公园) within 2000 m of every home".into(),
        tiers: vec![
            tier("street_green", "街头绿地", 300.0, vec![0, 1, 2]),
            tier("leisure", "休闲空间", 1000.0, vec![0, 1]),
            tier("park", "公园", 2000.0, vec![0]),
        ],
        categories: jiangbei_categories(),
        exclude: tags(&EXCLUDE),
        grades: GARDEN_CITY_GRADES.to_vec(),
        grades_source: GARDEN_CITY_SOURCE.into(),
    }
}

/// The other text of the Jiangbei plan: leisure 500 m, street garden 1000 m, park 2000 m.
pub fn jiangbei_alt() -> Standard {
    Standard {
        name: "jiangbei-alt".into(),
        source: "Jiangbei District (Chongqing) green space plan, alternative text: leisure space (休闲空间) within 500 m, street garden (街头游园) within 1000 m, park (公园) within 2000 m".into(),
        tiers: vec![
            tier("leisure", "休闲空间", 500.0, vec![0, 1]),
            tier("street_garden", "街头游园", 1000.0, vec![0, 1, 2]),
            tier("park", "公园", 2000.0, vec![0]),
        ],
        categories: jiangbei_categories(),
        exclude: tags(&EXCLUDE),
        grades: GARDEN_CITY_GRADES.to_vec(),
        grades_source: GARDEN_CITY_SOURCE.into(),
    }
}

/// GB/T 51346-2019 park service radii by class and size.
pub fn gbt51346() -> Standard {
    let mut community = tier("community_park", "社区公园", 500.0, vec![0, 1]);
    community.size_classes = classes(&[(50_000.0, 1000.0)]);
    let mut comprehensive = tier("comprehensive_park", "综合公园", 2000.0, vec![0]);
    comprehensive.size_classes = classes(&[(200_000.0, 3000.0)]);
    Standard {
        name: "gbt51346".into(),
        source: "GB/T 51346-2019 城市绿地规划标准, park grading table (公园绿地分级设置要求): 游园 0.4–1 ha 300 m; 社区公园 1–5 ha 500 m, 5–10 ha 800–1000 m; 综合公园 10–20 ha 1200–2000 m, 20–50 ha 2000–3000 m, ≥50 ha >3000 m (upper end of each range used)".into(),
        tiers: vec![
            tier("youyuan", "游园", 300.0, vec![0, 1, 2]),
            community,
            comprehensive,
        ],
        categories: vec![
            category("comprehensive_park", &["综合公园"], vec![park_rule(&[], 100_000.0)]),
            category("community_park", &["社区公园"], vec![park_rule(&[], 10_000.0)]),
            category(
                "youyuan",
                &["游园", "街头绿地"],
                vec![park_rule(&["place=square", "landuse=village_green"], 4_000.0)],
            ),
        ],
        exclude: tags(&EXCLUDE),
        grades: GARDEN_CITY_GRADES.to_vec(),
        grades_source: GARDEN_CITY_SOURCE.into(),
    }
}

/// Public green space in the broad sense: parks (not sports facilities), leisure places and
/// natural green of at least `min_area_m2`.
fn green_space_rules(min_area_m2: f64) -> Vec<Rule> {
    let specs: Vec<&str> = LEISURE.into_iter().chain(GREEN).collect();
    vec![park_rule(&[], min_area_m2), rule(&specs, AREA, min_area_m2)]
}

/// WHO Europe: a public green space of at least 0.5 ha within 300 m.
pub fn who_europe() -> Standard {
    Standard {
        name: "who-europe".into(),
        source: "WHO Regional Office for Europe, Urban green spaces: a brief for action (2017): green space of at least 0.5 ha within 300 m linear distance".into(),
        tiers: vec![tier("green_300m", "", 300.0, vec![0])],
        categories: vec![category("green_space", &[], green_space_rules(5_000.0))],
        exclude: tags(&EXCLUDE),
        grades: vec![],
        grades_source: String::new(),
    }
}

/// 3-30-300: a public park or green space within 300 m of every home.
pub fn three_30_300() -> Standard {
    Standard {
        name: "3-30-300".into(),
        source: "Konijnendijk (2023), the 3-30-300 rule: a high-quality public green space of at least 0.5–1 ha within 300 m of every home (0.5 ha used)".into(),
        tiers: vec![tier("park_300m", "", 300.0, vec![0])],
        categories: vec![category("green_space", &[], green_space_rules(5_000.0))],
        exclude: tags(&EXCLUDE),
        grades: vec![],
        grades_source: String::new(),
    }
}

/// Natural England's Accessible Natural Greenspace Standard.
pub fn angst() -> Standard {
    let natural: Vec<&str> = vec![
        "leisure=common|nature_reserve",
        "landuse=forest|meadow|grass|recreation_ground|village_green",
        "natural=wood|scrub|grassland|heath|wetland|fell",
    ];
    let site = |name: &str, ha: f64| {
        let m2 = ha * 10_000.0;
        category(
            name,
            &[],
            vec![park_rule(&[], m2), rule(&natural, AREA, m2)],
        )
    };
    Standard {
        name: "angst".into(),
        source: "Natural England, Nature Nearby: Accessible Natural Greenspace Guidance (2010): ≥2 ha within 300 m, ≥20 ha within 2 km, ≥100 ha within 5 km, ≥500 ha within 10 km".into(),
        tiers: vec![
            tier("site_2ha_300m", "", 300.0, vec![0, 1, 2, 3]),
            tier("site_20ha_2km", "", 2000.0, vec![0, 1, 2]),
            tier("site_100ha_5km", "", 5000.0, vec![0, 1]),
            tier("site_500ha_10km", "", 10_000.0, vec![0]),
        ],
        categories: vec![
            site("site_500ha", 500.0),
            site("site_100ha", 100.0),
            site("site_20ha", 20.0),
            site("site_2ha", 2.0),
        ],
        exclude: tags(&EXCLUDE),
        grades: vec![],
        grades_source: String::new(),
    }
}

/// Attribute names land-use maps give their code field (控规 / 国土空间 data).
/// A UTF-8 Shapefile cuts a name at 10 bytes: `用地代码` becomes `用地代`.
pub const LAND_CODE_FIELDS: [&str; 12] = [
    "用地代码",
    "用地编码",
    "地类编码",
    "用地分类",
    "用地代",
    "用地编",
    "地类编",
    "用地分",
    "YDDM",
    "YDBM",
    "DLBM",
    "landuse_code",
];

/// `field=values` for every code field name.
fn codes(values: &str) -> Vec<String> {
    LAND_CODE_FIELDS
        .iter()
        .map(|f| format!("{f}={values}"))
        .collect()
}

fn code_rule(values: &str, min_area_m2: f64) -> Rule {
    let specs = codes(values);
    let refs: Vec<&str> = specs.iter().map(String::as_str).collect();
    rule(&refs, AREA, min_area_m2)
}

fn land_use_tiers() -> Vec<Tier> {
    vec![
        tier("street_green", "街头绿地", 300.0, vec![0, 1, 2]),
        tier("leisure", "社区公园", 1000.0, vec![0, 1]),
        tier("park", "综合公园", 2000.0, vec![0]),
    ]
}

/// Land-use maps coded by GB 50137-2011 (G1 公园绿地, G3 广场用地) with the G1 subclasses of
/// CJJ/T 85 (G11 综合公园, G12 社区公园, G13 专类公园, G14 带状公园, G15 街旁绿地), under the
/// Jiangbei radii. A plain G1 parcel is placed by its size.
pub fn gb50137() -> Standard {
    Standard {
        name: "gb50137".into(),
        source: "Land-use map codes (GB 50137-2011 城市用地分类; G1 subclasses of CJJ/T 85): G11 综合公园 and G13 专类公园 (or a plain G1 ≥ 10 ha) serve 2000 m, G12 社区公园 (or G1 ≥ 1 ha) 1000 m, G14 带状公园, G15 街旁绿地, G3 广场用地 and any G1 300 m; codes read from 用地代码, 用地编码, 地类编码, 用地分类, YDDM, YDBM, DLBM or landuse_code".into(),
        tiers: land_use_tiers(),
        categories: vec![
            category(
                "park",
                &["综合公园", "专类公园"],
                vec![code_rule("G11*|G13*", 0.0), code_rule("G1", 100_000.0)],
            ),
            category(
                "leisure",
                &["社区公园"],
                vec![code_rule("G12*", 0.0), code_rule("G1", 10_000.0)],
            ),
            category(
                "street_green",
                &["带状公园", "街旁绿地", "广场用地"],
                vec![code_rule("G1*|G3*", 0.0)],
            ),
        ],
        exclude: tags(&EXCLUDE),
        grades: GARDEN_CITY_GRADES.to_vec(),
        grades_source: GARDEN_CITY_SOURCE.into(),
    }
}

/// Land-use maps coded by the 国土空间 用地用海 classification (1401 公园绿地, 1403 广场用地),
/// placed by size under the Jiangbei radii.
pub fn ydyh() -> Standard {
    Standard {
        name: "ydyh".into(),
        source: "国土空间调查、规划、用途管制用地用海分类 codes: 1401 公园绿地 ≥ 10 ha serves 2000 m, ≥ 1 ha 1000 m, any 1401 or 1403 广场用地 300 m (1402 防护绿地 serves no one); codes read from 用地代码, 用地编码, 地类编码, 用地分类, YDDM, YDBM, DLBM or landuse_code".into(),
        tiers: land_use_tiers(),
        categories: vec![
            category("park", &["综合公园"], vec![code_rule("1401*", 100_000.0)]),
            category("leisure", &["社区公园"], vec![code_rule("1401*", 10_000.0)]),
            category(
                "street_green",
                &["公园绿地", "广场用地"],
                vec![code_rule("1401*|1403*", 0.0)],
            ),
        ],
        exclude: tags(&EXCLUDE),
        grades: GARDEN_CITY_GRADES.to_vec(),
        grades_source: GARDEN_CITY_SOURCE.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_a_preset_with_valid_references() {
        for name in NAMES {
            let s = preset(name).unwrap();
            assert_eq!(s.name, name);
            assert!(!s.source.is_empty());
            for t in &s.tiers {
                assert!(!t.accepts.is_empty(), "{name}/{}", t.name);
                assert!(t.accepts.iter().all(|&c| c < s.categories.len()));
            }
        }
        assert!(preset("nope").is_none());
    }

    #[test]
    fn gbt51346_radius_grows_with_size() {
        let s = gbt51346();
        assert_eq!(s.tiers[1].radius_for(20_000.0), 500.0);
        assert_eq!(s.tiers[1].radius_for(60_000.0), 1000.0);
        assert_eq!(s.tiers[2].radius_for(150_000.0), 2000.0);
        assert_eq!(s.tiers[2].radius_for(300_000.0), 3000.0);
        assert_eq!(s.category_index("社区公园"), Some(1));
    }
}
