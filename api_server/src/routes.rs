//! The `/api` routes, one file per resource, each with its `router()`.

pub mod accounts;
pub mod audit;
pub mod bookings;
pub mod broadcasts;
pub mod export;
pub mod inbox;
pub mod links;
pub mod me;
pub mod slots;
pub mod stats;
pub mod users;
pub mod vacancies;
pub mod waitlist;

use axum::Router;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Every `/api` route but login, behind the session check of each handler.
pub fn router() -> Router<AppState> {
    Router::new()
        .nest("/auth", crate::auth::router().merge(accounts::link_router()))
        .nest("/accounts", accounts::router())
        .merge(accounts::interviewers_router())
        .nest("/me", me::router())
        .nest("/slots", slots::router())
        .nest("/bookings", bookings::router())
        .nest("/users", users::router())
        .nest("/vacancies", vacancies::router())
        .nest("/links", links::router())
        .nest("/broadcasts", broadcasts::router())
        .merge(inbox::router())
        .merge(stats::router())
        .merge(export::router())
        .merge(waitlist::router())
        .nest("/audit", audit::router())
        .merge(crate::live::router())
}

/// `limit` and `offset` of a list.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1 to 500, default 50.
    pub limit: Option<i64>,
    /// 0 or more, default 0.
    pub offset: Option<i64>,
}

impl PageParams {
    /// The validated `(limit, offset)`.
    pub fn resolve(self) -> ApiResult<(i64, i64)> {
        let limit = self.limit.unwrap_or(50);
        let offset = self.offset.unwrap_or(0);
        if !(1..=500).contains(&limit) {
            return Err(ApiError::validation("limit", "must be between 1 and 500"));
        }
        if !(0..=1_000_000_000).contains(&offset) {
            return Err(ApiError::validation("offset", "must be 0 or more"));
        }
        Ok((limit, offset))
    }
}

/// A page of a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many match in all.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// Checks that `to` is after `from` and the range is not absurdly long.
pub fn check_range(from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> ApiResult<()> {
    if let (Some(f), Some(t)) = (from, to) {
        if t <= f {
            return Err(ApiError::validation("to", "must be after from"));
        }
        if t - f > chrono::Duration::days(3660) {
            return Err(ApiError::validation("to", "the range may span at most 10 years"));
        }
    }
    Ok(())
}
