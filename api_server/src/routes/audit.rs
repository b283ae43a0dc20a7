//! `GET /api/audit`: every admin action, newest first.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use core_logic::audit::{self, AuditEntry};
use serde::Deserialize;

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::routes::{Page, PageParams};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(list))
}

/// Audit filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// `slot`, `booking`, `candidate`, `broadcast` or `admin`.
    pub entity_type: Option<String>,
    /// With `entity_type`: one entity.
    pub entity_id: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Lists audit entries.
#[utoipa::path(operation_id = "audit_list", get, path = "/api/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Page<AuditEntry>), (status = 422, body = crate::error::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(params): ApiQuery<AuditParams>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    let (limit, offset) = PageParams { limit: params.limit, offset: params.offset }.resolve()?;
    let entity = match (params.entity_type.as_deref(), params.entity_id) {
        (Some(t), id) if ["slot", "booking", "candidate", "broadcast", "admin"].contains(&t) => Some((t, id)),
        (Some(_), _) => {
            return Err(ApiError::validation("entity_type", "slot, booking, candidate, broadcast or admin"));
        }
        (None, Some(_)) => return Err(ApiError::validation("entity_id", "needs entity_type")),
        (None, None) => None,
    };
    let (items, total) = audit::list(&state.pool, entity, limit, offset).await?;
    Ok(Json(Page { items, total, limit, offset }))
}
