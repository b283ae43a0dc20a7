//! `/api/vacancies`: the positions a hiring team interviews for, with their slot defaults;
//! archive and restore; delete only while no slot refers to one.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use core_logic::models::VacancyStatus;
use core_logic::vacancies::{self, Vacancy, VacancyFields};

use crate::auth::CurrentAdmin;
use crate::error::{ApiJson, ApiResult, Id};
use crate::state::AppState;

/// The `/api/vacancies` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/{id}", get(get_one).put(update).delete(delete))
        .route("/{id}/archive", post(archive))
        .route("/{id}/restore", post(restore))
}

/// Every vacancy: the active ones in their order, then the archived ones.
#[utoipa::path(operation_id = "vacancies_list", get, path = "/api/vacancies", tag = "vacancies",
    responses((status = 200, body = Vec<Vacancy>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn list(State(state): State<AppState>, _admin: CurrentAdmin) -> ApiResult<Json<Vec<Vacancy>>> {
    Ok(Json(vacancies::list(&state.pool, false).await?))
}

/// Creates a vacancy. A title already used (case aside): 409 `duplicate`.
#[utoipa::path(operation_id = "vacancies_create", post, path = "/api/vacancies", tag = "vacancies", request_body = VacancyFields,
    responses((status = 201, body = Vacancy), (status = 409, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<VacancyFields>,
) -> ApiResult<(StatusCode, Json<Vacancy>)> {
    let vacancy = vacancies::create(&state.pool, admin.id(), &body, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(vacancy)))
}

/// One vacancy.
#[utoipa::path(operation_id = "vacancies_get", get, path = "/api/vacancies/{id}", tag = "vacancies", params(("id" = i64, Path)),
    responses((status = 200, body = Vacancy), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_one(State(state): State<AppState>, _admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<Vacancy>> {
    Ok(Json(vacancies::get(&state.pool, id).await?))
}

/// Replaces a vacancy's fields; its existing slots keep their own.
#[utoipa::path(operation_id = "vacancies_update", put, path = "/api/vacancies/{id}", tag = "vacancies", params(("id" = i64, Path)),
    request_body = VacancyFields,
    responses((status = 200, body = Vacancy), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    Id(id): Id,
    ApiJson(body): ApiJson<VacancyFields>,
) -> ApiResult<Json<Vacancy>> {
    Ok(Json(vacancies::update(&state.pool, admin.id(), id, &body, Utc::now()).await?))
}

/// Archives a vacancy: its slots disappear from the bot and refuse new bookings; bookings made
/// stay.
#[utoipa::path(operation_id = "vacancies_archive", post, path = "/api/vacancies/{id}/archive", tag = "vacancies", params(("id" = i64, Path)),
    responses((status = 200, body = Vacancy), (status = 404, body = crate::error::ErrorBody)))]
pub async fn archive(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<Vacancy>> {
    Ok(Json(vacancies::set_status(&state.pool, admin.id(), id, VacancyStatus::Archived, Utc::now()).await?))
}

/// Restores an archived vacancy.
#[utoipa::path(operation_id = "vacancies_restore", post, path = "/api/vacancies/{id}/restore", tag = "vacancies", params(("id" = i64, Path)),
    responses((status = 200, body = Vacancy), (status = 404, body = crate::error::ErrorBody)))]
pub async fn restore(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<Vacancy>> {
    Ok(Json(vacancies::set_status(&state.pool, admin.id(), id, VacancyStatus::Active, Utc::now()).await?))
}

/// Deletes a vacancy no slot refers to; one with slots: 409 `vacancy_in_use` (archive it).
#[utoipa::path(operation_id = "vacancies_delete", delete, path = "/api/vacancies/{id}", tag = "vacancies", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<StatusCode> {
    vacancies::delete(&state.pool, admin.id(), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
