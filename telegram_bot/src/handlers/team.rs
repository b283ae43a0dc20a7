//! The team's side of the bot: an interviewer's answers after an interview (did the candidate
//! come, a 1-5 score, a short note), which land on the candidate's card. The caller must be the
//! team account linked to this Telegram account and an interviewer of that booking's slot
//! (checked in `core_logic::team` against the feedback row asked of them).

use chrono::Utc;
use core_logic::team;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;

use super::{Ctx, HandlerResult, Incoming};
use crate::callback::Callback;
use crate::keyboards;

/// The feedback buttons.
pub(super) fn buttons() -> UpdateHandler<anyhow::Error> {
    dptree::filter(|cb: Callback| {
        matches!(cb, Callback::Came { .. } | Callback::Score { .. } | Callback::SkipNote { .. })
    })
    .endpoint(|ctx: Ctx, cb: Callback| async move {
        let Some(account) = team::account_of(ctx.pool(), ctx.candidate.id).await? else { return ctx.stale().await };
        let (t, now) = (ctx.t, Utc::now());
        match cb {
            Callback::Came { booking, yes } => {
                match team::answer_attendance(ctx.pool(), account.id, booking, yes, now).await {
                    Ok(_) => {
                        let text = format!(
                            "{}\n\n<b>{}</b>",
                            t.team_score_question,
                            if yes { t.team_came } else { t.team_not_came }
                        );
                        ctx.reply(text, Some(keyboards::score(booking))).await
                    }
                    Err(_) => ctx.stale().await,
                }
            }
            Callback::Score { booking, score } => {
                match team::answer_score(ctx.pool(), account.id, booking, i64::from(score), now).await {
                    Ok(_) => {
                        let text = format!("{}\n\n<b>{score}</b>\n\n{}", t.team_score_question, t.team_note_question);
                        ctx.reply(text, Some(keyboards::skip_note(t, booking))).await
                    }
                    Err(_) => ctx.stale().await,
                }
            }
            Callback::SkipNote { booking } => match team::answer_note(ctx.pool(), account.id, booking, None, now).await
            {
                Ok(_) => ctx.reply(t.team_feedback_saved.to_owned(), None).await,
                Err(_) => ctx.stale().await,
            },
            // Another flow's button: the filter above lets only these through.
            _ => Ok(()),
        }
    })
}

/// A note typed while a feedback waits for one.
pub(super) fn messages() -> UpdateHandler<anyhow::Error> {
    dptree::filter_map_async(|ctx: Ctx, m: Incoming| async move {
        if m.text().is_empty() || m.is_any_command() {
            return None;
        }
        let account = team::account_of(ctx.pool(), ctx.candidate.id).await.ok().flatten()?;
        let booking = team::waiting_for_note(ctx.pool(), account.id).await.ok().flatten()?;
        Some((account.id, booking))
    })
    .endpoint(|ctx: Ctx, m: Incoming, (admin_id, booking): (i64, i64)| async move {
        note(&ctx, &m, admin_id, booking).await
    })
}

async fn note(ctx: &Ctx, m: &Incoming, admin_id: i64, booking: i64) -> HandlerResult {
    match team::answer_note(ctx.pool(), admin_id, booking, Some(m.text()), Utc::now()).await {
        Ok(_) => ctx.send_with_menu(ctx.t.team_feedback_saved).await,
        Err(core_logic::Error::Validation { .. }) => {
            let limit = team::MAX_NOTE_LEN.to_string();
            ctx.send(crate::texts::fill(ctx.t.invalid_length, &[&limit]), keyboards::skip_note(ctx.t, booking).into())
                .await
        }
        Err(_) => ctx.stale().await,
    }
}
