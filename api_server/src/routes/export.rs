//! `GET /api/export/bookings.csv`: the bookings of a range of days as a CSV that opens cleanly
//! in Excel (UTF-8 with BOM, `;` separators as Russian-locale Excel expects, CRLF), in the
//! panel's language: headers, statuses and interview formats in Russian (the default) or
//! English, dates and times in `APP_TIMEZONE`.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use core_logic::booking_list::{self, BookingFilter, BookingRow};
use core_logic::models::BookingStatus;
use core_logic::segments::local_day_range;
use serde::Deserialize;

use super::stats::DateRange;
use crate::auth::CurrentAdmin;
use crate::error::{ApiError, ApiQuery, ApiResult};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/export/bookings.csv", get(export_bookings)).route("/export/funnel.csv", get(export_funnel))
}

/// Which bookings, and how the file is written.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// First day, `YYYY-MM-DD`.
    pub from: Option<NaiveDate>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<NaiveDate>,
    /// `semicolon` (default) or `comma`.
    pub delimiter: Option<String>,
    /// The language of headers, statuses and formats: `ru` (default) or `en`.
    pub lang: Option<String>,
}

/// The language of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Ru,
    En,
}

const HEADERS_RU: [&str; 17] = [
    "Номер записи",
    "Дата",
    "Время",
    "Часовой пояс",
    "Длительность, мин",
    "Формат",
    "Место",
    "Имя",
    "Фамилия",
    "Username",
    "Telegram ID",
    "Статус",
    "Записан",
    "Отменена",
    "Причина отмены",
    "Вакансия",
    "Ответы анкеты",
];

const HEADERS_EN: [&str; 17] = [
    "Booking",
    "Date",
    "Time",
    "Time zone",
    "Duration, min",
    "Format",
    "Location",
    "First name",
    "Last name",
    "Username",
    "Telegram ID",
    "Status",
    "Booked at",
    "Cancelled at",
    "Cancellation reason",
    "Vacancy",
    "Questionnaire answers",
];

impl Lang {
    fn headers(self) -> &'static [&'static str; 17] {
        match self {
            Lang::Ru => &HEADERS_RU,
            Lang::En => &HEADERS_EN,
        }
    }

    fn status(self, status: BookingStatus) -> &'static str {
        use BookingStatus::*;
        match (self, status) {
            (Lang::Ru, Active) => "активна",
            (Lang::Ru, CancelledByCandidate) => "отменена кандидатом",
            (Lang::Ru, CancelledByAdmin) => "отменена рекрутером",
            (Lang::Ru, Rescheduled) => "перенесена",
            (Lang::Ru, Attended) => "пришёл",
            (Lang::Ru, NoShow) => "не пришёл",
            (Lang::En, Active) => "active",
            (Lang::En, CancelledByCandidate) => "cancelled by the candidate",
            (Lang::En, CancelledByAdmin) => "cancelled by a recruiter",
            (Lang::En, Rescheduled) => "rescheduled",
            (Lang::En, Attended) => "attended",
            (Lang::En, NoShow) => "no-show",
        }
    }

    /// The interview format as people say it; a recruiter's own wording stays as written.
    fn format(self, format: String) -> String {
        let label = match (self, format.trim().to_lowercase().as_str()) {
            (Lang::Ru, "online") => "онлайн",
            (Lang::Ru, "offline" | "office") => "в офисе",
            (Lang::Ru, "phone") => "по телефону",
            (Lang::En, "online") => "online",
            (Lang::En, "offline" | "office") => "in the office",
            (Lang::En, "phone") => "by phone",
            _ => return format,
        };
        label.to_owned()
    }

    fn date(self, t: DateTime<Tz>) -> String {
        match self {
            Lang::Ru => t.format("%d.%m.%Y").to_string(),
            Lang::En => t.format("%Y-%m-%d").to_string(),
        }
    }

    fn date_time(self, t: DateTime<Tz>) -> String {
        format!("{} {}", self.date(t), t.format("%H:%M"))
    }
}

