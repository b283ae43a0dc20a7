//! Callback data of the inline buttons: a small typed enum encoded in well under Telegram's 64
//! bytes. The bot keeps no conversation state in memory: every step lives in the buttons and the
//! database, so a restart in the middle of a conversation changes nothing. Buttons are only
//! hints: every action is checked again against the database and the caller.

use chrono::NaiveDate;

/// What a button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callback {
    Menu,
    Help,
    Contact,
    /// The candidate's upcoming booking.
    My,
    /// Days with free places, `page` weeks ahead; `moving` is the booking being rescheduled.
    Days {
        page: u8,
        moving: Option<i64>,
    },
    /// Free times on a day.
    Day {
        date: NaiveDate,
        moving: Option<i64>,
    },
    /// A time was picked: ask to confirm.
    Pick {
        slot: i64,
        moving: Option<i64>,
    },
    /// Confirmed: book (or move the booking to) the slot.
    Confirm {
        slot: i64,
        moving: Option<i64>,
    },
    /// Ask whether to cancel the booking.
    AskCancel {
        booking: i64,
    },
    /// Cancel it.
    Cancel {
        booking: i64,
    },
    /// A broadcast's "Записаться": the day picker in a new message (the broadcast stays).
    Book,
    /// The answer to "will you come?" of a reminder.
    Coming {
        booking: i64,
        yes: bool,
    },
    /// The list of active vacancies to choose from.
    Vacancies,
    /// A vacancy was chosen: its questionnaire, then its days.
    Vacancy {
        vacancy: i64,
    },
    /// A vacancy's description, with the button to choose it.
    VacancyInfo {
        vacancy: i64,
    },
    /// A button answer to question `step` of a vacancy's questionnaire: the option's index
    /// (for a full name, 0 keeps the name offered; for yes/no, 0 is yes), or `None` to skip.
    Answer {
        vacancy: i64,
        step: u8,
        option: Option<u8>,
    },
    /// An interviewer's answer to "did the candidate come?".
    Came {
        booking: i64,
        yes: bool,
    },
    /// An interviewer's score of the candidate (1-5).
    Score {
        booking: i64,
        score: u8,
    },
    /// An interviewer skips the note.
    SkipNote {
        booking: i64,
    },
    /// The waitlist's preferences, as chosen so far (weekday bits from Monday, parts of the day
    /// bits: morning, afternoon, evening); pressing a toggle shows them again with it flipped.
    WaitPrefs {
        days: u8,
        parts: u8,
    },
    /// Join the waitlist with these preferences.
    Join {
        days: u8,
        parts: u8,
    },
    /// Leave the waitlist.
    Leave,
    /// The answer to a waitlist offer: take the seat, or not.
    Offer {
        offer: i64,
        take: bool,
    },
    /// Ask a recruiter to allow a booking (after too many no-shows).
    AskApproval,
}

fn mv(moving: Option<i64>) -> i64 {
    moving.unwrap_or(0)
}

fn moving(raw: &str) -> Option<Option<i64>> {
    let id: i64 = raw.parse().ok()?;
    match id {
        0 => Some(None),
        id if id > 0 => Some(Some(id)),
        _ => None,
    }
}

/// A bit set no wider than `mask`.
fn bits(raw: &str, mask: u8) -> Option<u8> {
    raw.parse::<u8>().ok().filter(|b| b & !mask == 0)
}

fn positive(raw: &str) -> Option<i64> {
    raw.parse().ok().filter(|id| *id > 0)
}

impl Callback {
    /// The compact form sent to Telegram.
    pub fn encode(self) -> String {
        match self {
            Self::Menu => "m".into(),
            Self::Help => "h".into(),
            Self::Contact => "c".into(),
            Self::My => "y".into(),
            Self::Book => "B".into(),
            Self::Days { page, moving } => format!("D:{page}:{}", mv(moving)),
            Self::Day { date, moving } => format!("d:{}:{}", date.format("%Y%m%d"), mv(moving)),
            Self::Pick { slot, moving } => format!("p:{slot}:{}", mv(moving)),
            Self::Confirm { slot, moving } => format!("k:{slot}:{}", mv(moving)),
            Self::AskCancel { booking } => format!("x:{booking}"),
            Self::Cancel { booking } => format!("X:{booking}"),
            Self::Coming { booking, yes } => format!("a:{booking}:{}", u8::from(yes)),
            Self::Vacancies => "V".into(),
            Self::Vacancy { vacancy } => format!("v:{vacancy}"),
            Self::VacancyInfo { vacancy } => format!("i:{vacancy}"),
            Self::Answer { vacancy, step, option: Some(o) } => format!("q:{vacancy}:{step}:{o}"),
            Self::Answer { vacancy, step, option: None } => format!("q:{vacancy}:{step}:s"),
            Self::Came { booking, yes } => format!("f:{booking}:{}", u8::from(yes)),
            Self::Score { booking, score } => format!("g:{booking}:{score}"),
            Self::SkipNote { booking } => format!("G:{booking}"),
            Self::WaitPrefs { days, parts } => format!("w:{days}:{parts}"),
            Self::Join { days, parts } => format!("W:{days}:{parts}"),
            Self::Leave => "L".into(),
            Self::Offer { offer, take } => format!("o:{offer}:{}", u8::from(take)),
            Self::AskApproval => "R".into(),
        }
    }

