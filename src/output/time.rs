//! UTC calendar time from `SystemTime`, computed by hand (no date library): RFC 3339 stamps
//! for manifests and compact stamps for run ids.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC civil date and time of day (proleptic Gregorian calendar), to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcTime {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl UtcTime {
    /// Converts seconds since 1970-01-01T00:00:00Z (may be negative) to a civil UTC time,
    /// with H. Hinnant's `civil_from_days` algorithm ("chrono-Compatible Low-Level Date
    /// Algorithms").
    pub fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097); // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
        let mp = (5 * doy + 2) / 153; // [0, 11], March-based
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        UtcTime {
            year,
            month,
            day,
            hour: (sod / 3600) as u32,
            minute: (sod % 3600 / 60) as u32,
            second: (sod % 60) as u32,
        }
    }

    /// The UTC time of a `SystemTime` (sub-second part dropped).
    pub fn from_system(t: SystemTime) -> Self {
        let secs = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => {
                let d = e.duration();
                -(d.as_secs() as i64) - i64::from(d.subsec_nanos() > 0)
            }
        };
        Self::from_unix(secs)
    }

    /// RFC 3339 / ISO 8601 in UTC: `2023-11-14T22:13:20Z`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// Compact basic ISO 8601 in UTC: `20231114T221320Z`.
    pub fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// RFC 3339 UTC stamp of a `SystemTime`, to the second: `2023-11-14T22:13:20Z`.
pub fn rfc3339_utc(t: SystemTime) -> String {
    UtcTime::from_system(t).rfc3339()
}

/// RFC 3339 UTC stamp of now.
pub fn now_rfc3339() -> String {
    rfc3339_utc(SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn known_instants() {
        // Oracle: GNU `date -u -d @SECONDS`.
        let cases = [
            (0i64, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_700_000_000, "2023-11-14T22:13:20Z"),
            (4_102_444_799, "2099-12-31T23:59:59Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (68_169_600, "1972-02-29T00:00:00Z"),
        ];
        for (secs, want) in cases {
            assert_eq!(UtcTime::from_unix(secs).rfc3339(), want, "{secs}");
        }
        assert_eq!(
            UtcTime::from_unix(1_700_000_000).compact(),
            "20231114T221320Z"
        );
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_999);
        assert_eq!(rfc3339_utc(t), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn every_day_is_consecutive() {
        // Walk 1,000 years day by day from 1600: the calendar fields advance by one day.
        let mut prev = UtcTime::from_unix(-11_676_096_000); // 1600-01-01
        assert_eq!((prev.year, prev.month, prev.day), (1600, 1, 1));
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let month_len = |y: i64, m: u32| match m {
            2 if leap(y) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        for d in 1..365_250i64 {
            let t = UtcTime::from_unix(-11_676_096_000 + d * 86_400);
            if prev.day < month_len(prev.year, prev.month) {
                assert_eq!(
                    (t.year, t.month, t.day),
                    (prev.year, prev.month, prev.day + 1)
                );
            } else if prev.month < 12 {
                assert_eq!((t.year, t.month, t.day), (prev.year, prev.month + 1, 1));
            } else {
                assert_eq!((t.year, t.month, t.day), (prev.year + 1, 1, 1));
            }
            prev = t;
        }
    }
}
