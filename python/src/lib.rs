//! Python bindings: layers come in as WKB (or float64 point arrays) with their properties as
//! JSON records, results go out as numpy columns. The work runs with the GIL released.

use std::path::PathBuf;

use geo::Geometry;
use geo_traits::to_geo::ToGeoGeometry;
use greenreach::crs::SourceCrs;
use greenreach::io::input::{Layer, RawFeature, SkipReason, SkippedFeature};
use greenreach::run::table::{NO_LABEL, TableCheck, TableLayer, check_table};
use greenreach::standard::homes::HomeFilter;
use greenreach::standard::{Standard, file, presets};
use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use serde_json::{Map, Value};

pyo3::create_exception!(
    _greenreach,
    GreenreachError,
    pyo3::exceptions::PyException,
    "A greenreach run failed: bad input or options (the message names the layer, the feature and the problem)."
);

fn to_py(e: greenreach::Error) -> PyErr {
    GreenreachError::new_err(e.to_string())
}

/// A standard: named tiers with radii and the green categories each counts.
#[pyclass(name = "Standard", module = "greenreach", frozen)]
#[derive(Clone)]
struct PyStandard {
    inner: Standard,
}

#[pymethods]
impl PyStandard {
    /// A built-in standard by name (`jiangbei`, `who-europe`, ...).
    #[staticmethod]
    fn preset(name: &str) -> PyResult<Self> {
        presets::preset(name)
            .map(|inner| Self { inner })
            .ok_or_else(|| {
                let names: Vec<String> = presets::all().into_iter().map(|s| s.name).collect();
                GreenreachError::new_err(format!(
                    "unknown standard \"{name}\"; built-in: {}",
                    names.join(", ")
                ))
            })
    }

    /// A standard from a TOML file (the format of `greenreach standards NAME --toml`).
    #[staticmethod]
    fn from_toml(path: PathBuf) -> PyResult<Self> {
        file::load(&path.to_string_lossy())
            .map(|inner| Self { inner })
            .map_err(|e| to_py(e.into()))
    }

    /// A standard from TOML text.
    #[staticmethod]
    fn from_toml_text(text: &str) -> PyResult<Self> {
        file::parse(std::path::Path::new("<text>"), text)
            .map(|inner| Self { inner })
            .map_err(|e| to_py(e.into()))
    }

    /// Pickled as its TOML text (for worker processes).
    fn __reduce__(slf: &Bound<'_, Self>) -> PyResult<(Py<PyAny>, (String,))> {
        let py = slf.py();
        let ctor = py.get_type::<Self>().getattr("from_toml_text")?.unbind();
        Ok((ctor, (file::to_toml(&slf.get().inner),)))
    }

    /// Names of the built-in standards.
    #[staticmethod]
    fn presets() -> Vec<String> {
        presets::all().into_iter().map(|s| s.name).collect()
    }

    /// The standard's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// `(tier name, radius in metres)` in order.
    #[getter]
    fn tiers(&self) -> Vec<(String, f64)> {
        self.inner
            .tiers
            .iter()
            .map(|t| (t.name.clone(), t.radius_m))
            .collect()
    }

    /// The largest radius, metres.
    #[getter]
    fn max_radius(&self) -> f64 {
        self.inner.max_radius()
    }

    /// The standard as TOML.
    fn to_toml(&self) -> String {
        file::to_toml(&self.inner)
    }

    /// A full description: tiers, categories and their rules.
    fn describe(&self) -> String {
        self.inner.describe()
    }

    fn __repr__(&self) -> String {
        format!(
            "Standard({}: {})",
            self.inner.name,
            self.inner.describe_tiers()
        )
    }
}

/// `crs` itself when greenreach can read it (`EPSG:32648`, `wgs84`, `+proj=...`); raises
/// with greenreach's message otherwise.
#[pyfunction]
fn crs_name(crs: &str) -> PyResult<String> {
    crs.parse::<SourceCrs>()
        .map(|_| crs.to_string())
        .map_err(GreenreachError::new_err)
}

fn parse_crs(crs: Option<&str>) -> PyResult<Option<SourceCrs>> {
    crs.map(|s| s.parse::<SourceCrs>())
        .transpose()
        .map_err(GreenreachError::new_err)
}

