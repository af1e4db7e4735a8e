//! The bookkeeping of a pass through the UN index, without I/O: which pass is due, the pages
//! fetched so far (saved after every page, so a killed pass resumes), and how a pass's
//! entries become the register.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::catalog::unoosa_index::{RegisterEntry, UnRegister};

/// A full pass at most once a week.
pub const FULL_PASS_EVERY: TimeDelta = TimeDelta::days(7);
/// An incremental pass at most once a day.
pub const INCREMENTAL_PASS_EVERY: TimeDelta = TimeDelta::days(1);

/// Which pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PassKind {
    /// Every page; the result replaces the register.
    Full,
    /// Newest launches first, until a page brings nothing new or changed; merged into the
    /// register.
    Incremental,
}

impl PassKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Full => "full pass",
            Self::Incremental => "incremental pass",
        }
    }
}

/// What the schedule allows now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Start (or resume) a pass of this kind.
    Pass(PassKind),
    /// Nothing is due before this instant.
    NotBefore(DateTime<Utc>),
}

/// Which pass is due, given the register held (if any) and a pass left unfinished (if any).
/// An unfinished pass resumes whatever the schedule says: it is the due pass, continued. A
/// clock that went backwards does not hold passes back forever.
pub fn due_pass(
    now: DateTime<Utc>,
    register: Option<&UnRegister>,
    unfinished: Option<&PassProgress>,
) -> Due {
    if let Some(unfinished) = unfinished.filter(|pass| pass.resumable(now, register.is_some())) {
        return Due::Pass(unfinished.kind);
    }
    let Some(register) = register else {
        return Due::Pass(PassKind::Full);
    };
    let elapsed = |since: DateTime<Utc>| (now >= since).then(|| now - since);
    let full_due = elapsed(register.full_pass_at).is_none_or(|age| age >= FULL_PASS_EVERY);
    if full_due {
        return Due::Pass(PassKind::Full);
    }
    let incremental_due =
        elapsed(register.updated_at).is_none_or(|age| age >= INCREMENTAL_PASS_EVERY);
    if incremental_due {
        return Due::Pass(PassKind::Incremental);
    }
    Due::NotBefore(
        (register.updated_at + INCREMENTAL_PASS_EVERY).min(register.full_pass_at + FULL_PASS_EVERY),
    )
}

/// A pass in progress, as saved after every page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassProgress {
    pub kind: PassKind,
    pub started_at: DateTime<Utc>,
    /// The `startAt` of the next page to ask for.
    pub next_start_at: usize,
    pub pages: usize,
    /// The largest total the index reported during the pass: a full pass is complete only
    /// once it has read that many results.
    pub found: Option<usize>,
    /// Results the reader could not use, and the first such problem.
    pub skipped: usize,
    pub first_problem: Option<String>,
    /// Validators of the first page, kept for the next incremental pass.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Entries so far, newest launches first, each once.
    pub entries: Vec<RegisterEntry>,
    /// The content of every page read so far (see [`Self::note_page`]).
    #[serde(default)]
    pub page_fingerprints: HashSet<String>,
}

impl PassProgress {
    pub fn new(kind: PassKind, now: DateTime<Utc>) -> Self {
        Self {
            kind,
            started_at: now,
            next_start_at: 0,
            pages: 0,
            found: None,
            skipped: 0,
            first_problem: None,
            etag: None,
            last_modified: None,
            entries: Vec::new(),
            page_fingerprints: HashSet::new(),
        }
    }

