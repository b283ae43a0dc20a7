//! Rendered calendar pages, kept while the calendar's version is unchanged.
//!
//! The panel asks for the shown week every 15 seconds per open tab, and a busy week is a
//! thousand slots: rendering it costs SQLite milliseconds of CPU, compressing it as much again.
//! Each page is kept with the calendar version read before it was rendered (a counter bumped
//! by triggers on every change to slots or bookings, whichever process makes it), with its gzip
//! form made on first demand; a request costs a one-row version lookup and a copy of shared
//! bytes while nothing changed.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use axum::body::Bytes;
use core_logic::slot_calendar::{self, CalendarQuery};
use sqlx::SqlitePool;

/// Pages kept at most; past that the cache starts over (the panel asks for a handful of weeks).
const MAX_PAGES: usize = 256;

/// A page as served: its JSON, and its gzip form once asked for.
#[derive(Debug, Clone)]
struct Page {
    version: i64,
    json: Bytes,
    gzip: Option<Bytes>,
}

/// The cache every request shares (in `AppState`).
#[derive(Debug, Default)]
pub struct CalendarCache {
    pages: Mutex<HashMap<CalendarQuery, Page>>,
}

impl CalendarCache {
    /// The page's JSON, gzipped if `gzip`; rendered (and kept) unless a current one is kept.
    pub async fn page(&self, pool: &SqlitePool, query: &CalendarQuery, gzip: bool) -> core_logic::Result<Bytes> {
        let version = slot_calendar::version(pool).await?;
        let kept = self.lock().get(query).filter(|page| page.version == version).cloned();
        let mut page = match kept {
            Some(page) => page,
            None => {
                let json = Bytes::from(slot_calendar::page(pool, query).await?.to_json());
                Page { version, json, gzip: None }
            }
        };
        let body = match (&page.gzip, gzip) {
            (_, false) => page.json.clone(),
            (Some(gzipped), true) => gzipped.clone(),
            (None, true) => {
                let gzipped = gzip_bytes(&page.json);
                page.gzip = Some(gzipped.clone());
                gzipped
            }
        };
        let mut pages = self.lock();
        if pages.len() >= MAX_PAGES {
            pages.clear();
        }
        // A newer version kept meanwhile by another request wins.
        if pages.get(query).is_none_or(|kept| kept.version <= page.version) {
            pages.insert(query.clone(), page);
        }
        Ok(body)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<CalendarQuery, Page>> {
        self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn gzip_bytes(json: &[u8]) -> Bytes {
    // The fastest level: a page not kept yet is compressed on the request's path; level 1 is
    // about three times faster than the default 6 for ~1.5x the bytes (still ~5% of the JSON).
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 8), flate2::Compression::fast());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(json);
    Bytes::from(encoder.finish().unwrap_or_default())
}

/// Whether an `Accept-Encoding` value accepts gzip (listed, and not with `q=0`).
pub fn accepts_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let coding = parts.next().unwrap_or_default();
        let refused = parts.any(|p| p.replace(' ', "").strip_prefix("q=").is_some_and(|q| q.parse::<f32>() == Ok(0.0)));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::accepts_gzip;

    #[test]
    fn gzip_is_accepted_when_listed_without_q_zero() {
        assert!(accepts_gzip("gzip, deflate, br, zstd"));
        assert!(accepts_gzip("br;q=1.0, gzip;q=0.8"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("br"));
        assert!(!accepts_gzip("gzip;q=0, br"));
        assert!(!accepts_gzip(""));
    }
}
