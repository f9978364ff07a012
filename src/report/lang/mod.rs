//! The report's languages: every visible string of the page, the Markdown, the map, the
//! histograms and the terminal summary, one table per language ([`en`], [`zh`]), and numbers
//! and units written the way each language writes them (`1283.5 ha` / `1283.5 公顷`,
//! `300 m` / `300 米`). Column names of CSV and JSON are an interface and stay English.

mod en;
mod zh;

use std::fmt::{self, Display};
use std::str::FromStr;

use crate::report::{Gap, WeightSource};
use crate::standard::homes::HomeFilter;
use crate::standard::{Category, Standard, Tier};

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese, a Chinese planning bureau's vocabulary.
    Zh,
    /// English.
    En,
}

/// Presets whose report defaults to Chinese.
const CHINESE_PRESETS: [&str; 5] = ["jiangbei", "jiangbei-alt", "gbt51346", "gb50137", "ydyh"];

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// `zh` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language a report under `standard` defaults to: Chinese for the Jiangbei and
    /// GB/T 51346 presets and for any standard whose tiers carry Chinese labels (the Chinese
    /// land-use presets and files written for Chinese plans), English otherwise.
    pub fn default_for(standard: &Standard) -> Lang {
        let chinese_labels =
            !standard.tiers.is_empty() && standard.tiers.iter().all(|t| has_cjk(&t.label));
        if CHINESE_PRESETS.contains(&standard.name.as_str()) || chinese_labels {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The string of `key`.
    pub(crate) fn t(self, key: Key) -> &'static str {
        match self {
            Lang::Zh => zh::text(key),
            Lang::En => en::text(key),
        }
    }

    /// The string of `key` with `{0}`, `{1}`, ... replaced by `args`.
    pub(crate) fn f(self, key: Key, args: &[&dyn Display]) -> String {
        fill(self.t(key), args)
    }

    /// A distance: `300 m` / `300 米`.
    pub fn m(self, metres: f64) -> String {
        self.f(Key::UnitM, &[&metres])
    }

    /// A range of distances: `300–1000 m` / `300～1000 米`.
    pub fn m_range(self, a: f64, b: f64) -> String {
        self.f(Key::UnitMRange, &[&a, &b])
    }

    /// A scale-bar length: metres below 1 km, else kilometres.
    pub fn length(self, metres: f64) -> String {
        if metres >= 1000.0 {
            self.f(Key::UnitKm, &[&(metres / 1000.0)])
        } else {
            self.m(metres)
        }
    }

    /// An area in hectares with `decimals` decimals: `164.9 ha` / `164.9 公顷`.
    pub fn ha(self, m2: f64, decimals: usize) -> String {
        let v = format!("{:.*}", decimals, m2 / 1e4);
        self.f(Key::UnitHa, &[&v])
    }

    /// A share (0–1) as a percentage with one decimal: `12.3%`.
    pub fn pct(self, share: f64) -> String {
        format!("{:.1}%", 100.0 * share)
    }

    /// A tier as the reader knows it: `street_green 街头绿地` in English (the standard's name
    /// and its Chinese label), the label alone in Chinese (the name when there is none).
    pub fn tier(self, tier: &Tier) -> String {
        match self {
            Lang::Zh if !tier.label.is_empty() => tier.label.clone(),
            Lang::En if !tier.label.is_empty() => format!("{} {}", tier.name, tier.label),
            _ => tier.name.clone(),
        }
    }

    /// A tier's radius: `300 m`, or `500–1000 m by size` with size classes.
    pub fn radius(self, tier: &Tier) -> String {
        if tier.size_classes.is_empty() {
            self.m(tier.radius_m)
        } else {
            self.f(
                Key::RadiusBySize,
                &[&self.m_range(tier.radius_m, tier.max_radius())],
            )
        }
    }

    /// A category: its name, or in Chinese its first Chinese alias.
    pub fn category(self, c: &Category) -> String {
        match self {
            Lang::Zh => c
                .aliases
                .iter()
                .find(|a| has_cjk(a))
                .cloned()
                .unwrap_or_else(|| c.name.clone()),
            Lang::En => c.name.clone(),
        }
    }

    /// The tiers with their radii: `street_green 300 m, leisure 1000 m` /
    /// `街头绿地 300 米、休闲空间 1000 米`.
    pub fn describe_tiers(self, standard: &Standard) -> String {
        let sep = self.t(Key::ListSep);
        standard
            .tiers
            .iter()
            .map(|t| {
                let name = match self {
                    Lang::Zh => self.tier(t),
                    Lang::En => t.name.clone(),
                };
                format!("{name} {}", self.radius(t))
            })
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// Where the standard comes from, in this language when it is a built-in preset (the
    /// standard's own text otherwise, which is the user's).
    pub fn source(self, standard: &Standard) -> Option<&'static str> {
        let preset = crate::standard::presets::preset(&standard.name)?;
        if preset != *standard {
            return None;
        }
        match self {
            Lang::Zh => zh::preset_source(&standard.name),
            Lang::En => None,
        }
    }

    /// The grade of a share against the standard's thresholds (percent, ascending): met at
    /// the highest threshold reached, or below the lowest; `None` when the standard sets none.
    pub fn grade(self, share: f64, grades: &[f64]) -> Option<String> {
        let lowest = *grades.first()?;
        Some(
            match grades.iter().rev().find(|&&g| 100.0 * share >= g - 1e-9) {
                Some(g) => self.f(Key::GradeMet, &[g]),
                None => self.f(Key::GradeLow, &[&lowest]),
            },
        )
    }

    /// Where the standard's grades come from, in this language for the built-in presets' source
    /// (the standard's own text otherwise).
    pub fn grades_source(self, standard: &Standard) -> String {
        match self {
            Lang::Zh if standard.grades_source == crate::standard::presets::GARDEN_CITY_SOURCE => {
                zh::GARDEN_CITY_SOURCE.to_string()
            }
            _ => standard.grades_source.clone(),
        }
    }

    /// A time stamp `YYYY-MM-DDTHH:MM:SSZ` as this language writes it.
    pub fn date(self, rfc3339: &str) -> String {
        let b = rfc3339.as_bytes();
        let ok = b.len() == 20 && b[4] == b'-' && b[10] == b'T' && b[19] == b'Z';
        if !ok {
            return rfc3339.to_string();
        }
        let num = |r: std::ops::Range<usize>| rfc3339[r].parse::<u32>().unwrap_or(0);
        let (hh, mm) = (&rfc3339[11..13], &rfc3339[14..16]);
        match self {
            Lang::Zh => format!(
                "{}年{}月{}日 {hh}:{mm}（UTC）",
                num(0..4),
                num(5..7),
                num(8..10)
            ),
            Lang::En => format!("{} {hh}:{mm} UTC", &rfc3339[..10]),
        }
    }

    /// Which residential features are homes, as HTML.
    pub(crate) fn homes(self, rule: &HomeFilter) -> String {
        use crate::standard::homes::{
            HOME_BUILDINGS, MAX_YES_FOOTPRINT_M2, MIN_YES_FOOTPRINT_M2, NON_RESIDENTIAL_KEYS,
        };
        match rule {
            HomeFilter::All => self.t(Key::HomesAll).to_string(),
            HomeFilter::OsmHomes => self.f(
                Key::HomesOsm,
                &[
                    &HOME_BUILDINGS.join("/"),
                    &NON_RESIDENTIAL_KEYS.join("/"),
                    &self.area_m2(MIN_YES_FOOTPRINT_M2),
                    &self.area_m2(MAX_YES_FOOTPRINT_M2),
                ],
            ),
        }
    }

    /// How homes are weighted, as HTML.
    pub(crate) fn weighting(self, source: &WeightSource) -> String {
        match source {
            WeightSource::Points => self.t(Key::WeightPoints).to_string(),
            WeightSource::Property(p) => self.f(Key::WeightProperty, &[&escape(p)]),
            WeightSource::Population { path, field, .. } => self.f(
                Key::WeightPopulation,
                &[&escape(&path.display().to_string()), &escape(field)],
            ),
        }
    }

    /// A small area: `30 m²` / `30 平方米`.
    pub fn area_m2(self, m2: f64) -> String {
        self.f(Key::UnitM2, &[&m2])
    }

    /// A gap's shortfall: `77 m`, `120–480 m`, or `nothing within 5000 m`.
    pub fn shortfall(self, gap: &Gap, limit_m: f64) -> String {
        match (self, gap.shortfall_min_m, gap.shortfall_max_m) {
            (Lang::En, _, _) => gap.shortfall_text(limit_m),
            (_, Some(a), Some(b)) if (b - a).abs() < 0.5 => self.m(a.round()),
            (_, Some(a), Some(b)) => self.m_range(a.round(), b.round()),
            _ => self.f(Key::NothingWithin, &[&self.m(limit_m)]),
        }
    }

    /// A shortfall percentile: `77 m` / `77 米`, `> 4700 m` when among homes with nothing
    /// within the search limit.
    pub fn shortfall_value(self, v: &crate::run::summary::Shortfall) -> String {
        use crate::run::summary::Shortfall;
        match v {
            Shortfall::At(m) => self.m(m.round()),
            Shortfall::Above(m) => format!("> {}", self.m(m.round())),
        }
    }

    /// A role of an input file (`green`, `residential`, `zones`, ...).
    pub fn role(self, role: &str) -> String {
        let key = match role {
            "green" => Key::RoleGreen,
            "points" => Key::RolePoints,
            "residential" => Key::RoleResidential,
            "area" => Key::RoleArea,
            "population" => Key::RolePopulation,
            "zones" => Key::RoleZones,
            "land" => Key::RoleLand,
            "proposed" => Key::RoleProposed,
            other => return other.to_string(),
        };
        self.t(key).to_string()
    }

    /// A reason a feature was skipped or a green space ignored, as HTML, translated when it is
    /// one the library writes; `None` for any other text (to be shown as written).
    pub fn reason(self, reason: &str) -> Option<String> {
        if self == Lang::En {
            return Some(escape(reason));
        }
        zh::reason(reason)
    }

    /// Zone name of the report's "outside every zone" row.
    pub fn zone_name(self, name: &str) -> String {
        if name == crate::report::OUTSIDE_ZONES {
            self.t(Key::OutsideZones).to_string()
        } else {
            name.to_string()
        }
    }

    /// A width in pixels of `text` at `font_px` (CJK characters are about one em wide, Latin
    /// ones about 0.58 em), for laying out SVG legends.
    pub fn text_width(text: &str, font_px: f64) -> f64 {
        text.chars()
            .map(|c| if is_cjk(c) { 1.0 } else { 0.58 })
            .sum::<f64>()
            * font_px
    }
}

