//! Scenario loading: every shipped scenario loads; malformed scenarios fail with an error that
//! names the file, the key path, the problem and (where the parser knows it) the line.

use std::path::Path;

use interceptmc::scenario::{Scenario, ScenarioError, DEFAULT_SCENARIO_TOML};

/// A valid scenario exercising every section; each malformed case below is one small edit of it.
const BASE: &str = r#"name = "base"
description = "test base"

[run]
samples = 1000
seed = 7
dt_s = 1.0
dt_atmosphere_s = 0.1

[[threat]]
name = "irbm"
kind = "ballistic"
launch = { lat_deg = 35.7, lon_deg = 51.4, radius_km = 100.0 }
aim = { lat_deg = 50.1, lon_deg = 14.4, sigma_km = 20.0 }
rcs_m2 = 0.05
boost_time_s = 120.0
burnout_altitude_km = 80.0

[[threat]]
name = "hgv"
kind = "glide"
launch = { lat_deg = 36.3, lon_deg = 50.0 }
aim = { lat_deg = 44.4, lon_deg = 26.1 }
ballistic_coefficient_kg_m2 = 13000.0
boost_time_s = 100.0
glide = { start_altitude_km = 50.0, start_speed_km_s = 6.0, lift_to_drag = 2.6, weave_bank_deg = 20.0, weave_period_s = [40.0, 80.0] }

[[sensor]]
name = "tpy2"
kind = "radar"
site = { lat_deg = 38.3, lon_deg = 37.8 }
max_range_km = 1500.0

[interceptor.sm3]
min_altitude_km = 100.0
max_altitude_km = 500.0
max_range_km = 900.0
flyout_speed_km_s = 3.0
sspk = { beta = [8.0, 2.0] }
divert_g = 15.0

[interceptor.pac3]
min_altitude_km = 3.0
max_altitude_km = 24.0
max_range_km = 30.0
flyout_speed_km_s = 1.5
sspk = 0.8
divert_g = 30.0

[[battery]]
name = "redzikowo"
site = { lat_deg = 54.5, lon_deg = 16.9 }
interceptor = "sm3"
inventory = 24
reaction_time_s = 30.0

[[battery]]
name = "patriot"
site = { lat_deg = 44.5, lon_deg = 26.1 }
interceptor = "pac3"
inventory = 16
sensors = ["tpy2"]

[doctrine]
mode = "shoot-look-shoot"
max_engagements = 2
kill_assessment_probability = 1.0

[raid]
size = 4
launch_window_s = 30.0
"#;

const ORIGIN: &str = "scenarios/x.toml";

/// BASE with `from` (which must occur exactly once) replaced by `to`.
fn edit(from: &str, to: &str) -> String {
    assert_eq!(
        BASE.matches(from).count(),
        1,
        "test bug: {from:?} must occur exactly once in BASE"
    );
    BASE.replacen(from, to, 1)
}

/// BASE with an extra block appended.
fn append(extra: &str) -> String {
    format!("{BASE}\n{extra}")
}

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("test bug: {needle:?} not in the text"))
        + 1
}

enum Line {
    /// This exact line.
    Is(usize),
    /// The line of the first line containing this text (in the edited text).
    Of(&'static str),
    /// No line (the parser cannot know one).
    Absent,
}

struct Case {
    label: &'static str,
    text: String,
    key: &'static str,
    says: &'static [&'static str],
    line: Line,
}

fn case(
    label: &'static str,
    text: String,
    key: &'static str,
    says: &'static [&'static str],
    line: Line,
) -> Case {
    Case {
        label,
        text,
        key,
        says,
        line,
    }
}

fn battery(i: usize) -> String {
    format!(
        "[[battery]]\nname = \"extra{i}\"\nsite = {{ lat_deg = 50.0, lon_deg = 20.0 }}\ninterceptor = \"pac3\"\ninventory = 1\n"
    )
}

fn threat(i: usize) -> String {
    format!(
        "[[threat]]\nname = \"extra{i}\"\nkind = \"ballistic\"\nlaunch = {{ lat_deg = 0.0, lon_deg = 0.0 }}\naim = {{ lat_deg = 0.0, lon_deg = 10.0 }}\nboost_time_s = 0.0\nburnout_altitude_km = 0.0\n"
    )
}

