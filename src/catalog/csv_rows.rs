//! The CSV reading that the OMM, SATCAT and UNOOSA readers share: the header, then each data
//! row with its 1-based line number. Unreadable rows and rows of the wrong width are reported
//! once, here, and skipped; blank rows are ignored.

use super::{LineCounter, RecordIssue, RecordLocation, count_line_ends};

/// A CSV text with its header read.
pub(crate) struct CsvRows<'a> {
    reader: csv::Reader<&'a [u8]>,
    lines: LineCounter<'a>,
    /// The text the reader reads (the whole file, or one part of it).
    text: &'a str,
    source: &'a str,
    /// Header names, trimmed.
    pub columns: Vec<String>,
}

impl<'a> CsvRows<'a> {
    /// Reads the header; an unreadable one is a whole-file issue.
    pub(crate) fn open(text: &'a str, source: &'a str) -> Result<Self, RecordIssue> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let columns = reader
            .headers()
            .map_err(|error| {
                RecordIssue::whole_file(source, format!("unreadable CSV header: {error}"))
            })?
            .iter()
            .map(|name| name.trim().to_owned())
            .collect();
        Ok(Self {
            reader,
            lines: LineCounter::new(text),
            text,
            source,
            columns,
        })
    }

    /// The data rows as up to `parts` runs of whole lines that read on their own (same
    /// header, line numbers continuing), in order, so that a large file can be read on every
    /// core. A text with quoted fields stays whole: a quoted field may span lines, and only a
    /// reader from the top knows where it ends. Small texts stay whole too.
    pub(crate) fn into_parts(self, parts: usize) -> Vec<Self> {
        const MIN_PART_BYTES: usize = 256 * 1024;
        let start = usize::try_from(self.reader.position().byte()).unwrap_or(usize::MAX);
        let Some(data) = self.text.get(start..) else {
            return vec![self];
        };
        let parts = parts.min(data.len() / MIN_PART_BYTES);
        if parts < 2 || data.as_bytes().contains(&b'"') {
            return vec![self];
        }
        let header_lines = 1 + count_line_ends(&self.text.as_bytes()[..start]);
        let mut split = Vec::with_capacity(parts);
        let (mut rest, mut line) = (data, header_lines);
        for part in (1..=parts).rev() {
            // Cut after the first line end past an even share of what is left.
            let cut = if part == 1 {
                rest.len()
            } else {
                let share = rest.len() / part;
                memchr::memchr(b'\n', &rest.as_bytes()[share..])
                    .map_or(rest.len(), |newline| share + newline + 1)
            };
            let (piece, after) = rest.split_at(cut);
            split.push(Self {
                reader: csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(false)
                    .from_reader(piece.as_bytes()),
                lines: LineCounter::starting_at(piece, line),
                text: piece,
                source: self.source,
                columns: self.columns.clone(),
            });
            line += count_line_ends(piece.as_bytes());
            rest = after;
            if rest.is_empty() {
                break;
            }
        }
        split
    }

    /// Index of a header column.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|column| column == name)
    }

    /// Calls `on_row(line, record)` for every data row. With `exact_width`, rows with another
    /// number of fields than the header are skipped with an issue. Returns the number of
    /// (non-blank) rows met, each of which was either skipped here or handed to `on_row`.
    pub(crate) fn for_each(
        mut self,
        exact_width: bool,
        issues: &mut Vec<RecordIssue>,
        mut on_row: impl FnMut(RecordLocation, &csv::StringRecord, &mut Vec<RecordIssue>),
    ) -> usize {
        let mut record = csv::StringRecord::new();
        let mut rows = 0;
        loop {
            let before = self.reader.position().byte();
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    rows += 1;
                    let line = self
                        .lines
                        .line_at(usize::try_from(before).unwrap_or(usize::MAX));
                    issues.push(RecordIssue::skipped(
                        self.source,
                        RecordLocation::Line(line),
                        format!("unreadable CSV row: {error}"),
                    ));
                    continue;
                }
            }
            let location = RecordLocation::Line(self.lines.record_line(&record, before));
            if record.len() == 1 && record[0].trim().is_empty() {
                continue;
            }
            rows += 1;
            if exact_width && record.len() != self.columns.len() {
                issues.push(RecordIssue::skipped(
                    self.source,
                    location,
                    format!(
                        "{} columns where the header has {}",
                        record.len(),
                        self.columns.len()
                    ),
                ));
                continue;
            }
            on_row(location, &record, issues);
        }
        rows
    }
}
