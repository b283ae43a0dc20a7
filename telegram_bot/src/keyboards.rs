//! The bot's keyboards: the persistent main menu and the inline buttons of each step.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use core_logic::broadcasts::BroadcastButton;
use core_logic::models::SlotWithCounts;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, KeyboardMarkup};

use crate::callback::Callback;
use crate::texts::{Texts, fill};

/// Days shown per page of the day picker.
pub const DAYS_PER_PAGE: usize = 8;

fn button(text: impl Into<String>, cb: Callback) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, cb.encode())
}

/// The main menu under the input field.
pub fn main_menu(t: &Texts) -> KeyboardMarkup {
    KeyboardMarkup::new(vec![
        vec![KeyboardButton::new(t.menu_book), KeyboardButton::new(t.menu_my)],
        vec![KeyboardButton::new(t.menu_contact), KeyboardButton::new(t.menu_help)],
    ])
    .resize_keyboard()
    .persistent()
}

/// One button that opens the day picker: under a cancellation notice, so booking again is one
/// tap away.
pub fn book_again(t: &Texts) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![button(t.book_again, Callback::Days { page: 0, moving: None })]])
}

/// The button under a broadcast: its link, or "Записаться" opening the booking flow in a new
/// message (the broadcast stays).
pub fn broadcast_button(t: &Texts, b: &BroadcastButton) -> anyhow::Result<InlineKeyboardMarkup> {
    let button = match b {
        BroadcastButton::Url { text, url } => InlineKeyboardButton::url(text.clone(), url.parse()?),
        BroadcastButton::Book => button(t.menu_book, Callback::Book),
    };
    Ok(InlineKeyboardMarkup::new(vec![vec![button]]))
}

/// Slots grouped by local day.
pub fn by_day(slots: &[SlotWithCounts], tz: Tz) -> BTreeMap<NaiveDate, Vec<&SlotWithCounts>> {
    let mut days: BTreeMap<NaiveDate, Vec<&SlotWithCounts>> = BTreeMap::new();
    for s in slots {
        days.entry(s.slot.starts_at.with_timezone(&tz).date_naive()).or_default().push(s);
    }
    days
}

/// One page of the days that have free places, with paging buttons.
pub fn days(t: &Texts, days: &[NaiveDate], page: u8, moving: Option<i64>) -> InlineKeyboardMarkup {
    let start = usize::from(page) * DAYS_PER_PAGE;
    let mut rows: Vec<Vec<InlineKeyboardButton>> = days
        .iter()
        .skip(start)
        .take(DAYS_PER_PAGE)
        .map(|d| button(t.day(*d), Callback::Day { date: *d, moving }))
        .collect::<Vec<_>>()
        .chunks(2)
        .map(<[InlineKeyboardButton]>::to_vec)
        .collect();
    let mut nav = Vec::new();
    if page > 0 {
        nav.push(button(t.earlier, Callback::Days { page: page - 1, moving }));
    }
    if days.len() > start + DAYS_PER_PAGE {
        nav.push(button(t.later, Callback::Days { page: page + 1, moving }));
    }
    if !nav.is_empty() {
        rows.push(nav);
    }
    if moving.is_none() {
        // None of these days suits: wait for another time.
        rows.push(vec![button(t.wait_button, Callback::WaitPrefs { days: 0, parts: 0 })]);
    }
    rows.push(vec![button(t.back, if moving.is_some() { Callback::My } else { Callback::Menu })]);
    InlineKeyboardMarkup::new(rows)
}

/// The free times of one day.
pub fn times(t: &Texts, slots: &[&SlotWithCounts], tz: Tz, moving: Option<i64>) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> = slots
        .iter()
        .map(|s| {
            let time = s.slot.starts_at.with_timezone(&tz).format("%H:%M").to_string();
            let label = if s.slot.capacity > 1 {
                format!("{time} ({})", fill(t.free_places, &[&s.free().to_string()]))
            } else {
                time
            };
            button(label, Callback::Pick { slot: s.slot.id, moving })
        })
        .collect::<Vec<_>>()
        .chunks(3)
        .map(<[InlineKeyboardButton]>::to_vec)
        .collect();
    rows.push(vec![button(t.back, Callback::Days { page: 0, moving })]);
    InlineKeyboardMarkup::new(rows)
}