    /// Adds a page's entries. An entry already met in this pass, identical in every field
    /// (the index shifts when objects are added while a pass runs, so pages overlap), is not
    /// repeated; entries that merely share a key are all kept (a launch-level designator such
    /// as `2024-199*` with no national designator stands for many distinct rows). Returns how
    /// many entries are not in `known` (the register before the pass) as they are.
    pub fn add_page(
        &mut self,
        entries: Vec<RegisterEntry>,
        known: &HashSet<&RegisterEntry>,
    ) -> usize {
        let mut seen: HashSet<RegisterEntry> = self.entries.iter().cloned().collect();
        let mut news = 0;
        for entry in entries {
            news += usize::from(!known.contains(&entry));
            if !seen.contains(&entry) {
                seen.insert(entry.clone());
                self.entries.push(entry);
            }
        }
        news
    }

    /// Notes a page's content (its fingerprint); false when a page with the very same content
    /// was already read in this pass: the server answering the same results again whatever
    /// the `startAt` asked for.
    pub fn note_page(&mut self, fingerprint: String) -> bool {
        self.page_fingerprints.insert(fingerprint)
    }

    /// Whether this unfinished pass may still be resumed at `now`: not once it is older than
    /// its own interval (launches added since would sit above the page it stopped at), and an
    /// incremental pass only onto a register (alone it is a fragment, not a register).
    pub fn resumable(&self, now: DateTime<Utc>, have_register: bool) -> bool {
        let age = now - self.started_at;
        match self.kind {
            PassKind::Full => age < FULL_PASS_EVERY,
            PassKind::Incremental => have_register && age < INCREMENTAL_PASS_EVERY,
        }
    }

    /// Pages the pass will take in all, where the index said how many results it has.
    pub fn pages_expected(&self, page_size: usize) -> Option<usize> {
        self.found.map(|found| found.div_ceil(page_size.max(1)))
    }
}