impl Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" | "cn" => Ok(Lang::Zh),
            "en" | "en-gb" | "en-us" => Ok(Lang::En),
            _ => Err(format!("unknown language {s:?}: zh or en")),
        }
    }
}

/// Escape text for HTML and XML.
pub(crate) fn escape(t: &str) -> String {
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CJK ideograph or CJK punctuation/full-width form.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Whether `s` holds a CJK ideograph.
pub(crate) fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF))
}

/// Replace `{0}` ... `{9}` in `template` by `args`; a placeholder without an argument stays.
pub(crate) fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out += &rest[..i];
        let tail = &rest[i..];
        let b = tail.as_bytes();
        if b.len() >= 3 && b[1].is_ascii_digit() && b[2] == b'}' {
            match args.get((b[1] - b'0') as usize) {
                Some(a) => out += &a.to_string(),
                None => out += &tail[..3],
            }
            rest = &tail[3..];
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out + rest
}

/// The placeholders of a template, sorted.
#[cfg(test)]
fn placeholders(template: &str) -> Vec<u8> {
    let b = template.as_bytes();
    let mut v: Vec<u8> = (0..b.len().saturating_sub(2))
        .filter(|&i| b[i] == b'{' && b[i + 1].is_ascii_digit() && b[i + 2] == b'}')
        .map(|i| b[i + 1] - b'0')
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

macro_rules! keys {
    ($($k:ident),* $(,)?) => {
        /// A visible string of the report; [`Lang::t`] gives its text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(missing_docs)]
        pub(crate) enum Key { $($k),* }
        impl Key {
            /// Every key.
            #[cfg(test)]
            pub(crate) const ALL: &'static [Key] = &[$(Key::$k),*];
        }
    };
}

keys! {
    // units and small words
    UnitM, UnitMRange, UnitKm, UnitHa, UnitM2, RadiusBySize, ListSep, GradeMet, GradeLow, Colon, Total, OutsideZones, AllTiers, EveryTierMet,
    // page
    PageTitle, Heading, SubStandard, SubCounts, HeadHeadline, CardWithin, CardOfHomes,
    CardOfResidents, CardOfLand, LandNote, HeadMap, HeadDistances, HistCaption, HeadZones,
    ColZone, ColHomes, ColTierWithin, ColResidentsAll, ColLandAll, HeadAreas, AreasNote, ColArea,
    ColSize, HeadGaps, GapsNote, ColTier, ColRank, ColResidents, ColExtent, ColNearest,
    ColShortfall, NothingWithin, HeadMethod, MethodStandard, MethodHomes, MethodWeighting,
    MethodDistance, MethodCounts, GreenIgnored, HomesSkipped, ColInputFile, ColRole, ColCrs,
    ColFeatures, HeadWarnings, WarningsNote, Attribution, Unassigned, OutsideCells, PrintFooter,
    Conclusion, ConclusionTier, ConclusionLand,
    // homes rule and weighting
    HomesAll, HomesOsm, WeightPoints, WeightProperty, WeightPopulation,
    // roles of input files
    RoleGreen, RolePoints, RoleResidential, RoleArea, RolePopulation, RoleZones, RoleLand,
    // map and histograms
    MapLabel, MapAllMet, MapMet, MapCaption, MapSampled, North, HistFar, HistNone,
    // markdown and terminal
    MdTitle, MdGenerated, ColRadius, ColHomesWithin, ColResidentsWithin, ColLandWithin,
    ColGrade, MdByZone, MdNoneWithin, HeadInputs, TermStandard, TermLand,
    TermReport, TermPdf,
    // land basis, shortfall, spaces counted, places
    CardOfFootprint, LandNoteFootprint, LandGrades, ColFootprintWithin, HeadShortfall,
    ColOutOfReach, ColMedian, ColP75, ColP90, ShortfallNote, HeadSpaces, ColSpaces, ColAreaHa,
    ColServingMost, ColLargestCounted, ColCategory, ColWhyCounts, ColHomesServed, InsideShare,
    SpacesOutside, ColLargestKeptOut, ColWhy, KeptOutNote, ServingMostIn, EmptyZones, ColWhere,
    GradesAnd, GradeSuffix, TermFootprint, ServingMostItem,
    ColHomesServedPerTier, RoleProposed, HeadProposed, ProposedNote, ColHomesBeforeAfter,
    ColChange, HeadProposedAreas, HeadProposedSpaces, ColSpace, ProposedIgnored,
    // on foot (--metric walk)
    HeadWalk, WalkNote, EnteredBy, EntryGate, EntryCrossing, EntryPseudo, EntrySnapped,
    ColOnFoot, ColStraight, ColLost, ColResidentsOnFoot, ColResidentsStraight, WalkZonesNote,
    HeadLost, LostNote, ColStraightM, ColWalkM, ColDetour, NoneLost, DetourTimes, TermWalkTier,
    MapLost, MethodDistanceWalk, CardWithinOnFoot, ColHomesOnFoot,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::presets;

    #[test]
    fn every_key_has_text_with_the_same_placeholders_in_both_languages() {
        for &k in Key::ALL {
            let (e, z) = (Lang::En.t(k), Lang::Zh.t(k));
            assert!(!e.trim().is_empty(), "{k:?}: empty in en");
            assert!(!z.trim().is_empty(), "{k:?}: empty in zh");
            assert_eq!(placeholders(e), placeholders(z), "{k:?}: {e:?} vs {z:?}");
        }
    }

    /// Latin words a Chinese string may hold: names, units and file formats.
    pub(crate) const ALLOWED_LATIN: [&str; 11] = [
        "G",
        "PDF",
        "greenreach",
        "OpenStreetMap",
        "OSM",
        "ODbL",
        "SHA",
        "UTC",
        "GB",
        "T",
        "WHO",
    ];

    /// Latin words (2+ letters, or a letter standing alone) of `s` not in the allow-list.
    pub(crate) fn latin_words(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty() && !ALLOWED_LATIN.contains(w))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn chinese_strings_hold_no_english() {
        for &k in Key::ALL {
            let z = Lang::Zh.t(k);
            // Markup inside a string is not text.
            let text: String = strip_tags(z);
            let words = latin_words(&text);
            assert!(words.is_empty(), "{k:?}: {z:?} holds {words:?}");
        }
        for name in presets::NAMES {
            if let Some(s) = zh::preset_source(name) {
                let words = latin_words(s);
                assert!(words.is_empty(), "{name}: {words:?}");
            }
        }
    }

    /// The text of a string's markup, without `<code>` elements (file names).
    fn strip_tags(s: &str) -> String {
        let mut s = s.to_string();
        while let (Some(i), Some(j)) = (s.find("<code"), s.find("</code>")) {
            s.replace_range(i..j + 7, "");
        }
        let mut out = String::new();
        let mut inside = false;
        for c in s.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn units_and_numbers() {
        assert_eq!(Lang::Zh.m(300.0), "300 米");
        assert_eq!(Lang::En.m(300.0), "300 m");
        assert_eq!(Lang::Zh.ha(12_835_000.0, 1), "1283.5 公顷");
        assert_eq!(Lang::En.ha(12_835_000.0, 1), "1283.5 ha");
        assert_eq!(Lang::Zh.length(2000.0), "2 公里");
        assert_eq!(Lang::En.length(500.0), "500 m");
        assert_eq!(Lang::Zh.m_range(500.0, 1000.0), "500～1000 米");
        assert_eq!(Lang::Zh.pct(0.8481), "84.8%");
        assert_eq!(
            Lang::Zh.date("2026-11-22T08:05:31Z"),
            "2026年11月22日 08:05（UTC）"
        );
        assert_eq!(
            Lang::En.date("2026-11-22T08:05:31Z"),
            "2026-11-22 08:05 UTC"
        );
        assert_eq!(Lang::Zh.date("garbled"), "garbled");
    }

    #[test]
    fn fill_replaces_numbered_placeholders() {
        assert_eq!(fill("{1} of {0}", &[&1, &"b"]), "b of 1");
        assert_eq!(fill("{x} {0} {5}", &[&2]), "{x} 2 {5}");
        assert_eq!(fill("end {", &[]), "end {");
    }

    #[test]
    fn tiers_and_categories_in_chinese() {
        let s = presets::jiangbei();
        assert_eq!(Lang::Zh.tier(&s.tiers[0]), "街头绿地");
        assert_eq!(Lang::En.tier(&s.tiers[0]), "street_green 街头绿地");
        assert_eq!(Lang::Zh.category(&s.categories[0]), "公园");
        assert_eq!(
            Lang::Zh.describe_tiers(&s),
            "街头绿地 300 米、休闲空间 1000 米、公园 2000 米"
        );
        assert_eq!(
            Lang::En.describe_tiers(&s),
            "street_green 300 m, leisure 1000 m, park 2000 m"
        );
        let g = presets::gbt51346();
        assert_eq!(Lang::Zh.radius(&g.tiers[1]), "500～1000 米（按规模）");
        assert!(Lang::Zh.source(&s).unwrap().contains("江北区"));
        let mut edited = s.clone();
        edited.tiers[0].radius_m = 500.0;
        assert_eq!(
            Lang::Zh.source(&edited),
            None,
            "an edited preset is the user's"
        );
    }

    #[test]
    fn default_language() {
        for name in ["jiangbei", "jiangbei-alt", "gbt51346", "gb50137", "ydyh"] {
            assert_eq!(Lang::default_for(&presets::preset(name).unwrap()), Lang::Zh);
        }
        for name in ["who-europe", "angst", "3-30-300"] {
            assert_eq!(Lang::default_for(&presets::preset(name).unwrap()), Lang::En);
        }
        // A file written for a Chinese plan: every tier labelled in Chinese.
        let mut s = presets::who_europe();
        s.name = "my-plan".into();
        s.tiers[0].label = "口袋公园".into();
        assert_eq!(Lang::default_for(&s), Lang::Zh);
        assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("fr".parse::<Lang>().is_err());
    }

    #[test]
    fn library_reasons_are_translated() {
        for r in [
            "not a home: no building tag",
            "not a home: non-dwelling building type",
            "not a home: building=yes with a non-residential use",
            "not a home: named building=yes",
            "not a home: building=yes under 30 m²",
            "not a home: building=yes over 2000 m²",
            "below the minimum area",
            "not green space under the standard",
            "excluded (access=private)",
            "unknown category \"x\"",
            "line geometry is not a demand point",
        ] {
            let z = Lang::Zh.reason(r).unwrap_or_else(|| panic!("{r}"));
            assert!(has_cjk(&z), "{r} → {z}");
        }
        assert_eq!(Lang::Zh.reason("something new"), None);
        // The standard's rule texts.
        for (en, zh) in [
            (
                "leisure=park, 1.30 ha ≥ 1 ha",
                "<code>leisure=park</code>，1.30 公顷 ≥ 1 公顷",
            ),
            (
                "leisure=park, 300 m² < 400 m²",
                "<code>leisure=park</code>，300 平方米 &lt; 400 平方米",
            ),
            (
                "leisure=playground (point)",
                "<code>leisure=playground</code>（点要素）",
            ),
            (
                "fee=yes: not open to the public",
                "<code>fee=yes</code>：不对公众开放",
            ),
            ("category=公园", "<code>category=公园</code>"),
            ("no rule of the standard matches", "不符合本标准的任何规则"),
            (
                "not counted (leisure=park with sport=swimming)",
                "不计入（<code>leisure=park</code> 且 <code>sport=swimming</code>）",
            ),
        ] {
            assert_eq!(Lang::Zh.reason(en).as_deref(), Some(zh), "{en}");
        }
        assert_eq!(Lang::En.reason("a<b").as_deref(), Some("a&lt;b"));
    }
}
