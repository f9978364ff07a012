//! 简体中文：规划部门的用语（服务半径覆盖率、街头绿地、休闲空间、公园、居住用地、缺口、达标 / 未达标）。

use super::Key::{self, *};

/// The Chinese text of `key`.
// One flat table, a line per key: splitting it would only scatter the strings.
#[allow(clippy::too_many_lines)]
pub(super) fn text(key: Key) -> &'static str {
    match key {
        UnitM => "{0} 米",
        UnitMRange => "{0}～{1} 米",
        UnitKm => "{0} 公里",
        UnitM2 => "{0} 平方米",
        UnitHa => "{0} 公顷",
        RadiusBySize => "{0}（按规模）",
        ListSep => "、",
        GradeMet => "达标（≥ {0}%）",
        GradeLow => "未达标（< {0}%）",
        Colon => "：",
        Total => "合计",
        OutsideZones => "不在任何分区内",
        AllTiers => "各级均覆盖",
        EveryTierMet => "各级绿地均在服务半径内",

        PageTitle => "绿地服务半径覆盖评估 — {0}",
        Heading => "绿地服务半径覆盖评估报告",
        SubStandard => "评估标准 <b>{0}</b>：{1}。",
        SubCounts => "共评估住宅 {0} 处 · 生成时间 {1} · greenreach {2}",
        HeadHeadline => "主要指标",
        CardWithin => "服务半径 {0}",
        CardOfHomes => "住宅覆盖率（{0} / {1}）",
        CardOfResidents => "人口覆盖率 {0}",
        CardOfLand => "居住用地覆盖率 {0}",
        HeadMap => "分布图",
        HeadDistances => "至最近合格绿地的距离分布",
        HistCaption => {
            "<b>{0}</b>（{1}）：住宅按至最近合格绿地的距离分组；绿色为服务半径以内，深红为超出末档，灰色为 {2} 以内无合格绿地"
        }
        HeadZones => "分区统计（按覆盖率由低到高）",
        ColZone => "分区",
        ColHomes => "住宅数",
        ColTierWithin => "{0} ≤ {1}",
        ColResidentsAll => "人口覆盖率（各级均覆盖）",
        ColLandAll => "用地覆盖率（各级均覆盖）",
        HeadAreas => "覆盖率最低的居住用地",
        AreasNote => {
            "共 {0} 个地块中覆盖率最低的 20 个；全部地块见 <code translate=\"no\">areas.csv</code>。"
        }
        ColArea => "地块",
        ColSize => "面积",
        HeadGaps => "主要服务缺口",
        GapsNote => {
            "未满足某一层级要求的住宅按距离合并为片区（间距小于连接距离的住宅归入同一缺口），按规模由大到小排列。全部缺口见 <code translate=\"no\">gaps.geojson</code>。"
        }
        ColTier => "层级",
        ColRank => "序号",
        ColResidents => "人口",
        ColExtent => "范围面积",
        ColNearest => "最近的合格绿地",
        ColShortfall => "距离缺口",
        NothingWithin => "{0} 以内无",
        HeadMethod => "方法与数据来源",
        MethodStandard => "评估标准 <b>{0}</b>：{1}。",
        MethodHomes => "住宅：{0}。",
        MethodWeighting => "权重：{0}。{1}",
        MethodDistance => {
            "距离为各住宅代表点至最近合格绿地边界的直线地面距离（位于绿地内为 0），单位为米；在以东经 {0}°、北纬 {1}° 为中心的横轴墨卡托平面上量算，并经尺度改正；搜索上限为 {2}。"
        }
        MethodCounts => {
            "绿地要素：读取 {0} 个，采用 {1} 个，跳过 {2} 个；需求点要素：读取 {3} 个，参与评估 {4} 个。"
        }
        GreenIgnored => "未计入的绿地（{0}）",
        HomesSkipped => "未计入的住宅（{0}）",
        ColInputFile => "输入文件",
        ColRole => "用途",
        ColCrs => "坐标系",
        ColFeatures => "要素数",
        HeadWarnings => "警告",
        WarningsNote => "以下为程序输出的原文。",
        Attribution => {
            "输入数据为 OpenStreetMap 摘录时，地图数据 © OpenStreetMap 贡献者（ODbL 许可）。"
        }
        Unassigned => "另有 {0} 名居民所在网格内无住宅数据，未计入。",
        OutsideCells => "{0} 处住宅不在任何人口网格内，权重为 0。",
        PrintFooter => "第 {0} 页，共 {1} 页",
        Conclusion => "结论",
        ConclusionTier => "<b>{0}</b>：{2}服务半径内的住宅占 {1}。",
        ConclusionLand => "{0}{1}。",

        HomesAll => "居住图层中的每个要素均视为住宅",
        HomesOsm => {
            "住宅为标注 <code>building={0}</code> 的建筑；<code>building=yes</code> 的建筑计为住宅，除非其有名称、带有 <code>{1}</code> 标签，或占地面积小于 {2} 或大于 {3}"
        }
        WeightPoints => "每处住宅（需求点）计 1 次",
        WeightProperty => "需求点按其属性 <code>{0}</code> 加权",
        WeightPopulation => {
            "人口取自 <code>{0}</code>（字段 <code>{1}</code>），每个网格的人口平均分配给网格内的需求点"
        }

        RoleGreen => "绿地",
        RolePoints => "需求点",
        RoleResidential => "住宅",
        RoleArea => "评估范围",
        RolePopulation => "人口",
        RoleZones => "分区",
        RoleLand => "居住用地",

        MapLabel => "绿地与住宅分布图",
        MapAllMet => "{0} 级均达标",
        MapMet => "{0} 级达标",
        MapCaption => {
            "住宅按达标层级数着色{0}；灰线为分区边界。数据来自 OSM 时 © OpenStreetMap 贡献者。"
        }
        MapSampled => "（共 {1} 个点，每 {0} 个显示 1 个）",
        North => "北",
        HistFar => "更远",
        HistNone => "无",

        MdTitle => "绿地服务半径覆盖评估：{0} 标准",
        MdGenerated => "由 greenreach {1} 于 {0} 生成。",
        ColRadius => "服务半径",
        ColHomesWithin => "住宅覆盖率",
        ColResidentsWithin => "人口覆盖率",
        ColLandWithin => "居住用地覆盖率",
        ColGrade => "评级",
        MdByZone => "分区统计（按覆盖率由低到高）",
        MdNoneWithin => "搜索范围内无",
        HeadInputs => "输入数据",
        TermStandard => "评估标准 {0}：{1}",
        TermLand => {
            "居住用地：{0}，即公园绿地服务半径覆盖率的分母（用地覆盖率误差不超过 {1} 个百分点）"
        }
        TermFootprint => {
            "住宅建筑基底面积：{0}；不是居住用地覆盖率，需另行提供居住用地图斑（覆盖率误差不超过 {1} 个百分点）"
        }
        TermReport => "报告：{0}",
        CardOfFootprint => "建筑基底面积覆盖率 {0}",
        LandNote => {
            "居住用地（用地图斑，即公园绿地服务半径覆盖率的分母）共 {0}；各项居住用地覆盖率误差不超过 {1} 个百分点（自适应四叉树，多边形精确裁剪）。"
        }
        LandNoteFootprint => {
            "住宅建筑基底面积共 {0}。此项不是公园绿地服务半径覆盖率：如需该指标，请以 <code>--land</code> 提供居住用地图斑；各项建筑基底面积覆盖率误差不超过 {1} 个百分点（自适应四叉树，多边形精确裁剪）。"
        }
        LandGrades => "评级标准：{0}（{1}）。",
        ColFootprintWithin => "建筑基底面积覆盖率",
        HeadShortfall => "未达标住宅的距离缺口",
        ColOutOfReach => "未达标住宅",
        ColMedian => "中位数",
        ColP75 => "第 75 百分位",
        ColP90 => "第 90 百分位",
        ShortfallNote => {
            "距离缺口 = 至最近合格绿地的距离 − 服务半径，统计全部未达标住宅；搜索上限（{0}）内无合格绿地的住宅计为大于“上限 − 半径”（显示为“> 某值”）。"
        }
        HeadSpaces => "计入的绿地",
        ColSpaces => "数量",
        ColAreaHa => "面积",
        ColServingMost => "服务住宅最多的绿地",
        ColLargestCounted => "计入的最大绿地",
        ColCategory => "类别",
        ColWhyCounts => "计入依据",
        ColHomesServed => "服务住宅数：{0}",
        InsideShare => "{0}（{1}% 位于范围内）",
        SpacesOutside => "已计入但大部分位于评估范围以外的绿地（仍服务边界附近的住宅）：{0}。",
        ColLargestKeptOut => "未计入的最大绿地",
        ColWhy => "原因",
        KeptOutNote => {
            "未计入的绿地按原因统计：{0}。全部规则可用 <code>greenreach standards {1}</code> 查看。"
        }
        ServingMostIn => "{0}服务住宅最多的绿地：{1}。",
        EmptyZones => "数据中无住宅的分区（不参与排名）：{0}。",
        ColWhere => "位置",
        GradesAnd => " 与 ",
        GradeSuffix => "，{0}",
        ServingMostItem => "{0}（服务住宅 {1} 处；{2}）",
        ColHomesServedPerTier => "服务住宅数（按层级）",
        RoleProposed => "规划新增绿地",
        HeadProposed => "规划新增绿地：实施前 → 实施后",
        ProposedNote => {
            "在现有绿地基础上加入 {1} 中的 {0} 处规划绿地（按同一标准分类）；下列数值均为实施前 → 实施后。"
        }
        ColHomesBeforeAfter => "服务半径内住宅数",
        ColChange => "变化",
        HeadProposedAreas => "覆盖率提高的居住用地（{0} 块）",
        HeadProposedSpaces => "各规划绿地单独新增服务的住宅数",
        ColSpace => "绿地",
        ProposedIgnored => "{0} 处规划绿地不服务任何层级：{1}",
        HeadWalk => "步行距离与直线距离",
        WalkNote => {
            "步行距离沿步行路网 {0} 计算（{1} 个节点、{2} 条边、{3} 个连通片）。{4}内无可步行道路的住宅：{5} 处（步行各层级均不达标）。绿地入口来源：{6}；{7} 处绿地附近无可步行道路。用地面积覆盖率按直线距离计算。"
        }
        EnteredBy => "{1}（{0} 处）",
        EntryGate => "大门与出入口",
        EntryCrossing => "穿越绿地边界的道路",
        EntryPseudo => "沿边界每 20 米设点并连接 30 米内道路",
        EntrySnapped => "连接最近道路",
        ColOnFoot => "步行可达住宅",
        ColStraight => "直线可达住宅",
        ColLost => "因阻隔不可达",
        ColResidentsOnFoot => "步行可达居民",
        ColResidentsStraight => "直线可达居民",
        WalkZonesNote => "各分区：步行可达 / 直线可达住宅比例。",
        HeadLost => "因阻隔不可达的住宅",
        LostNote => {
            "直线距离在服务半径内、步行却不可达的住宅：其间隔着河流、铁路、高速公路或围墙。按缺口方式归组；距离为组内中位数，绕行系数为步行距离 ÷ 直线距离。可作为新建人行桥、过街设施或出入口的清单。"
        }
        ColStraightM => "直线距离",
        ColWalkM => "步行距离",
        ColDetour => "绕行系数",
        NoneLost => "没有因阻隔而不可达的住宅：直线可达的住宅步行均可达。",
        DetourTimes => "{0} 倍",
        TermWalkTier => "{0}：步行可达 {1}，直线可达 {2}，因阻隔不可达 {3}",
        MapLost => "因阻隔不可达（步行）",
        MethodDistanceWalk => {
            "距离为步行地面距离（米）：由各住宅代表点直线连接至最近的可步行道路，再沿步行路网至最近合格绿地的入口（位于绿地内为 0）；在以东经 {0}°、北纬 {1}° 为中心的横轴墨卡托平面上量算；搜索上限为 {2}。住宅覆盖率按步行距离计算，用地面积覆盖率按直线距离计算。"
        }
        CardWithinOnFoot => "步行 {0}内",
        ColHomesOnFoot => "步行可达住宅覆盖率",
        TermPdf => "PDF 文件：{0}",
    }
}