fn cases() -> Vec<Case> {
    use Line::*;
    vec![
        case(
            "TOML syntax error",
            edit("dt_s = 1.0\n", "dt_s = 1.0 x\n"),
            "run.dt_s",
            &["quoted"],
            Is(7),
        ),
        case(
            "wrong type",
            edit("samples = 1000", "samples = \"many\""),
            "run.samples",
            &["invalid type", "\"many\"", "integer"],
            Is(5),
        ),
        case(
            "wrong type: number for a table",
            edit(
                "launch = { lat_deg = 36.3, lon_deg = 50.0 }",
                "launch = 36.3",
            ),
            "threat[1].launch",
            &["invalid type", "expected a table"],
            Is(22),
        ),
        case(
            "unknown key at top level",
            edit("description = \"test base\"", "descripton = \"test base\""),
            "descripton",
            &["unknown key `descripton`", "description"],
            Is(2),
        ),
        case(
            "unknown key in a [[sensor]]",
            edit("max_range_km = 1500.0", "max_range = 1500.0"),
            "sensor[0].max_range",
            &["unknown key `max_range`"],
            Is(32),
        ),
        case(
            "unknown key in an inline table",
            edit("radius_km = 100.0", "radius = 100.0"),
            "threat[0].launch.radius",
            &["unknown key `radius`"],
            Of("radius = 100.0"),
        ),
        case(
            "unknown key in a glide table",
            edit("lift_to_drag = 2.6", "l_over_d = 2.6"),
            "threat[1].glide.l_over_d",
            &["unknown key `l_over_d`"],
            Is(26),
        ),
        case(
            "missing required key",
            edit("inventory = 16\n", ""),
            "battery[1].inventory",
            &["missing required key `inventory`"],
            Is(57),
        ),
        case(
            "missing required key (validation)",
            edit("boost_time_s = 120.0\n", ""),
            "threat[0].boost_time_s",
            &["missing required key `boost_time_s`"],
            Is(10),
        ),
        case(
            "latitude 91",
            edit("lat_deg = 50.1", "lat_deg = 91.0"),
            "threat[0].aim.lat_deg",
            &["[-90, 90]", "got 91"],
            Is(14),
        ),
        case(
            "site latitude -90.5",
            edit("lat_deg = 38.3", "lat_deg = -90.5"),
            "sensor[0].site.lat_deg",
            &["[-90, 90]", "got -90.5"],
            Is(31),
        ),
        case(
            "probability 1.5",
            edit(
                "kill_assessment_probability = 1.0",
                "kill_assessment_probability = 1.5",
            ),
            "doctrine.kill_assessment_probability",
            &["probability", "got 1.5"],
            Of("kill_assessment_probability"),
        ),
        case(
            "sspk probability out of range",
            edit("sspk = 0.8", "sspk = 1.2"),
            "interceptor.pac3.sspk",
            &["probability", "got 1.2"],
            Of("sspk = 1.2"),
        ),
        case(
            "negative dt",
            edit("dt_s = 1.0\n", "dt_s = -1.0\n"),
            "run.dt_s",
            &["greater than 0", "got -1"],
            Is(7),
        ),
        case(
            "dt_atmosphere_s > dt_s",
            edit("dt_atmosphere_s = 0.1", "dt_atmosphere_s = 2.0"),
            "run.dt_atmosphere_s",
            &["run.dt_s", "got 2"],
            Is(8),
        ),
        case(
            "NaN",
            edit("rcs_m2 = 0.05", "rcs_m2 = nan"),
            "threat[0].rcs_m2",
            &["finite", "NaN"],
            Is(15),
        ),
        case(
            "inf",
            edit("max_range_km = 1500.0", "max_range_km = inf"),
            "sensor[0].max_range_km",
            &["finite", "inf"],
            Is(32),
        ),
        case(
            "-inf in a launch-time interval",
            edit("rcs_m2 = 0.05", "rcs_m2 = 0.05\nlaunch_time_s = [-inf, 0.0]"),
            "threat[0].launch_time_s[0]",
            &["finite", "-inf"],
            Of("launch_time_s"),
        ),
        case(
            "min_altitude >= max_altitude",
            edit("min_altitude_km = 100.0", "min_altitude_km = 500.0"),
            "interceptor.sm3.min_altitude_km",
            &["less than max_altitude_km", "got 500"],
            Is(35),
        ),
        case(
            "dangling battery.interceptor",
            edit("interceptor = \"sm3\"", "interceptor = \"sm9\""),
            "battery[0].interceptor",
            &["unknown interceptor \"sm9\"", "\"sm3\", \"pac3\""],
            Is(53),
        ),
        case(
            "dangling battery.sensors entry",
            edit("sensors = [\"tpy2\"]", "sensors = [\"tpy2\", \"lrdr\"]"),
            "battery[1].sensors[1]",
            &["unknown sensor \"lrdr\""],
            Of("sensors = ["),
        ),
        case(
            "fire_channels of 0",
            edit("inventory = 16\n", "inventory = 16\nfire_channels = 0\n"),
            "battery[1].fire_channels",
            &["must be at least 1", "omit the key for no limit"],
            Of("fire_channels = 0"),
        ),
        case(
            "fire_channels above the limit",
            edit("inventory = 16\n", "inventory = 16\nfire_channels = 17\n"),
            "battery[1].fire_channels",
            &["at most 16", "got 17"],
            Of("fire_channels = 17"),
        ),
        case(
            "negative launch_interval_s",
            edit("inventory = 16\n", "inventory = 16\nlaunch_interval_s = -1.0\n"),
            "battery[1].launch_interval_s",
            &["must be in [0, 7200]", "got -1"],
            Of("launch_interval_s"),
        ),
        case(
            "track_capacity of 0",
            edit("max_range_km = 1500.0\n", "max_range_km = 1500.0\ntrack_capacity = 0\n"),
            "sensor[0].track_capacity",
            &["must be at least 1"],
            Of("track_capacity = 0"),
        ),
        case(
            "track_capacity above the limit",
            edit("max_range_km = 1500.0\n", "max_range_km = 1500.0\ntrack_capacity = 257\n"),
            "sensor[0].track_capacity",
            &["at most 256", "got 257"],
            Of("track_capacity = 257"),
        ),
        case(
            "dangling fire_control_sensors entry",
            edit("sensors = [\"tpy2\"]", "sensors = [\"tpy2\"]\nfire_control_sensors = [\"tpy2\", \"mpq65\"]"),
            "battery[1].fire_control_sensors[1]",
            &["unknown sensor \"mpq65\"", "\"tpy2\""],
            Of("fire_control_sensors"),
        ),
        case(
            "empty fire_control_sensors",
            edit("sensors = [\"tpy2\"]", "sensors = [\"tpy2\"]\nfire_control_sensors = []"),
            "battery[1].fire_control_sensors",
            &["name at least one sensor"],
            Of("fire_control_sensors"),
        ),
        case(
            "duplicate threat names",
            edit("name = \"hgv\"", "name = \"irbm\""),
            "threat[1].name",
            &["duplicate threat name \"irbm\"", "threat[0]"],
            Is(20),
        ),
        case(
            "duplicate battery names",
            edit("name = \"patriot\"", "name = \"redzikowo\""),
            "battery[1].name",
            &["duplicate battery name \"redzikowo\""],
            Is(58),
        ),
        case(
            "duplicate sensor names",
            append(
                "[[sensor]]\nname = \"tpy2\"\nkind = \"radar\"\nsite = { lat_deg = 1.0, lon_deg = 1.0 }\nmax_range_km = 100.0\n",
            ),
            "sensor[1].name",
            &["duplicate sensor name \"tpy2\""],
            Is(74),
        ),
        case("empty file", String::new(), "", &["empty"], Absent),
        case(
            "comments only",
            "# nothing here\n\n".to_string(),
            "",
            &["empty"],
            Absent,
        ),
        case(
            "empty threat list",
            {
                let start = BASE.find("[[threat]]").unwrap();
                let end = BASE.find("[[sensor]]").unwrap();
                format!("{}{}", &BASE[..start], &BASE[end..])
            },
            "threat",
            &["at least one [[threat]]"],
            Absent,
        ),
        case(
            "unknown threat kind",
            edit("kind = \"glide\"", "kind = \"rocket\""),
            "threat[1].kind",
            &["unknown value `rocket`", "ballistic", "glide", "cruise"],
            Is(21),
        ),
        case(
            "unknown sensor kind",
            edit("kind = \"radar\"", "kind = \"lidar\""),
            "sensor[0].kind",
            &["unknown value `lidar`", "radar"],
            Is(30),
        ),
        case(
            "glide without glide table",
            {
                let start = BASE.find("glide = {").unwrap();
                let end = start + BASE[start..].find('\n').unwrap() + 1;
                format!("{}{}", &BASE[..start], &BASE[end..])
            },
            "threat[1].glide",
            &["missing required key `glide`"],
            Is(19),
        ),
        case(
            "glide table on a ballistic threat",
            edit(
                "burnout_altitude_km = 80.0",
                "burnout_altitude_km = 80.0\nglide = { start_altitude_km = 50.0, start_speed_km_s = 6.0, lift_to_drag = 2.6 }",
            ),
            "threat[0].glide",
            &["applies only to kind = \"glide\"", "ballistic"],
            Is(18),
        ),
        case(
            "ballistic-only key on a glider",
            edit("boost_time_s = 100.0", "boost_time_s = 100.0\ndecoys = 3"),
            "threat[1].decoys",
            &["only to ballistic", "glide"],
            Of("decoys = 3"),
        ),
        case(
            "beta with a <= 0",
            edit("sspk = { beta = [8.0, 2.0] }", "sspk = { beta = [0.0, 2.0] }"),
            "interceptor.sm3.sspk",
            &["Beta", "greater than 0", "a = 0"],
            Is(39),
        ),
        case(
            "sspk of the wrong shape",
            edit("sspk = { beta = [8.0, 2.0] }", "sspk = { alpha = [8.0, 2.0] }"),
            "interceptor.sm3.sspk",
            &["unknown key `alpha`", "beta"],
            Is(39),
        ),
        case(
            "raid size 0",
            edit("size = 4", "size = 0"),
            "raid.size",
            &["[1, 256]", "got 0"],
            Of("size = 0"),
        ),
        case(
            "raid size 1000",
            edit("size = 4", "size = 1000"),
            "raid.size",
            &["[1, 256]", "got 1000"],
            Of("size = 1000"),
        ),
        case(
            "too many batteries",
            append(&(0..7).map(battery).collect::<String>()),
            "battery[8]",
            &["at most 8 batteries", "got 9"],
            Is(103),
        ),
        case(
            "too many threat classes",
            append(&(0..7).map(threat).collect::<String>()),
            "threat[8]",
            &["at most 8 threat classes", "got 9"],
            Is(115),
        ),
        case(
            "partial free-shot keys",
            edit(
                "burnout_altitude_km = 80.0",
                "burnout_altitude_km = 80.0\nburnout_speed_km_s = 5.0",
            ),
            "threat[0].burnout_speed_km_s",
            &["partial free shot", "flight_path_angle_deg", "azimuth_deg"],
            Is(18),
        ),
        case(
            "free shot with an aim point",
            edit(
                "burnout_altitude_km = 80.0",
                "burnout_altitude_km = 80.0\nburnout_speed_km_s = 5.0\nflight_path_angle_deg = 40.0\nazimuth_deg = 300.0",
            ),
            "threat[0].aim",
            &["free shot: remove aim or burnout_speed_km_s"],
            Is(14),
        ),
        case(
            "loft with an explicit angle",
            edit(
                "burnout_altitude_km = 80.0",
                "burnout_altitude_km = 80.0\nloft_deg = 5.0\nflight_path_angle_deg = 40.0",
            ),
            "threat[0].loft_deg",
            &["loft_deg or flight_path_angle_deg, not both"],
            Is(18),
        ),
        case(
            "missing aim on a guided threat",
            edit("aim = { lat_deg = 44.4, lon_deg = 26.1 }\n", ""),
            "threat[1].aim",
            &["missing required key `aim`"],
            Is(19),
        ),
        case(
            "random-draw budget",
            edit("max_engagements = 2", "max_engagements = 15\nsalvo_size = 20"),
            "doctrine.max_engagements",
            &["per-threat random-draw budget", "480"],
            Of("max_engagements = 15"),
        ),
        case(
            "engagement count field",
            edit("max_engagements = 2", "max_engagements = 16"),
            "doctrine.max_engagements",
            &["at most 15"],
            Of("max_engagements = 16"),
        ),
        case(
            "salvo size 0",
            edit("mode = \"shoot-look-shoot\"", "mode = \"salvo\"\nsalvo_size = 0"),
            "doctrine.salvo_size",
            &["at least 1", "got 0"],
            Of("salvo_size = 0"),
        ),
        case(
            "unknown doctrine mode",
            edit("mode = \"shoot-look-shoot\"", "mode = \"shoot-shoot-look\""),
            "doctrine.mode",
            &["unknown value `shoot-shoot-look`", "salvo", "shoot-look-shoot"],
            Of("mode = "),
        ),
        case(
            "negative inventory",
            edit("inventory = 24", "inventory = -1"),
            "battery[0].inventory",
            &["-1", "non-negative integer"],
            Is(54),
        ),
        case(
            "half a sector",
            edit(
                "max_range_km = 1500.0",
                "max_range_km = 1500.0\nsector_half_width_deg = 60.0",
            ),
            "sensor[0].sector_half_width_deg",
            &["boresight_azimuth_deg", "both"],
            Is(33),
        ),
        case(
            "weave period reversed",
            edit("weave_period_s = [40.0, 80.0]", "weave_period_s = [80.0, 40.0]"),
            "threat[1].glide.weave_period_s",
            &["lower bound", "[80, 40]"],
            Is(26),
        ),
        case(
            "zero lift-to-drag",
            edit("lift_to_drag = 2.6", "lift_to_drag = 0.0"),
            "threat[1].glide.lift_to_drag",
            &["greater than 0", "got 0"],
            Is(26),
        ),
        case(
            "duplicate TOML key",
            edit("seed = 7\n", "seed = 7\nseed = 8\n"),
            "run.seed",
            &["duplicate key `seed`"],
            Is(7),
        ),
        case(
            "all weights zero",
            edit("rcs_m2 = 0.05", "rcs_m2 = 0.05\nweight = 0.0").replace(
                "boost_time_s = 100.0",
                "boost_time_s = 100.0\nweight = 0",
            ),
            "threat",
            &["weight", "greater than 0"],
            Is(10),
        ),
        case(
            "wrong-length array",
            edit("weave_period_s = [40.0, 80.0]", "weave_period_s = [40.0, 60.0, 80.0]"),
            "threat[1].glide.weave_period_s",
            &["length"],
            Is(26),
        ),
        // Absurd values that would run silently wrong (or for ever) are refused at load.
        case(
            "step over a minute",
            edit("dt_s = 1.0\n", "dt_s = 1e30\n"),
            "run.dt_s",
            &["[0.001, 60] s", "got 1e30"],
            Is(7),
        ),
        case(
            "fine step under a millisecond",
            edit("dt_atmosphere_s = 0.1", "dt_atmosphere_s = 0.0001"),
            "run.dt_atmosphere_s",
            &["[0.001, 60] s", "got 0.0001"],
            Is(8),
        ),
        case(
            "boost over 1,000 s",
            edit("boost_time_s = 120.0", "boost_time_s = 5000.0"),
            "threat[0].boost_time_s",
            &["threat \"irbm\"", "5000 s", "at most 1000 s"],
            Of("boost_time_s = 5000.0"),
        ),
        case(
            "cruise longer than the maximum flight time",
            append(
                "[[threat]]\nname = \"slow-cm\"\nkind = \"cruise\"\n\
                 launch = { lat_deg = 40.0, lon_deg = 40.0, radius_km = 10.0 }\n\
                 aim = { lat_deg = 45.0, lon_deg = 45.0, sigma_km = 1.0 }\nboost_time_s = 10.0\n\
                 cruise = { altitude_km = 0.05, speed_km_s = 1e-6 }\n",
            ),
            "threat[2].cruise.speed_km_s",
            &["threat \"slow-cm\"", "maximum flight time of 7200 s", "1e-6 km/s"],
            Of("cruise = { altitude_km = 0.05"),
        ),
        case(
            // 1,998 km at 0.28 km/s is 7,135 s, but the launch disc (100 km) and 5.768 aim
            // sigmas of 200 km can stretch a trial's leg to 3,251 km, 11,611 s
            "cruise that only a dispersed trial makes too long",
            append(
                "[[threat]]\nname = \"subsonic\"\nkind = \"cruise\"\n\
                 launch = { lat_deg = 0.0, lon_deg = 0.0, radius_km = 100.0 }\n\
                 aim = { lat_deg = 0.0, lon_deg = 17.9663, sigma_km = 200.0 }\nboost_time_s = 0.0\n\
                 cruise = { altitude_km = 0.05, speed_km_s = 0.28 }\n",
            ),
            "threat[2].cruise.speed_km_s",
            &["threat \"subsonic\"", "maximum flight time"],
            Of("cruise = { altitude_km = 0.05"),
        ),
        case(
            "Beta shape so small the gamma draws underflow",
            edit("sspk = { beta = [8.0, 2.0] }", "sspk = { beta = [8.0, 0.1] }"),
            "interceptor.sm3.sspk",
            &["[0.2, 1000000]", "b = 0.1", "underflow"],
            Of("sspk = { beta"),
        ),
        case(
            "Beta shape beyond f32 precision",
            edit("sspk = { beta = [8.0, 2.0] }", "sspk = { beta = [1e40, 2.0] }"),
            "interceptor.sm3.sspk",
            &["a = 1e40"],
            Of("sspk = { beta"),
        ),
    ]
}

