//! My booking: the candidate's upcoming bookings with their buttons (move, cancel), the
//! cancellation, and the answer to a reminder's "will you come?". Moving a booking runs the
//! booking flow's steps with `moving` set.

use chrono::Utc;
use core_logic::bookings::{self, BookingWithSlot};
use core_logic::models::BookingStatus;
use core_logic::{ConflictKind, Error};
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::{Ctx, HandlerResult, Incoming, booking};
use crate::callback::Callback;
use crate::ics::Method;
use crate::keyboards;
use crate::texts::fill;

/// `/my`, the my-booking menu button, and `/cancel`.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::entry()
        .branch(
            dptree::filter(|m: Incoming| m.is_command("my") || m.is_button(|t| t.menu_my))
                .endpoint(|ctx: Ctx| async move { show_my(&ctx).await }),
        )
        .branch(dptree::filter(|m: Incoming| m.is_command("cancel")).endpoint(ask_cancel_first))
}

/// My booking, cancel (asked, then done) and the reminder's answer.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|cb: Callback| {
        matches!(cb, Callback::My | Callback::AskCancel { .. } | Callback::Cancel { .. } | Callback::Coming { .. })
    })
    .endpoint(|ctx: Ctx, cb: Callback| async move {
        match cb {
            Callback::My => show_my(&ctx).await,
            Callback::AskCancel { booking } => ask_cancel(&ctx, booking).await,
            Callback::Cancel { booking } | Callback::Coming { booking, yes: false } => cancel(&ctx, booking).await,
            Callback::Coming { booking, yes: true } => {
                match bookings::confirm(ctx.pool(), ctx.candidate.id, booking, Utc::now()).await? {
                    Some(_) => ctx.reply(ctx.t.thanks_coming.to_owned(), None).await,
                    None => ctx.stale().await,
                }
            }
            // Another flow's button: the filter above lets only these through.
            _ => Ok(()),
        }
    })
}

/// The upcoming bookings, one message each with its buttons; the first replaces the message
/// the button was on.
pub(super) async fn show_my(ctx: &Ctx) -> HandlerResult {
    let t = ctx.t;
    let upcoming = bookings::active_upcoming_for_candidate(ctx.pool(), ctx.candidate.id, Utc::now()).await?;
    if upcoming.is_empty() {
        if super::waitlist::show_place(ctx).await? {
            return Ok(());
        }
        return ctx.reply(t.no_booking.to_owned(), None).await;
    }
    for (i, b) in upcoming.iter().enumerate() {
        let s = &b.slot;
        let mut details = t.interview(s.starts_at, ctx.tz(), s.duration_minutes, &s.format, s.location.as_deref());
        details.push_str(&super::vacancy::line(ctx, b.booking.vacancy_id, b.slot.id).await);
        let text = fill(t.your_booking, &[&details]);
        let target = if i == 0 { ctx.clone() } else { ctx.in_new_message() };
        target.reply(text, Some(keyboards::booking_actions(t, b.booking.id))).await?;
    }
    Ok(())
}

/// The booking, if it is the caller's and active.
async fn own_active_booking(ctx: &Ctx, booking_id: i64) -> anyhow::Result<Option<BookingWithSlot>> {
    match bookings::get(ctx.pool(), booking_id).await {
        Ok(b) if b.booking.candidate_id == ctx.candidate.id && b.booking.status == BookingStatus::Active => Ok(Some(b)),
        Ok(_) | Err(Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// `/cancel`: asks about the first upcoming booking.
async fn ask_cancel_first(ctx: Ctx) -> HandlerResult {
    match bookings::active_upcoming_for_candidate(ctx.pool(), ctx.candidate.id, Utc::now()).await?.first() {
        Some(b) => ask_cancel(&ctx, b.booking.id).await,
        None => ctx.send_with_menu(ctx.t.no_booking).await,
    }
}

async fn ask_cancel(ctx: &Ctx, booking_id: i64) -> HandlerResult {
    let t = ctx.t;
    let Some(b) = own_active_booking(ctx, booking_id).await? else { return ctx.stale().await };
    let s = &b.slot;
    let details = t.interview(s.starts_at, ctx.tz(), s.duration_minutes, &s.format, s.location.as_deref());
    ctx.reply(fill(t.cancel_question, &[&details]), Some(keyboards::confirm_cancel(t, booking_id))).await
}

async fn cancel(ctx: &Ctx, booking_id: i64) -> HandlerResult {
    let rules = &ctx.state.config.booking;
    match bookings::cancel_by_candidate(ctx.pool(), rules, ctx.candidate.id, booking_id, Utc::now()).await {
        Ok(b) => {
            ctx.reply(ctx.t.cancelled.to_owned(), None).await?;
            booking::send_calendar(ctx, &b, Method::Cancel).await;
            ctx.notify_admins(&b, true).await;
            Ok(())
        }
        Err(err) => match err.conflict_kind() {
            Some(ConflictKind::DeadlinePassed) => ctx.deadline_passed().await,
            Some(_) => ctx.stale().await,
            None if matches!(err, Error::NotFound { .. }) => ctx.stale().await,
            None => Err(err.into()),
        },
    }
}
