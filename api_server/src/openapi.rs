//! The OpenAPI 3 document, generated from the handlers' annotations, served at
//! `/api/openapi.json`, with Swagger UI (vendored assets, works offline) at `/api/docs`.
//!
//! Each handler declares what it answers for its own reasons (404, 409, domain 422...);
//! [`StandardResponses`] adds what every operation of a given shape can answer because of the
//! extractors and layers it passes through (no session, a malformed body, a bad path id, a query
//! that does not parse...). `tests/api/openapi_walk.rs` sends every operation such inputs and
//! fails on any status the document does not declare.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::routes::{
    accounts, audit, bookings, broadcasts, export, inbox, links, me, slots, stats, users, vacancies, waitlist,
};
use crate::{auth, health, live};

#[derive(OpenApi)]
#[openapi(
    info(title = "Interview booking system API", description = "The recruiters' API. Every /api route except \
        /api/auth/login needs the session cookie set by login. Errors are {\"error\": {\"code\", \"message\"}}. \
        Every status an operation can answer is listed with it; besides, a request still running after 30 s \
        is answered 408 with no body."),
    modifiers(&StandardResponses),
    paths(
        health::healthz, health::readyz,
        auth::login, auth::logout, auth::me, accounts::link_info, accounts::set_password,
        me::telegram, me::link, me::unlink, me::feed_state, me::feed_regenerate, me::feed_revoke,
        me::my_working_hours, me::set_my_working_hours,
        accounts::list, accounts::invite, accounts::change, accounts::deactivate, accounts::reactivate,
        accounts::reset_password, accounts::interviewers, accounts::working_hours,
        accounts::set_working_hours,
        slots::list, slots::create, slots::bulk, slots::get_one, slots::update, slots::cancel, slots::delete,
        bookings::list, bookings::cancel, bookings::attendance,
        users::list, users::get_one, users::block, users::unblock,
        vacancies::list, vacancies::create, vacancies::get_one, vacancies::update, vacancies::archive,
        vacancies::restore, vacancies::delete,
        links::list, links::create, links::import, links::get_one, links::revoke, links::delete, links::qr_png,
        links::qr_svg,
        broadcasts::list, broadcasts::create, broadcasts::get_one, broadcasts::cancel, broadcasts::list_deliveries,
        broadcasts::recipients, broadcasts::test_send, broadcasts::rename, broadcasts::upload_photo,
        broadcasts::get_photo,
        inbox::list, inbox::conversation, inbox::reply, inbox::read,
        stats::dashboard, stats::funnel, export::export_bookings, export::export_funnel,
        waitlist::list, waitlist::remove, waitlist::offer, waitlist::stats, waitlist::approvals_list,
        waitlist::approve, waitlist::refuse,
        audit::list,
        audit::admins,
        live::live,
    ),
    tags(
        (name = "auth", description = "Sessions, and setting a password through a one-time link"),
        (name = "accounts", description = "The team's accounts and roles (admins only)"),
        (name = "slots", description = "Interview slots"),
        (name = "vacancies", description = "Vacancies: the positions interviews are for"),
        (name = "links", description = "Invitation links: per source, and personal single-use ones"),
        (name = "bookings", description = "Candidates' bookings"),
        (name = "users", description = "Candidates"),
        (name = "broadcasts", description = "Messages to many candidates"),
        (name = "inbox", description = "Candidates' messages to the bot and the recruiters' replies"),
        (name = "waitlist", description = "The waitlist, seats offered from it, and approvals after no-shows"),
        (name = "stats", description = "Dashboard and export"),
        (name = "audit", description = "Admin actions"),
        (name = "live", description = "Live updates for open panels"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

/// Adds to every operation the error answers its shape implies, each with the error schema:
///
/// | operation | answers |
/// | --- | --- |
/// | under `/api`, except login and the set-password link | 401 without a live session; 500 on an internal error |
/// | under `/api`, except those and the routes of every role | 403 for a role that may not use it |
/// | with a JSON body | 400 malformed JSON or no body, 413 over 256 KiB, 415 not `application/json`, 422 wrong shape, types or values |
/// | with a path id | 400 not a positive integer, 404 no such id |
/// | with query parameters | 400 a query that does not parse (unknown parameter, wrong type), 422 a value out of range |
///
/// A status the handler already declares keeps its entry (its description is filled in if empty).
pub struct StandardResponses;

impl Modify for StandardResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        for (path, item) in doc.paths.paths.iter_mut() {
            let operations = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
                ("patch", &mut item.patch),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let mut reasons: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
                for (status, reason) in standard_responses(method, path, operation) {
                    reasons.entry(status).or_default().push(reason);
                }
                for (status, reasons) in reasons {
                    declare(operation, status, &reasons.join("; "));
                }
            }
        }
    }
}