fn parse_records(name: &str, json: Option<&str>, n: usize) -> PyResult<Vec<Map<String, Value>>> {
    let Some(json) = json else {
        return Ok(vec![Map::new(); n]);
    };
    let rows: Vec<Value> = serde_json::from_str(json)
        .map_err(|e| PyValueError::new_err(format!("{name}: properties are not JSON: {e}")))?;
    if rows.len() != n {
        return Err(PyValueError::new_err(format!(
            "{name}: {} property records for {n} geometries",
            rows.len()
        )));
    }
    Ok(rows
        .into_iter()
        .map(|v| match v {
            Value::Object(mut m) => {
                m.retain(|_, v| !v.is_null());
                m
            }
            _ => Map::new(),
        })
        .collect())
}

/// Ids handed over as a list (str, int, float or None per feature) instead of inside JSON
/// records: a national table does not become one JSON map per home. Numbers are written as
/// the GeoJSON reader writes a numeric id; None and NaN are no id (the feature's number).
fn ids_of(name: &str, ids: &Bound<'_, PyList>, n: usize) -> PyResult<Vec<Option<String>>> {
    if ids.len() != n {
        return Err(PyValueError::new_err(format!(
            "{name}: {} ids for {n} geometries",
            ids.len()
        )));
    }
    ids.iter()
        .map(|item| {
            if item.is_none() {
                Ok(None)
            } else if let Ok(s) = item.extract::<String>() {
                Ok(Some(s))
            } else if let Ok(i) = item.extract::<i64>() {
                Ok(Some(i.to_string()))
            } else if let Ok(f) = item.extract::<f64>() {
                Ok(serde_json::Number::from_f64(f).map(|n| n.to_string()))
            } else {
                Ok(Some(item.str()?.to_string()))
            }
        })
        .collect()
}

/// The feature's id as the GeoJSON reader gives it: a `id` property, as text.
fn id_of(props: &Map<String, Value>) -> Option<String> {
    match props.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Collect features into a layer: `None` geometries and empty ones are skipped (an error
/// under `strict`), as the GeoJSON reader does.
fn layer_of(
    name: &str,
    geometries: Vec<Option<Geometry<f64>>>,
    props: Vec<Map<String, Value>>,
    ids: Option<Vec<Option<String>>>,
    strict: bool,
) -> PyResult<Layer> {
    use geo::CoordsIter;
    let mut layer = Layer {
        path: PathBuf::from(name),
        features: Vec::with_capacity(geometries.len()),
        skipped: Vec::new(),
        crs_member: None,
        declared_crs: None,
        notes: Vec::new(),
        warnings: Vec::new(),
    };
    let mut ids = ids.map(Vec::into_iter);
    for (index, (g, properties)) in geometries.into_iter().zip(props).enumerate() {
        let id = match &mut ids {
            Some(ids) => ids.next().flatten(),
            None => id_of(&properties),
        };
        let reason = match g {
            None => SkipReason::NullGeometry,
            Some(g) if g.coords_count() == 0 || g.coords_iter().any(|c| c.x.is_nan()) => {
                SkipReason::EmptyGeometry
            }
            Some(geometry) => {
                layer.features.push(RawFeature {
                    index,
                    id,
                    properties,
                    geometry,
                });
                continue;
            }
        };
        if strict {
            let e = greenreach::io::input::InputError::Feature {
                path: layer.path.clone(),
                index,
                id,
                problem: format!("{reason} (--strict)"),
            };
            return Err(GreenreachError::new_err(e.to_string()));
        }
        layer.skipped.push(SkippedFeature { index, id, reason });
    }
    Ok(layer)
}

fn from_wkb(name: &str, items: &Bound<'_, PyList>) -> PyResult<Vec<Option<Geometry<f64>>>> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            if item.is_none() {
                return Ok(None);
            }
            let bytes = item.cast::<PyBytes>().map_err(|_| {
                PyValueError::new_err(format!("{name}: feature {i}: geometry is not WKB bytes"))
            })?;
            let g = wkb::reader::read_wkb(bytes.as_bytes()).map_err(|e| {
                GreenreachError::new_err(format!("{name}: feature {i}: unreadable WKB: {e}"))
            })?;
            g.try_to_geometry().map(Some).ok_or_else(|| {
                GreenreachError::new_err(format!("{name}: feature {i}: unsupported geometry type"))
            })
        })
        .collect()
}