    /// Parses callback data; anything forged or from an old version is `None`.
    pub fn parse(data: &str) -> Option<Self> {
        let parts: Vec<&str> = data.split(':').collect();
        Some(match parts.as_slice() {
            ["m"] => Self::Menu,
            ["h"] => Self::Help,
            ["c"] => Self::Contact,
            ["y"] => Self::My,
            ["B"] => Self::Book,
            ["D", page, m] => Self::Days { page: page.parse().ok().filter(|p| *p < 60)?, moving: moving(m)? },
            ["d", date, m] => Self::Day { date: NaiveDate::parse_from_str(date, "%Y%m%d").ok()?, moving: moving(m)? },
            ["p", slot, m] => Self::Pick { slot: positive(slot)?, moving: moving(m)? },
            ["k", slot, m] => Self::Confirm { slot: positive(slot)?, moving: moving(m)? },
            ["x", b] => Self::AskCancel { booking: positive(b)? },
            ["X", b] => Self::Cancel { booking: positive(b)? },
            ["a", b, "1"] => Self::Coming { booking: positive(b)?, yes: true },
            ["a", b, "0"] => Self::Coming { booking: positive(b)?, yes: false },
            ["V"] => Self::Vacancies,
            ["v", v] => Self::Vacancy { vacancy: positive(v)? },
            ["i", v] => Self::VacancyInfo { vacancy: positive(v)? },
            ["f", b, "1"] => Self::Came { booking: positive(b)?, yes: true },
            ["f", b, "0"] => Self::Came { booking: positive(b)?, yes: false },
            ["g", b, n] => {
                Self::Score { booking: positive(b)?, score: n.parse().ok().filter(|n| (1..=5).contains(n))? }
            }
            ["G", b] => Self::SkipNote { booking: positive(b)? },
            ["q", v, step, "s"] => Self::Answer { vacancy: positive(v)?, step: step.parse().ok()?, option: None },
            ["q", v, step, o] => {
                Self::Answer { vacancy: positive(v)?, step: step.parse().ok()?, option: Some(o.parse().ok()?) }
            }
            ["w", d, p] => Self::WaitPrefs { days: bits(d, 0x7f)?, parts: bits(p, 0x07)? },
            ["W", d, p] => Self::Join { days: bits(d, 0x7f)?, parts: bits(p, 0x07)? },
            ["L"] => Self::Leave,
            ["o", o, "1"] => Self::Offer { offer: positive(o)?, take: true },
            ["o", o, "0"] => Self::Offer { offer: positive(o)?, take: false },
            ["R"] => Self::AskApproval,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_callback_round_trips_within_64_bytes() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let big = i64::MAX;
        for cb in [
            Callback::Menu,
            Callback::Help,
            Callback::Contact,
            Callback::My,
            Callback::Book,
            Callback::Days { page: 3, moving: Some(big) },
            Callback::Day { date, moving: None },
            Callback::Pick { slot: big, moving: Some(big) },
            Callback::Confirm { slot: big, moving: Some(big) },
            Callback::AskCancel { booking: big },
            Callback::Cancel { booking: 7 },
            Callback::Coming { booking: big, yes: false },
            Callback::Vacancies,
            Callback::Vacancy { vacancy: big },
            Callback::VacancyInfo { vacancy: 3 },
            Callback::Answer { vacancy: big, step: 19, option: Some(7) },
            Callback::Answer { vacancy: 2, step: 0, option: None },
            Callback::Came { booking: big, yes: true },
            Callback::Score { booking: big, score: 5 },
            Callback::SkipNote { booking: 1 },
            Callback::WaitPrefs { days: 127, parts: 7 },
            Callback::Join { days: 0, parts: 0 },
            Callback::Leave,
            Callback::Offer { offer: big, take: true },
            Callback::Offer { offer: 1, take: false },
            Callback::AskApproval,
        ] {
            let data = cb.encode();
            assert!(data.len() <= 64, "{data}");
            assert_eq!(Callback::parse(&data), Some(cb), "{data}");
        }
    }

    #[test]
    fn forged_or_malformed_data_is_rejected() {
        for bad in [
            "",
            "z",
            "p:abc:0",
            "p:-5:0",
            "p:0:0",
            "k:1:-1",
            "d:20261332:0",
            "a:1:2",
            "D:99:0",
            "x:1:2",
            "X",
            "B:1",
            "b",
            "v:0",
            "v:x",
            "i",
            "q:1:300:0",
            "q:1:0:x",
            "q:-1:0:s",
            "g:1:6",
            "g:1:0",
            "f:1:2",
            "w:128:0",
            "w:0:8",
            "W:-1:0",
            "o:1:2",
            "o:0:1",
            "L:1",
        ] {
            assert_eq!(Callback::parse(bad), None, "{bad}");
        }
    }
}
