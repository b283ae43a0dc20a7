//! `/api/links`: invitation links. Source links (one per channel) and personal single-use
//! invitations, created one by one or imported from a CSV; each shown as its t.me address (the
//! bot's username from its `getMe` at start) with a QR code for posters (PNG and SVG).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use core_logic::invites::{self, InviteLink, LinkKind, LinkState, LinkSummary, NewLink};
use core_logic::{ConflictKind, telegram_link};
use qrcode::QrCode;
use serde::{Deserialize, Serialize};

use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiJson, ApiQuery, ApiResult, Id};
use crate::state::AppState;

/// The `/api/links` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(list).post(create))
        .route("/import", post(import))
        .route("/{id}", get(get_one).delete(delete))
        .route("/{id}/revoke", post(revoke))
        .route("/{id}/qr.png", get(qr_png))
        .route("/{id}/qr.svg", get(qr_svg))
}

/// A link as the panel shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkView {
    #[serde(flatten)]
    pub link: LinkSummary,
    /// `https://t.me/<bot>?start=<code>`; absent until the bot has started once (its username
    /// is not known before).
    pub url: Option<String>,
    pub state: LinkState,
}

fn view(link: LinkSummary, bot: Option<&str>, now: DateTime<Utc>) -> LinkView {
    let url = bot.map(|b| invites::url(b, &link.link.code));
    let state = link.link.state(now);
    LinkView { link, url, state }
}

fn summary(link: InviteLink) -> LinkSummary {
    LinkSummary { link, opened: 0, candidate_name: None }
}

/// Which links.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LinkQuery {
    /// Only this vacancy's links.
    pub vacancy_id: Option<i64>,
    /// `source` or `personal`.
    pub kind: Option<LinkKind>,
}

/// Links, newest first, with how many people opened each.
#[utoipa::path(operation_id = "links_list", get, path = "/api/links", tag = "links", params(LinkQuery),
    responses((status = 200, body = Vec<LinkView>)))]
pub async fn list(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(q): ApiQuery<LinkQuery>,
) -> ApiResult<Json<Vec<LinkView>>> {
    let bot = telegram_link::bot_username(&state.pool).await?;
    let now = Utc::now();
    let links = invites::list(&state.pool, q.vacancy_id, q.kind).await?;
    Ok(Json(links.into_iter().map(|l| view(l, bot.as_deref(), now)).collect()))
}

/// Creates a source link or a personal invitation. An archived vacancy: 409 `vacancy_archived`.
#[utoipa::path(operation_id = "links_create", post, path = "/api/links", tag = "links", request_body = NewLink,
    responses((status = 201, body = LinkView), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<NewLink>,
) -> ApiResult<(StatusCode, Json<LinkView>)> {
    let now = Utc::now();
    let link = invites::create(&state.pool, admin.id(), &body, now).await?;
    let bot = telegram_link::bot_username(&state.pool).await?;
    Ok((StatusCode::CREATED, Json(view(summary(link), bot.as_deref(), now))))
}

/// Personal invitations to import.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportBody {
    /// CSV text: a header naming `name` (or `имя`), optionally `phone` (`телефон`) and `note`
    /// (`заметка`), then a row per person; `;` or `,` separated.
    pub csv: String,
    pub vacancy_id: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
    /// End each link with the person's first booking (default true).
    pub ends_on_booking: Option<bool>,
}

