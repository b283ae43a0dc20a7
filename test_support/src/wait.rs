//! Waiting for a state instead of sleeping for a time: poll a condition until it holds or a
//! limit passes, and fail naming what was awaited and what was seen last.

use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

use tokio::time::{Instant, sleep};

/// How often [`until`] looks again.
pub const POLL: Duration = Duration::from_millis(20);

/// Polls `check` every [`POLL`] until it returns `Ok(value)`; panics after `limit` with `what`
/// and the last `Err` seen (a description of the state so far).
pub async fn until<T, E, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    E: Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let deadline = Instant::now() + limit;
    loop {
        let last = match check().await {
            Ok(value) => return value,
            Err(state) => state,
        };
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}; last seen: {last:?}");
        sleep(POLL).await;
    }
}
