//! What a pass did, what it may do, and where it stands: the client's vocabulary.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::MIN_REQUEST_SPACING;
use super::pass::PassKind;
use crate::sources::cache::Stop;

/// What one call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassOutcome {
    /// A pass completed and the register was written.
    Completed {
        kind: PassKind,
        pages: usize,
        entries: usize,
        new_or_changed: usize,
        skipped: usize,
    },
    /// The index said the first page is unchanged (304): the register is current.
    Unchanged,
    /// No request: nothing is due yet (or, with `last_failure`, the last attempt failed
    /// less than two hours ago).
    NotDue {
        next_allowed: DateTime<Utc>,
        last_failure: Option<String>,
    },
    /// No request: the source or its host is stopped until the user retries.
    Stopped { since: Stop },
    /// The pass broke off; the pages fetched so far are kept for the next run, the last
    /// good register stays in use.
    Failed {
        message: String,
        stopped: bool,
        pages_kept: usize,
    },
}

impl PassOutcome {
    pub fn describe(&self) -> String {
        let when = |at: DateTime<Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
        match self {
            Self::Completed {
                kind,
                pages,
                entries,
                new_or_changed,
                skipped,
            } => {
                let skipped = if *skipped > 0 {
                    format!(", {skipped} unreadable results skipped")
                } else {
                    String::new()
                };
                format!(
                    "{} complete: {pages} pages, {new_or_changed} new or changed, \
                     {entries} objects in the register{skipped}",
                    kind.label()
                )
            }
            Self::Unchanged => "unchanged on the server (304), register kept".to_owned(),
            Self::NotDue {
                next_allowed,
                last_failure: None,
            } => format!(
                "the register is current (full pass weekly, incremental daily); next pass \
                 allowed at {}",
                when(*next_allowed)
            ),
            Self::NotDue {
                next_allowed,
                last_failure: Some(failure),
            } => format!(
                "the last attempt failed ({failure}); next request allowed at {}, or now \
                 with `orbitscope fetch --unoosa --retry`",
                when(*next_allowed)
            ),
            Self::Stopped { since } => format!(
                "stopped since {} after: {} (run `orbitscope fetch --unoosa --retry` to try \
                 again)",
                when(since.at),
                since.message
            ),
            Self::Failed {
                message,
                stopped,
                pages_kept,
            } => {
                let next = if *stopped {
                    "no further requests until `orbitscope fetch --unoosa --retry`"
                } else {
                    "the next run resumes"
                };
                format!(
                    "{message}; {pages_kept} pages fetched so far are kept and {next}; the \
                     last good register stays in use"
                )
            }
        }
    }

    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed { .. } | Self::Stopped { .. })
    }
}

/// Per-call choices, as for the other sources.
#[derive(Debug, Clone, Copy)]
pub struct PassOptions {
    /// Lifts a stop left by an error status and the two-hour wait after a failure.
    pub retry: bool,
    /// Take a full pass that holds under half the entries of the register it replaces.
    pub accept_smaller: bool,
    /// Spacing between requests; values under [`MIN_REQUEST_SPACING`] are raised to it.
    pub spacing: Duration,
}

impl Default for PassOptions {
    fn default() -> Self {
        Self {
            retry: false,
            accept_smaller: false,
            spacing: MIN_REQUEST_SPACING,
        }
    }
}

/// Where a pass stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassStatus {
    pub kind: PassKind,
    pub pages: usize,
    /// Pages in all, once the index has said how many results it holds.
    pub pages_expected: Option<usize>,
    pub entries: usize,
}
