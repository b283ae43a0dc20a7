//! Time helpers: the database stores Unix seconds (UTC); every domain function takes `now`
//! explicitly so tests control the clock.

use chrono::{DateTime, Utc};

/// Unix seconds of `t`, as stored in the database.
pub fn unix(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// A std duration as a chrono duration (saturating at about 292 billion years).
pub fn chrono_dur(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}
