//! The text of a delivery: a broadcast's own HTML, or a notification rendered in the
//! candidate's language.

use anyhow::Context;
use chrono_tz::Tz;
use core_logic::deliveries::DeliveryToSend;
use core_logic::models::DeliveryKind;
use core_logic::notifications::Notification;

use crate::texts::{Lang, fill};

/// The HTML text of a delivery, in the candidate's language.
pub fn render(d: &DeliveryToSend, tz: Tz) -> anyhow::Result<String> {
    let t = Lang::from_code(&d.language).t();
    match d.kind {
        DeliveryKind::Broadcast => d.text.clone().context("a broadcast delivery without text"),
        DeliveryKind::Test | DeliveryKind::Notification => {
            let json = d.notification.as_deref().context("a notification without content")?;
            Ok(match serde_json::from_str::<Notification>(json)? {
                Notification::TestMessage { text } => text,
                Notification::BookingCancelled { slot_starts_at, reason, .. } => {
                    let mut s = fill(t.admin_cancelled, &[&t.when(slot_starts_at, tz)]);
                    if let Some(reason) = reason {
                        s.push_str(&format!("\n{}: {}", t.reason, crate::texts::escape(&reason)));
                    }
                    s
                }
                Notification::SlotChanged { new_starts_at, format, location, .. } => {
                    // The duration is not part of the notification; show time and place.
                    let mut details = format!(
                        "🗓 <b>{}:</b> {}\n💻 <b>{}:</b> {}",
                        t.when,
                        t.when(new_starts_at, tz),
                        t.format,
                        crate::texts::escape(&format)
                    );
                    if let Some(place) = location {
                        details.push_str(&format!("\n📍 <b>{}:</b> {}", t.place, crate::texts::escape(&place)));
                    }
                    fill(t.slot_changed, &[&details])
                }
            })
        }
    }
}
