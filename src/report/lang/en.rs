//! English.

use super::Key::{self, *};

/// The English text of `key`.
// One flat table, a line per key: splitting it would only scatter the strings.
#[allow(clippy::too_many_lines)]
pub(super) fn text(key: Key) -> &'static str {
    match key {
        UnitM => "{0} m",
        UnitMRange => "{0}–{1} m",
        UnitKm => "{0} km",
        UnitM2 => "{0} m²",
        UnitHa => "{0} ha",
        RadiusBySize => "{0} by size",
        ListSep => ", ",
        GradeMet => "≥ {0}%",
        GradeLow => "< {0}%",
        Colon => ": ",
        Total => "total",
        OutsideZones => "outside every zone",
        AllTiers => "all tiers",
        EveryTierMet => "every tier met",

        PageTitle => "Green space reach — {0}",
        Heading => "Green space reach",
        SubStandard => "Standard <b>{0}</b>: {1}.",
        SubCounts => "{0} homes evaluated · generated {1} · greenreach {2}",
        HeadHeadline => "Headline",
        CardWithin => "within {0}",
        CardOfHomes => "of homes ({0} / {1})",
        CardOfResidents => "{0} of residents",
        CardOfLand => "{0} of residential land",
        HeadMap => "Map",
        HeadDistances => "Distance to the nearest qualifying space",
        HistCaption => {
            "<b>{0}</b> ({1}): homes by distance to the nearest qualifying space; green within the radius, dark red farther than the last bin, grey nothing within {2}"
        }
        HeadZones => "By zone, worst first",
        ColZone => "zone",
        ColHomes => "homes",
        ColTierWithin => "{0} ≤ {1}",
        ColResidentsAll => "residents, all tiers",
        ColLandAll => "land, all tiers",
        HeadAreas => "Residential polygons with the least land in reach",
        AreasNote => {
            "The 20 worst of {0} polygons; all are in <code translate=\"no\">areas.csv</code>."
        }
        ColArea => "area",
        ColSize => "size",
        HeadGaps => "Largest gaps",
        GapsNote => {
            "Homes that miss a tier, merged into areas (homes closer than the link distance belong to one gap), largest first. All gaps are in <code translate=\"no\">gaps.geojson</code>."
        }
        ColTier => "tier",
        ColRank => "#",
        ColResidents => "residents",
        ColExtent => "extent",
        ColNearest => "nearest qualifying space",
        ColShortfall => "shortfall",
        NothingWithin => "nothing within {0}",
        HeadMethod => "Method and provenance",
        MethodStandard => "Standard <b>{0}</b>: {1}.",
        MethodHomes => "Homes: {0}.",
        MethodWeighting => "Weighting: {0}.{1}",
        MethodDistance => {
            "Distances are straight-line ground distances in metres from each home's representative point to the boundary of the nearest qualifying green space (0 inside), measured on a transverse Mercator plane centred at {0}°E {1}°N and corrected for its scale; the search limit is {2}."
        }
        MethodCounts => {
            "Green features: {0} read, {1} used, {2} skipped; demand features: {3} read, {4} evaluated."
        }
        GreenIgnored => "green ignored: {0}",
        HomesSkipped => "homes skipped: {0}",
        ColInputFile => "input file",
        ColRole => "role",
        ColCrs => "CRS",
        ColFeatures => "features",
        HeadWarnings => "Warnings",
        WarningsNote => "As the run reported them.",
        Attribution => {
            "Map data © OpenStreetMap contributors (ODbL) where the inputs are OpenStreetMap extracts."
        }
        Unassigned => {
            " {0} residents live in cells that hold no home of the data and are not counted."
        }
        OutsideCells => " {0} homes lie in no population cell and weigh 0.",
        PrintFooter => "page {0} of {1}",
        Conclusion => "Findings",
        ConclusionTier => "<b>{0}</b>: {1} of homes have one within {2}.",
        ConclusionLand => " {0} is within reach{1}.",

        HomesAll => "every feature of the residential layer is a home",
        HomesOsm => {
            "homes are buildings tagged <code>building={0}</code>; a <code>building=yes</code> counts unless it has a name or a <code>{1}</code> tag, or a footprint under {2} or over {3}"
        }
        WeightPoints => "every home (demand point) counts once",
        WeightProperty => "demand points weighted by their <code>{0}</code> property",
        WeightPopulation => {
            "residents from <code>{0}</code> (<code>{1}</code>), each cell's population spread evenly over the demand points in it"
        }

        RoleGreen => "green",
        RolePoints => "points",
        RoleResidential => "residential",
        RoleArea => "area",
        RolePopulation => "population",
        RoleZones => "zones",
        RoleLand => "land",

        MapLabel => "map of green spaces and homes",
        MapAllMet => "all {0} tiers met",
        MapMet => "{0} met",
        MapCaption => {
            "homes coloured by the number of tiers met{0}; zone outlines in grey. © OpenStreetMap contributors where the data is OSM."
        }
        MapSampled => " (1 in {0} of {1} points shown)",
        North => "N",
        HistFar => "far",
        HistNone => "none",

        MdTitle => "Green space reach: standard {0}",
        MdGenerated => "Generated {0} by greenreach {1}.",
        ColRadius => "radius",
        ColHomesWithin => "homes within reach",
        ColResidentsWithin => "residents within reach",
        ColLandWithin => "residential land within reach",
        ColGrade => "grade",
        MdByZone => "By zone (worst first)",
        MdNoneWithin => "none within the search limit",
        HeadInputs => "Inputs",
        TermStandard => "standard {0}: {1}",
        TermLand => {
            "residential land: {0}, the denominator of the 公园绿地服务半径覆盖率 (land shares exact to within {1} percentage points)"
        }
        TermFootprint => {
            "building footprint area: {0}; not the residential land rate: give --land for that (land shares exact to within {1} percentage points)"
        }
        TermReport => "report: {0}",
        CardOfFootprint => "{0} of building footprint area",
        LandNote => {
            "Residential land (land-use polygons; the rate is the 公园绿地服务半径覆盖率): {0}; every residential land share is exact to within {1} percentage points (adaptive quadtree, exact polygon clipping)."
        }
        LandNoteFootprint => {
            "Building footprint area of the homes: {0}. This is not the residential land rate (公园绿地服务半径覆盖率): give residential land-use polygons with <code>--land</code> for that; every building footprint area share is exact to within {1} percentage points (adaptive quadtree, exact polygon clipping)."
        }
        LandGrades => " Grades: {0} ({1}).",
        ColFootprintWithin => "building footprint area within reach",
        HeadShortfall => "How far the rest fall short",
        ColOutOfReach => "homes out of reach",
        ColMedian => "median",
        ColP75 => "75th percentile",
        ColP90 => "90th percentile",
        ShortfallNote => {
            "Shortfall = distance to the nearest qualifying space − the radius, over every home out of reach; homes with nothing within the search limit ({0}) count as more than the limit minus the radius (shown as \"&gt; N m\")."
        }
        HeadSpaces => "Green spaces counted",
        ColSpaces => "spaces",
        ColAreaHa => "area",
        ColServingMost => "serving the most homes",
        ColLargestCounted => "largest spaces counted",
        ColCategory => "category",
        ColWhyCounts => "why it counts",
        ColHomesServed => "homes served: {0}",
        InsideShare => "{0} ({1}% inside)",
        SpacesOutside => {
            "Counted but lying mostly outside the study area (they still serve homes near the border): {0}."
        }
        ColLargestKeptOut => "largest spaces kept out",
        ColWhy => "why",
        KeptOutNote => {
            "Kept out, by reason: {0}. Every rule is listed by <code>greenreach standards {1}</code>."
        }
        ServingMostIn => "Serving the most homes in {0}: {1}.",
        EmptyZones => "Zones with no home in the data (not ranked): {0}.",
        ColWhere => "where",
        GradesAnd => " and ",
        GradeSuffix => " ({0})",
        ServingMostItem => "{0} ({1} homes; {2})",
        ColHomesServedPerTier => "homes served (per tier)",
        RoleProposed => "proposed",
        HeadProposed => "Proposed spaces: before → after",
        ProposedNote => {
            "The {0} proposed spaces of {1} added to the existing ones, classified by the same standard; every figure below is before → after."
        }
        ColHomesBeforeAfter => "homes within reach (number)",
        ColChange => "change",
        HeadProposedAreas => "Residential polygons gaining land in reach ({0})",
        HeadProposedSpaces => {
            "What each proposed space newly serves (homes, that space alone added)"
        }
        ColSpace => "space",
        ProposedIgnored => "{0} proposed features serve no tier: {1}",
        HeadWalk => "On foot and in a straight line",
        WalkNote => {
            "Distances on foot over the walking network {0} ({1} nodes, {2} edges, {3} connected pieces). Homes with no walkable way within {4}: {5} (they meet no tier on foot). Green spaces entered by {6}; {7} with no walkable way near them. Land-area shares are measured in a straight line."
        }
        EnteredBy => "{1} ({0})",
        EntryGate => "gates and entrances",
        EntryCrossing => "ways crossing their edge",
        EntryPseudo => "points every 20 m along the edge joined to a way within 30 m",
        EntrySnapped => "snapping to the nearest way",
        ColOnFoot => "homes within reach on foot",
        ColStraight => "homes within reach in a straight line",
        ColLost => "lost to barriers",
        ColResidentsOnFoot => "residents on foot",
        ColResidentsStraight => "residents in a straight line",
        WalkZonesNote => "Per zone: share of homes within reach on foot / in a straight line.",
        HeadLost => "Lost to barriers",
        LostNote => {
            "Homes within a tier's radius in a straight line but not on foot: a river, a railway, a motorway or a fence lies between. Grouped as gaps are; distances are medians over the group, the detour is walking ÷ straight-line distance. The list for a footbridge, a crossing or a new gate."
        }
        ColStraightM => "straight line",
        ColWalkM => "on foot",
        ColDetour => "detour",
        NoneLost => {
            "No home is lost to barriers: every home within reach in a straight line is within reach on foot."
        }
        DetourTimes => "{0}×",
        TermWalkTier => "{0}: on foot {1}, in a straight line {2}, lost to barriers {3}",
        MapLost => "lost to barriers (on foot)",
        MethodDistanceWalk => {
            "Distances are walking distances in ground metres: from each home's representative point straight to the nearest walkable way, then along the walking network to the nearest entrance of a qualifying green space (0 inside), measured on a transverse Mercator plane centred at {0}°E {1}°N; the search limit is {2}. Shares of homes are on foot; land-area shares are straight-line."
        }
        CardWithinOnFoot => "within {0} on foot",
        ColHomesOnFoot => "homes within reach on foot",
        TermPdf => "PDF: {0}",
    }
}
