//! Reading one variable: unset or empty means the default, anything else must parse, or the
//! error names the variable and what is expected.

use std::str::FromStr;
use std::time::Duration;

use super::ConfigError;

/// The variables, from any lookup (the process environment, or a map in tests).
pub(super) struct Env<F> {
    lookup: F,
}

impl<F: Fn(&str) -> Option<String>> Env<F> {
    pub(super) fn new(lookup: F) -> Self {
        Self { lookup }
    }

    /// The trimmed value; empty counts as unset.
    pub(super) fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    /// A value of any type that parses from text (an address, a zone, an id).
    pub(super) fn parsed<T: FromStr>(
        &self,
        var: &'static str,
        expected: &'static str,
    ) -> Result<Option<T>, ConfigError> {
        self.get(var).map(|v| v.parse().map_err(|_| invalid(var, &v, expected))).transpose()
    }

    /// A URL that must start with one of `schemes`.
    pub(super) fn url(
        &self,
        var: &'static str,
        schemes: &[&str],
        expected: &'static str,
    ) -> Result<Option<String>, ConfigError> {
        match self.get(var) {
            Some(url) if !schemes.iter().any(|s| url.starts_with(s)) => Err(invalid(var, &url, expected)),
            other => Ok(other),
        }
    }

    /// A whole number within `min..=max`.
    pub(super) fn num<T>(&self, var: &'static str, default: T, min: T, max: T) -> Result<T, ConfigError>
    where
        T: FromStr + PartialOrd + Copy,
    {
        let Some(raw) = self.get(var) else { return Ok(default) };
        match raw.parse::<T>() {
            Ok(v) if v >= min && v <= max => Ok(v),
            _ => Err(invalid(var, &raw, "a whole number in its allowed range (see .env.example)")),
        }
    }

    /// A duration such as `30s` or `1h30m` (see [`parse_duration`]).
    /// `true`/`1`/`yes` or `false`/`0`/`no`; unset or empty is `default`.
    pub(super) fn boolean(&self, var: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(var).as_deref().map(str::trim) {
            None | Some("") => Ok(default),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(other) => Err(invalid(var, other, "true or false")),
        }
    }

    pub(super) fn duration(&self, var: &'static str, default: &str) -> Result<Duration, ConfigError> {
        let raw = self.get(var).unwrap_or_else(|| default.to_owned());
        parse_duration(&raw).ok_or_else(|| invalid(var, &raw, "a duration such as 30s, 15m, 2h or 1d"))
    }
}

/// The error for a value that does not parse.
pub(super) fn invalid(var: &'static str, value: &str, expected: &'static str) -> ConfigError {
    ConfigError { var, problem: format!("is invalid ({value:?})"), expected }
}

/// Parses `30s`, `15m`, `2h`, `1d` or a combination like `1h30m`; a bare number is seconds.
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(secs) = raw.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in raw.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => return None,
        };
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    number.is_empty().then_some(Duration::from_secs(total))
}

/// Comma-separated IP addresses (one host each) and CIDR networks; the first bad item on error.
pub(super) fn parse_networks(raw: &str) -> Result<Vec<ipnet::IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| item.to_owned())
        })
        .collect()
}

pub(super) fn parse_offsets(raw: &str) -> Result<Vec<Duration>, ConfigError> {
    let mut offsets = Vec::new();
    for part in raw.split(',') {
        match parse_duration(part) {
            Some(d) if d >= Duration::from_secs(60) && d <= Duration::from_secs(30 * 86_400) => offsets.push(d),
            _ => {
                return Err(invalid(
                    "REMINDER_OFFSETS",
                    raw,
                    "a comma-separated list of durations between 1m and 30d, e.g. 24h,1h",
                ));
            }
        }
    }
    offsets.sort_by(|a, b| b.cmp(a));
    offsets.dedup();
    Ok(offsets)
}
