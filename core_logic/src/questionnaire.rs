//! A vacancy's questionnaire: the questions a candidate answers before picking a time (full name,
//! phone, free text, one choice of several, yes/no), and each candidate's answers. Progress is
//! kept in the database after every answer, so a restart of the bot in the middle loses nothing;
//! a completed questionnaire is not asked again for the same vacancy. A vacancy without
//! questions completes its (empty) questionnaire at once, so "answered" is a funnel step for
//! every vacancy.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use sqlx::types::Json;

use crate::db::begin_write;
use crate::error::{Error, Result};
use crate::time::unix;

/// The most questions a vacancy may ask.
pub const MAX_QUESTIONS: usize = 20;
/// The longest question text.
pub const MAX_QUESTION_LEN: usize = 300;
/// The longest label of a choice (a button).
pub const MAX_OPTION_LEN: usize = 40;
/// The most options of a choice.
pub const MAX_OPTIONS: usize = 8;
/// The longest free-text answer.
pub const MAX_TEXT_ANSWER_LEN: usize = 500;
/// The longest full name.
pub const MAX_NAME_LEN: usize = 100;

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// The candidate's full name, offered prefilled from Telegram.
    FullName,
    /// A phone number: Telegram's "share contact" button, or typed and validated.
    Phone,
    /// Free text, up to [`MAX_TEXT_ANSWER_LEN`] characters.
    Text,
    /// One of `options`, as buttons.
    Choice,
    /// Yes or no, as buttons.
    YesNo,
}

/// One question of a vacancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub kind: QuestionKind,
    /// The question in Russian.
    pub text: String,
    /// The question for candidates whose Telegram is in English; the Russian text when absent.
    #[serde(default)]
    pub text_en: Option<String>,
    /// The choices of a `choice` question (2 to 8); empty for the other kinds.
    #[serde(default)]
    pub options: Vec<String>,
    /// Whether the candidate may skip it.
    #[serde(default)]
    pub optional: bool,
}

impl Question {
    /// The question's text in a language (`"en"` or anything else for Russian).
    pub fn text_in(&self, language: &str) -> &str {
        match (&self.text_en, language) {
            (Some(en), "en") if !en.trim().is_empty() => en,
            _ => &self.text,
        }
    }
}

