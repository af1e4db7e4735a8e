//! The catalog layer: parsers for the public formats, the joined per-object model and the
//! owner-code table. Pure: no Bevy, no I/O beyond reading the bytes it is handed.

pub mod accounting;
mod csv_rows;
pub mod gcat;
pub mod gp;
pub mod issues;
pub mod join;
pub mod model;
pub mod owners;
pub mod register_check;
pub mod satcat;
pub mod un_states;
pub mod unoosa;
pub mod unoosa_index;

#[cfg(test)]
mod proptests;

pub use issues::{Parsed, RecordIssue, RecordLocation};
pub use join::{Catalog, CatalogInputs, JoinReport};
pub use model::{
    NoradId, ObjectType, OpsStatus, Registration, RegistrationSource, SatcatInfo, SourceId,
    SourceInfo, SpaceObject,
};

/// Text decoded from a source's bytes, with a caveat for every line where bytes that are not
/// UTF-8 were replaced (U+FFFD): one bad byte costs at most its own record, never the file.
pub(crate) struct DecodedText<'a> {
    pub text: std::borrow::Cow<'a, str>,
    pub caveats: Vec<RecordIssue>,
}

/// Decodes bytes as UTF-8 record by record. Binary data (a NUL byte, or invalid bytes on more
/// than ten lines and more than 1 % of them) is refused as a whole, naming the source.
pub(crate) fn decode_text<'a>(
    bytes: &'a [u8],
    source: &str,
) -> Result<DecodedText<'a>, RecordIssue> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let not_text = |offset: usize| {
        RecordIssue::whole_file(
            source,
            format!(
                "not UTF-8 text (invalid byte at offset {offset}): binary data or a wrong file?"
            ),
        )
    };
    if let Some(offset) = bytes.iter().position(|&byte| byte == 0) {
        return Err(not_text(offset));
    }
    let first_bad = match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Ok(DecodedText {
                text: std::borrow::Cow::Borrowed(text),
                caveats: Vec::new(),
            });
        }
        Err(error) => error.valid_up_to(),
    };
    let mut caveats = Vec::new();
    let mut lines = 0;
    for (index, line) in bytes.split(|&byte| byte == b'\n').enumerate() {
        lines += 1;
        if std::str::from_utf8(line).is_err() {
            caveats.push(
                RecordIssue::skipped(
                    source,
                    RecordLocation::Line(index + 1),
                    "bytes that are not UTF-8 replaced by U+FFFD",
                )
                .kept(),
            );
        }
    }
    if caveats.len() > (lines / 100).max(10) {
        return Err(not_text(first_bad));
    }
    Ok(DecodedText {
        text: String::from_utf8_lossy(bytes),
        caveats,
    })
}

/// Line ends (`\n`) in `bytes`: record line numbers need them counted over whole files.
pub(crate) fn count_line_ends(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
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

    /// A counter for a part of a larger text whose first byte is on line `line`.
    pub(crate) fn starting_at(text: &'a str, line: usize) -> Self {
        Self {
            text,
            offset: 0,
            line,
        }
    }

    /// The line of byte `offset`; offsets must not decrease between calls.
    pub(crate) fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            self.line += count_line_ends(&self.text.as_bytes()[self.offset..offset]);
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
