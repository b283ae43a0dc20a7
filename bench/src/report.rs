//! The figures of a run: each measure's system figure beside its bare ceiling, medians of the
//! runs, printed as a Markdown table (ready for docs/benchmarks.md).

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub measure: String,
    /// The system's figure, formatted with its unit.
    pub system: String,
    /// The bare ceiling (or the limit to reach), formatted.
    pub ceiling: String,
    /// system / ceiling, when both are numbers of one kind.
    pub ratio: Option<f64>,
    /// What the issue asks for.
    pub target: String,
}

impl Row {
    pub fn new(measure: impl Into<String>, system: impl Into<String>, ceiling: impl Into<String>) -> Self {
        Self {
            measure: measure.into(),
            system: system.into(),
            ceiling: ceiling.into(),
            ratio: None,
            target: String::new(),
        }
    }

    #[must_use]
    pub fn ratio(mut self, ratio: f64) -> Self {
        self.ratio = Some(ratio);
        self
    }

    #[must_use]
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = target.into();
        self
    }
}

/// The median of some figures (the middle one; the mean of the two middle ones if even).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if !sorted.len().is_multiple_of(2) { sorted[mid] } else { f64::midpoint(sorted[mid - 1], sorted[mid]) }
}

/// `1,234` style thousands for a rate.
pub fn count(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    let whole = value.round() as i64;
    let digits = whole.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if whole < 0 { format!("-{out}") } else { out }
}

/// The runs of one figure, as "median (min-max)".
pub fn spread(values: &[f64], unit: &str, fmt: fn(f64) -> String) -> String {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.len() < 2 {
        return format!("{} {unit}", fmt(median(values)));
    }
    format!("{} {unit} ({}-{})", fmt(median(values)), fmt(lo), fmt(hi))
}

/// Milliseconds with two decimals.
pub fn ms(value: f64) -> String {
    format!("{value:.2}")
}

/// One decimal.
pub fn one(value: f64) -> String {
    format!("{value:.1}")
}

/// Prints the table.
pub fn print(rows: &[Row]) {
    println!();
    println!("| measure | system | ceiling | ratio | target (issue 11) |");
    println!("| --- | --- | --- | --- | --- |");
    for row in rows {
        let ratio = row.ratio.map_or_else(|| "-".to_owned(), |r| format!("{r:.2}"));
        println!("| {} | {} | {} | {ratio} | {} |", row.measure, row.system, row.ceiling, row.target);
    }
}
