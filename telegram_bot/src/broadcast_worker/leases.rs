//! The worker's side of delivery leases: the leases of sends in progress are kept alive by a
//! heartbeat, and a sweeper republishes deliveries whose lease ran out (their sender died).

use std::sync::PoisonError;
use std::time::Duration;

use chrono::Utc;
use core_logic::deliveries;

use super::BroadcastWorker;

/// How often the sweeper looks for deliveries whose lease ran out.
const SWEEP_EVERY: Duration = Duration::from_secs(5);

impl BroadcastWorker {
    pub(super) fn hold(&self, lease: &str) {
        *self.leases.lock().unwrap_or_else(PoisonError::into_inner).entry(lease.to_owned()).or_default() += 1;
    }

    pub(super) fn release(&self, lease: &str) {
        let mut leases = self.leases.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = leases.get_mut(lease) {
            *n -= 1;
            if *n == 0 {
                leases.remove(lease);
            }
        }
    }

    /// Extends the leases of the sends in progress, so a slow send (a long `retry_after`, 5xx
    /// retries) keeps its delivery.
    pub(super) async fn heartbeat(self) {
        loop {
            tokio::time::sleep(deliveries::LEASE_HEARTBEAT).await;
            let tokens: Vec<String> =
                self.leases.lock().unwrap_or_else(PoisonError::into_inner).keys().cloned().collect();
            let until = Utc::now() + core_logic::time::chrono_dur(deliveries::LEASE);
            if let Err(err) = deliveries::extend_leases(&self.pool, &tokens, until).await {
                tracing::warn!(error = %err, "could not extend the leases of sends in progress");
            }
        }
    }

    /// Republishes deliveries whose lease ran out (their sender died), every [`SWEEP_EVERY`].
    pub(super) async fn sweeper(self) {
        loop {
            match deliveries::sweep_expired(&self.pool, &self.queue, Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(republished = n, "swept deliveries with expired leases"),
                Err(err) => tracing::warn!(error = %err, "could not sweep expired leases"),
            }
            tokio::time::sleep(SWEEP_EVERY).await;
        }
    }
}
