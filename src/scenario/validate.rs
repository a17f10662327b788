//! One step from the raw file ([`ScenarioFile`]) to the immutable [`Scenario`]: defaults that
//! depend on other keys, range checks on every value, references resolved, limits enforced.
//!
//! Errors are [`Fail`]s: a key path plus a message naming the offending value. `mod.rs` turns them
//! into [`ScenarioError`]s, finding the line of the key with the [`Locator`].

use std::fmt;
use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::error::ScenarioError;
use super::model::*;
use super::schema::*;
use crate::base::frames::{geo_dir, ground_range_km};
use crate::base::limits::{
    engagement_draws, MAX_BATTERIES, MAX_BETA_SHAPE, MAX_BOOST_S, MAX_CLASSES, MAX_DECOYS,
    MAX_ENGAGEMENTS, MAX_ENGAGEMENT_DRAWS, MAX_FIRE_CHANNELS, MAX_FLIGHT_S, MAX_INTERCEPTORS,
    MAX_NORMAL_SIGMAS, MAX_RAID, MAX_SENSORS, MAX_STEP_S, MAX_TOLERANCE_KM, MAX_TRACK_CAPACITY,
    MIN_BETA_SHAPE, MIN_STEP_S, MIN_TOLERANCE_KM,
};

/// Ballistic coefficient of ballistic and cruise threats when omitted, kg/m^2.
pub const DEFAULT_BALLISTIC_COEFFICIENT_KG_M2: f64 = 20_000.0;
/// Decoys are stripped (atmospheric filtering) below this altitude when omitted, km.
pub const DEFAULT_DECOY_STRIP_ALTITUDE_KM: f64 = 80.0;

/// One step of a key path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A key path such as `threat[0].glide.lift_to_drag` or `interceptor.sm3.sspk`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyPath(Vec<Seg>);

impl KeyPath {
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path extended by a table key.
    pub fn key(&self, k: &str) -> KeyPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        KeyPath(v)
    }

    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> KeyPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        KeyPath(v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path a displayed key path names (the inverse of `Display`): `threat[0].glide`,
    /// `interceptor."sm-3.b".sspk`. `None` when `s` is not such a path.
    pub fn parse(s: &str) -> Option<KeyPath> {
        let mut segs = Vec::new();
        let mut rest = s;
        while !rest.is_empty() {
            if !segs.is_empty() {
                rest = rest.strip_prefix('.')?;
            }
            let key = if let Some(quoted) = rest.strip_prefix('"') {
                // Debug-quoted: `\"` and `\\` are the only escapes a key name needs here.
                let mut key = String::new();
                let mut chars = quoted.char_indices();
                let end = loop {
                    match chars.next()? {
                        (i, '"') => break i,
                        (_, '\\') => key.push(chars.next()?.1),
                        (_, c) => key.push(c),
                    }
                };
                rest = &quoted[end + 1..];
                key
            } else {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(rest.len());
                let key = rest[..end].to_string();
                rest = &rest[end..];
                key
            };
            if key.is_empty() {
                return None;
            }
            segs.push(Seg::Key(key));
            while let Some(after) = rest.strip_prefix('[') {
                let close = after.find(']')?;
                segs.push(Seg::Index(after[..close].parse().ok()?));
                rest = &after[close + 1..];
            }
        }
        Some(KeyPath(segs))
    }
}

fn is_bare_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    if is_bare_key(k) {
                        f.write_str(k)?;
                    } else {
                        write!(f, "{k:?}")?;
                    }
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A validation failure: the key path of the offending value and what is wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Fail {
    pub path: KeyPath,
    pub message: String,
}

type R<T> = Result<T, Fail>;

fn fail<T>(path: &KeyPath, message: impl Into<String>) -> R<T> {
    Err(Fail {
        path: path.clone(),
        message: message.into(),
    })
}

/// Finds keys in the source text: key path -> line, and error span -> key path.
pub(crate) struct Locator<'a> {
    text: &'a str,
    root: &'a DeTable<'a>,
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    !inner.is_empty() && outer.start <= inner.start && inner.end <= outer.end
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str, root: &'a DeTable<'a>) -> Locator<'a> {
        Locator { text, root }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut off = offset.min(self.text.len());
        while !self.text.is_char_boundary(off) {
            off -= 1;
        }
        let before = &self.text[..off];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    /// Span of the key at `path` (or of the array element, for a trailing index). When the full
    /// path is not in the file (a defaulted key), the span of its longest present prefix; `None`
    /// when not even the first step is present.
    pub fn span_of(&self, path: &KeyPath) -> Option<Range<usize>> {
        self.find(path).0
    }

    /// Span of the key at `path` only when every step of it is present in the file.
    pub fn exact_span_of(&self, path: &KeyPath) -> Option<Range<usize>> {
        match self.find(path) {
            (span, true) => span,
            _ => None,
        }
    }

    /// The span of the longest present prefix of `path`, and whether that is all of it.
    fn find(&self, path: &KeyPath) -> (Option<Range<usize>>, bool) {
        let mut found: Option<Range<usize>> = None;
        let mut table: Option<&DeTable<'_>> = Some(self.root);
        let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
        for seg in &path.0 {
            let value: &Spanned<DeValue<'_>> = match seg {
                Seg::Key(k) => {
                    let hit = table.and_then(|t| t.iter().find(|(key, _)| key.get_ref() == k));
                    let Some((key, value)) = hit else {
                        return (found, false);
                    };
                    found = Some(key.span());
                    value
                }
                Seg::Index(i) => {
                    let Some(value) = array.and_then(|a| a.get(*i)) else {
                        return (found, false);
                    };
                    found = Some(value.span());
                    value
                }
            };
            table = None;
            array = None;
            match value.get_ref() {
                DeValue::Table(t) => table = Some(t),
                DeValue::Array(a) => array = Some(a),
                _ => {}
            }
        }
        (found, true)
    }

    /// The deepest key path whose key or value span encloses `span` (root when none does).
    pub fn path_at(&self, span: &Range<usize>) -> KeyPath {
        let mut path = Vec::new();
        let mut best: Vec<Seg> = Vec::new();
        search_table(self.root, span, &mut path, &mut best);
        KeyPath(best)
    }

    /// A validation failure as a `ScenarioError`, with the line of its key where found.
    pub fn error(&self, origin: &str, f: Fail) -> ScenarioError {
        let e = ScenarioError::new(origin, f.path.to_string(), f.message);
        match self.span_of(&f.path) {
            Some(span) => {
                let (line, column) = self.line_col(span.start);
                e.at(line, column)
            }
            None => e,
        }
    }

    /// The path of the `[table]` or `[[array]]` header section that byte `pos` lies in (root
    /// before the first header).
    pub fn section_at(&self, pos: usize) -> KeyPath {
        let mut path = Vec::new();
        let mut best: Option<(usize, Vec<Seg>)> = None;
        self.sections(self.root, pos, &mut path, &mut best);
        best.map_or_else(KeyPath::root, |(_, p)| KeyPath(p))
    }

    fn is_header(&self, span: &Range<usize>) -> bool {
        self.text.as_bytes().get(span.start) == Some(&b'[')
    }

    fn sections(
        &self,
        t: &DeTable<'_>,
        pos: usize,
        path: &mut Vec<Seg>,
        best: &mut Option<(usize, Vec<Seg>)>,
    ) {
        let visit = |span: Range<usize>, path: &Vec<Seg>, best: &mut Option<(usize, Vec<Seg>)>| {
            if self.is_header(&span)
                && span.start <= pos
                && best.as_ref().is_none_or(|(s, _)| span.start >= *s)
            {
                *best = Some((span.start, path.clone()));
            }
        };
        for (k, v) in t.iter() {
            path.push(Seg::Key(k.get_ref().to_string()));
            match v.get_ref() {
                DeValue::Table(inner) => {
                    visit(v.span(), path, best);
                    self.sections(inner, pos, path, best);
                }
                DeValue::Array(a) => {
                    for (i, e) in a.iter().enumerate() {
                        if let DeValue::Table(inner) = e.get_ref() {
                            path.push(Seg::Index(i));
                            visit(e.span(), path, best);
                            self.sections(inner, pos, path, best);
                            path.pop();
                        }
                    }
                }
                _ => {}
            }
            path.pop();
        }
    }

    /// A TOML error as a `ScenarioError`: the key path from the error's span, the message in
    /// the file's vocabulary (keys, tables, numbers). `syntax`: the document itself is malformed
    /// (then a key path is only a best guess: the key at the error, else its section).
    pub fn toml_error(&self, origin: &str, err: &toml::de::Error, syntax: bool) -> ScenarioError {
        let raw = err.message().trim();
        let mut message = reword(raw);
        let span = err.span();
        let mut path = span
            .as_ref()
            .map(|s| self.path_at(s))
            .unwrap_or_else(KeyPath::root);
        // "missing field `x`" points at the enclosing table: name the missing key itself.
        let missing = raw
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next());
        if let Some(key) = missing {
            let at_root = path.is_empty();
            path = path.key(key);
            let e = ScenarioError::new(origin, path.to_string(), message);
            return match span {
                Some(s) if !at_root => {
                    let (line, column) = self.line_col(s.start);
                    e.at(line, column)
                }
                _ => e,
            };
        }
        if syntax && path.is_empty() {
            if let Some(s) = &span {
                path = self.section_at(s.start);
                // "duplicate key" points at the second occurrence of the key.
                if raw == "duplicate key" {
                    let key = self
                        .text
                        .get(s.clone())
                        .unwrap_or("")
                        .trim()
                        .trim_matches(|c| c == '"' || c == '\'');
                    if !key.is_empty() {
                        path = path.key(key);
                        message = format!(
                            "duplicate key `{key}` (a key may appear only once in a table)"
                        );
                    }
                }
            }
        }
        let e = ScenarioError::new(origin, path.to_string(), message);
        match span {
            Some(s) => {
                let (line, column) = self.line_col(s.start);
                e.at(line, column)
            }
            None => e,
        }
    }
}