/// The `/api` routes that need no session.
pub const PUBLIC: &[&str] = &["/api/auth/login", "/api/auth/password-link", "/api/auth/set-password"];

/// The `/api` operations every role may use (`METHOD path`): their own session, Telegram link
/// and the live stream, and, for an interviewer, their own interviews: their slots, the bookings
/// of those, attendance, and those candidates' cards.
pub const ANY_ROLE: &[&str] = &[
    "POST /api/auth/logout",
    "GET /api/auth/me",
    "GET /api/me/telegram",
    "DELETE /api/me/telegram",
    "POST /api/me/telegram/link",
    "GET /api/me/calendar-feed",
    "POST /api/me/calendar-feed",
    "DELETE /api/me/calendar-feed",
    "GET /api/me/working-hours",
    "PUT /api/me/working-hours",
    "GET /api/live",
    "GET /api/slots",
    "GET /api/slots/{id}",
    "GET /api/bookings",
    "POST /api/bookings/{id}/attendance",
    "GET /api/users/{id}",
];

/// Whether every role may use `method` (lowercase or not) on `path`.
pub fn any_role(method: &str, path: &str) -> bool {
    ANY_ROLE.contains(&format!("{} {path}", method.to_uppercase()).as_str())
}

fn standard_responses(method: &str, path: &str, operation: &Operation) -> Vec<(&'static str, &'static str)> {
    let params_in = |place: ParameterIn| {
        operation.parameters.iter().flatten().any(|p| matches!(p, RefOr::T(p) if p.parameter_in == place))
    };
    let mut out = Vec::new();
    if path.starts_with("/api/") {
        if !PUBLIC.contains(&path) {
            out.push(("401", "No session, or it expired: log in"));
        }
        if !PUBLIC.contains(&path) && !any_role(method, path) {
            out.push(("403", "The account's role does not allow this (docs/roles.md)"));
        }
        out.push(("500", "An internal error; the cause is logged, the message is safe to show"));
    }
    if operation.request_body.is_some() {
        out.extend([
            ("400", "Malformed JSON or an empty body"),
            ("413", "The body is over 256 KiB"),
            ("415", "The body is not sent as Content-Type: application/json"),
            (
                "422",
                "The body has the wrong shape, types or unknown fields, or a value is invalid (the message names it)",
            ),
        ]);
    }
    if params_in(ParameterIn::Path) {
        out.extend([("400", "The path id is not a positive integer"), ("404", "No such id")]);
    }
    if params_in(ParameterIn::Query) {
        out.extend([
            ("400", "The query does not parse: an unknown parameter or a value of the wrong type"),
            ("422", "A query value is out of its range (the message names it)"),
        ]);
    }
    out
}

/// Declares `status` with the error schema, unless the handler did (then fills in an empty description).
fn declare(operation: &mut Operation, status: &str, description: &str) {
    match operation.responses.responses.get_mut(status) {
        Some(RefOr::T(existing)) => {
            if existing.description.is_empty() {
                existing.description = description.to_owned();
            }
        }
        Some(RefOr::Ref(_)) => {}
        None => {
            let error = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
            let response = ResponseBuilder::new().description(description).content("application/json", error).build();
            operation.responses.responses.insert(status.to_owned(), RefOr::T(response));
        }
    }
}