/// Evaluate demand features against green features. Demand as float64 `x`, `y` arrays or
/// WKB; green as WKB; properties as JSON arrays of records. Returns a dict of columns.
#[pyfunction]
#[pyo3(signature = (
    green_wkb, green_props, green_crs, standard,
    demand_x=None, demand_y=None, demand_wkb=None, demand_props=None, demand_crs=None,
    homes="all", max_distance=None, swap_xy=false, strict=false, threads=None, origin=None,
    green_index=None, demand_name="homes", green_name="greens", demand_ids=None,
    return_ids=true,
))]
#[allow(clippy::too_many_arguments)]
fn check_layers<'py>(
    py: Python<'py>,
    green_wkb: &Bound<'py, PyList>,
    green_props: Option<&str>,
    green_crs: Option<&str>,
    standard: &PyStandard,
    demand_x: Option<PyReadonlyArray1<'py, f64>>,
    demand_y: Option<PyReadonlyArray1<'py, f64>>,
    demand_wkb: Option<&Bound<'py, PyList>>,
    demand_props: Option<&str>,
    demand_crs: Option<&str>,
    homes: &str,
    max_distance: Option<f64>,
    swap_xy: bool,
    strict: bool,
    threads: Option<usize>,
    origin: Option<(f64, f64)>,
    green_index: Option<PyReadonlyArray1<'py, i64>>,
    demand_name: &str,
    green_name: &str,
    demand_ids: Option<&Bound<'py, PyList>>,
    return_ids: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let homes = match homes {
        "all" => HomeFilter::All,
        "osm" => HomeFilter::OsmHomes,
        other => {
            return Err(PyValueError::new_err(format!(
                "homes must be \"all\" or \"osm\", got \"{other}\""
            )));
        }
    };
    let green_geoms = from_wkb(green_name, green_wkb)?;
    let green_props = parse_records(green_name, green_props, green_geoms.len())?;
    let demand_geoms: Vec<Option<Geometry<f64>>> = match (demand_x, demand_y, demand_wkb) {
        (Some(x), Some(y), None) => {
            let (x, y) = (x.as_slice()?, y.as_slice()?);
            if x.len() != y.len() {
                return Err(PyValueError::new_err(format!(
                    "{demand_name}: {} x values but {} y values",
                    x.len(),
                    y.len()
                )));
            }
            x.iter()
                .zip(y)
                .map(|(&x, &y)| Some(Geometry::Point(geo::Point::new(x, y))))
                .collect()
        }
        (None, None, Some(w)) => from_wkb(demand_name, w)?,
        _ => {
            return Err(PyValueError::new_err(
                "give the demand points as demand_x and demand_y arrays or as demand_wkb",
            ));
        }
    };
    let demand_props = parse_records(demand_name, demand_props, demand_geoms.len())?;
    let demand_ids = demand_ids
        .map(|ids| ids_of(demand_name, ids, demand_geoms.len()))
        .transpose()?;
    let mut green_layer = layer_of(green_name, green_geoms, green_props, None, strict)?;
    if let Some(index) = green_index {
        let index = index.as_slice()?;
        if index.len() != green_layer.read_count() {
            return Err(PyValueError::new_err(format!(
                "{green_name}: {} index values for {} features",
                index.len(),
                green_layer.read_count()
            )));
        }
        for f in &mut green_layer.features {
            f.index = index[f.index] as usize;
        }
        for f in &mut green_layer.skipped {
            f.index = index[f.index] as usize;
        }
    }
    let input = TableCheck {
        green: TableLayer {
            layer: green_layer,
            crs: parse_crs(green_crs)?,
        },
        demand: TableLayer {
            layer: layer_of(demand_name, demand_geoms, demand_props, demand_ids, strict)?,
            crs: parse_crs(demand_crs)?,
        },
        homes,
        standard: standard.inner.clone(),
        max_distance_m: max_distance,
        swap_xy,
        strict,
        threads,
        origin,
    };
    let result = py.detach(|| check_table(input)).map_err(to_py)?;
    let out = PyDict::new(py);
    let rows: Vec<u64> = result.row_of.iter().map(|&r| r as u64).collect();
    out.set_item("row", rows.into_pyarray(py))?;
    // Ids cost a Python string per row: when every row's id is its feature's and the caller
    // says it can, it takes them from its own input by row.
    if result.ids_are_features && !return_ids {
        out.set_item("id", py.None())?;
    } else {
        out.set_item("id", result.ids)?;
    }
    out.set_item("lon", result.lon.into_pyarray(py))?;
    out.set_item("lat", result.lat.into_pyarray(py))?;
    let tiers = PyList::empty(py);
    let code = |c: u32| if c == NO_LABEL { -1 } else { c as i64 };
    for t in result.tiers {
        let d = PyDict::new(py);
        d.set_item("name", t.name)?;
        d.set_item("distance_m", t.distance_m.into_pyarray(py))?;
        d.set_item("ok", t.ok.into_pyarray(py))?;
        let nearest: Vec<i64> = t.nearest.into_iter().map(code).collect();
        d.set_item("nearest", nearest.into_pyarray(py))?;
        tiers.append(d)?;
    }
    out.set_item("tiers", tiers)?;
    out.set_item("labels", result.labels)?;
    out.set_item("all_ok", result.all_ok.into_pyarray(py))?;
    out.set_item("status", result.status.into_pyarray(py))?;
    out.set_item("statuses", result.statuses)?;
    out.set_item("summary", result.summary.to_string())?;
    out.set_item("warnings", result.warnings)?;
    out.set_item("origin", result.origin)?;
    Ok(out)
}

