//! Join coverage per object type and per source: how many objects of each type the SATCAT,
//! GCAT and the UNOOSA index each speak for (what the data-status window shows).

use serde::Serialize;

use crate::catalog::{Catalog, ObjectType};

/// Coverage of one object type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SourceCoverage {
    pub objects: usize,
    pub satcat: usize,
    /// Registration facts from GCAT (registered or not).
    pub gcat: usize,
    /// Registration facts from the UNOOSA index (which wins where both speak).
    pub unoosa: usize,
}

/// One row per object type present, in [`ObjectType::ALL`] order.
pub fn coverage_by_type(catalog: &Catalog) -> Vec<(ObjectType, SourceCoverage)> {
    let mut rows = [SourceCoverage::default(); 4];
    for object in &catalog.objects {
        let row = &mut rows[super::type_index(object.object_type())];
        row.objects += 1;
        row.satcat += usize::from(object.satcat.is_some());
        let kind = object
            .registration_source_id
            .filter(|_| object.registration != crate::catalog::Registration::NoData)
            .and_then(|id| catalog.sources.get(id))
            .map(|source| source.kind);
        row.gcat += usize::from(kind == Some("gcat"));
        row.unoosa += usize::from(kind == Some("unoosa"));
    }
    super::charts::TYPE_ORDER
        .into_iter()
        .zip(rows)
        .filter(|(_, row)| row.objects > 0)
        .collect()
}