/// Checks a vacancy's questions; the error names the question (1-based).
pub fn validate(questions: &[Question]) -> Result<()> {
    if questions.len() > MAX_QUESTIONS {
        return Err(Error::validation("questions", format!("at most {MAX_QUESTIONS} questions")));
    }
    for (i, q) in questions.iter().enumerate() {
        let n = i + 1;
        let len = q.text.trim().chars().count();
        if len == 0 || len > MAX_QUESTION_LEN {
            return Err(Error::validation(
                "questions",
                format!("question {n}: the text must be 1 to {MAX_QUESTION_LEN} characters"),
            ));
        }
        if q.text_en.as_deref().is_some_and(|t| t.chars().count() > MAX_QUESTION_LEN) {
            return Err(Error::validation(
                "questions",
                format!("question {n}: the English text must be at most {MAX_QUESTION_LEN} characters"),
            ));
        }
        match q.kind {
            QuestionKind::Choice => {
                if !(2..=MAX_OPTIONS).contains(&q.options.len()) {
                    return Err(Error::validation(
                        "questions",
                        format!("question {n}: a choice needs 2 to {MAX_OPTIONS} options"),
                    ));
                }
                for o in &q.options {
                    let len = o.trim().chars().count();
                    if len == 0 || len > MAX_OPTION_LEN {
                        return Err(Error::validation(
                            "questions",
                            format!("question {n}: each option must be 1 to {MAX_OPTION_LEN} characters"),
                        ));
                    }
                }
                let mut seen: Vec<String> = q.options.iter().map(|o| o.trim().to_lowercase()).collect();
                seen.sort();
                seen.dedup();
                if seen.len() != q.options.len() {
                    return Err(Error::validation("questions", format!("question {n}: the options repeat")));
                }
            }
            _ if !q.options.is_empty() => {
                return Err(Error::validation("questions", format!("question {n}: only a choice has options")));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The questions with their texts and options trimmed.
pub fn cleaned(questions: &[Question]) -> Vec<Question> {
    questions
        .iter()
        .map(|q| Question {
            kind: q.kind,
            text: q.text.trim().to_owned(),
            text_en: q.text_en.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned),
            options: q.options.iter().map(|o| o.trim().to_owned()).collect(),
            optional: q.optional,
        })
        .collect()
}

/// Why a typed answer was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Not a phone number.
    Phone,
    /// Empty, or longer than allowed.
    Length { max: usize },
    /// This question is answered with its buttons.
    UseButtons,
}

/// A phone number as `+<digits>`: 10 to 15 digits, spaces, dashes, dots and brackets allowed;
/// a Russian `8XXXXXXXXXX` or a bare ten digits become `+7XXXXXXXXXX`.
pub fn normalize_phone(input: &str) -> Option<String> {
    let input = input.trim();
    if input.is_empty() || !input.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        return None;
    }
    if input.chars().skip(1).any(|c| c == '+') {
        return None;
    }
    let digits: String = input.chars().filter(char::is_ascii_digit).collect();
    let plus = input.starts_with('+');
    let digits = match (plus, digits.len()) {
        (false, 11) if digits.starts_with('8') => format!("7{}", &digits[1..]),
        (false, 10) => format!("7{digits}"),
        _ => digits,
    };
    (10..=15).contains(&digits.len()).then(|| format!("+{digits}"))
}

/// Checks a typed answer to a question of `kind`, returning what is stored.
pub fn check_typed(kind: QuestionKind, input: &str) -> std::result::Result<String, Invalid> {
    let input = input.trim();
    let within = |max: usize| {
        let len = input.chars().count();
        if len == 0 || len > max { Err(Invalid::Length { max }) } else { Ok(input.to_owned()) }
    };
    match kind {
        QuestionKind::FullName => within(MAX_NAME_LEN),
        QuestionKind::Text => within(MAX_TEXT_ANSWER_LEN),
        QuestionKind::Phone => normalize_phone(input).ok_or(Invalid::Phone),
        QuestionKind::Choice | QuestionKind::YesNo => Err(Invalid::UseButtons),
    }
}

/// One answer, in the order asked. `answer` is `None` when the candidate skipped the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Answer {
    pub question: String,
    pub kind: QuestionKind,
    pub answer: Option<String>,
}

/// A candidate's questionnaire for a vacancy.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Progress {
    pub candidate_id: i64,
    pub vacancy_id: i64,
    pub answers: Json<Vec<Answer>>,
    /// The index of the next question.
    pub step: i64,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl Progress {
    pub fn is_complete(&self) -> bool {
        self.completed_at.is_some()
    }
}

/// The candidate's questionnaire for the vacancy, if begun.
pub async fn progress(pool: &SqlitePool, candidate_id: i64, vacancy_id: i64) -> Result<Option<Progress>> {
    Ok(sqlx::query_as("SELECT * FROM questionnaires WHERE candidate_id = ? AND vacancy_id = ?")
        .bind(candidate_id)
        .bind(vacancy_id)
        .fetch_optional(pool)
        .await?)
}

