//! Units and number formatting exactly as pprof prints them
//! (internal/measurement), including Go's `%.2f` and `%5.2g` verbs.

struct Unit {
    canonical: &'static str,
    aliases: &'static [&'static str],
    factor: f64,
}

struct UnitType {
    default: (&'static str, f64),
    units: &'static [Unit],
}

const UNIT_TYPES: &[UnitType] = &[
    UnitType {
        default: ("B", 1.0),
        units: &[
            Unit { canonical: "B", aliases: &["b", "byte"], factor: 1.0 },
            Unit { canonical: "kB", aliases: &["kb", "kbyte", "kilobyte"], factor: (1u64 << 10) as f64 },
            Unit { canonical: "MB", aliases: &["mb", "mbyte", "megabyte"], factor: (1u64 << 20) as f64 },
            Unit { canonical: "GB", aliases: &["gb", "gbyte", "gigabyte"], factor: (1u64 << 30) as f64 },
            Unit { canonical: "TB", aliases: &["tb", "tbyte", "terabyte"], factor: (1u64 << 40) as f64 },
            Unit { canonical: "PB", aliases: &["pb", "pbyte", "petabyte"], factor: (1u64 << 50) as f64 },
        ],
    },
    UnitType {
        default: ("s", 1e9),
        units: &[
            Unit { canonical: "ns", aliases: &["ns", "nanosecond"], factor: 1.0 },
            Unit { canonical: "us", aliases: &["μs", "us", "microsecond"], factor: 1e3 },
            Unit { canonical: "ms", aliases: &["ms", "millisecond"], factor: 1e6 },
            Unit { canonical: "s", aliases: &["s", "sec", "second"], factor: 1e9 },
            Unit { canonical: "hrs", aliases: &["hour", "hr"], factor: 3600e9 },
        ],
    },
    UnitType {
        default: ("GCU", 1.0),
        units: &[
            Unit { canonical: "n*GCU", aliases: &["nanogcu"], factor: 1e-9 },
            Unit { canonical: "u*GCU", aliases: &["microgcu"], factor: 1e-6 },
            Unit { canonical: "m*GCU", aliases: &["milligcu"], factor: 1e-3 },
            Unit { canonical: "GCU", aliases: &["gcu"], factor: 1.0 },
            Unit { canonical: "k*GCU", aliases: &["kilogcu"], factor: 1e3 },
            Unit { canonical: "M*GCU", aliases: &["megagcu"], factor: 1e6 },
            Unit { canonical: "G*GCU", aliases: &["gigagcu"], factor: 1e9 },
            Unit { canonical: "T*GCU", aliases: &["teragcu"], factor: 1e12 },
            Unit { canonical: "P*GCU", aliases: &["petagcu"], factor: 1e15 },
        ],
    },
];

impl UnitType {
    fn sniff(&self, unit: &str) -> Option<&Unit> {
        let lower = unit.to_lowercase();
        // Go trims a plural "s" only from names longer than two bytes.
        let u = if lower.len() > 2 { lower.strip_suffix('s').unwrap_or(&lower) } else { &lower };
        self.units.iter().find(|x| x.aliases.contains(&u))
    }

    fn auto_scale(&self, v: f64) -> Option<(f64, &'static str)> {
        let mut f = 0.0;
        let mut name = "";
        for u in self.units {
            if u.factor >= f && v / u.factor >= 1.0 {
                f = u.factor;
                name = u.canonical;
            }
        }
        if f == 0.0 {
            None
        } else {
            Some((v / f, name))
        }
    }

