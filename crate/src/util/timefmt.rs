//! pprof's `Time:` header ("Jan 2, 2006 at 3:04pm (MST)") in the local time
//! zone, as Go's time package renders it. Native builds ask the C library for
//! the zone (honouring `TZ`); the wasm build renders UTC and the page shows
//! times in the browser's zone itself.

/// (offset east of UTC in seconds, zone abbreviation) at `secs` since the epoch.
#[cfg(all(unix, not(target_arch = "wasm32")))]
fn local_zone(secs: i64) -> (i64, String) {
    // SAFETY: localtime_r writes only into `tm`; tm_zone points to static
    // storage of the C library that outlives this call.
    unsafe {
        extern "C" {
            fn tzset();
        }
        // Re-read TZ: localtime_r alone may keep a zone read earlier.
        tzset();
        let t = secs as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return (0, "UTC".into());
        }
        let zone = if tm.tm_zone.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(tm.tm_zone).to_string_lossy().into_owned()
        };
        (tm.tm_gmtoff as i64, zone)
    }
}

#[cfg(not(all(unix, not(target_arch = "wasm32"))))]
fn local_zone(_secs: i64) -> (i64, String) {
    (0, "UTC".into())
}

/// Days since 1970-01-01 -> (year, month 1..12, day 1..31) (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Go's `time.Unix(0, nanos).Format("Jan 2, 2006 at 3:04pm (MST)")` in the local zone.
pub fn format_profile_time(nanos: i64) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let (offset, zone) = local_zone(secs);
    format_with_zone(secs, offset, &zone)
}

/// The same, in UTC (the wasm build and tests that must not depend on `TZ`).
pub fn format_profile_time_utc(nanos: i64) -> String {
    format_with_zone(nanos.div_euclid(1_000_000_000), 0, "UTC")
}

fn format_with_zone(secs: i64, offset: i64, zone: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let local = secs + offset;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let sod = local.rem_euclid(86_400);
    let (h, min) = (sod / 3600, (sod % 3600) / 60);
    let h12 = match h % 12 {
        0 => 12,
        x => x,
    };
    let ampm = if h < 12 { "am" } else { "pm" };
    // Go prints a numeric offset when the zone has no abbreviation.
    let zone = if zone.is_empty() {
        let sign = if offset < 0 { '-' } else { '+' };
        let a = offset.abs();
        format!("{sign}{:02}{:02}", a / 3600, (a % 3600) / 60)
    } else {
        zone.to_string()
    };
    format!("{} {}, {} at {}:{:02}{} ({})", MONTHS[(m - 1) as usize], d, y, h12, min, ampm, zone)
}

/// Go's `time.Unix(0, nanos).String()` in the local zone
/// ("2006-01-02 15:04:05.999999999 -0700 MST"), as pprof's `-raw` prints `Time:`.
pub fn format_go_time(nanos: i64) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let (offset, zone) = local_zone(secs);
    format_go_time_with_zone(nanos, offset, &zone)
}

/// The same, in UTC.
pub fn format_go_time_utc(nanos: i64) -> String {
    format_go_time_with_zone(nanos, 0, "UTC")
}

fn format_go_time_with_zone(nanos: i64, offset: i64, zone: &str) -> String {
    let secs = nanos.div_euclid(1_000_000_000);
    let frac = nanos.rem_euclid(1_000_000_000);
    let local = secs + offset;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let sod = local.rem_euclid(86_400);
    let mut out = format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}", sod / 3600, (sod % 3600) / 60, sod % 60);
    if frac != 0 {
        let f = format!("{frac:09}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.abs();
    let numeric = format!("{sign}{:02}{:02}", a / 3600, (a % 3600) / 60);
    let zone = if zone.is_empty() { numeric.clone() } else { zone.to_string() };
    format!("{out} {numeric} {zone}")
}

/// Go's `time.Duration.String()`: "1h2m3.5s", "1.5ms", "0s".
pub fn format_go_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    // Fraction of u / 10^prec without trailing zeros (and no point if zero).
    fn frac(u: u64, prec: u32) -> (String, u64) {
        let p = 10u64.pow(prec);
        let f = u % p;
        let s = if f == 0 {
            String::new()
        } else {
            let digits = format!("{:0width$}", f, width = prec as usize);
            format!(".{}", digits.trim_end_matches('0'))
        };
        (s, u / p)
    }
    let body = if u < 1_000_000_000 {
        let (unit, prec) = match u {
            0 => return "0s".to_string(),
            1..=999 => ("ns", 0),
            1_000..=999_999 => ("\u{b5}s", 3),
            _ => ("ms", 6),
        };
        let (f, whole) = if prec == 0 { (String::new(), u) } else { frac(u, prec) };
        format!("{whole}{f}{unit}")
    } else {
        let (f, secs) = frac(u, 9);
        u = secs;
        let mut s = format!("{}{f}s", u % 60);
        u /= 60;
        if u > 0 {
            s = format!("{}m{s}", u % 60);
            u /= 60;
            if u > 0 {
                s = format!("{u}h{s}");
            }
        }
        s
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_go() {
        // 2026-11-26 05:14:33 UTC
        let t = 1_795_670_073i64 * 1_000_000_000;
        assert_eq!(format_profile_time_utc(t), "Nov 26, 2026 at 5:14am (UTC)");
        assert_eq!(format_profile_time_utc(0), "Jan 1, 1970 at 12:00am (UTC)");
        assert_eq!(format_with_zone(43_200, 0, "UTC"), "Jan 1, 1970 at 12:00pm (UTC)");
    }

    #[test]
    fn go_time_and_duration_strings() {
        assert_eq!(format_go_time_utc(1_795_669_957_162_170_417), "2026-11-26 05:12:37.162170417 +0000 UTC");
        assert_eq!(format_go_time_utc(1_000_000_000), "1970-01-01 00:00:01 +0000 UTC");
        assert_eq!(format_go_time_with_zone(0, 3600, "CET"), "1970-01-01 01:00:00 +0100 CET");
        assert_eq!(format_go_duration(0), "0s");
        assert_eq!(format_go_duration(1_500_000), "1.5ms");
        assert_eq!(format_go_duration(1_500), "1.5\u{b5}s");
        assert_eq!(format_go_duration(16_502_830_000_000), "4h35m2.83s");
        assert_eq!(format_go_duration(5_070_000_000), "5.07s");
        assert_eq!(format_go_duration(-90_000_000_000), "-1m30s");
    }
}
