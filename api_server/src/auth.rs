//! Admin authentication: login (rate-limited per IP and per username), logout, `me`, and the
//! [`CurrentAdmin`] extractor that every other `/api` route requires.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::Utc;
use core_logic::admins::{self, Admin};
use serde::Deserialize;

use crate::error::{ApiError, ApiJson, ApiResult};
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
}

impl From<Admin> for AdminView {
    fn from(a: Admin) -> Self {
        Self { id: a.id, username: a.username }
    }
}

/// Logs in and sets the HttpOnly session cookie.
#[utoipa::path(operation_id = "auth_login", post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = AdminView), (status = 401, body = crate::error::ErrorBody),
              (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(body): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let ip = peer.ip().to_string();
    let username = body.username.trim().to_lowercase();
    if let Err(wait) = state.login_limiter.check(&ip, &username) {
        let mut response = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many login attempts; try again later",
        )
        .into_response();
        if let Ok(v) = wait.as_secs().max(1).to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(response);
    }
    let Some(admin) = admins::verify_login(&state.pool, body.username.trim(), &body.password).await? else {
        state.login_limiter.record_failure(&ip, &username);
        tracing::warn!(%ip, username = %username, "failed login");
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "wrong username or password"));
    };
    state.login_limiter.record_success(&username);
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
    tracing::info!(admin = %admin.username, "admin logged in");
    Ok((jar.add(cookie), Json(AdminView::from(admin))).into_response())
}

/// Logs out: revokes the session and clears the cookie.
#[utoipa::path(operation_id = "auth_logout", post, path = "/api/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, jar: CookieJar) -> ApiResult<Response> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        admins::revoke_session(&state.pool, cookie.value(), Utc::now()).await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, StatusCode::NO_CONTENT).into_response())
}

/// The admin of the current session.
#[utoipa::path(operation_id = "auth_me", get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = AdminView), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(admin: CurrentAdmin) -> Json<AdminView> {
    Json(AdminView::from(admin.0))
}

/// Whether the request came over HTTPS (directly, or through a proxy that says so).
fn is_https(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

fn time_from(d: Duration) -> time::Duration {
    time::Duration::seconds(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The admin behind the request's session cookie; 401 without a live session.
pub struct CurrentAdmin(pub Admin);

impl CurrentAdmin {
    pub fn id(&self) -> Option<i64> {
        Some(self.0.id)
    }
}

impl FromRequestParts<AppState> for CurrentAdmin {
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

/// Sliding-window limits on login attempts: all attempts per IP, failures per username.
pub struct LoginLimiter {
    window: Duration,
    per_ip: usize,
    per_username: usize,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    /// `per_ip` attempts per IP and `per_username` failures per username within `window`.
    pub fn new(window: Duration, per_ip: usize, per_username: usize) -> Self {
        Self { window, per_ip, per_username, attempts: Mutex::new(HashMap::new()) }
    }

    /// Counts an attempt from `ip`; refuses it (with how long to wait) past either limit.
    fn check(&self, ip: &str, username: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let mut map = self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Forget what is out of the window, so the map cannot grow without bound.
        map.retain(|_, q| {
            while q.front().is_some_and(|t| now.duration_since(*t) > self.window) {
                q.pop_front();
            }
            !q.is_empty()
        });
        let wait = |q: &VecDeque<Instant>| q.front().map_or(Duration::ZERO, |t| self.window - now.duration_since(*t));
        if let Some(q) = map.get(&format!("user:{username}"))
            && q.len() >= self.per_username
        {
            return Err(wait(q));
        }
        let ip_attempts = map.entry(format!("ip:{ip}")).or_default();
        if ip_attempts.len() >= self.per_ip {
            return Err(wait(ip_attempts));
        }
        ip_attempts.push_back(now);
        Ok(())
    }

    fn record_failure(&self, _ip: &str, username: &str) {
        let mut map = self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry(format!("user:{username}")).or_default().push_back(Instant::now());
    }

    fn record_success(&self, username: &str) {
        let mut map = self.attempts.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&format!("user:{username}"));
    }
}