/// Exports the bookings of interviews in a range of days (default: the last 30 and the next 30).
#[utoipa::path(operation_id = "stats_export_bookings", get, path = "/api/export/bookings.csv", tag = "stats", params(ExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_bookings(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(query): ApiQuery<ExportQuery>,
) -> ApiResult<Response> {
    let tz = state.config.timezone;
    let range = DateRange { from: query.from, to: query.to };
    let (from, to) = range.resolve(Utc::now().with_timezone(&tz).date_naive(), 30, 30)?;
    let sep = match query.delimiter.as_deref() {
        None | Some("semicolon") => ';',
        Some("comma") => ',',
        Some(_) => return Err(ApiError::validation("delimiter", "semicolon or comma")),
    };
    let lang = match query.lang.as_deref() {
        None | Some("ru") => Lang::Ru,
        Some("en") => Lang::En,
        Some(_) => return Err(ApiError::validation("lang", "ru or en")),
    };
    let filter = BookingFilter {
        from: Some(local_day_range(from, tz).0),
        to: Some(local_day_range(to, tz).1),
        ..Default::default()
    };
    let (rows, _) = booking_list::list(&state.pool, &filter, false, 100_000, 0).await?;
    let mut out = String::from("\u{feff}");
    push_row(&mut out, sep, lang.headers().iter().map(|h| (*h).to_owned()));
    for row in rows {
        push_row(&mut out, sep, cells(row, lang, tz).into_iter());
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

/// One booking's cells, in the order of the headers.
fn cells(r: BookingRow, lang: Lang, tz: Tz) -> [String; 17] {
    let local = |t: DateTime<Utc>| lang.date_time(t.with_timezone(&tz));
    let start = r.slot_starts_at.with_timezone(&tz);
    [
        r.id.to_string(),
        lang.date(start),
        start.format("%H:%M").to_string(),
        tz.name().to_owned(),
        r.duration_minutes.to_string(),
        lang.format(r.format),
        r.location.unwrap_or_default(),
        r.first_name,
        r.last_name.unwrap_or_default(),
        r.username.unwrap_or_default(),
        r.telegram_user_id.to_string(),
        match (r.cancelled_by.as_deref(), lang) {
            // Released by the reconfirmation deadline, not by a person.
            (Some("system"), Lang::Ru) => "снята: нет подтверждения".to_owned(),
            (Some("system"), Lang::En) => "released: not confirmed".to_owned(),
            _ => lang.status(r.status).to_owned(),
        },
        local(r.created_at),
        r.cancelled_at.map(local).unwrap_or_default(),
        r.cancel_reason.unwrap_or_default(),
        r.vacancy_title.unwrap_or_default(),
        r.answers.map(|a| core_logic::questionnaire::summary(&a.0)).unwrap_or_default(),
    ]
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

/// The period of a funnel and how its file is written.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FunnelExportQuery {
    /// First day, `YYYY-MM-DD` (default: 30 days ago).
    pub from: Option<NaiveDate>,
    /// Last day, `YYYY-MM-DD` (default: today).
    pub to: Option<NaiveDate>,
    /// `semicolon` (default) or `comma`.
    pub delimiter: Option<String>,
    /// `ru` (default) or `en`.
    pub lang: Option<String>,
}

/// The funnel by vacancy and source as CSV: one row per source, then each vacancy's total.
#[utoipa::path(operation_id = "stats_export_funnel", get, path = "/api/export/funnel.csv", tag = "stats", params(FunnelExportQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 422, body = crate::error::ErrorBody)))]
pub async fn export_funnel(
    State(state): State<AppState>,
    _admin: CurrentAdmin,
    ApiQuery(query): ApiQuery<FunnelExportQuery>,
) -> ApiResult<Response> {
    let tz = state.config.timezone;
    let range = DateRange { from: query.from, to: query.to };
    let (from, to) = range.resolve(Utc::now().with_timezone(&tz).date_naive(), 30, 0)?;
    let sep = match query.delimiter.as_deref() {
        None | Some("semicolon") => ';',
        Some("comma") => ',',
        Some(_) => return Err(ApiError::validation("delimiter", "semicolon or comma")),
    };
    let ru = match query.lang.as_deref() {
        None | Some("ru") => true,
        Some("en") => false,
        Some(_) => return Err(ApiError::validation("lang", "ru or en")),
    };
    let funnel =
        core_logic::funnel::funnel(&state.pool, local_day_range(from, tz).0, local_day_range(to, tz).1).await?;
    let headers: [&str; 9] = if ru {
        [
            "Вакансия",
            "Источник",
            "Открыли",
            "Ответили",
            "Записались",
            "Пришли",
            "Не пришли",
            "Отменили",
            "Конверсия в запись, %",
        ]
    } else {
        ["Vacancy", "Source", "Opened", "Answered", "Booked", "Attended", "No-show", "Cancelled", "Booked of opened, %"]
    };
    let (no_vacancy, in_bot, all) = if ru {
        ("Без вакансии", "В боте, без ссылки", "Всего")
    } else {
        ("No vacancy", "In the bot, no link", "Total")
    };
    let mut out = String::from("\u{feff}");
    push_row(&mut out, sep, headers.iter().map(|h| (*h).to_owned()));
    let counts = |c: &core_logic::funnel::Counts| {
        let rate =
            if c.opened > 0 { format!("{:.1}", c.booked as f64 * 100.0 / c.opened as f64) } else { String::new() };
        [c.opened, c.answered, c.booked, c.attended, c.no_show, c.cancelled]
            .map(|n| n.to_string())
            .into_iter()
            .chain([rate])
    };
    for row in &funnel.sources {
        let vacancy = row.vacancy_title.clone().unwrap_or_else(|| no_vacancy.to_owned());
        let source = row.label.clone().unwrap_or_else(|| in_bot.to_owned());
        push_row(&mut out, sep, [vacancy, source].into_iter().chain(counts(&row.counts)));
    }
    for row in &funnel.vacancies {
        let vacancy = row.vacancy_title.clone().unwrap_or_else(|| no_vacancy.to_owned());
        push_row(&mut out, sep, [vacancy, all.to_owned()].into_iter().chain(counts(&row.counts)));
    }
    let filename = format!("funnel_{from}_{to}.csv");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        out,
    )
        .into_response())
}
