//! The waitlist (issue 15): joining with preferred days and parts of the day when no time
//! suits, the place in the list and leaving it, the answer to an offer (take the held seat or
//! let the next have it), and asking a recruiter's approval to book after too many no-shows.

use chrono::Utc;
use core_logic::approvals::{self, Asked};
use core_logic::waitlist::{self, Place, Preferences};
use core_logic::{ConflictKind, Error};
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::{Ctx, HandlerResult, booking, my_booking};
use crate::callback::Callback;
use crate::keyboards;
use crate::texts::fill;

/// The waitlist's buttons.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|cb: Callback| {
        matches!(
            cb,
            Callback::WaitPrefs { .. }
                | Callback::Join { .. }
                | Callback::Leave
                | Callback::Offer { .. }
                | Callback::AskApproval
        )
    })
    .endpoint(|ctx: Ctx, cb: Callback| async move {
        match cb {
            Callback::WaitPrefs { days, parts } => prefs(&ctx, days, parts).await,
            Callback::Join { days, parts } => join(&ctx, Preferences::new(days, parts)).await,
            Callback::Leave => leave(&ctx).await,
            Callback::Offer { offer, take: true } => take(&ctx, offer).await,
            Callback::Offer { offer, take: false } => decline(&ctx, offer).await,
            Callback::AskApproval => ask_approval(&ctx).await,
            // Another flow's button: the filter above lets only these through.
            _ => Ok(()),
        }
    })
}

/// The preferences as ticked so far.
async fn prefs(ctx: &Ctx, days: u8, parts: u8) -> HandlerResult {
    if ctx.refuse_blocked().await? || refuse_without_approval(ctx).await? {
        return Ok(());
    }
    ctx.reply(ctx.t.wait_prefs.to_owned(), Some(keyboards::wait_prefs(ctx.t, days, parts))).await
}

async fn join(ctx: &Ctx, prefs: Preferences) -> HandlerResult {
    if ctx.refuse_blocked().await? {
        return Ok(());
    }
    let rules = &ctx.state.config.booking;
    match waitlist::join(ctx.pool(), rules, ctx.candidate.id, prefs, Utc::now()).await {
        Ok(place) => {
            let hold = (rules.waitlist.hold.as_secs() / 60).max(1).to_string();
            let text = fill(
                ctx.t.wait_joined,
                &[&place.position.to_string(), &ctx.t.preferences(place.entry.preferences()), &hold],
            );
            ctx.reply(text, Some(keyboards::leave_waitlist(ctx.t))).await
        }
        Err(err) => match err.conflict_kind() {
            Some(ConflictKind::ApprovalRequired) => refuse_without_approval(ctx).await.map(drop),
            Some(ConflictKind::BookingLimitReached) => my_booking::show_my(ctx).await,
            _ => Err(err.into()),
        },
    }
}

async fn leave(ctx: &Ctx) -> HandlerResult {
    waitlist::leave(ctx.pool(), &ctx.state.config.booking, ctx.candidate.id, Utc::now()).await?;
    ctx.reply(ctx.t.wait_left.to_owned(), Some(keyboards::book_again(ctx.t))).await
}

/// "Take it": the held seat is booked, answered as any booking (the confirmation, the calendar
/// file, the admins told).
async fn take(ctx: &Ctx, offer: i64) -> HandlerResult {
    let rules = &ctx.state.config.booking;
    match waitlist::accept(ctx.pool(), rules, ctx.candidate.id, offer, Utc::now()).await {
        Ok(booked) => booking::booked(ctx, &booked, false).await,
        Err(Error::NotFound { .. }) => ctx.stale().await,
        Err(err) => match err.conflict_kind() {
            Some(ConflictKind::BookingLimitReached) => my_booking::show_my(ctx).await,
            Some(ConflictKind::ApprovalRequired) => refuse_without_approval(ctx).await.map(drop),
            Some(_) => ctx.reply(ctx.t.offer_gone.to_owned(), None).await,
            None => Err(err.into()),
        },
    }
}

async fn decline(ctx: &Ctx, offer: i64) -> HandlerResult {
    let rules = &ctx.state.config.booking;
    match waitlist::decline(ctx.pool(), rules, ctx.candidate.id, offer, Utc::now()).await {
        Ok(_) => ctx.reply(ctx.t.offer_declined.to_owned(), Some(keyboards::leave_waitlist(ctx.t))).await,
        Err(Error::NotFound { .. }) => ctx.stale().await,
        Err(err) if err.conflict_kind().is_some() => ctx.reply(ctx.t.offer_gone.to_owned(), None).await,
        Err(err) => Err(err.into()),
    }
}

async fn ask_approval(ctx: &Ctx) -> HandlerResult {
    let rules = &ctx.state.config.booking;
    match approvals::request(ctx.pool(), rules, ctx.candidate.id, Utc::now()).await? {
        Asked::Requested(no_shows) => {
            ctx.reply(ctx.t.approval_requested.to_owned(), None).await?;
            ctx.notify_admins_of_request(no_shows).await;
            Ok(())
        }
        Asked::AlreadyWaiting => ctx.reply(ctx.t.approval_waiting.to_owned(), None).await,
        Asked::NotNeeded => booking::show_days(ctx, 0, None).await,
    }
}

/// A candidate over the no-show limit without an approval is told so, with the button to ask.
/// True when so.
pub(super) async fn refuse_without_approval(ctx: &Ctx) -> anyhow::Result<bool> {
    let rules = &ctx.state.config.booking;
    let Some(no_shows) = approvals::needs_approval_now(ctx.pool(), rules, ctx.candidate.id).await? else {
        return Ok(false);
    };
    ctx.reply(fill(ctx.t.approval_needed, &[&no_shows.to_string()]), Some(keyboards::ask_approval(ctx.t))).await?;
    Ok(true)
}

/// The candidate's place in the list with the button to leave it; an offer waiting for their
/// answer is shown again with its buttons. False when they do not wait.
pub(super) async fn show_place(ctx: &Ctx) -> anyhow::Result<bool> {
    let Some(Place { entry, position, offer }) = waitlist::place(ctx.pool(), ctx.candidate.id).await? else {
        return Ok(false);
    };
    let t = ctx.t;
    let text = fill(t.wait_place, &[&position.to_string(), &t.preferences(entry.preferences())]);
    ctx.reply(text, Some(keyboards::leave_waitlist(t))).await?;
    if let Some(offer) = offer {
        let s = core_logic::slots::get(ctx.pool(), offer.slot_id).await?.slot;
        let details = t.interview(s.starts_at, ctx.tz(), s.duration_minutes, &s.format, s.location.as_deref());
        let until = offer.expires_at.with_timezone(&ctx.tz()).format("%H:%M").to_string();
        ctx.in_new_message().reply(fill(t.offer, &[&details, &until]), Some(keyboards::offer(t, offer.id))).await?;
    }
    Ok(true)
}