fn check(c: &Case, e: &ScenarioError) {
    let shown = e.to_string();
    assert_eq!(e.origin(), ORIGIN, "[{}] {shown}", c.label);
    assert_eq!(e.key(), c.key, "[{}] key path; error: {shown}", c.label);
    for s in c.says {
        assert!(
            e.message().contains(s),
            "[{}] message should contain {s:?}: {shown}",
            c.label
        );
    }
    let want = match c.line {
        Line::Is(n) => Some(n),
        Line::Of(needle) => Some(line_of(&c.text, needle.split('\n').next().unwrap())),
        Line::Absent => None,
    };
    if matches!(c.line, Line::Absent) {
        assert_eq!(e.line(), None, "[{}] {shown}", c.label);
    } else {
        assert_eq!(e.line(), want, "[{}] line; error: {shown}", c.label);
    }
    // The displayed form: ORIGIN[:LINE:COL]: [KEY: ]MESSAGE
    let mut prefix = ORIGIN.to_string();
    if let (Some(l), Some(col)) = (e.line(), e.column()) {
        prefix.push_str(&format!(":{l}:{col}"));
    }
    prefix.push_str(": ");
    if !c.key.is_empty() {
        prefix.push_str(c.key);
        prefix.push_str(": ");
    }
    assert!(
        shown.starts_with(&prefix),
        "[{}] {shown:?} should start with {prefix:?}",
        c.label
    );
}

