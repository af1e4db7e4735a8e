//! Each object's newest element set across the GP files, in catalog-number order.
//!
//! A sort of `(catalog number, position read)` pairs replaces a hash map of winners,
//! and records move only when they must: a file already in catalog order (CelesTrak's are)
//! without duplicates is handed on as it is, and one in order with duplicates is filtered in
//! a single pass. For 100 000 objects the map and the record shuffling were most of the
//! join's time.

use super::super::gp::GpRecord;
use super::super::{NoradId, RecordIssue, RecordLocation, SourceId};

/// The records that win, in catalog-number order, and the accounting of those that do not.
#[derive(Debug, Default)]
pub(super) struct Newest {
    pub records: Vec<GpRecord>,
    /// Parallel to `records`: each winner's catalog number and source.
    pub origins: Vec<(NoradId, SourceId)>,
    /// Element sets read from all files.
    pub read: usize,
    /// Element sets dropped for a newer one of the same object.
    pub duplicates: usize,
    /// Element sets that cannot be used (each with an issue).
    pub skipped: usize,
}

/// One GP file for [`newest_per_object`]: its source, where it was read from, its records.
pub(super) struct GpFile {
    pub source: SourceId,
    pub location: String,
    pub records: Vec<GpRecord>,
}

/// Keeps, for each catalog number, the element set with the latest epoch; among equal epochs
/// the one read first. Records whose number is out of range are skipped with an issue.
pub(super) fn newest_per_object(files: Vec<GpFile>, issues: &mut Vec<RecordIssue>) -> Newest {
    let mut newest = Newest::default();
    // (catalog number, position in reading order): one sort orders by number and keeps
    // reading order among duplicates.
    let mut starts = Vec::with_capacity(files.len());
    let mut keys: Vec<(NoradId, usize)> =
        Vec::with_capacity(files.iter().map(|f| f.records.len()).sum());
    for file in &files {
        starts.push(newest.read);
        for record in &file.records {
            let position = newest.read;
            newest.read += 1;
            match NoradId::try_from(record.norad_id) {
                Ok(norad_id) => keys.push((norad_id, position)),
                Err(_) => {
                    // The readers refuse such numbers; a record built elsewhere is still
                    // accounted for, never dropped silently.
                    newest.skipped += 1;
                    issues.push(
                        RecordIssue::skipped(
                            &file.location,
                            RecordLocation::File,
                            format!(
                                "catalog number {} is out of range (at most {})",
                                record.norad_id,
                                NoradId::MAX
                            ),
                        )
                        .with_norad(Some(record.norad_id)),
                    );
                }
            }
        }
    }
    // Already sorted for one file in catalog order: the sort then only checks.
    keys.sort_unstable();

    let locate = |position: usize| {
        let file = starts.partition_point(|&start| start <= position) - 1;
        (file, position - starts[file])
    };
    let record_at = |position: usize| {
        let (file, index) = locate(position);
        &files[file].records[index]
    };
    // Winners as (number, position), in number order.
    let mut winners: Vec<(NoradId, usize)> = Vec::with_capacity(keys.len());
    for (norad_id, position) in keys {
        match winners.last_mut() {
            Some((kept_id, kept)) if *kept_id == norad_id => {
                newest.duplicates += 1;
                if record_at(*kept).datetime < record_at(position).datetime {
                    *kept = position;
                }
            }
            _ => winners.push((norad_id, position)),
        }
    }

    newest.origins = winners
        .iter()
        .map(|&(norad_id, position)| (norad_id, files[locate(position).0].source))
        .collect();
    let in_reading_order = winners.windows(2).all(|pair| pair[0].1 < pair[1].1);
    newest.records = if in_reading_order && winners.len() == newest.read && files.len() == 1 {
        // One file whose every record wins, already in order: handed on as it is.
        files
            .into_iter()
            .next()
            .map(|file| file.records)
            .unwrap_or_default()
    } else if in_reading_order {
        let mut next = winners.iter().map(|&(_, position)| position).peekable();
        let mut records = Vec::with_capacity(winners.len());
        for (position, record) in files.into_iter().flat_map(|file| file.records).enumerate() {
            if next.peek() == Some(&position) {
                next.next();
                records.push(record);
            }
        }
        records
    } else {
        // Several files, or one out of order: take each winner where it lies.
        let mut slots: Vec<Vec<Option<GpRecord>>> = files
            .into_iter()
            .map(|file| file.records.into_iter().map(Some).collect())
            .collect();
        winners
            .iter()
            .filter_map(|&(_, position)| {
                let (file, index) = locate(position);
                slots[file][index].take()
            })
            .collect()
    };
    newest
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::gp::tle::parse_tle;

    const ISS: &str = "ISS (ZARYA)\n\
        1 25544U 98067A   20350.24982050  .00000614  00000+0  19181-4 0  9994\n\
        2 25544  51.6439 172.5713 0001646 123.4001  50.7130 15.49187914260085\n";

    /// A record for `norad_id` whose epoch is `days` after the ISS's, named `name`.
    fn record(norad_id: u64, days: i64, name: &str) -> GpRecord {
        let mut record = parse_tle(ISS, "t").records.remove(0);
        record.norad_id = norad_id;
        record.datetime += chrono::Duration::days(days);
        record.object_name = Some(name.to_owned());
        record
    }

    fn file(source: SourceId, records: Vec<GpRecord>) -> GpFile {
        GpFile {
            source,
            location: format!("file{source}"),
            records,
        }
    }

    fn names(newest: &Newest) -> Vec<&str> {
        newest
            .records
            .iter()
            .map(|record| record.object_name.as_deref().unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_file_in_catalog_order_is_handed_on_whole() {
        let mut issues = Vec::new();
        let newest = newest_per_object(
            vec![file(
                0,
                vec![record(5, 0, "a"), record(7, 0, "b"), record(9, 0, "c")],
            )],
            &mut issues,
        );
        assert_eq!(names(&newest), ["a", "b", "c"]);
        assert_eq!(newest.origins, [(5, 0), (7, 0), (9, 0)]);
        assert_eq!((newest.read, newest.duplicates, newest.skipped), (3, 0, 0));
        assert!(issues.is_empty());
    }

    #[test]
    fn files_that_follow_each_other_in_catalog_order_are_concatenated() {
        let mut issues = Vec::new();
        let newest = newest_per_object(
            vec![
                file(0, Vec::new()),
                file(1, vec![record(5, 0, "a"), record(7, 0, "b")]),
                file(3, Vec::new()),
                file(2, vec![record(8, 0, "c")]),
            ],
            &mut issues,
        );
        assert_eq!(names(&newest), ["a", "b", "c"]);
        assert_eq!(newest.origins, [(5, 1), (7, 1), (8, 2)]);
    }

    #[test]
    fn duplicates_in_order_keep_the_newest_and_the_first_of_equal_epochs() {
        let mut issues = Vec::new();
        let newest = newest_per_object(
            vec![file(
                0,
                vec![
                    record(5, 0, "old 5"),
                    record(5, 1, "new 5"),
                    record(7, 0, "first 7"),
                    record(7, 0, "second 7"),
                    record(9, 0, "9"),
                ],
            )],
            &mut issues,
        );
        assert_eq!(names(&newest), ["new 5", "first 7", "9"]);
        assert_eq!((newest.read, newest.duplicates), (5, 2));
    }

    #[test]
    fn several_files_out_of_order_are_joined_in_catalog_order() {
        let mut issues = Vec::new();
        let newest = newest_per_object(
            vec![
                file(3, vec![record(9, 0, "9 in 3"), record(2, 5, "2 in 3")]),
                file(6, Vec::new()),
                file(4, vec![record(2, 1, "2 in 4"), record(9, 2, "9 in 4")]),
                file(5, vec![record(6, 0, "6 in 5"), record(9, 2, "9 in 5")]),
            ],
            &mut issues,
        );
        assert_eq!(names(&newest), ["2 in 3", "6 in 5", "9 in 4"]);
        assert_eq!(newest.origins, [(2, 3), (6, 5), (9, 4)]);
        assert_eq!((newest.read, newest.duplicates, newest.skipped), (6, 3, 0));
    }

    #[test]
    fn an_out_of_range_number_is_skipped_with_an_issue() {
        let mut issues = Vec::new();
        let newest = newest_per_object(
            vec![file(
                0,
                vec![record(1 << 40, 0, "too big"), record(25544, 0, "iss")],
            )],
            &mut issues,
        );
        assert_eq!(names(&newest), ["iss"]);
        assert_eq!((newest.read, newest.duplicates, newest.skipped), (2, 0, 1));
        assert_eq!(issues.len(), 1);
        assert!(issues[0].message.contains("out of range"), "{}", issues[0]);
        assert_eq!(issues[0].source, "file0");
    }
}