fn consider(path: &[Seg], best: &mut Vec<Seg>) {
    if path.len() > best.len() {
        *best = path.to_vec();
    }
}

fn search_table(t: &DeTable<'_>, span: &Range<usize>, path: &mut Vec<Seg>, best: &mut Vec<Seg>) {
    for (k, v) in t.iter() {
        path.push(Seg::Key(k.get_ref().to_string()));
        if contains(&k.span(), span) || contains(&v.span(), span) {
            consider(path, best);
        }
        search_value(v, span, path, best);
        path.pop();
    }
}

fn search_value(
    v: &Spanned<DeValue<'_>>,
    span: &Range<usize>,
    path: &mut Vec<Seg>,
    best: &mut Vec<Seg>,
) {
    match v.get_ref() {
        DeValue::Table(t) => search_table(t, span, path, best),
        DeValue::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                if contains(&e.span(), span) {
                    consider(path, best);
                }
                search_value(e, span, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Serde's vocabulary to the file's: fields are keys, structs are tables, f64 is a number.
fn reword(raw: &str) -> String {
    let mut m = raw.to_string();
    for (from, to) in [
        ("missing field", "missing required key"),
        ("unknown field", "unknown key"),
        ("duplicate field", "duplicate key"),
        ("unknown variant", "unknown value"),
        ("there are no fields", "this table takes no keys"),
        ("expected f64", "expected a number"),
        ("expected u64", "expected a non-negative integer"),
        (
            "expected u32",
            "expected a non-negative integer (at most 4294967295)",
        ),
        ("expected a sequence", "expected an array"),
    ] {
        m = m.replace(from, to);
    }
    // "expected struct LaunchRaw" / "expected a map": every struct in the schema is a table.
    if let Some(i) = m.find("expected struct ") {
        m.truncate(i);
        m.push_str("expected a table");
    }
    m = m.replace("expected a map", "expected a table");
    m
}

/// Numbers in messages: plain for ordinary magnitudes, exponent form for tiny or huge ones.
fn num(v: f64) -> String {
    let a = v.abs();
    if v.is_finite() && a != 0.0 && !(1e-4..1e15).contains(&a) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn finite(p: &KeyPath, v: f64) -> R<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        fail(p, format!("must be a finite number (got {})", num(v)))
    }
}

/// `v` in the interval with the given bounds and closedness.
fn range(p: &KeyPath, v: f64, lo: f64, lo_closed: bool, hi: f64, hi_closed: bool) -> R<f64> {
    let v = finite(p, v)?;
    let ok_lo = if lo_closed { v >= lo } else { v > lo };
    let ok_hi = if hi_closed { v <= hi } else { v < hi };
    if ok_lo && ok_hi {
        return Ok(v);
    }
    let got = num(v);
    if hi == f64::INFINITY {
        if lo_closed {
            fail(p, format!("must be at least {} (got {got})", num(lo)))
        } else {
            fail(p, format!("must be greater than {} (got {got})", num(lo)))
        }
    } else {
        let l = if lo_closed { '[' } else { '(' };
        let h = if hi_closed { ']' } else { ')' };
        fail(
            p,
            format!("must be in {l}{}, {}{h} (got {got})", num(lo), num(hi)),
        )
    }
}

/// `v >= 0`.
fn nonneg(p: &KeyPath, v: f64) -> R<f64> {
    range(p, v, 0.0, true, f64::INFINITY, false)
}

/// `v > 0`.
fn positive(p: &KeyPath, v: f64) -> R<f64> {
    range(p, v, 0.0, false, f64::INFINITY, false)
}

fn probability(p: &KeyPath, v: f64) -> R<f64> {
    let v = finite(p, v)?;
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        fail(
            p,
            format!("must be a probability in [0, 1] (got {})", num(v)),
        )
    }
}

fn latitude(p: &KeyPath, v: f64) -> R<f64> {
    range(p, v, -90.0, true, 90.0, true)
}

fn longitude(p: &KeyPath, v: f64) -> R<f64> {
    range(p, v, -180.0, true, 360.0, false)
}

/// An azimuth, deg clockwise from north, in [-180, 360).
fn azimuth(p: &KeyPath, v: f64) -> R<f64> {
    range(p, v, -180.0, true, 360.0, false)
}

/// Largest launch-disc radius or aim sigma, km (a quarter of the Earth's circumference is far
/// beyond any use; larger discs would wrap around the sphere).
const MAX_AREA_KM: f64 = 5_000.0;

/// A `[lo, hi]` pair with `lo <= hi`, both `>= 0`.
fn interval(p: &KeyPath, v: [f64; 2]) -> R<[f64; 2]> {
    let lo = nonneg(&p.index(0), v[0])?;
    let hi = nonneg(&p.index(1), v[1])?;
    if lo > hi {
        return fail(
            p,
            format!(
                "the lower bound must not exceed the upper bound (got [{}, {}])",
                num(lo),
                num(hi)
            ),
        );
    }
    Ok([lo, hi])
}

/// A weave period `[lo, hi]`, with `lo > 0` when the threat weaves.
fn weave_period(p: &KeyPath, v: [f64; 2], weaves: bool, amplitude_key: &str) -> R<[f64; 2]> {
    let [lo, hi] = interval(p, v)?;
    if weaves && lo <= 0.0 {
        return fail(
            &p.index(0),
            format!(
                "must be greater than 0 when the threat weaves ({amplitude_key} > 0) (got {})",
                num(lo)
            ),
        );
    }
    Ok([lo, hi])
}

fn name(p: &KeyPath, v: &str) -> R<String> {
    if v.trim().is_empty() {
        return fail(p, "must not be empty");
    }
    Ok(v.to_string())
}

fn unique_names<'n>(what: &str, table: &KeyPath, names: impl Iterator<Item = &'n str>) -> R<()> {
    let names: Vec<&str> = names.collect();
    for (j, n) in names.iter().enumerate() {
        if let Some(i) = names[..j].iter().position(|m| m == n) {
            return fail(
                &table.index(j).key("name"),
                format!("duplicate {what} name {n:?} (also {table}[{i}])"),
            );
        }
    }
    Ok(())
}

