//! The catalog layer: parsers for the public formats, the joined per-object model and the
//! owner-code table. Pure: no Bevy, no I/O beyond reading the bytes it is handed.

mod csv_rows;
pub mod gcat;
pub mod gp;
pub mod issues;
pub mod join;
pub mod model;
pub mod owners;
pub mod satcat;
pub mod unoosa;

pub use issues::{Parsed, RecordIssue, RecordLocation};
pub use join::{Catalog, CatalogInputs, JoinReport};
pub use model::{
    NoradId, ObjectType, OpsStatus, Registration, RegistrationSource, SatcatInfo, SourceId,
    SourceInfo, SpaceObject,
};

/// Strips a UTF-8 byte-order mark: spreadsheet exports often start with one.
pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Decodes bytes as UTF-8, naming the source when they are not text.
pub(crate) fn decode_text<'a>(bytes: &'a [u8], source: &str) -> Result<&'a str, RecordIssue> {
    std::str::from_utf8(bytes).map(strip_bom).map_err(|error| {
        RecordIssue::whole_file(
            source,
            format!(
                "not UTF-8 text (invalid byte at offset {}): binary data or a wrong file?",
                error.valid_up_to()
            ),
        )
    })
}

/// Turns byte offsets into 1-based line numbers while a reader moves forward through a text.
/// (The csv crate's own line count is off by one after a CRLF header, so bytes are counted.)
pub(crate) struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of byte `offset`; offsets must not decrease between calls.
    pub(crate) fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            self.line += self.text.as_bytes()[self.offset..offset]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count();
            self.offset = offset;
        }
        self.line
    }

    /// The line of a CSV record (or of the reader's position when the record has none).
    pub(crate) fn record_line(&mut self, record: &csv::StringRecord, fallback: u64) -> usize {
        let byte = record.position().map_or(fallback, csv::Position::byte);
        let mut offset = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        // A record may be reported as starting on the terminator of the line before it.
        while matches!(self.text.as_bytes().get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        self.line_at(offset)
    }
}
