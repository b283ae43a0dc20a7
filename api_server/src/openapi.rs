//! The OpenAPI 3 document, generated from the handlers' annotations, served at
//! `/api/openapi.json`, with Swagger UI (vendored assets, works offline) at `/api/docs`.

use utoipa::OpenApi;

use crate::routes::{audit, bookings, broadcasts, slots, stats, users};
use crate::{auth, health};

#[derive(OpenApi)]
#[openapi(
    info(title = "Interview booking system API", description = "The recruiters' API. Every /api route except \
        /api/auth/login needs the session cookie set by login. Errors are {\"error\": {\"code\", \"message\"}}."),
    paths(
        health::healthz, health::readyz,
        auth::login, auth::logout, auth::me,
        slots::list, slots::create, slots::bulk, slots::get_one, slots::update, slots::cancel, slots::delete,
        bookings::list, bookings::cancel, bookings::attendance,
        users::list, users::get_one, users::block, users::unblock,
        broadcasts::list, broadcasts::create, broadcasts::get_one, broadcasts::cancel, broadcasts::list_deliveries,
        broadcasts::recipients, broadcasts::test_send,
        stats::dashboard, stats::export_bookings,
        audit::list,
    ),
    tags(
        (name = "auth", description = "Admin sessions"),
        (name = "slots", description = "Interview slots"),
        (name = "bookings", description = "Candidates' bookings"),
        (name = "users", description = "Candidates"),
        (name = "broadcasts", description = "Messages to many candidates"),
        (name = "stats", description = "Dashboard and export"),
        (name = "audit", description = "Admin actions"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;
