//! Per-record problems: every parser returns its good records plus one issue per record it
//! skipped (or accepted with a caveat), naming the file, the line or record, and the field.

use std::fmt;

/// Where in a source a record sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordLocation {
    /// The whole file (e.g. it is empty or not text).
    File,
    /// A 1-based line number in a line-oriented file (TLE, CSV, TSV, KVN).
    Line(usize),
    /// A 1-based record index in a structured file (JSON array, XML).
    Record(usize),
}

impl fmt::Display for RecordLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File => Ok(()),
            Self::Line(line) => write!(f, ":{line}"),
            Self::Record(index) => write!(f, " record {index}"),
        }
    }
}

/// One problem with one record.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordIssue {
    /// File path or URL the record came from.
    pub source: String,
    pub location: RecordLocation,
    /// The NORAD catalog number, when it could be read before the problem.
    pub norad_id: Option<u64>,
    /// The field at fault (column name or TLE field), when there is one.
    pub field: Option<String>,
    pub message: String,
    /// True when the record was dropped; false for a caveat on a record that was kept.
    pub skipped: bool,
    /// True when the reader could not go on from here (the file is not of this format, or is
    /// cut off): such an issue stands for the source, not for one record.
    pub fatal: bool,
}

impl RecordIssue {
    pub fn skipped(source: &str, location: RecordLocation, message: impl Into<String>) -> Self {
        Self {
            source: source.to_owned(),
            location,
            norad_id: None,
            field: None,
            message: message.into(),
            skipped: true,
            fatal: false,
        }
    }

    pub fn whole_file(source: &str, message: impl Into<String>) -> Self {
        Self::skipped(source, RecordLocation::File, message).fatal()
    }

    /// Marks the issue as one that stopped the reader (see [`RecordIssue::fatal`]).
    pub fn fatal(mut self) -> Self {
        self.fatal = true;
        self
    }

    /// True for an issue that stands for one skipped record.
    pub fn skips_a_record(&self) -> bool {
        self.skipped && !self.fatal
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_norad(mut self, norad_id: Option<u64>) -> Self {
        self.norad_id = norad_id;
        self
    }

    /// Marks the record as kept: the issue is a caveat, not a loss.
    pub fn kept(mut self) -> Self {
        self.skipped = false;
        self
    }
}

impl fmt::Display for RecordIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.source, self.location)?;
        if let Some(norad) = self.norad_id {
            write!(f, " (NORAD {norad})")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field {field}")?;
        }
        write!(f, ": {}", self.message)?;
        if !self.skipped {
            f.write_str(" (record kept)")?;
        }
        Ok(())
    }
}

impl std::error::Error for RecordIssue {}

/// The outcome of parsing one source: what could be read and what could not.
///
/// Accounting: every record a reader comes across is counted in `read` the moment it is met,
/// and then ends up either in `records` or as exactly one issue that skips it, so that
/// `read == records.len() + skipped_count()` ([`Parsed::accounting_error`] checks it).
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    pub records: Vec<T>,
    pub issues: Vec<RecordIssue>,
    /// Records met in the source, good or bad.
    pub read: usize,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Self {
            records: Vec::new(),
            issues: Vec::new(),
            read: 0,
        }
    }
}

impl<T> Parsed<T> {
    /// A source that yielded nothing, for one reason that stopped the reader.
    pub fn failed(issue: RecordIssue) -> Self {
        Self {
            records: Vec::new(),
            issues: vec![issue.fatal()],
            read: 0,
        }
    }

    /// Adds caveats found before reading (e.g. while decoding the text), first.
    pub(crate) fn with_caveats(mut self, mut caveats: Vec<RecordIssue>) -> Self {
        if !caveats.is_empty() {
            caveats.append(&mut self.issues);
            self.issues = caveats;
        }
        self
    }

    /// Records skipped with a reason (issues that stopped the reader are not records).
    pub fn skipped_count(&self) -> usize {
        self.issues
            .iter()
            .filter(|issue| issue.skips_a_record())
            .count()
    }

    /// Caveats on records that were kept.
    pub fn caveat_count(&self) -> usize {
        self.issues.iter().filter(|issue| !issue.skipped).count()
    }

    /// The first issue that stopped the reader, if any.
    pub fn fatal_issue(&self) -> Option<&RecordIssue> {
        self.issues.iter().find(|issue| issue.fatal)
    }

    /// Says how the accounting invariant fails, if it does: a record met but neither kept nor
    /// skipped with a reason, or a reason without a record.
    pub fn accounting_error(&self) -> Option<String> {
        let accounted = self.records.len() + self.skipped_count();
        (accounted != self.read).then(|| {
            format!(
                "{} records met, but {} kept + {} skipped with a reason",
                self.read,
                self.records.len(),
                self.skipped_count()
            )
        })
    }
}