#[test]
fn base_is_valid() {
    let s = Scenario::from_toml_str(BASE, ORIGIN).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.threats.len(), 2);
    assert_eq!(s.interceptors[0].name, "sm3");
    assert_eq!(s.interceptors[1].name, "pac3");
    assert_eq!(s.batteries[1].sensors, vec![0]);
    assert_eq!(s.raid.as_ref().unwrap().size, 4);
}

#[test]
fn malformed_scenarios_name_key_problem_and_line() {
    let cases = cases();
    assert!(cases.len() >= 24);
    let exact = cases
        .iter()
        .filter(|c| matches!(c.line, Line::Is(_)))
        .count();
    assert!(exact >= 5);
    let mut failures = Vec::new();
    for c in &cases {
        match Scenario::from_toml_str(&c.text, ORIGIN) {
            Ok(_) => failures.push(format!("[{}] unexpectedly valid", c.label)),
            Err(e) => {
                // visible with --nocapture: the messages a user would see
                eprintln!("{:<36} {e}", c.label);
                if let Err(p) = std::panic::catch_unwind(|| check(c, &e)) {
                    let msg = p
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.push(msg);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn default_and_shipped_scenarios_load() {
    let s = Scenario::from_toml_str(DEFAULT_SCENARIO_TOML, "<default>")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s, Scenario::default_scenario());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "toml") {
            Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
            n += 1;
        }
    }
    assert!(
        n >= 4,
        "expected default.toml and three more scenarios, found {n}"
    );
    for name in [
        "gulf-layered",
        "glide-vs-ballistic",
        "saturation-raid",
        "capacity-raid",
        "capacity-glider",
    ] {
        let s = Scenario::load(&dir.join(format!("{name}.toml"))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.name, name);
        assert!(s.description.starts_with("Illustrative"));
    }
    // default.toml on disk is the embedded default
    let on_disk = Scenario::load(&dir.join("default.toml")).unwrap();
    assert_eq!(on_disk, Scenario::default_scenario());
}

#[test]
fn binary_garbage_is_a_scenario_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.toml");
    std::fs::write(&path, b"name = \"x\"\n\x00\xff\xfe\x80\x81garbage\x7f").unwrap();
    let e = Scenario::load(&path).unwrap_err();
    let file = path.display().to_string();
    assert_eq!(e.origin(), file);
    assert_eq!(e.key(), "");
    assert!(e.message().contains("UTF-8"), "{e}");
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().starts_with(&format!("{file}:2:")), "{e}");

    // valid UTF-8 but control characters: a TOML syntax error, still naming the file and line
    std::fs::write(&path, "name = \"x\"\n\u{1}\u{2}\u{3}\n").unwrap();
    let e = Scenario::load(&path).unwrap_err();
    assert_eq!(e.origin(), file);
    assert_eq!(e.line(), Some(2), "{e}");

    // a missing file
    let e = Scenario::load(&dir.path().join("missing.toml")).unwrap_err();
    assert!(e.to_string().contains("missing.toml"), "{e}");
    assert!(e.message().contains("cannot read"), "{e}");
}

