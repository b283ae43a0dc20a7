//! Admin authentication: login (throttled per username and client address, see
//! [`crate::login_throttle`]; failures audited), logout, `me`, and the [`CurrentAdmin`] extractor
//! that every other `/api` route requires.

use std::time::{Duration, Instant};

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use core_logic::admins::{self, Admin};
use serde::Deserialize;

use crate::client_ip::ClientIp;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::login_throttle;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ibs_session";

/// The `/api/auth` routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/login", post(login)).route("/logout", post(logout)).route("/me", get(me))
}

/// Login credentials.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// The logged-in admin.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct AdminView {
    pub id: i64,
    pub username: String,
    pub role: core_logic::models::Role,
    pub display_name: Option<String>,
    /// `APP_TIMEZONE`: every time in the panel is shown and entered in it (every role may read
    /// it here; `/api/stats` is not every role's).
    pub time_zone: String,
}

impl AdminView {
    fn new(a: Admin, tz: chrono_tz::Tz) -> Self {
        Self {
            id: a.id,
            username: a.username,
            role: a.role,
            display_name: a.display_name,
            time_zone: tz.name().to_owned(),
        }
    }
}

/// Logs in and sets the HttpOnly session cookie.
#[utoipa::path(operation_id = "auth_login", post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = AdminView), (status = 401, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let ip = client.to_string();
    let username = body.username.trim();
    if let Err(wait) = state.login_throttle.begin(client, username, Instant::now()) {
        tracing::warn!(client = %ip, username = ?login_throttle::normalize(username), "login refused: too many failures");
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many failed logins from your address; try again later",
        )
        .into_response();
        if let Ok(v) = wait.as_secs().max(1).to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(response);
    }
    let Some(admin) = admins::verify_login(&state.pool, username, &body.password).await? else {
        let now = Utc::now();
        let attempted: String = username.chars().take(64).collect();
        tracing::warn!(client = %ip, username = ?attempted, "failed login");
        let mut conn = state.pool.acquire().await?;
        core_logic::audit::record(
            &mut conn,
            now,
            None,
            "admin.login_failed",
            "admin",
            None,
            serde_json::json!({ "username": attempted, "ip": ip }),
        )
        .await?;
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "wrong username or password"));
    };
    state.login_throttle.succeeded(client, username);
    let mut conn = state.pool.acquire().await?;
    core_logic::audit::record(
        &mut conn,
        Utc::now(),
        Some(admin.id),
        "admin.login",
        "admin",
        Some(admin.id),
        serde_json::json!({ "ip": ip }),
    )
    .await?;
    drop(conn);
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let token =
        admins::create_session(&state.pool, admin.id, state.sessions, Some(&ip), user_agent, Utc::now()).await?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(is_https(&headers))
        .path("/")
        .max_age(time_from(state.sessions.absolute))
        .build();
    tracing::info!(admin = ?admin.username, client = %ip, "admin logged in");
    Ok((jar.add(cookie), Json(AdminView::new(admin, state.config.timezone))).into_response())
}

/// Logs out: revokes the session and clears the cookie. Without a live session: 401, as every
/// `/api` route but login.
#[utoipa::path(operation_id = "auth_logout", post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out"), (status = 401, body = crate::error::ErrorBody)))]
pub async fn logout(State(state): State<AppState>, _admin: AnyRole, jar: CookieJar) -> ApiResult<Response> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        admins::revoke_session(&state.pool, cookie.value(), Utc::now()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, StatusCode::NO_CONTENT).into_response())
}

/// The admin of the current session.
#[utoipa::path(operation_id = "auth_me", get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = AdminView), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, admin: AnyRole) -> Json<AdminView> {
    Json(AdminView::new(admin.0, state.config.timezone))
}

/// Whether the request came over HTTPS (directly, or through a proxy that says so).
fn is_https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

fn time_from(d: Duration) -> time::Duration {
    time::Duration::seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The account behind the request's session cookie, whatever its role; 401 without a live
/// session. Only the routes every team member uses take this (their own session, Telegram and
/// the live stream).
pub struct AnyRole(pub Admin);

impl AnyRole {
    pub fn id(&self) -> Option<i64> {
        Some(self.0.id)
    }
}

impl FromRequestParts<AppState> for AnyRole {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or_else(ApiError::unauthorized)?;
        match admins::session_admin(&state.pool, &token, state.sessions, Utc::now()).await? {
            Some(admin) => Ok(Self(admin)),
            None => {
                Err(ApiError::new(StatusCode::UNAUTHORIZED, "session_expired", "your session expired; log in again"))
            }
        }
    }
}

fn forbidden() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", "your role does not allow this")
}

/// A recruiter or an admin: everything but accounts. 403 for an interviewer, 401 without a
/// session. Most routes take this.
pub struct CurrentAdmin(pub Admin);

impl CurrentAdmin {
    pub fn id(&self) -> Option<i64> {
        Some(self.0.id)
    }
}

impl FromRequestParts<AppState> for CurrentAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AnyRole(admin) = AnyRole::from_request_parts(parts, state).await?;
        if admin.is_recruiter() { Ok(Self(admin)) } else { Err(forbidden()) }
    }
}

/// An admin: accounts and settings. 403 for the other roles.
pub struct AdminRole(pub Admin);

impl AdminRole {
    pub fn id(&self) -> Option<i64> {
        Some(self.0.id)
    }
}

impl FromRequestParts<AppState> for AdminRole {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let AnyRole(admin) = AnyRole::from_request_parts(parts, state).await?;
        if admin.role == core_logic::models::Role::Admin { Ok(Self(admin)) } else { Err(forbidden()) }
    }
}