/// Imports personal invitations from CSV, all or none: an error names its line (422).
#[utoipa::path(operation_id = "links_import", post, path = "/api/links/import", tag = "links", request_body = ImportBody,
    responses((status = 201, body = Vec<LinkView>), (status = 409, body = crate::error::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    admin: CurrentAdmin,
    ApiJson(body): ApiJson<ImportBody>,
) -> ApiResult<(StatusCode, Json<Vec<LinkView>>)> {
    let now = Utc::now();
    let links = invites::import_personal(
        &state.pool,
        admin.id(),
        &body.csv,
        body.vacancy_id,
        body.expires_at,
        body.ends_on_booking.unwrap_or(true),
        now,
    )
    .await?;
    let bot = telegram_link::bot_username(&state.pool).await?;
    Ok((StatusCode::CREATED, Json(links.into_iter().map(|l| view(summary(l), bot.as_deref(), now)).collect())))
}

async fn one(state: &AppState, id: i64) -> ApiResult<LinkView> {
    let found = invites::summary(&state.pool, id).await?;
    let bot = telegram_link::bot_username(&state.pool).await?;
    Ok(view(found, bot.as_deref(), Utc::now()))
}

/// One link.
#[utoipa::path(operation_id = "links_get", get, path = "/api/links/{id}", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, body = LinkView)))]
pub async fn get_one(State(state): State<AppState>, _admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<LinkView>> {
    Ok(Json(one(&state, id).await?))
}

/// Revokes a link: it stops working at once; the people who came through it stay counted.
#[utoipa::path(operation_id = "links_revoke", post, path = "/api/links/{id}/revoke", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, body = LinkView)))]
pub async fn revoke(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<Json<LinkView>> {
    invites::revoke(&state.pool, admin.id(), id, Utc::now()).await?;
    Ok(Json(one(&state, id).await?))
}

/// Deletes a link nobody opened; one with visitors: 409 `link_in_use` (revoke it instead).
#[utoipa::path(operation_id = "links_delete", delete, path = "/api/links/{id}", tag = "links", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = crate::error::ErrorBody)))]
pub async fn delete(State(state): State<AppState>, admin: CurrentAdmin, Id(id): Id) -> ApiResult<StatusCode> {
    invites::delete(&state.pool, admin.id(), id, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The link's QR code, or 409 `bot_not_started` while the bot's username is unknown.
async fn code_of(state: &AppState, id: i64) -> ApiResult<(QrCode, String)> {
    let link = invites::get(&state.pool, id).await?;
    let Some(bot) = telegram_link::bot_username(&state.pool).await? else {
        return Err(core_logic::Error::conflict(
            ConflictKind::BotNotStarted,
            "the bot has not started yet, so its Telegram address is unknown; start the bot and try again",
        )
        .into());
    };
    let url = invites::url(&bot, &link.code);
    let code = QrCode::new(url.as_bytes()).map_err(|e| ApiError::internal(format!("QR code: {e}")))?;
    Ok((code, format!("link-{id}")))
}

fn file(content_type: &'static str, name: String, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// Pixels per QR module, and the quiet zone in modules.
const MODULE_PX: usize = 10;
const QUIET: usize = 4;

/// The link's QR code as a PNG for print (black on white, 10 px per module).
#[utoipa::path(operation_id = "links_qr_png", get, path = "/api/links/{id}/qr.png", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/png", body = Vec<u8>), (status = 409, body = crate::error::ErrorBody)))]
pub async fn qr_png(State(state): State<AppState>, _admin: CurrentAdmin, Id(id): Id) -> ApiResult<Response> {
    let (code, name) = code_of(&state, id).await?;
    let png = render_png(&code).map_err(|e| ApiError::internal(format!("PNG: {e}")))?;
    Ok(file("image/png", format!("{name}.png"), png))
}

/// The link's QR code as an SVG (scales to any poster).
#[utoipa::path(operation_id = "links_qr_svg", get, path = "/api/links/{id}/qr.svg", tag = "links", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 409, body = crate::error::ErrorBody)))]
pub async fn qr_svg(State(state): State<AppState>, _admin: CurrentAdmin, Id(id): Id) -> ApiResult<Response> {
    let (code, name) = code_of(&state, id).await?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build();
    Ok(file("image/svg+xml", format!("{name}.svg"), svg.into_bytes()))
}

/// A grayscale PNG of the code's modules.
fn render_png(code: &QrCode) -> Result<Vec<u8>, png::EncodingError> {
    let width = code.width();
    let side = (width + 2 * QUIET) * MODULE_PX;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % width + QUIET, i / width + QUIET);
        for y in my * MODULE_PX..(my + 1) * MODULE_PX {
            pixels[y * side + mx * MODULE_PX..y * side + (mx + 1) * MODULE_PX].fill(0);
        }
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(side).unwrap_or(u32::MAX);
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&pixels)?;
    }
    Ok(out)
}
