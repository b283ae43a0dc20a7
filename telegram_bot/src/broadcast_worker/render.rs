//! What a delivery sends: a broadcast's own HTML (in the candidate's language, with its button
//! and photo), or a notification rendered in the candidate's language, with the calendar file
//! and the button that belong to it.

use anyhow::Context;
use chrono::Utc;
use chrono_tz::Tz;
use core_logic::broadcasts::BroadcastButton;
use core_logic::deliveries::DeliveryToSend;
use core_logic::models::DeliveryKind;
use core_logic::notifications::Notification;
use core_logic::team::Change;
use teloxide::types::InlineKeyboardMarkup;

use crate::ics::{self, Method};
use crate::keyboards;
use crate::texts::{Lang, Texts, escape, fill};

/// Telegram's limit on a document's caption, in characters.
const CAPTION_LIMIT: usize = 1024;
/// Telegram's limit on a message's visible text, in characters.
const MESSAGE_LIMIT: usize = 4096;

/// One message: its HTML text, and for a notification about a booking the updated or cancelled
/// calendar event (sent as an .ics document with the text as its caption) and a button; for a
/// broadcast (or its test send) the broadcast's button and photo (the text is then its caption).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub text: String,
    /// The .ics file's content.
    pub calendar: Option<String>,
    pub keyboard: Option<InlineKeyboardMarkup>,
    /// The broadcast's photo (`core_logic::broadcast_photos`).
    pub photo: Option<i64>,
}

impl Rendered {
    /// A broadcast's message: its text, its button in the candidate's language, its photo.
    fn broadcast(text: String, button: Option<BroadcastButton>, photo: Option<i64>, t: &Texts) -> anyhow::Result<Self> {
        let keyboard = button.map(|b| keyboards::broadcast_button(t, &b)).transpose()?;
        Ok(Self { text, calendar: None, keyboard, photo })
    }
}

/// The message of a delivery, in the candidate's language.
pub fn render(d: &DeliveryToSend, tz: Tz) -> anyhow::Result<Rendered> {
    let t = Lang::from_code(&d.language).t();
    match d.kind {
        DeliveryKind::Broadcast => {
            let text = d.text.clone().context("a broadcast delivery without text")?;
            let button = d.button.as_deref().map(serde_json::from_str).transpose().context("the broadcast's button")?;
            Rendered::broadcast(text, button, d.photo_id, t)
        }
        DeliveryKind::Test | DeliveryKind::Notification => {
            let json = d.notification.as_deref().context("a notification without content")?;
            notification(serde_json::from_str(json)?, t, tz)
        }
    }
}

/// A recruiter's reply: their plain text, escaped, under a heading. Telegram counts the visible
/// characters, so a reply of the full 4096 goes without the heading rather than not at all.
fn reply(text: &str, t: &Texts) -> String {
    let body = escape(text);
    if text.chars().count() + t.reply_heading.chars().count() + 1 > MESSAGE_LIMIT {
        return body;
    }
    format!("<b>{}</b>\n{body}", t.reply_heading)
}

