//! `GET /api/stats` (dashboard figures) and `GET /api/export/bookings.csv` (a CSV that opens
//! cleanly in Excel: UTF-8 with BOM, `;` separators as Russian-locale Excel expects, CRLF).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{Duration, NaiveDate, Utc};
use core_logic::booking_list::{self, BookingFilter};
use core_logic::segments::local_day_range;
use core_logic::stats::{self, Dashboard};
use serde::Deserialize;

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/stats", get(dashboard)).route("/export/bookings.csv", get(export_bookings))
}

/// A range of local dates (in `APP_TIMEZONE`), both ends included.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DateRange {
    /// First day, `YYYY-MM-DD`.
    pub from: Option<NaiveDate>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<NaiveDate>,
    /// CSV only: `semicolon` (default) or `comma`.
    pub delimiter: Option<String>,
}

impl DateRange {
    fn resolve(&self, today: NaiveDate, before: i64, after: i64) -> ApiResult<(NaiveDate, NaiveDate)> {
        let from = self.from.unwrap_or(today - Duration::days(before));
        let to = self.to.unwrap_or(from.max(today) + Duration::days(after));
        if to < from {
            return Err(ApiError::validation("to", "must not be before from"));
        }
        if (to - from).num_days() > 366 {
            return Err(ApiError::validation("to", "the range may span at most 366 days"));
        }
        Ok((from, to))
    }
}

/// Dashboard figures for a range of days (default: the last 7 days and the next 14).
#[utoipa::path(operation_id = "stats_dashboard", get, path = "/api/stats", tag = "stats", params(DateRange),
    responses((status = 200, body = Dashboard), (status = 422, body = crate::error::ErrorBody)))]
pub async fn dashboard(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(range): ApiQuery<DateRange>,
) -> ApiResult<Json<Dashboard>> {
    let tz = state.config.timezone;
    let now = Utc::now();
    let (from, to) = range.resolve(now.with_timezone(&tz).date_naive(), 7, 14)?;
    Ok(Json(stats::dashboard(&state.pool, tz, from, to, now).await?))
}

/// Exports the bookings of interviews in a range of days (default: the last 30 and the next 30).
#[utoipa::path(operation_id = "stats_export_bookings", get, path = "/api/export/bookings.csv", tag = "stats", params(DateRange),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_bookings(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(range): ApiQuery<DateRange>,
) -> ApiResult<Response> {
    let tz = state.config.timezone;
    let (from, to) = range.resolve(Utc::now().with_timezone(&tz).date_naive(), 30, 30)?;
    let sep = match range.delimiter.as_deref() {
        None | Some("semicolon") => ';',
        Some("comma") => ',',
        Some(_) => return Err(ApiError::validation("delimiter", "semicolon or comma")),
    };
    let filter = BookingFilter {
        from: Some(local_day_range(from, tz).0),
        to: Some(local_day_range(to, tz).1),
        ..Default::default()
    };
    let (rows, _) = booking_list::list(&state.pool, &filter, false, 100_000, 0).await?;
    let mut out = String::from("\u{feff}");
    let header = [
        "booking_id",
        "date",
        "time",
        "time_zone",
        "duration_min",
        "format",
        "location",
        "first_name",
        "last_name",
        "username",
        "telegram_id",
        "status",
        "booked_at",
        "cancelled_at",
        "cancel_reason",
    ];
    push_row(&mut out, sep, header.iter().map(|h| (*h).to_owned()));
    let local = |t: chrono::DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
    for r in rows {
        let start = r.slot_starts_at.with_timezone(&tz);
        push_row(
            &mut out,
            sep,
            [
                r.id.to_string(),
                start.format("%Y-%m-%d").to_string(),
                start.format("%H:%M").to_string(),
                tz.name().to_owned(),
                r.duration_minutes.to_string(),
                r.format,
                r.location.unwrap_or_default(),
                r.first_name,
                r.last_name.unwrap_or_default(),
                r.username.unwrap_or_default(),
                r.telegram_user_id.to_string(),
                r.status.to_string(),
                local(r.created_at),
                r.cancelled_at.map(local).unwrap_or_default(),
                r.cancel_reason.unwrap_or_default(),
            ]
            .into_iter(),
        );
    }
    let filename = format!("bookings_{from}_{to}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        out,
    )
        .into_response())
}

/// The first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"):
/// `=`, `+`, `-`, `@`, and TAB or CR, which some spreadsheets skip before looking for one.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Appends one CSV row. Cells are quoted when needed, and a cell a spreadsheet would run as a
/// formula (candidates choose their own names) is prefixed with `'`; plain numbers are left alone.
fn push_row(out: &mut String, sep: char, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(sep);
        }
        let cell =
            if cell.starts_with(FORMULA_STARTS) && cell.parse::<f64>().is_err() { format!("'{cell}") } else { cell };
        if cell.contains([sep, '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}