/// The source of the built-in presets' grades, in Chinese.
pub(super) const GARDEN_CITY_SOURCE: &str = "国家园林城市 / 国家生态园林城市评价标准（GB/T 50563-2010）：公园绿地服务半径覆盖率 ≥ 80% 与 ≥ 90%";

/// The source of a built-in preset, in Chinese.
pub(super) fn preset_source(name: &str) -> Option<&'static str> {
    Some(match name {
        "jiangbei" => {
            "重庆市江北区绿地系统规划：每处住宅 300 米内有街头绿地、1000 米内有休闲空间、2000 米内有公园"
        }
        "jiangbei-alt" => {
            "重庆市江北区绿地系统规划（另一文本）：500 米内有休闲空间、1000 米内有街头游园、2000 米内有公园"
        }
        "gbt51346" => {
            "《城市绿地规划标准》（GB/T 51346-2019）公园绿地分级设置要求：游园 0.4～1 公顷，服务半径 300 米；社区公园 1～5 公顷 500 米，5～10 公顷 800～1000 米；综合公园 10～20 公顷 1200～2000 米，20～50 公顷 2000～3000 米，50 公顷以上 3000 米以上（各区间取上限）"
        }
        "who-europe" => {
            "世界卫生组织欧洲区域办事处《城市绿地：行动简报》（2017）：300 米直线距离内有面积不小于 0.5 公顷的绿地"
        }
        "3-30-300" => {
            "“3-30-300”法则（2023）：每处住宅 300 米内有面积不小于 0.5～1 公顷的优质公共绿地（取 0.5 公顷）"
        }
        "angst" => {
            "英格兰自然署《身边的自然：可达自然绿地指引》（2010）：300 米内有不小于 2 公顷、2 公里内有不小于 20 公顷、5 公里内有不小于 100 公顷、10 公里内有不小于 500 公顷的自然绿地"
        }
        "gb50137" => {
            "用地分类代码（GB 50137-2011《城市用地分类与规划建设用地标准》，公园绿地中类按行业标准细分）：G11 综合公园、G13 专类公园（或 10 公顷以上的 G1）服务半径 2000 米，G12 社区公园（或 1 公顷以上的 G1）1000 米，G14 带状公园、G15 街旁绿地、G3 广场用地及任何 G1 为 300 米"
        }
        "ydyh" => {
            "国土空间调查、规划、用途管制用地用海分类代码：1401 公园绿地 10 公顷以上服务半径 2000 米、1 公顷以上 1000 米，任何 1401 或 1403 广场用地 300 米（1402 防护绿地不计服务）"
        }
        _ => return None,
    })
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", super::escape(s))
}