fn site(p: &KeyPath, s: &SiteRaw) -> R<GeoPoint> {
    Ok(GeoPoint {
        lat_deg: latitude(&p.key("lat_deg"), s.lat_deg)?,
        lon_deg: longitude(&p.key("lon_deg"), s.lon_deg)?,
        // The lowest land is about -0.43 km (Dead Sea shore).
        alt_km: range(&p.key("alt_km"), s.alt_km, -1.0, true, f64::INFINITY, false)?,
    })
}

/// An integration step, s: greater than 0, and in [`MIN_STEP_S`, `MAX_STEP_S`].
fn step(p: &KeyPath, v: f64) -> R<f64> {
    let v = positive(p, v)?;
    if (MIN_STEP_S..=MAX_STEP_S).contains(&v) {
        return Ok(v);
    }
    fail(
        p,
        format!(
            "must be in [{}, {}] s (got {}): a step under 1 ms no longer advances the kernels' \
             f32 clock near the {MAX_FLIGHT_S} s flight limit, and a step over a minute skips \
             hundreds of km of flight",
            num(MIN_STEP_S),
            num(MAX_STEP_S),
            num(v)
        ),
    )
}

fn run(p: &KeyPath, r: &RunRaw) -> R<RunSettings> {
    if r.samples < 1 {
        return fail(
            &p.key("samples"),
            format!("must be at least 1 (got {})", r.samples),
        );
    }
    let dt_s = step(&p.key("dt_s"), r.dt_s)?;
    let dt_atmosphere_s = step(&p.key("dt_atmosphere_s"), r.dt_atmosphere_s)?;
    if dt_atmosphere_s > dt_s {
        return fail(
            &p.key("dt_atmosphere_s"),
            format!(
                "must not exceed run.dt_s = {} (got {})",
                num(dt_s),
                num(dt_atmosphere_s)
            ),
        );
    }
    Ok(RunSettings {
        samples: r.samples,
        seed: r.seed,
        backend: match r.backend {
            BackendRaw::Auto => BackendChoice::Auto,
            BackendRaw::Cpu => BackendChoice::Cpu,
            BackendRaw::Gpu => BackendChoice::Gpu,
        },
        integrator: match r.integrator {
            IntegratorRaw::Adaptive => Integrator::Adaptive,
            IntegratorRaw::Rk4 => Integrator::Rk4,
        },
        tolerance_km: range(
            &p.key("tolerance"),
            r.tolerance,
            MIN_TOLERANCE_KM,
            true,
            MAX_TOLERANCE_KM,
            true,
        )?,
        dt_s,
        dt_atmosphere_s,
        confidence: range(&p.key("confidence"), r.confidence, 0.0, false, 1.0, false)?,
    })
}

fn doctrine(p: &KeyPath, d: &DoctrineRaw) -> R<Doctrine> {
    for (key, v) in [
        ("salvo_size", d.salvo_size),
        ("max_engagements", d.max_engagements),
    ] {
        if v < 1 {
            return fail(&p.key(key), format!("must be at least 1 (got {v})"));
        }
    }
    // The allocation keeps each battery's engagement count of a threat in a few bits.
    if d.max_engagements > MAX_ENGAGEMENTS {
        return fail(
            &p.key("max_engagements"),
            format!(
                "must be at most {MAX_ENGAGEMENTS} engagements per battery per threat (got {})",
                d.max_engagements
            ),
        );
    }
    Ok(Doctrine {
        mode: match d.mode {
            DoctrineModeRaw::Salvo => DoctrineMode::Salvo,
            DoctrineModeRaw::ShootLookShoot => DoctrineMode::ShootLookShoot,
        },
        salvo_size: d.salvo_size,
        max_engagements: d.max_engagements,
        kill_assessment_s: nonneg(&p.key("kill_assessment_s"), d.kill_assessment_s)?,
        kill_assessment_probability: probability(
            &p.key("kill_assessment_probability"),
            d.kill_assessment_probability,
        )?,
    })
}

fn raid(p: &KeyPath, r: &RaidRaw) -> R<Raid> {
    if !(1..=MAX_RAID as u32).contains(&r.size) {
        return fail(
            &p.key("size"),
            format!("must be in [1, {MAX_RAID}] (got {})", r.size),
        );
    }
    Ok(Raid {
        size: r.size,
        launch_window_s: nonneg(&p.key("launch_window_s"), r.launch_window_s)?,
        system_reliability: probability(&p.key("system_reliability"), r.system_reliability)?,
        track_reliability: probability(&p.key("track_reliability"), r.track_reliability)?,
    })
}

/// `boost_range_km`: given (then 0 when there is no boost), or the altitude at boost end
/// (0 when there is no boost).
fn boost_range(p: &KeyPath, given: Option<f64>, boost_time_s: f64, end_altitude_km: f64) -> R<f64> {
    let key = p.key("boost_range_km");
    match given {
        Some(v) => {
            let v = nonneg(&key, v)?;
            if boost_time_s == 0.0 && v != 0.0 {
                return fail(
                    &key,
                    format!(
                        "must be 0 when boost_time_s = 0 (the flight starts directly above the \
                         launch point) (got {})",
                        num(v)
                    ),
                );
            }
            Ok(v)
        }
        None if boost_time_s == 0.0 => Ok(0.0),
        None => Ok(end_altitude_km),
    }
}