    fn convert(&self, value: i64, from: &str, to: &str) -> Option<(f64, String)> {
        let from = self.sniff(from)?;
        let v = value as f64 * from.factor;
        if to == "minimum" || to == "auto" {
            if let Some((v, u)) = self.auto_scale(v) {
                return Some((v, u.to_string()));
            }
            return Some((v / self.default.1, self.default.0.to_string()));
        }
        match self.sniff(to) {
            Some(t) => Some((v / t.factor, t.canonical.to_string())),
            None => Some((v / self.default.1, self.default.0.to_string())),
        }
    }
}

/// Which unit family (bytes, time, GCU) `unit` belongs to, if any.
pub fn unit_family(unit: &str) -> Option<usize> {
    UNIT_TYPES.iter().position(|t| t.sniff(unit).is_some())
}

/// pprof's `measurement.Scale`: `value` in `from` expressed in `to`
/// ("minimum"/"auto" pick the largest unit that keeps the value >= 1).
pub fn scale(value: i64, from: &str, to: &str) -> (f64, String) {
    if value < 0 && value != i64::MIN {
        let (v, u) = scale(-value, from, to);
        return (-v, u);
    }
    for t in UNIT_TYPES {
        if let Some(r) = t.convert(value, from, to) {
            return r;
        }
    }
    match to {
        "count" | "sample" | "unit" | "minimum" | "auto" => (value as f64, String::new()),
        _ => (value as f64, to.to_string()),
    }
}

/// pprof's `measurement.ScaledLabel`: "15932.12kB", "40ms", "0".
pub fn scaled_label(value: i64, from: &str, to: &str) -> String {
    let (v, u) = scale(value, from, to);
    let s = go_fmt_f(v, 2);
    let s = s.strip_suffix(".00").unwrap_or(&s);
    if s == "0" || s == "-0" {
        return "0".to_string();
    }
    format!("{s}{u}")
}

/// pprof's `measurement.Label`: auto-scaled.
pub fn label(value: i64, unit: &str) -> String {
    scaled_label(value, unit, "auto")
}

/// A limit as a user types it: `1gb`, `512MiB`, `1.5 GB`, `30000` (binary
/// byte units, as pprof's `-unit`; a plain number is taken as is).
pub fn parse_limit(v: &str) -> Option<f64> {
    let lower = v.trim().to_ascii_lowercase();
    let (num, mult) = [
        ("kib", 1024f64),
        ("mib", 1048576.0),
        ("gib", 1073741824.0),
        ("tib", 1099511627776.0),
        ("kb", 1024.0),
        ("mb", 1048576.0),
        ("gb", 1073741824.0),
        ("tb", 1099511627776.0),
        ("b", 1.0),
    ]
    .iter()
    .find_map(|(suffix, m)| lower.strip_suffix(suffix).map(|n| (n.to_string(), *m)))
    .unwrap_or((lower.clone(), 1.0));
    let n = num.trim().parse::<f64>().ok()?;
    (n.is_finite() && n >= 0.0).then_some(n * mult)
}

/// pprof's `measurement.Percentage`: "  100%", "32.66%", " 0.49%", "    0%".
pub fn percentage(value: i64, total: i64) -> String {
    let ratio = if total != 0 { (value as f64 / total as f64).abs() * 100.0 } else { 0.0 };
    if (99.95..=100.05).contains(&ratio) {
        "  100%".to_string()
    } else if ratio >= 1.0 {
        format!("{:>5}%", go_fmt_f(ratio, 2))
    } else {
        format!("{:>5}%", go_fmt_g(ratio, 2))
    }
}

/// Go's `%.Nf`.
pub fn go_fmt_f(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    format!("{v:.prec$}")
}

/// Go's `%.Ng` (shortest of %e/%f at N significant digits, trailing zeros dropped).
pub fn go_fmt_g(v: f64, prec: usize) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let prec = prec.max(1);
    let neg = v.is_sign_negative();
    if v == 0.0 {
        return if neg { "-0".into() } else { "0".into() };
    }
    // Correctly rounded digits and exponent from Rust's %e.
    let e = format!("{:.*e}", prec - 1, v.abs());
    let (mant, exp) = e.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let mut digits: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    while digits.len() > 1 && *digits.last().unwrap() == b'0' {
        digits.pop();
    }
    let nd = digits.len() as i32;
    let dp = exp + 1;
    let mut eprec = prec as i32;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let x = dp - 1;
    if x < -4 || x >= eprec {
        // %e with min(prec, nd) significant digits.
        out.push(digits[0] as char);
        if nd > 1 {
            out.push('.');
            for &d in &digits[1..] {
                out.push(d as char);
            }
        }
        out.push('e');
        out.push(if x < 0 { '-' } else { '+' });
        let ax = x.unsigned_abs();
        if ax < 10 {
            out.push('0');
        }
        out.push_str(&ax.to_string());
        return out;
    }
    let p = if prec as i32 > dp { nd } else { prec as i32 };
    let decimals = (p - dp).max(0);
    // Go's fmtF over the digit string.
    if dp > 0 {
        for i in 0..dp {
            out.push(if i < nd { digits[i as usize] as char } else { '0' });
        }
    } else {
        out.push('0');
    }
    if decimals > 0 {
        out.push('.');
        for i in 0..decimals {
            let j = dp + i;
            out.push(if j >= 0 && j < nd { digits[j as usize] as char } else { '0' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_g_matches_go() {
        // Values checked against Go's fmt.Sprintf("%.2g", v).
        assert_eq!(go_fmt_g(0.5, 2), "0.5");
        assert_eq!(go_fmt_g(0.49, 2), "0.49");
        assert_eq!(go_fmt_g(0.1, 2), "0.1");
        assert_eq!(go_fmt_g(0.0999, 2), "0.1");
        assert_eq!(go_fmt_g(0.00012, 2), "0.00012");
        assert_eq!(go_fmt_g(0.000012, 2), "1.2e-05");
        assert_eq!(go_fmt_g(0.00001, 2), "1e-05");
        assert_eq!(go_fmt_g(0.995, 2), "0.99");
        assert_eq!(go_fmt_g(0.996, 2), "1");
        assert_eq!(go_fmt_g(123.0, 2), "1.2e+02");
        assert_eq!(go_fmt_g(12.0, 2), "12");
        assert_eq!(go_fmt_g(0.0, 2), "0");
    }

    #[test]
    fn percentages() {
        assert_eq!(percentage(0, 10), "    0%");
        assert_eq!(percentage(10, 10), "  100%");
        assert_eq!(percentage(1, 3), "33.33%");
        assert_eq!(percentage(1, 300), " 0.33%");
        assert_eq!(percentage(4198, 890), "471.69%");
        assert_eq!(percentage(1, 100000), "0.001%");
    }

    #[test]
    fn labels() {
        assert_eq!(scaled_label(16314491, "bytes", "kB"), "15932.12kB");
        assert_eq!(scaled_label(40_000_000, "nanoseconds", "ms"), "40ms");
        assert_eq!(scaled_label(0, "nanoseconds", "ms"), "0");
        assert_eq!(scaled_label(51, "count", "count"), "51");
        assert_eq!(label(5_070_000_000, "nanoseconds"), "5.07s");
        assert_eq!(scaled_label(-1536, "bytes", "kB"), "-1.50kB");
        assert_eq!(scale(1, "hours", "minimum").1, "hrs");
    }
}