/// Begins the questionnaire (or returns the one begun). With no questions it is complete at once.
pub async fn begin(
    pool: &SqlitePool,
    candidate_id: i64,
    vacancy_id: i64,
    questions: usize,
    now: DateTime<Utc>,
) -> Result<Progress> {
    let mut tx = begin_write(pool).await?;
    sqlx::query(
        "INSERT OR IGNORE INTO questionnaires (candidate_id, vacancy_id, started_at, updated_at, completed_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(candidate_id)
    .bind(vacancy_id)
    .bind(unix(now))
    .bind(unix(now))
    .bind((questions == 0).then(|| unix(now)))
    .execute(&mut *tx)
    .await?;
    let progress = sqlx::query_as("SELECT * FROM questionnaires WHERE candidate_id = ? AND vacancy_id = ?")
        .bind(candidate_id)
        .bind(vacancy_id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(progress)
}

/// Records the answer to question `step` (of `total`), which must be the next one: a second
/// press of an old button, or a restart replaying an update, finds the step moved on and gets
/// `None`. The last answer completes the questionnaire.
pub async fn answer(
    pool: &SqlitePool,
    candidate_id: i64,
    vacancy_id: i64,
    step: i64,
    total: usize,
    answer: &Answer,
    now: DateTime<Utc>,
) -> Result<Option<Progress>> {
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let json = serde_json::to_string(answer).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    let mut tx = begin_write(pool).await?;
    let progress = sqlx::query_as(
        "UPDATE questionnaires
            SET answers = json_insert(answers, '$[#]', json(?)), step = step + 1, updated_at = ?,
                completed_at = CASE WHEN step + 1 >= ? THEN ? END
          WHERE candidate_id = ? AND vacancy_id = ? AND step = ? AND completed_at IS NULL
          RETURNING *",
    )
    .bind(json)
    .bind(unix(now))
    .bind(total)
    .bind(unix(now))
    .bind(candidate_id)
    .bind(vacancy_id)
    .bind(step)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(progress)
}

/// A candidate's completed answers for one vacancy, for the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VacancyAnswers {
    pub vacancy_id: i64,
    pub vacancy_title: String,
    #[schema(value_type = Vec<Answer>)]
    pub answers: Json<Vec<Answer>>,
    pub completed_at: Option<DateTime<Utc>>,
}

/// Every questionnaire the candidate began, newest first.
pub async fn of_candidate(pool: &SqlitePool, candidate_id: i64) -> Result<Vec<VacancyAnswers>> {
    Ok(sqlx::query_as(
        "SELECT q.vacancy_id, v.title AS vacancy_title, q.answers, q.completed_at
           FROM questionnaires q JOIN vacancies v ON v.id = q.vacancy_id
          WHERE q.candidate_id = ? ORDER BY q.started_at DESC, q.vacancy_id",
    )
    .bind(candidate_id)
    .fetch_all(pool)
    .await?)
}

/// The answers as one line ("Question: answer; ..."), for a list or a CSV cell.
pub fn summary(answers: &[Answer]) -> String {
    answers
        .iter()
        .filter_map(|a| a.answer.as_deref().map(|ans| format!("{}: {ans}", a.question)))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalized_or_refused() {
        assert_eq!(normalize_phone("+7 (912) 345-67-89").as_deref(), Some("+79123456789"));
        assert_eq!(normalize_phone("8 912 345 67 89").as_deref(), Some("+79123456789"));
        assert_eq!(normalize_phone("9123456789").as_deref(), Some("+79123456789"));
        assert_eq!(normalize_phone("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        for bad in ["", "12345", "телефон", "+7 912 abc", "7+9123456789", "+1234567890123456"] {
            assert_eq!(normalize_phone(bad), None, "{bad}");
        }
    }

    #[test]
    fn choices_need_distinct_options_and_others_none() {
        let q = |kind, options: &[&str]| Question {
            kind,
            text: "Вопрос".into(),
            text_en: None,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            optional: false,
        };
        assert!(validate(&[q(QuestionKind::Choice, &["Утро", "Вечер"])]).is_ok());
        assert!(validate(&[q(QuestionKind::Choice, &["Утро"])]).is_err());
        assert!(validate(&[q(QuestionKind::Choice, &["Утро", "утро"])]).is_err());
        assert!(validate(&[q(QuestionKind::Text, &["Утро", "Вечер"])]).is_err());
        assert!(validate(&[q(QuestionKind::YesNo, &[])]).is_ok());
    }
}
