//! The HTTP routes: `/bot<token>/<method>` for the Bot API (any token, any HTTP method, method
//! names matched case-insensitively) and `/_control/...` for tests in another process.

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::routing::any;
use tracing::debug;

use crate::methods;
use crate::params::Params;
use crate::state::Shared;
use crate::types::ApiReply;

/// Telegram accepts uploads of up to 50 MB from bots.
const MAX_UPLOAD: usize = 50 * 1024 * 1024;

/// All routes of the fake.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/{bot_token}/{method}", any(bot_method))
        .merge(crate::control::router())
        .fallback(|| async { ApiReply::error(404, "Not Found") })
        .layer(DefaultBodyLimit::max(MAX_UPLOAD))
        .with_state(shared)
}

/// One Bot API call: waits the configured delay, reads the parameters, runs the method.
async fn bot_method(
    State(shared): State<Arc<Shared>>,
    Path((bot_token, name)): Path<(String, String)>,
    request: Request,
) -> ApiReply {
    let delay = shared.lock().faults.delay;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let method = match (bot_token.strip_prefix("bot"), methods::canonical(&name)) {
        (Some(_token), Some(method)) => method,
        _ => {
            debug!(method = %name, "unknown Bot API method");
            let mut state = shared.lock();
            state.stats.requests += 1;
            state.stats.errors_answered += 1;
            return ApiReply::error(404, "Not Found: method not found");
        }
    };
    let params = match Params::from_request(request).await {
        Ok(params) => params,
        Err(reason) => return ApiReply::bad_request(&reason),
    };
    let reply = methods::call(&shared, method, &params).await;
    debug!(method, chat_id = params.str("chat_id").unwrap_or_default(), status = reply.status.as_u16(), "Bot API call");
    reply
}