/// Confirm a picked time.
pub fn confirm(t: &Texts, slot: i64, moving: Option<i64>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![
        vec![button(t.confirm_yes, Callback::Confirm { slot, moving })],
        vec![button(t.confirm_no, Callback::Days { page: 0, moving })],
    ])
}

/// Actions on one booking.
pub fn booking_actions(t: &Texts, booking: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button(t.reschedule_button, Callback::Days { page: 0, moving: Some(booking) }),
        button(t.cancel_button, Callback::AskCancel { booking }),
    ]])
}

/// Confirm a cancellation.
pub fn confirm_cancel(t: &Texts, booking: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button(t.cancel_yes, Callback::Cancel { booking }),
        button(t.cancel_no, Callback::My),
    ]])
}

/// "Will you come?" under a reminder.
pub fn will_you_come(t: &Texts, booking: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button(t.coming_yes, Callback::Coming { booking, yes: true }),
        button(t.coming_no, Callback::Coming { booking, yes: false }),
    ]])
}

/// A link to the human contact.
pub fn contact(t: &Texts, username: &str) -> InlineKeyboardMarkup {
    let label = fill(t.contact_button, &[username]);
    match url::Url::parse(&format!("https://t.me/{username}")) {
        Ok(url) => InlineKeyboardMarkup::new(vec![vec![InlineKeyboardButton::url(label, url)]]),
        Err(_) => InlineKeyboardMarkup::new(Vec::<Vec<InlineKeyboardButton>>::new()),
    }
}

/// "Did the candidate come?" under an interviewer's question after the interview.
pub fn came(t: &Texts, booking: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button(t.team_came, Callback::Came { booking, yes: true }),
        button(t.team_not_came, Callback::Came { booking, yes: false }),
    ]])
}

/// The 1-5 score buttons.
pub fn score(booking: i64) -> InlineKeyboardMarkup {
    let row: Vec<InlineKeyboardButton> =
        (1..=5u8).map(|score| button(score.to_string(), Callback::Score { booking, score })).collect();
    InlineKeyboardMarkup::new(vec![row])
}

/// "Skip" under the note question.
pub fn skip_note(t: &Texts, booking: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![button(t.skip, Callback::SkipNote { booking })]])
}

/// No free time at all: join the waitlist, or write to the human contact.
pub fn no_days(t: &Texts, username: &str) -> InlineKeyboardMarkup {
    let mut rows = vec![vec![button(t.wait_button, Callback::WaitPrefs { days: 0, parts: 0 })]];
    rows.extend(contact(t, username).inline_keyboard);
    InlineKeyboardMarkup::new(rows)
}

/// The waitlist's preferences: weekdays and parts of the day to tick (ticked ones marked), "any
/// time" and "done".
pub fn wait_prefs(t: &Texts, days: u8, parts: u8) -> InlineKeyboardMarkup {
    let mark = |on: bool, label: &str| if on { format!("✅ {label}") } else { label.to_owned() };
    let day = |d: usize| {
        let bit = 1u8 << d;
        button(mark(days & bit != 0, t.weekdays[d]), Callback::WaitPrefs { days: days ^ bit, parts })
    };
    let part = |i: usize| {
        let bit = 1u8 << i;
        button(mark(parts & bit != 0, t.parts[i]), Callback::WaitPrefs { days, parts: parts ^ bit })
    };
    InlineKeyboardMarkup::new(vec![
        (0..4).map(day).collect(),
        (4..7).map(day).collect(),
        (0..3).map(part).collect(),
        vec![
            button(t.wait_any, Callback::Join { days: 0, parts: 0 }),
            button(t.wait_done, Callback::Join { days, parts }),
        ],
    ])
}

/// Under the waitlist place: leave it.
pub fn leave_waitlist(t: &Texts) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![button(t.wait_leave, Callback::Leave)]])
}

/// Under an offer: take the seat, or not.
pub fn offer(t: &Texts, offer: i64) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![
        button(t.offer_take, Callback::Offer { offer, take: true }),
        button(t.offer_decline, Callback::Offer { offer, take: false }),
    ]])
}

/// Ask a recruiter to allow a booking.
pub fn ask_approval(t: &Texts) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(vec![vec![button(t.approval_ask, Callback::AskApproval)]])
}
