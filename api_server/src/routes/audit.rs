//! `GET /api/audit`: every admin action, newest first, with the names the panel tells it with;
//! `GET /api/audit/admins`: whom the log can be filtered by.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use core_logic::audit::{self, AuditAdmin, AuditEntry, AuditFilter};
use serde::Deserialize;

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::routes::{Page, PageParams, check_range};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(list)).route("/admins", get(admins))
}

/// Audit filters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// `slot`, `booking`, `candidate`, `broadcast`, `admin`, `vacancy`, `invite_link`, `waitlist` or
    /// `approval`.
    pub entity_type: Option<String>,
    /// With `entity_type`: one entity.
    pub entity_id: Option<i64>,
    /// Actions of one admin.
    pub admin_id: Option<i64>,
    /// Actions at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Actions before this instant.
    pub to: Option<DateTime<Utc>>,
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
        (Some(t), id)
            if [
                "slot",
                "booking",
                "candidate",
                "broadcast",
                "admin",
                "vacancy",
                "invite_link",
                "waitlist",
                "approval",
            ]
            .contains(&t) =>
        {
            Some((t, id))
        }
        (Some(_), _) => {
            return Err(ApiError::validation(
                "entity_type",
                "slot, booking, candidate, broadcast, admin, vacancy, invite_link, waitlist or approval",
            ));
        }
        (None, Some(_)) => return Err(ApiError::validation("entity_id", "needs entity_type")),
        (None, None) => None,
    };
    check_range(params.from, params.to)?;
    let (entity_type, entity_id) = entity.map_or((None, None), |(t, id)| (Some(t), id));
    let filter = AuditFilter { entity_type, entity_id, admin_id: params.admin_id, from: params.from, to: params.to };
    let (items, total) = audit::list(&state.pool, &filter, limit, offset).await?;
    Ok(Json(Page { items, total, limit, offset }))
}

/// Lists the admins (the audit log's admin filter).
#[utoipa::path(operation_id = "audit_admins", get, path = "/api/audit/admins", tag = "audit",
    responses((status = 200, body = Vec<AuditAdmin>)))]
pub async fn admins(State(state): State<AppState>, _admin: CurrentAdmin) -> ApiResult<Json<Vec<AuditAdmin>>> {
    Ok(Json(audit::admins(&state.pool).await?))
}