fn notification(n: Notification, t: &Texts, tz: Tz) -> anyhow::Result<Rendered> {
    Ok(match n {
        Notification::TestMessage { text, button, photo_id } => Rendered::broadcast(text, button, photo_id, t)?,
        Notification::Reply { text } => Rendered { text: reply(&text, t), calendar: None, keyboard: None, photo: None },
        Notification::BookingCancelled { slot_starts_at, reason, calendar, .. } => {
            let mut text = fill(t.admin_cancelled, &[&t.when(slot_starts_at, tz)]);
            if let Some(reason) = reason {
                text.push_str(&format!("\n{}: {}", t.reason, escape(&reason)));
            }
            // A caption over Telegram's limit (a very long reason) goes as a message, without
            // the file.
            let calendar = calendar
                .filter(|_| text.chars().count() <= CAPTION_LIMIT)
                .map(|event| ics::file(Method::Cancel, &event, t.calendar_summary, Utc::now()));
            Rendered { text, calendar, keyboard: Some(keyboards::book_again(t)), photo: None }
        }
        Notification::SlotChanged { new_starts_at, format, location, calendar, .. } => {
            // The duration is not part of the notification; show time and place.
            let mut details = format!(
                "🗓 <b>{}:</b> {}\n💻 <b>{}:</b> {}",
                t.when,
                t.when(new_starts_at, tz),
                t.format,
                escape(&t.format_label(&format))
            );
            if let Some(place) = location {
                details.push_str(&format!("\n📍 <b>{}:</b> {}", t.place, escape(&place)));
            }
            let text = fill(t.slot_changed, &[&details]);
            // The updated event replaces the old one in the candidate's calendar; a caption over
            // Telegram's limit (a very long place) goes as a message, without the file.
            let calendar = calendar
                .filter(|_| text.chars().count() <= CAPTION_LIMIT)
                .map(|event| ics::file(Method::Publish, &event, t.calendar_summary, Utc::now()));
            Rendered { text, calendar, keyboard: None, photo: None }
        }
        Notification::Interview {
            change,
            candidate,
            vacancy,
            starts_at,
            old_starts_at,
            duration_minutes,
            answers,
            ..
        } => {
            let mut details = format!("🗓 {}, {duration_minutes} {}", t.when(starts_at, tz), t.minutes);
            if let Some(v) = &vacancy {
                details.push_str(&format!("\n💼 {}", fill(t.vacancy_line, &[&escape(v)])));
            }
            let answered: Vec<String> = answers
                .iter()
                .filter_map(|a| a.answer.as_deref().map(|ans| format!("• {}: {}", escape(&a.question), escape(ans))))
                .collect();
            if !answered.is_empty() && change != Change::Cancelled {
                details.push_str(&format!("\n\n{}\n{}", t.team_answers, answered.join("\n")));
            }
            let who = escape(&candidate);
            let text = match change {
                Change::Booked => fill(t.team_booked, &[&who, &details]),
                Change::Moved => {
                    let was = old_starts_at.map(|o| t.when(o, tz)).unwrap_or_default();
                    fill(t.team_moved, &[&who, &was, &details])
                }
                Change::Cancelled => fill(t.team_cancelled, &[&who, &t.when(starts_at, tz)]),
            };
            Rendered { text, calendar: None, keyboard: None, photo: None }
        }
        Notification::Agenda { day, items } => {
            let mut text = fill(t.team_agenda, &[&t.day(day)]);
            for i in items {
                let time = i.starts_at.with_timezone(&tz).format("%H:%M");
                let vacancy = i.vacancy.map(|v| format!(" ({})", escape(&v))).unwrap_or_default();
                text.push_str(&format!("\n• {time} — {}{vacancy}", escape(&i.candidate)));
            }
            Rendered { text, calendar: None, keyboard: None, photo: None }
        }
        Notification::FeedbackRequest { booking_id, candidate, starts_at } => {
            let text = fill(t.team_came_question, &[&escape(&candidate), &t.when(starts_at, tz)]);
            Rendered { text, calendar: None, keyboard: Some(keyboards::came(t, booking_id)), photo: None }
        }
        Notification::Offer { offer_id, starts_at, duration_minutes, format, location, vacancy, expires_at } => {
            let mut details = t.interview(starts_at, tz, duration_minutes, &format, location.as_deref());
            if let Some(v) = vacancy {
                details.push_str(&format!("\n💼 {}", fill(t.vacancy_line, &[&escape(&v)])));
            }
            let until = expires_at.with_timezone(&tz).format("%H:%M").to_string();
            let text = fill(t.offer, &[&details, &until]);
            Rendered { text, calendar: None, keyboard: Some(keyboards::offer(t, offer_id)), photo: None }
        }
        Notification::OfferEnded { starts_at, expired } => {
            let template = if expired { t.offer_expired } else { t.offer_withdrawn };
            let text = fill(template, &[&t.when(starts_at, tz)]);
            Rendered { text, calendar: None, keyboard: Some(keyboards::leave_waitlist(t)), photo: None }
        }
        Notification::Released { slot_starts_at, calendar, .. } => {
            let text = fill(t.released, &[&t.when(slot_starts_at, tz)]);
            let calendar = calendar.map(|event| ics::file(Method::Cancel, &event, t.calendar_summary, Utc::now()));
            Rendered { text, calendar, keyboard: Some(keyboards::book_again(t)), photo: None }
        }
        Notification::ApprovalDecided { approved: true } => Rendered {
            text: t.approval_granted.to_owned(),
            calendar: None,
            keyboard: Some(keyboards::book_again(t)),
            photo: None,
        },
        Notification::ApprovalDecided { approved: false } => {
            Rendered { text: t.approval_refused.to_owned(), calendar: None, keyboard: None, photo: None }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::texts::{EN, RU};

    #[test]
    fn a_reply_is_escaped_plain_text_under_a_heading_in_the_candidates_language() -> anyhow::Result<()> {
        let n = |text: &str| Notification::Reply { text: text.to_owned() };
        let ru = notification(n("Приходите в <b>среду</b> & возьмите паспорт"), &RU, chrono_tz::Europe::Moscow)?;
        assert_eq!(ru.text, "<b>💬 Ответ рекрутера:</b>\nПриходите в &lt;b&gt;среду&lt;/b&gt; &amp; возьмите паспорт");
        assert_eq!((ru.calendar, ru.keyboard), (None, None));
        let en = notification(n("See you"), &EN, chrono_tz::Europe::Moscow)?;
        assert_eq!(en.text, "<b>💬 A recruiter's reply:</b>\nSee you");
        // The longest reply Telegram takes goes whole, without the heading.
        let long = "я".repeat(MESSAGE_LIMIT);
        assert_eq!(notification(n(&long), &RU, chrono_tz::Europe::Moscow)?.text, long);
        Ok(())
    }
}
