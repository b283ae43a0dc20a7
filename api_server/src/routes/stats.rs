//! `GET /api/stats`: the dashboard's figures.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{Duration, NaiveDate, Utc};
use core_logic::stats::{self, Dashboard};
use serde::Deserialize;

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/stats", get(dashboard)).route("/funnel", get(funnel))
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
}

impl DateRange {
    pub(crate) fn resolve(&self, today: NaiveDate, before: i64, after: i64) -> ApiResult<(NaiveDate, NaiveDate)> {
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

/// The hiring funnel of the people who entered a vacancy in a range of days (default: the last
/// 30 days and today): per vacancy, and per vacancy and source.
#[utoipa::path(operation_id = "stats_funnel", get, path = "/api/funnel", tag = "stats", params(DateRange),
    responses((status = 200, body = core_logic::funnel::Funnel), (status = 422, body = crate::error::ErrorBody)))]
pub async fn funnel(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(range): ApiQuery<DateRange>,
) -> ApiResult<Json<core_logic::funnel::Funnel>> {
    let tz = state.config.timezone;
    let (from, to) = range.resolve(Utc::now().with_timezone(&tz).date_naive(), 30, 0)?;
    let (start, end) =
        (core_logic::segments::local_day_range(from, tz).0, core_logic::segments::local_day_range(to, tz).1);
    Ok(Json(core_logic::funnel::funnel(&state.pool, start, end).await?))
}