/// The register a completed pass leaves: a full pass's entries replace the register; an
/// incremental pass's replace the entries with the same key and put new ones first.
pub fn assemble(
    progress: PassProgress,
    previous: Option<UnRegister>,
    source: &str,
    now: DateTime<Utc>,
) -> UnRegister {
    let found = progress.found.unwrap_or(progress.entries.len());
    match (progress.kind, previous) {
        (PassKind::Incremental, Some(previous)) => {
            let fresh: HashMap<String, ()> =
                progress.entries.iter().map(|e| (e.key(), ())).collect();
            let mut entries = progress.entries;
            entries.extend(
                previous
                    .entries
                    .into_iter()
                    .filter(|entry| !fresh.contains_key(&entry.key())),
            );
            UnRegister {
                format: UnRegister::FORMAT.to_owned(),
                source: source.to_owned(),
                full_pass_at: previous.full_pass_at,
                updated_at: now,
                found,
                entries,
            }
        }
        // A full pass, or an incremental one with no register to merge into.
        _ => UnRegister {
            format: UnRegister::FORMAT.to_owned(),
            source: source.to_owned(),
            full_pass_at: now,
            updated_at: now,
            found,
            entries: progress.entries,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(cospar: &str, name: &str) -> RegisterEntry {
        RegisterEntry {
            cospar_id: Some(cospar.into()),
            name: Some(name.into()),
            registered: Some(true),
            ..RegisterEntry::default()
        }
    }

    fn register(full_days_ago: i64, updated_days_ago: i64, now: DateTime<Utc>) -> UnRegister {
        UnRegister {
            format: UnRegister::FORMAT.into(),
            source: "s".into(),
            full_pass_at: now - TimeDelta::days(full_days_ago),
            updated_at: now - TimeDelta::days(updated_days_ago),
            found: 1,
            entries: vec![entry("2000-001A", "A")],
        }
    }

    #[test]
    fn the_schedule_is_weekly_full_and_daily_incremental() {
        let now = Utc::now();
        assert_eq!(due_pass(now, None, None), Due::Pass(PassKind::Full));
        assert_eq!(
            due_pass(now, Some(&register(8, 8, now)), None),
            Due::Pass(PassKind::Full)
        );
        assert_eq!(
            due_pass(now, Some(&register(3, 2, now)), None),
            Due::Pass(PassKind::Incremental)
        );
        let fresh = register(3, 0, now);
        assert_eq!(
            due_pass(now, Some(&fresh), None),
            Due::NotBefore(fresh.updated_at + INCREMENTAL_PASS_EVERY)
        );
        let unfinished = PassProgress::new(PassKind::Incremental, now);
        assert_eq!(
            due_pass(now, Some(&fresh), Some(&unfinished)),
            Due::Pass(PassKind::Incremental),
            "an unfinished pass resumes"
        );
        let mut stale = unfinished.clone();
        stale.started_at = now - TimeDelta::days(2);
        assert_eq!(
            due_pass(now, Some(&fresh), Some(&stale)),
            Due::NotBefore(fresh.updated_at + INCREMENTAL_PASS_EVERY),
            "a day-old incremental pass is dropped, not resumed"
        );
        assert_eq!(
            due_pass(now, None, Some(&unfinished)),
            Due::Pass(PassKind::Full),
            "an incremental pass with no register to merge into gives way to a full one"
        );
        let from_the_future = register(-3, -3, now);
        assert_eq!(
            due_pass(now, Some(&from_the_future), None),
            Due::Pass(PassKind::Full)
        );
    }

    #[test]
    fn overlapping_pages_do_not_repeat_entries_and_news_are_counted() {
        let now = Utc::now();
        let old = register(1, 1, now);
        let known: HashSet<&RegisterEntry> = old.entries.iter().collect();
        let mut pass = PassProgress::new(PassKind::Incremental, now);
        assert_eq!(
            pass.add_page(
                vec![entry("2001-001A", "B"), entry("2000-001A", "A")],
                &known
            ),
            1
        );
        assert_eq!(pass.add_page(vec![entry("2000-001A", "A")], &known), 0);
        assert_eq!(pass.entries.len(), 2);
        assert_eq!(pass.add_page(vec![entry("2000-001A", "A2")], &known), 1);
        assert_eq!(
            pass.entries.len(),
            3,
            "a different row under the same key is kept"
        );
    }

    #[test]
    fn distinct_rows_that_share_a_launch_level_key_are_all_kept() {
        let now = Utc::now();
        let known = HashSet::new();
        let mut pass = PassProgress::new(PassKind::Full, now);
        // One launch, 41 rows, no national designators: one key, 41 objects.
        let rows: Vec<RegisterEntry> = (0..41)
            .map(|n| entry("2024-199*", &format!("SATELLITE {n}")))
            .collect();
        assert!(rows.windows(2).all(|pair| pair[0].key() == pair[1].key()));
        for page in rows.chunks(15) {
            assert_eq!(pass.add_page(page.to_vec(), &known), page.len());
        }
        assert_eq!(pass.entries.len(), 41);
        assert!(pass.note_page("first".into()));
        assert!(pass.note_page("second".into()));
        assert!(!pass.note_page("first".into()), "the same content again");
    }

    #[test]
    fn incremental_passes_merge_and_full_passes_replace() {
        let now = Utc::now();
        let mut old = register(3, 1, now);
        old.entries.push(entry("1999-001A", "OLD"));
        let mut pass = PassProgress::new(PassKind::Incremental, now);
        pass.entries = vec![entry("2001-001A", "NEW"), entry("2000-001A", "CHANGED")];
        let merged = assemble(pass.clone(), Some(old.clone()), "s", now);
        let names: Vec<_> = merged
            .entries
            .iter()
            .map(|e| e.name.clone().unwrap())
            .collect();
        assert_eq!(names, ["NEW", "CHANGED", "OLD"]);
        assert_eq!(merged.full_pass_at, old.full_pass_at);
        assert_eq!(merged.updated_at, now);
        pass.kind = PassKind::Full;
        let replaced = assemble(pass, Some(old), "s", now);
        assert_eq!(replaced.entries.len(), 2);
        assert_eq!(replaced.full_pass_at, now);
    }
}