fn ballistic(p: &KeyPath, t: &ThreatRaw, boost_time_s: f64) -> R<BallisticParams> {
    let Some(burnout_altitude_km) = t.burnout_altitude_km else {
        return fail(
            &p.key("burnout_altitude_km"),
            "missing required key `burnout_altitude_km` (km; 0 = free flight from the surface)",
        );
    };
    let burnout_altitude_km = nonneg(&p.key("burnout_altitude_km"), burnout_altitude_km)?;

    let speed = t.burnout_speed_km_s;
    let fpa = t.flight_path_angle_deg;
    let az = t.azimuth_deg;
    let aim_mode = if speed.is_some() || az.is_some() {
        let missing: Vec<&str> = [
            ("burnout_speed_km_s", speed.is_none()),
            ("flight_path_angle_deg", fpa.is_none()),
            ("azimuth_deg", az.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| *k)
        .collect();
        if !missing.is_empty() {
            let given = if speed.is_some() {
                "burnout_speed_km_s"
            } else {
                "azimuth_deg"
            };
            return fail(
                &p.key(given),
                format!(
                    "partial free shot: burnout_speed_km_s, flight_path_angle_deg and azimuth_deg \
                     must be given together (missing: {})",
                    missing.join(", ")
                ),
            );
        }
        if t.aim.is_some() {
            return fail(
                &p.key("aim"),
                "free shot: remove aim or burnout_speed_km_s (with burnout_speed_km_s, \
                 flight_path_angle_deg and azimuth_deg all given, no aim point is used)",
            );
        }
        if let Some(loft) = t.loft_deg {
            return fail(
                &p.key("loft_deg"),
                format!(
                    "does not apply to a free shot (burnout_speed_km_s, flight_path_angle_deg and \
                     azimuth_deg are given) (got {})",
                    num(loft)
                ),
            );
        }
        BallisticAim::Free {
            burnout_speed_km_s: positive(&p.key("burnout_speed_km_s"), speed.unwrap_or(0.0))?,
            flight_path_angle_deg: range(
                &p.key("flight_path_angle_deg"),
                fpa.unwrap_or(0.0),
                -90.0,
                false,
                90.0,
                false,
            )?,
            azimuth_deg: azimuth(&p.key("azimuth_deg"), az.unwrap_or(0.0))?,
        }
    } else if let Some(fpa) = fpa {
        if let Some(loft) = t.loft_deg {
            return fail(
                &p.key("loft_deg"),
                format!(
                    "give either loft_deg or flight_path_angle_deg, not both (got loft_deg = {}, \
                     flight_path_angle_deg = {})",
                    num(loft),
                    num(fpa)
                ),
            );
        }
        BallisticAim::FixedAngle {
            flight_path_angle_deg: range(
                &p.key("flight_path_angle_deg"),
                fpa,
                0.0,
                false,
                90.0,
                false,
            )?,
        }
    } else {
        BallisticAim::MinEnergy {
            loft_deg: range(
                &p.key("loft_deg"),
                t.loft_deg.unwrap_or(0.0),
                -90.0,
                false,
                90.0,
                false,
            )?,
        }
    };

    Ok(BallisticParams {
        boost_time_s,
        burnout_altitude_km,
        boost_range_km: boost_range(p, t.boost_range_km, boost_time_s, burnout_altitude_km)?,
        aim_mode,
        burnout_speed_sigma_fraction: range(
            &p.key("burnout_speed_sigma_fraction"),
            t.burnout_speed_sigma_fraction.unwrap_or(0.0),
            0.0,
            true,
            1.0,
            false,
        )?,
        flight_path_angle_spread_deg: range(
            &p.key("flight_path_angle_spread_deg"),
            t.flight_path_angle_spread_deg.unwrap_or(0.0),
            0.0,
            true,
            90.0,
            false,
        )?,
        azimuth_sigma_deg: range(
            &p.key("azimuth_sigma_deg"),
            t.azimuth_sigma_deg.unwrap_or(0.0),
            0.0,
            true,
            180.0,
            true,
        )?,
        decoys: match t.decoys.unwrap_or(0) {
            d if d > MAX_DECOYS => {
                return fail(
                    &p.key("decoys"),
                    format!("must be at most {MAX_DECOYS} (got {d})"),
                )
            }
            d => d,
        },
        discrimination_probability: probability(
            &p.key("discrimination_probability"),
            t.discrimination_probability.unwrap_or(0.0),
        )?,
        decoy_strip_altitude_km: nonneg(
            &p.key("decoy_strip_altitude_km"),
            t.decoy_strip_altitude_km
                .unwrap_or(DEFAULT_DECOY_STRIP_ALTITUDE_KM),
        )?,
    })
}

fn glide(p: &KeyPath, t: &ThreatRaw, boost_time_s: f64) -> R<GlideParams> {
    let Some(g) = &t.glide else {
        return fail(
            &p.key("glide"),
            "missing required key `glide`: kind = \"glide\" needs a table \
             `glide = { start_altitude_km, start_speed_km_s, lift_to_drag, ... }`",
        );
    };
    let q = p.key("glide");
    let start_altitude_km = positive(&q.key("start_altitude_km"), g.start_altitude_km)?;
    let weave_bank_deg = range(
        &q.key("weave_bank_deg"),
        g.weave_bank_deg,
        0.0,
        true,
        90.0,
        false,
    )?;
    Ok(GlideParams {
        boost_time_s,
        boost_range_km: boost_range(p, t.boost_range_km, boost_time_s, start_altitude_km)?,
        start_altitude_km,
        start_speed_km_s: positive(&q.key("start_speed_km_s"), g.start_speed_km_s)?,
        start_flight_path_angle_deg: range(
            &q.key("start_flight_path_angle_deg"),
            g.start_flight_path_angle_deg,
            -90.0,
            false,
            90.0,
            false,
        )?,
        lift_to_drag: positive(&q.key("lift_to_drag"), g.lift_to_drag)?,
        weave_bank_deg,
        weave_period_s: weave_period(
            &q.key("weave_period_s"),
            g.weave_period_s.0,
            weave_bank_deg > 0.0,
            "weave_bank_deg",
        )?,
        dive_range_km: nonneg(&q.key("dive_range_km"), g.dive_range_km)?,
    })
}

fn cruise(p: &KeyPath, t: &ThreatRaw, boost_time_s: f64) -> R<CruiseParams> {
    let Some(c) = &t.cruise else {
        return fail(
            &p.key("cruise"),
            "missing required key `cruise`: kind = \"cruise\" needs a table \
             `cruise = { altitude_km, speed_km_s, ... }`",
        );
    };
    let q = p.key("cruise");
    let altitude_km = positive(&q.key("altitude_km"), c.altitude_km)?;
    let weave_g = nonneg(&q.key("weave_g"), c.weave_g)?;
    Ok(CruiseParams {
        boost_time_s,
        boost_range_km: boost_range(p, t.boost_range_km, boost_time_s, altitude_km)?,
        altitude_km,
        speed_km_s: positive(&q.key("speed_km_s"), c.speed_km_s)?,
        weave_g,
        weave_period_s: weave_period(
            &q.key("weave_period_s"),
            c.weave_period_s.0,
            weave_g > 0.0,
            "weave_g",
        )?,
        dive_range_km: nonneg(&q.key("dive_range_km"), c.dive_range_km)?,
    })
}

fn threat(p: &KeyPath, t: &ThreatRaw) -> R<Threat> {
    let kind = t.kind;
    let name = name(&p.key("name"), &t.name)?;

    // Keys of one kind on another are mistakes, not silently ignored values.
    if kind != ThreatKindRaw::Ballistic {
        let ballistic_only = [
            ("burnout_altitude_km", t.burnout_altitude_km.is_some()),
            ("loft_deg", t.loft_deg.is_some()),
            ("flight_path_angle_deg", t.flight_path_angle_deg.is_some()),
            ("burnout_speed_km_s", t.burnout_speed_km_s.is_some()),
            ("azimuth_deg", t.azimuth_deg.is_some()),
            (
                "burnout_speed_sigma_fraction",
                t.burnout_speed_sigma_fraction.is_some(),
            ),
            (
                "flight_path_angle_spread_deg",
                t.flight_path_angle_spread_deg.is_some(),
            ),
            ("azimuth_sigma_deg", t.azimuth_sigma_deg.is_some()),
            ("decoys", t.decoys.is_some()),
            (
                "discrimination_probability",
                t.discrimination_probability.is_some(),
            ),
            (
                "decoy_strip_altitude_km",
                t.decoy_strip_altitude_km.is_some(),
            ),
        ];
        if let Some((key, _)) = ballistic_only.iter().find(|(_, given)| *given) {
            return fail(
                &p.key(key),
                format!(
                    "applies only to ballistic threats (this threat has kind = \"{}\")",
                    kind.name()
                ),
            );
        }
    }
    for (key, given, wanted) in [
        ("glide", t.glide.is_some(), ThreatKindRaw::Glide),
        ("cruise", t.cruise.is_some(), ThreatKindRaw::Cruise),
    ] {
        if given && kind != wanted {
            return fail(
                &p.key(key),
                format!(
                    "a `{key}` table applies only to kind = \"{key}\" (this threat has kind = \
                     \"{}\")",
                    kind.name()
                ),
            );
        }
    }

    let weight = nonneg(&p.key("weight"), t.weight.unwrap_or(1.0))?;
    let launch = LaunchArea {
        lat_deg: latitude(&p.key("launch").key("lat_deg"), t.launch.lat_deg)?,
        lon_deg: longitude(&p.key("launch").key("lon_deg"), t.launch.lon_deg)?,
        radius_km: range(
            &p.key("launch").key("radius_km"),
            t.launch.radius_km,
            0.0,
            true,
            MAX_AREA_KM,
            true,
        )?,
    };
    let aim = match &t.aim {
        Some(a) => Some(AimArea {
            lat_deg: latitude(&p.key("aim").key("lat_deg"), a.lat_deg)?,
            lon_deg: longitude(&p.key("aim").key("lon_deg"), a.lon_deg)?,
            sigma_km: range(
                &p.key("aim").key("sigma_km"),
                a.sigma_km,
                0.0,
                true,
                MAX_AREA_KM,
                true,
            )?,
        }),
        None => None,
    };
    let launch_time_s = interval(
        &p.key("launch_time_s"),
        t.launch_time_s.map_or([0.0; 2], |p| p.0),
    )?;
    let rcs_m2 = positive(&p.key("rcs_m2"), t.rcs_m2.unwrap_or(1.0))?;
    let ballistic_coefficient_kg_m2 = match (t.ballistic_coefficient_kg_m2, kind) {
        (Some(v), _) => positive(&p.key("ballistic_coefficient_kg_m2"), v)?,
        (None, ThreatKindRaw::Glide) => {
            return fail(
                &p.key("ballistic_coefficient_kg_m2"),
                "missing required key `ballistic_coefficient_kg_m2` (kg/m^2; a glider's drag \
                 depends on it)",
            )
        }
        (None, _) => DEFAULT_BALLISTIC_COEFFICIENT_KG_M2,
    };
    let Some(boost_time_s) = t.boost_time_s else {
        return fail(
            &p.key("boost_time_s"),
            "missing required key `boost_time_s` (s; 0 = no boost phase)",
        );
    };
    let boost_time_s = nonneg(&p.key("boost_time_s"), boost_time_s)?;
    if boost_time_s > MAX_BOOST_S {
        return fail(
            &p.key("boost_time_s"),
            format!(
                "threat {name:?}: a boost of {} s is not a missile's (at most {} s allowed; a \
                 three-stage ICBM burns about 300 s)",
                num(boost_time_s),
                num(MAX_BOOST_S)
            ),
        );
    }

    let kind = match kind {
        ThreatKindRaw::Ballistic => ThreatKind::Ballistic(ballistic(p, t, boost_time_s)?),
        ThreatKindRaw::Glide => ThreatKind::Glide(glide(p, t, boost_time_s)?),
        ThreatKindRaw::Cruise => ThreatKind::Cruise(cruise(p, t, boost_time_s)?),
    };
    let free = matches!(
        &kind,
        ThreatKind::Ballistic(BallisticParams {
            aim_mode: BallisticAim::Free { .. },
            ..
        })
    );
    if aim.is_none() && !free {
        return fail(
            &p.key("aim"),
            format!(
                "missing required key `aim` (a {} threat needs an aim point unless it is a \
                 ballistic free shot with burnout_speed_km_s, flight_path_angle_deg and \
                 azimuth_deg)",
                kind.name()
            ),
        );
    }

    if let (ThreatKind::Cruise(c), Some(a)) = (&kind, &aim) {
        cruise_leg(p, &name, &launch, a, c)?;
    }

    Ok(Threat {
        name,
        weight,
        launch,
        aim,
        launch_time_s,
        rcs_m2,
        ballistic_coefficient_kg_m2,
        kind,
    })
}

/// The longest cruise leg any trial can fly, km: the cruise starts `boost_range_km` from the
/// launch point toward the aim point, and the launch-to-aim distance of a trial is at most the
/// nominal one plus the launch disc radius plus [`MAX_NORMAL_SIGMAS`] aim sigmas (the largest
/// circular-normal offset the kernels' draws can give).
pub(crate) fn longest_cruise_leg_km(
    launch: &LaunchArea,
    aim: &AimArea,
    boost_range_km: f64,
) -> f64 {
    let d = ground_range_km(
        geo_dir(launch.lat_deg.to_radians(), launch.lon_deg.to_radians()),
        geo_dir(aim.lat_deg.to_radians(), aim.lon_deg.to_radians()),
    );
    let reach = d + launch.radius_km + MAX_NORMAL_SIGMAS * aim.sigma_km;
    // A leg is |trial distance - boost range|: at most reach - boost, or the boost itself when
    // the climb overshoots the aim point.
    (reach - boost_range_km).max(boost_range_km)
}

/// A cruise leg must end within the maximum flight time: the analytic cruise path is sampled
/// every `dt_s` to its end, so an absurdly slow cruise would run for ever.
fn cruise_leg(
    p: &KeyPath,
    name: &str,
    launch: &LaunchArea,
    aim: &AimArea,
    c: &CruiseParams,
) -> R<()> {
    let leg_km = longest_cruise_leg_km(launch, aim, c.boost_range_km);
    let duration_s = leg_km / c.speed_km_s;
    if duration_s <= f64::from(MAX_FLIGHT_S) {
        return Ok(());
    }
    fail(
        &p.key("cruise").key("speed_km_s"),
        format!(
            "threat {name:?}: the cruise leg can last up to {} s ({leg_km:.0} km at {} km/s: the \
             launch-to-aim distance plus the launch radius and {MAX_NORMAL_SIGMAS} aim sigmas, \
             less the climb), longer than the maximum flight time of {MAX_FLIGHT_S} s; use a \
             faster cruise (km/s) or a shorter route",
            num(duration_s.round()),
            num(c.speed_km_s)
        ),
    )
}

fn sensor(p: &KeyPath, s: &SensorRaw) -> R<Sensor> {
    // The only kind so far; serde has already rejected any other.
    match s.kind {
        SensorKindRaw::Radar => {}
    }
    let sector = match (s.boresight_azimuth_deg, s.sector_half_width_deg) {
        (None, None) => None,
        (Some(b), Some(w)) => Some(Sector {
            boresight_azimuth_deg: azimuth(&p.key("boresight_azimuth_deg"), b)?,
            half_width_deg: range(&p.key("sector_half_width_deg"), w, 0.0, false, 180.0, true)?,
        }),
        (Some(_), None) => {
            return fail(
                &p.key("boresight_azimuth_deg"),
                "a sector needs both boresight_azimuth_deg and sector_half_width_deg \
                 (missing: sector_half_width_deg)",
            )
        }
        (None, Some(_)) => {
            return fail(
                &p.key("sector_half_width_deg"),
                "a sector needs both boresight_azimuth_deg and sector_half_width_deg \
                 (missing: boresight_azimuth_deg)",
            )
        }
    };
    Ok(Sensor {
        name: name(&p.key("name"), &s.name)?,
        site: site(&p.key("site"), &s.site)?,
        max_range_km: positive(&p.key("max_range_km"), s.max_range_km)?,
        reference_rcs_m2: positive(&p.key("reference_rcs_m2"), s.reference_rcs_m2)?,
        min_elevation_deg: range(
            &p.key("min_elevation_deg"),
            s.min_elevation_deg,
            -90.0,
            false,
            90.0,
            false,
        )?,
        sector,
        track_delay_s: nonneg(&p.key("track_delay_s"), s.track_delay_s)?,
        track_capacity: capacity(
            &p.key("track_capacity"),
            s.track_capacity,
            MAX_TRACK_CAPACITY,
            "objects tracked at once",
        )?,
    })
}

/// An optional capacity count: at least 1 and at most `max` (omit the key for unlimited).
fn capacity(p: &KeyPath, v: Option<u32>, max: u32, what: &str) -> R<Option<u32>> {
    match v {
        None => Ok(None),
        Some(0) => fail(
            p,
            format!("must be at least 1 ({what}); omit the key for no limit"),
        ),
        Some(n) if n > max => fail(
            p,
            format!("at most {max} {what} can be modelled (got {n}); omit the key for no limit"),
        ),
        Some(n) => Ok(Some(n)),
    }
}

/// Sensor names of a battery's `key` list, resolved to indices (unknown or repeated names are
/// errors).
fn sensor_list(p: &KeyPath, key: &str, wanted: &[String], sensors: &[Sensor]) -> R<Vec<usize>> {
    let mut idx: Vec<usize> = Vec::with_capacity(wanted.len());
    for (j, w) in wanted.iter().enumerate() {
        let q = p.key(key).index(j);
        let Some(k) = sensors.iter().position(|s| &s.name == w) else {
            let known: Vec<&str> = sensors.iter().map(|s| s.name.as_str()).collect();
            let defined = if known.is_empty() {
                "no [[sensor]] is defined".to_string()
            } else {
                format!("defined: {}", list(&known))
            };
            return fail(&q, format!("unknown sensor {w:?} ({defined})"));
        };
        if idx.contains(&k) {
            return fail(&q, format!("sensor {w:?} is listed twice"));
        }
        idx.push(k);
    }
    Ok(idx)
}

fn interceptor(p: &KeyPath, name: &str, i: &InterceptorRaw) -> R<Interceptor> {
    if name.trim().is_empty() {
        return fail(p, "an interceptor name must not be empty");
    }
    let min_altitude_km = nonneg(&p.key("min_altitude_km"), i.min_altitude_km)?;
    let max_altitude_km = positive(&p.key("max_altitude_km"), i.max_altitude_km)?;
    if min_altitude_km >= max_altitude_km {
        return fail(
            &p.key("min_altitude_km"),
            format!(
                "must be less than max_altitude_km = {} (got {})",
                num(max_altitude_km),
                num(min_altitude_km)
            ),
        );
    }
    let sspk = match i.sspk {
        SspkRaw::Fixed(v) => Sspk::Fixed(probability(&p.key("sspk"), v)?),
        SspkRaw::Beta(Pair([a, b])) => {
            for (which, v) in [("a", a), ("b", b)] {
                if !(v.is_finite() && v > 0.0) {
                    return fail(
                        &p.key("sspk"),
                        format!(
                            "Beta parameters must be finite and greater than 0 (got {which} = {} \
                             in beta = [{}, {}])",
                            num(v),
                            num(a),
                            num(b)
                        ),
                    );
                }
            }
            for (which, v) in [("a", a), ("b", b)] {
                if !(MIN_BETA_SHAPE..=MAX_BETA_SHAPE).contains(&v) {
                    return fail(
                        &p.key("sspk"),
                        format!(
                            "Beta parameters must be in [{}, {}] (got {which} = {} in beta = \
                             [{}, {}]): the kernels draw the Beta from two f32 gamma variates, \
                             which underflow (below the smallest normal f32, then to 0) for \
                             shapes below {} (a draw U^(1/shape) with U down to 2^-24) and lose \
                             their precision above {}",
                            num(MIN_BETA_SHAPE),
                            num(MAX_BETA_SHAPE),
                            num(v),
                            num(a),
                            num(b),
                            num(MIN_BETA_SHAPE),
                            num(MAX_BETA_SHAPE)
                        ),
                    );
                }
            }
            Sspk::Beta { a, b }
        }
    };
    Ok(Interceptor {
        name: name.to_string(),
        min_altitude_km,
        max_altitude_km,
        max_range_km: positive(&p.key("max_range_km"), i.max_range_km)?,
        flyout_speed_km_s: positive(&p.key("flyout_speed_km_s"), i.flyout_speed_km_s)?,
        sspk,
        divert_g: nonneg(&p.key("divert_g"), i.divert_g)?,
    })
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn battery(
    p: &KeyPath,
    b: &BatteryRaw,
    interceptors: &[Interceptor],
    sensors: &[Sensor],
) -> R<Battery> {
    let name = name(&p.key("name"), &b.name)?;
    let site = site(&p.key("site"), &b.site)?;
    let Some(interceptor) = interceptors.iter().position(|i| i.name == b.interceptor) else {
        let known: Vec<&str> = interceptors.iter().map(|i| i.name.as_str()).collect();
        let defined = if known.is_empty() {
            "no [interceptor.NAME] table is defined".to_string()
        } else {
            format!("defined: {}", list(&known))
        };
        return fail(
            &p.key("interceptor"),
            format!("unknown interceptor {:?} ({defined})", b.interceptor),
        );
    };
    let sensor_idx = match &b.sensors {
        None => (0..sensors.len()).collect(),
        Some(wanted) => sensor_list(p, "sensors", wanted, sensors)?,
    };
    let fire_control_sensors = match &b.fire_control_sensors {
        None => Vec::new(),
        Some(wanted) if wanted.is_empty() => {
            return fail(
                &p.key("fire_control_sensors"),
                "name at least one sensor, or omit the key for no fire-control requirement",
            )
        }
        Some(wanted) => sensor_list(p, "fire_control_sensors", wanted, sensors)?,
    };
    let launch_interval_s = range(
        &p.key("launch_interval_s"),
        b.launch_interval_s,
        0.0,
        true,
        MAX_FLIGHT_S as f64,
        true,
    )?;
    Ok(Battery {
        name,
        site,
        interceptor,
        inventory: b.inventory,
        reaction_time_s: nonneg(&p.key("reaction_time_s"), b.reaction_time_s)?,
        sensors: sensor_idx,
        fire_channels: capacity(
            &p.key("fire_channels"),
            b.fire_channels,
            MAX_FIRE_CHANNELS,
            "engagements in flight at once",
        )?,
        launch_interval_s,
        fire_control_sensors,
    })
}

fn too_many(p: &KeyPath, what: &str, max: usize, got: usize) -> R<()> {
    fail(p, format!("at most {max} {what} are allowed (got {got})"))
}

/// Validates the raw file into a [`Scenario`]. `loc` restores the file order of the
/// `[interceptor.NAME]` tables.
pub(crate) fn build(file: &ScenarioFile, loc: &Locator<'_>) -> R<Scenario> {
    let root = KeyPath::root();
    let scenario_name = name(&root.key("name"), &file.name)?;
    let run = run(&root.key("run"), &file.run)?;
    let earth = EarthSettings {
        rotation: file.earth.rotation,
        atmosphere: match file.earth.atmosphere {
            AtmosphereRaw::Exponential => Atmosphere::Exponential,
            AtmosphereRaw::None => Atmosphere::None,
        },
    };

    // Threats.
    let tp = root.key("threat");
    if file.threat.is_empty() {
        return fail(
            &tp,
            "at least one [[threat]] table is required (no threats are defined)",
        );
    }
    if file.threat.len() > MAX_CLASSES {
        too_many(
            &tp.index(MAX_CLASSES),
            "threat classes",
            MAX_CLASSES,
            file.threat.len(),
        )?;
    }
    let threats = file
        .threat
        .iter()
        .enumerate()
        .map(|(i, t)| threat(&tp.index(i), t))
        .collect::<R<Vec<_>>>()?;
    unique_names("threat", &tp, threats.iter().map(|t| t.name.as_str()))?;
    if threats.iter().all(|t| t.weight <= 0.0) {
        return fail(
            &tp,
            "at least one threat weight must be greater than 0 (all weights are 0)",
        );
    }

    // Sensors.
    let sp = root.key("sensor");
    if file.sensor.len() > MAX_SENSORS {
        too_many(
            &sp.index(MAX_SENSORS),
            "sensors",
            MAX_SENSORS,
            file.sensor.len(),
        )?;
    }
    let sensors = file
        .sensor
        .iter()
        .enumerate()
        .map(|(i, s)| sensor(&sp.index(i), s))
        .collect::<R<Vec<_>>>()?;
    unique_names("sensor", &sp, sensors.iter().map(|s| s.name.as_str()))?;

    // Interceptors, in file order (the order of their keys in the text; by name as tie-break).
    let ip = root.key("interceptor");
    let mut names: Vec<&String> = file.interceptor.keys().collect();
    names.sort_by_key(|n| {
        let start = loc
            .exact_span_of(&ip.key(n))
            .map_or(usize::MAX, |s| s.start);
        (start, (*n).clone())
    });
    if names.len() > MAX_INTERCEPTORS {
        too_many(
            &ip.key(names[MAX_INTERCEPTORS]),
            "interceptor types",
            MAX_INTERCEPTORS,
            names.len(),
        )?;
    }
    let interceptors = names
        .iter()
        .map(|n| interceptor(&ip.key(n), n, &file.interceptor[*n]))
        .collect::<R<Vec<_>>>()?;

    // Batteries.
    let bp = root.key("battery");
    if file.battery.len() > MAX_BATTERIES {
        too_many(
            &bp.index(MAX_BATTERIES),
            "batteries",
            MAX_BATTERIES,
            file.battery.len(),
        )?;
    }
    let batteries = file
        .battery
        .iter()
        .enumerate()
        .map(|(i, b)| battery(&bp.index(i), b, &interceptors, &sensors))
        .collect::<R<Vec<_>>>()?;
    unique_names("battery", &bp, batteries.iter().map(|b| b.name.as_str()))?;

    let doctrine = doctrine(&root.key("doctrine"), &file.doctrine)?;
    let raid = match &file.raid {
        Some(r) => Some(raid(&root.key("raid"), r)?),
        None => None,
    };

    // The per-threat random-draw budget of the engagement model.
    let n_bat = batteries.len();
    for (i, t) in threats.iter().enumerate() {
        let decoys = match &t.kind {
            ThreatKind::Ballistic(b) => b.decoys,
            _ => 0,
        };
        let draws = engagement_draws(
            batteries.len(),
            doctrine.max_engagements,
            decoys,
            doctrine.salvo_size,
        );
        if draws > MAX_ENGAGEMENT_DRAWS {
            let key = if decoys > 0 {
                tp.index(i).key("decoys")
            } else {
                root.key("doctrine").key("max_engagements")
            };
            return fail(
                &key,
                format!(
                    "threat {:?} exceeds the per-threat random-draw budget: batteries ({n_bat}) x \
                     decoys ({decoys}) + batteries x max_engagements ({}) x (2 + decoys + \
                     salvo_size ({})) = {draws}, at most {MAX_ENGAGEMENT_DRAWS} allowed; use \
                     fewer batteries, engagements, decoys or a smaller salvo",
                    t.name, doctrine.max_engagements, doctrine.salvo_size
                ),
            );
        }
    }

    Ok(Scenario {
        name: scenario_name,
        description: file.description.clone(),
        run,
        earth,
        threats,
        sensors,
        interceptors,
        batteries,
        doctrine,
        raid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    const BASE: &str = r#"name = "v"
[[threat]]
name = "t"
kind = "ballistic"
launch = { lat_deg = 0.0, lon_deg = 0.0 }
aim = { lat_deg = 0.0, lon_deg = 20.0 }
boost_time_s = 60.0
burnout_altitude_km = 40.0
"#;

    fn ok(text: &str) -> Scenario {
        Scenario::from_toml_str(text, "v.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn bad(text: &str) -> ScenarioError {
        Scenario::from_toml_str(text, "v.toml").expect_err("should fail")
    }

    #[test]
    fn key_paths_display_like_the_file() {
        let p = KeyPath::root()
            .key("threat")
            .index(0)
            .key("glide")
            .key("lift_to_drag");
        assert_eq!(p.to_string(), "threat[0].glide.lift_to_drag");
        let p = KeyPath::root().key("interceptor").key("sm-3.b").key("sspk");
        assert_eq!(p.to_string(), "interceptor.\"sm-3.b\".sspk");
        assert_eq!(KeyPath::root().to_string(), "");
    }

    #[test]
    fn key_paths_parse_back() {
        for p in [
            KeyPath::root()
                .key("threat")
                .index(0)
                .key("glide")
                .key("lift_to_drag"),
            KeyPath::root().key("interceptor").key("sm-3.b").key("sspk"),
            KeyPath::root().key("battery").index(12),
            KeyPath::root().key("a\"b").key("x"),
            KeyPath::root(),
        ] {
            assert_eq!(KeyPath::parse(&p.to_string()), Some(p.clone()), "{p}");
        }
        for bad in ["a..b", "a[x]", "a[1", ".a", "\"open", "a b"] {
            assert_eq!(KeyPath::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_in_messages() {
        assert_eq!(num(91.0), "91");
        assert_eq!(num(-0.5), "-0.5");
        assert_eq!(num(1e-300), "1e-300");
        assert_eq!(num(f64::NAN), "NaN");
        assert_eq!(num(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nb = \"Kürecik\" # ü\nc = 2\n";
        let (doc, errs) = DeTable::parse_recoverable(text);
        assert!(errs.is_empty());
        let loc = Locator::new(text, doc.get_ref());
        assert_eq!(loc.line_col(0), (1, 1));
        let c = text.find("c =").unwrap();
        assert_eq!(loc.line_col(c), (3, 1));
        let hash = text.find('#').unwrap();
        assert_eq!(loc.line_col(hash), (2, 15));
        assert_eq!(loc.line_col(text.len() + 10), (4, 1));
        assert_eq!(
            loc.span_of(&KeyPath::root().key("c")).map(|s| s.start),
            Some(c)
        );
        // a defaulted key falls back to its longest present prefix; nothing present: None
        assert_eq!(loc.span_of(&KeyPath::root().key("zz").key("y")), None);
        assert_eq!(loc.exact_span_of(&KeyPath::root().key("c").key("y")), None);
    }

    #[test]
    fn sections_and_error_spans_map_to_key_paths() {
        let text = "top = 1\n[run]\ndt_s = 1.0\n[[threat]]\nname = \"a\"\n[[threat]]\nname = \"b\"\nlaunch = { lat_deg = 3.0 }\n";
        let (doc, _) = DeTable::parse_recoverable(text);
        let loc = Locator::new(text, doc.get_ref());
        assert_eq!(loc.section_at(0).to_string(), "");
        assert_eq!(
            loc.section_at(text.find("dt_s").unwrap()).to_string(),
            "run"
        );
        let b = text.find("\"b\"").unwrap();
        assert_eq!(loc.section_at(b).to_string(), "threat[1]");
        let lat = text.find("3.0").unwrap();
        assert_eq!(
            loc.path_at(&(lat..lat + 3)).to_string(),
            "threat[1].launch.lat_deg"
        );
    }

    #[test]
    fn glide_and_cruise_defaults() {
        let glide = BASE
            .replace(
                "kind = \"ballistic\"",
                "kind = \"glide\"\nballistic_coefficient_kg_m2 = 13000",
            )
            .replace(
                "burnout_altitude_km = 40.0",
                "glide = { start_altitude_km = 45.0, start_speed_km_s = 5.0, lift_to_drag = 2.0 }",
            );
        let s = ok(&glide);
        let ThreatKind::Glide(g) = &s.threats[0].kind else {
            panic!("glide expected")
        };
        assert_eq!(g.boost_time_s, 60.0);
        assert_eq!(g.boost_range_km, 45.0);
        assert_eq!(g.start_flight_path_angle_deg, 0.0);
        assert_eq!(g.weave_bank_deg, 0.0);
        assert_eq!(g.weave_period_s, [20.0, 40.0]);
        assert_eq!(g.dive_range_km, 0.0);
        assert_eq!(s.threats[0].ballistic_coefficient_kg_m2, 13000.0);

        let e = bad(&glide.replace("ballistic_coefficient_kg_m2 = 13000\n", ""));
        assert_eq!(e.key(), "threat[0].ballistic_coefficient_kg_m2");

        let cruise = BASE
            .replace("kind = \"ballistic\"", "kind = \"cruise\"")
            .replace(
                "burnout_altitude_km = 40.0",
                "cruise = { altitude_km = 25.0, speed_km_s = 1.8, weave_g = 2.0 }",
            );
        let s = ok(&cruise);
        let ThreatKind::Cruise(c) = &s.threats[0].kind else {
            panic!("cruise expected")
        };
        assert_eq!(c.boost_range_km, 25.0);
        assert_eq!(c.weave_g, 2.0);
        assert_eq!(c.weave_period_s, [20.0, 40.0]);
        assert_eq!(s.threats[0].ballistic_coefficient_kg_m2, 20_000.0);

        // a weave needs a positive period
        let e = bad(&cruise.replace(
            "weave_g = 2.0",
            "weave_g = 2.0, weave_period_s = [0.0, 5.0]",
        ));
        assert_eq!(e.key(), "threat[0].cruise.weave_period_s[0]");
        // ... but a zero period is fine without a weave
        ok(&cruise.replace("weave_g = 2.0", "weave_period_s = [0.0, 5.0]"));
        // a ballistic key on a cruise missile
        let e = bad(&cruise.replace("boost_time_s = 60.0", "boost_time_s = 60.0\nloft_deg = 3.0"));
        assert_eq!(e.key(), "threat[0].loft_deg");
    }

    #[test]
    fn decoys_count_against_the_draw_budget() {
        let mut text = BASE.replace("boost_time_s = 60.0", "boost_time_s = 60.0\ndecoys = 30");
        text.push_str(
            "[interceptor.i]\nmin_altitude_km = 0.0\nmax_altitude_km = 10.0\nmax_range_km = 10.0\nflyout_speed_km_s = 1.0\nsspk = 1\ndivert_g = 0\n",
        );
        for k in 0..3 {
            text.push_str(&format!(
                "[[battery]]\nname = \"b{k}\"\nsite = {{ lat_deg = 0.0, lon_deg = 1.0 }}\ninterceptor = \"i\"\ninventory = 0\n"
            ));
        }
        // 3 x 30 + 3 x 1 x (2 + 30 + 1) = 189 <= 480
        let s = ok(&text);
        assert_eq!(s.interceptors[0].sspk, Sspk::Fixed(1.0));
        assert_eq!(s.batteries[2].inventory, 0);
        // 3 x 30 + 3 x 5 x 33 = 585 > 480
        let e = bad(&format!("{text}[doctrine]\nmax_engagements = 5\n"));
        assert_eq!(e.key(), "threat[0].decoys");
        assert!(e.message().contains("random-draw budget"), "{e}");
        assert_eq!(e.line(), Some(8));
    }

    #[test]
    fn sensors_sectors_and_battery_cueing() {
        // interceptors as dotted keys at the top level (before any header), z before a
        let ic = "{ min_altitude_km = 0.0, max_altitude_km = 10.0, max_range_km = 10.0, \
                  flyout_speed_km_s = 1.0, sspk = 0.5, divert_g = 1 }";
        let mut text = BASE.replacen(
            "name = \"v\"\n",
            &format!("name = \"v\"\ninterceptor.z = {ic}\ninterceptor.a = {ic}\n"),
            1,
        );
        text.push_str(
            "[[sensor]]\nname = \"a\"\nkind = \"radar\"\nsite = { lat_deg = 1.0, lon_deg = 2.0, alt_km = 0.5 }\nmax_range_km = 500\nboresight_azimuth_deg = 90\nsector_half_width_deg = 45\n",
        );
        text.push_str(
            "[[sensor]]\nname = \"b\"\nkind = \"radar\"\nsite = { lat_deg = 1.0, lon_deg = 2.0 }\nmax_range_km = 500\n",
        );
        text.push_str(
            "[[battery]]\nname = \"x\"\nsite = { lat_deg = 0.0, lon_deg = 1.0 }\ninterceptor = \"a\"\ninventory = 3\nsensors = [\"b\", \"a\"]\n",
        );
        text.push_str(
            "[[battery]]\nname = \"y\"\nsite = { lat_deg = 0.0, lon_deg = 1.0 }\ninterceptor = \"z\"\ninventory = 3\nsensors = []\n",
        );
        let s = ok(&text);
        assert_eq!(
            s.sensors[0].sector,
            Some(Sector {
                boresight_azimuth_deg: 90.0,
                half_width_deg: 45.0
            })
        );
        assert_eq!(s.sensors[0].reference_rcs_m2, 1.0);
        assert_eq!(s.sensors[1].sector, None);
        // interceptors in file order: z before a
        assert_eq!(s.interceptors[0].name, "z");
        assert_eq!(s.batteries[0].interceptor, 1);
        assert_eq!(s.batteries[1].interceptor, 0);
        assert_eq!(s.batteries[0].sensors, vec![1, 0]);
        assert!(s.batteries[1].sensors.is_empty());

        let e = bad(&text.replace("sensors = [\"b\", \"a\"]", "sensors = [\"b\", \"b\"]"));
        assert_eq!(e.key(), "battery[0].sensors[1]");
        assert!(e.message().contains("listed twice"));
        let e = bad(&text.replace("sector_half_width_deg = 45", "sector_half_width_deg = 0"));
        assert_eq!(e.key(), "sensor[0].sector_half_width_deg");
        assert!(e.message().contains("(0, 180]"), "{e}");
    }

    #[test]
    fn raid_defaults() {
        let s = ok(&format!("{BASE}[raid]\nsize = 3\n"));
        assert_eq!(
            s.raid,
            Some(Raid {
                size: 3,
                launch_window_s: 0.0,
                system_reliability: 1.0,
                track_reliability: 1.0
            })
        );
        let e = bad(&format!("{BASE}[raid]\nlaunch_window_s = 3\n"));
        assert_eq!(e.key(), "raid.size");
        assert_eq!(e.line(), Some(9));
    }
}