/// A reason the library writes, in Chinese (HTML: tags and values in `<code>`).
pub(super) fn reason(r: &str) -> Option<String> {
    let fixed = match r {
        "not a home: no building tag" => Some(format!("非住宅：无 {} 标签", code("building"))),
        "not a home: non-dwelling building type" => Some("非住宅：非居住类建筑".into()),
        "not a home: building=yes with a non-residential use" => Some(format!(
            "非住宅：{} 且带有非居住用途标签",
            code("building=yes")
        )),
        "not a home: named building=yes" => {
            Some(format!("非住宅：有名称的 {}", code("building=yes")))
        }
        "below the minimum area" => Some("面积低于下限".into()),
        "not green space under the standard" => Some("按本标准不属于绿地".into()),
        "line geometry is not a demand point" => Some("线要素不能作为需求点".into()),
        "null geometry" => Some("几何为空".into()),
        "empty geometry" => Some("几何无坐标".into()),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let area = |s: &str| s.strip_suffix(" m²").and_then(|n| n.parse::<f64>().ok());
    if let Some(n) = r
        .strip_prefix("not a home: building=yes under ")
        .and_then(area)
    {
        return Some(format!(
            "非住宅：{} 且占地面积小于 {n} 平方米",
            code("building=yes")
        ));
    }
    if let Some(n) = r
        .strip_prefix("not a home: building=yes over ")
        .and_then(area)
    {
        return Some(format!(
            "非住宅：{} 且占地面积大于 {n} 平方米",
            code("building=yes")
        ));
    }
    if let Some(tag) = r
        .strip_prefix("excluded (")
        .and_then(|t| t.strip_suffix(')'))
    {
        return Some(format!("排除（{}）", code(tag)));
    }
    if let Some(c) = r
        .strip_prefix("unknown category \"")
        .and_then(|t| t.strip_suffix('"'))
    {
        return Some(format!("未知类别 {}", code(c)));
    }
    if let Some(inner) = r
        .strip_prefix("not counted (")
        .and_then(|t| t.strip_suffix(')'))
    {
        return rule(inner).map(|t| format!("不计入（{t}）"));
    }
    rule(r)
}

/// English phrases of the standard's rule texts and their Chinese.
const PHRASES: [(&str, &str); 10] = [
    ("no rule of the standard matches", "不符合本标准的任何规则"),
    (": not open to the public", "：不对公众开放"),
    (" is no category of ", " 不是此标准的类别："),
    (" (line)", "（线要素）"),
    (" (point)", "（点要素）"),
    (" (area)", "（面要素）"),
    (" with ", " 且 "),
    (" ha", " 公顷"),
    (" m²", " 平方米"),
    (", ", "，"),
];

/// A rule text of the standard (`leisure=park, 1.30 ha ≥ 1 ha`, `fee=yes: not open to the
/// public`) in Chinese, tags in `<code>`; `None` when a word is left that this table does not
/// know.
pub(super) fn rule(text: &str) -> Option<String> {
    let mut t = text.to_string();
    for (en, zh) in PHRASES {
        t = t.replace(en, zh);
    }
    // Tags (key=value) stay as written.
    let mut out = String::new();
    for (k, word) in t.split(' ').enumerate() {
        if k > 0 {
            out.push(' ');
        }
        let (body, tail) = match word.find(['，', '：', '（']) {
            Some(i) => word.split_at(i),
            None => (word, ""),
        };
        if body.contains('=') {
            out += &code(body);
        } else if body.chars().any(|c| c.is_ascii_alphabetic()) {
            return None;
        } else {
            out += &super::escape(body);
        }
        out += tail;
    }
    Some(out)
}