#[test]
fn never_panics_on_truncated_or_mutated_input() {
    // every prefix of the default scenario (at char boundaries)
    let text = DEFAULT_SCENARIO_TOML;
    for (i, _) in text.char_indices().step_by(7) {
        let _ = Scenario::from_toml_str(&text[..i], "prefix");
    }
    // deterministic byte mutations of BASE
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let base = BASE.as_bytes();
    let junk = b"[]{}=\"',.\n#-+0123456789eEnaif \x00\xff";
    for _ in 0..3000 {
        let mut bytes = base.to_vec();
        for _ in 0..(1 + next() % 4) {
            let pos = (next() as usize) % bytes.len();
            let b = junk[(next() as usize) % junk.len()];
            match next() % 3 {
                0 => bytes[pos] = b,
                1 => bytes.insert(pos, b),
                _ => {
                    bytes.remove(pos);
                }
            }
        }
        if let Ok(s) = std::str::from_utf8(&bytes) {
            let _ = Scenario::from_toml_str(s, "mutated");
        }
    }
    // deeply nested and wrongly typed documents
    let deep = format!(
        "name = \"x\"\nthreat = {}{}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    assert!(Scenario::from_toml_str(&deep, "deep").is_err());
    let deep_tables = format!(
        "name = \"x\"\nthreat = {}1{}",
        "{a=".repeat(500),
        "}".repeat(500)
    );
    assert!(Scenario::from_toml_str(&deep_tables, "deep").is_err());
    for text in [
        "threat = 5",
        "name = 5",
        "name = \"x\"\nthreat = [1, 2]",
        "name = \"x\"\nrun = []",
        "name = \"x\"\ninterceptor = [1]",
        "name = \"x\"\n[[threat]]\nlaunch = []",
        "name = \"x\"\n[interceptor.a]\nsspk = []",
        "name = \"x\"\n[interceptor.a]\nsspk = { beta = 1 }",
        "name = \"x\"\n[interceptor.a]\nsspk = true",
        "[[threat]]\n[[threat]]\n[[threat]]",
    ] {
        let e = Scenario::from_toml_str(text, "odd").unwrap_err();
        assert_eq!(e.origin(), "odd");
    }
}