/// `greenreach report` on layer files: the same folder the command line writes (the library's
/// `run_report`); returns `summary.json` as text.
#[pyfunction]
#[pyo3(signature = (
    green, residential, out, standard, zones=None, zone_name="name".to_string(), land=None,
    population=None, population_field="population".to_string(), weight=None, homes="all",
    lang=None, proposed=Vec::new(), max_distance=None, strict=false, threads=None,
))]
#[allow(clippy::too_many_arguments)]
fn report_files(
    py: Python<'_>,
    green: Vec<PathBuf>,
    residential: PathBuf,
    out: PathBuf,
    standard: &PyStandard,
    zones: Option<PathBuf>,
    zone_name: String,
    land: Option<PathBuf>,
    population: Option<PathBuf>,
    population_field: String,
    weight: Option<String>,
    homes: &str,
    lang: Option<&str>,
    proposed: Vec<PathBuf>,
    max_distance: Option<f64>,
    strict: bool,
    threads: Option<usize>,
) -> PyResult<String> {
    use greenreach::report::{ZoneOverlap, ZoneSpec};
    use greenreach::{CheckConfig, DemandSource, Lang, ReportConfig, Silent, WeightSource};
    let mut check = CheckConfig::new(green, DemandSource::Residential(residential));
    check.standard = standard.inner.clone();
    check.homes = match homes {
        "all" => HomeFilter::All,
        "osm" => HomeFilter::OsmHomes,
        other => {
            return Err(PyValueError::new_err(format!(
                "homes must be \"all\" or \"osm\", got \"{other}\""
            )));
        }
    };
    if let Some(m) = max_distance {
        check.max_distance_m = m;
    }
    check.strict = strict;
    check.threads = threads;
    let lang = match lang {
        Some(l) => l.parse::<Lang>().map_err(PyValueError::new_err)?,
        None => Lang::default_for(&check.standard),
    };
    let weight = match (weight, population) {
        (Some(p), _) => WeightSource::Property(p),
        (None, Some(path)) => WeightSource::Population {
            path,
            field: population_field,
            crs: None,
        },
        (None, None) => WeightSource::Points,
    };
    let cfg = ReportConfig {
        check,
        out_dir: out,
        weight,
        zones: zones.map(|path| ZoneSpec {
            path,
            name_property: zone_name,
            filter: Vec::new(),
            crs: None,
            overlap: ZoneOverlap::Error,
        }),
        land,
        land_crs: None,
        land_where: Vec::new(),
        gap_link_m: None,
        land_cell_m: 2.0,
        lang,
        pdf: false,
        proposed,
    };
    let report = py
        .detach(|| greenreach::run_report(&cfg, &Silent))
        .map_err(to_py)?;
    let summary = greenreach::report::render::summary_json(&report);
    serde_json::to_string(&summary).map_err(|e| GreenreachError::new_err(e.to_string()))
}

#[pymodule]
fn _greenreach(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyStandard>()?;
    m.add_function(wrap_pyfunction!(check_layers, m)?)?;
    m.add_function(wrap_pyfunction!(crs_name, m)?)?;
    m.add_function(wrap_pyfunction!(report_files, m)?)?;
    m.add("GreenreachError", m.py().get_type::<GreenreachError>())?;
    Ok(())
}
