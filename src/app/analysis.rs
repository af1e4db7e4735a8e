//! The statistics behind the statistics and gap-list windows: recomputed from the core's
//! [`Charts`] when the filter or the catalog changes and a window that shows them is open,
//! never per frame, and off the frame loop (100 000 objects take about 0.1 s).

use std::sync::Arc;

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task};

use super::background::poll_done;
use super::filter::FilterSettings;
use super::propagation::CatalogData;
use crate::stats::charts::Charts;

/// Which analysis windows are open, and the statistics window's tab.
#[derive(Resource, Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnalysisViews {
    pub statistics: bool,
    pub statistics_tab: StatsTab,
    pub gap_list: bool,
    pub data_status: bool,
    /// The scenario window (save, load, screenshot).
    pub scenario: bool,
}

/// The statistics window's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatsTab {
    #[default]
    Owners,
    Rates,
    Altitude,
    Density,
    Launches,
    InOrbit,
    UnRegister,
}

impl StatsTab {
    pub const ALL: [Self; 7] = [
        Self::Owners,
        Self::Rates,
        Self::Altitude,
        Self::Density,
        Self::Launches,
        Self::InOrbit,
        Self::UnRegister,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Owners => "owners",
            Self::Rates => "registration rates",
            Self::Altitude => "altitude",
            Self::Density => "inclination × altitude",
            Self::Launches => "launches per year",
            Self::InOrbit => "in orbit since 1957",
            Self::UnRegister => "UN register",
        }
    }
}

impl AnalysisViews {
    fn need_charts(self) -> bool {
        self.statistics || self.gap_list
    }
}

/// The charts of the current filter, and the date "days since launch" counts to.
#[derive(Resource, Debug, Default)]
pub struct Analysis {
    pub charts: Option<Arc<Charts>>,
    pub as_of: Option<chrono::NaiveDate>,
    /// Recomputations so far (tests check that frames do not recompute).
    pub computed: u64,
    /// What the charts (or the running computation) are for: the filter, and the catalog
    /// (by address).
    /// The weak reference keeps the old catalog's allocation, so a new catalog can never
    /// reuse its address and pass for it.
    computed_for: Option<(
        crate::filter::Filter,
        std::sync::Weak<crate::catalog::Catalog>,
    )>,
    task: Option<Task<Charts>>,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<AnalysisViews>()
        .init_resource::<Analysis>()
        .add_systems(
            Update,
            refresh_analysis
                .after(super::controls::ApplyActions)
                .before(super::FrameSystems::Present),
        );
}

impl Analysis {
    /// True while charts are being computed (a screenshot waits for them).
    pub fn busy(&self) -> bool {
        self.task.is_some()
    }
}

fn refresh_analysis(
    views: Res<AnalysisViews>,
    filter: Res<FilterSettings>,
    catalog: Res<CatalogData>,
    mut analysis: ResMut<Analysis>,
) {
    // Polled without marking the state changed: it changes only when the task is done.
    if let Some(charts) = poll_done(&mut analysis.bypass_change_detection().task) {
        analysis.charts = Some(Arc::new(charts));
        analysis.computed += 1;
    }
    if !views.need_charts() || analysis.task.is_some() {
        return;
    }
    // Compared, not change-detected: the filter may have changed while the windows were shut.
    let fresh = analysis
        .computed_for
        .as_ref()
        .is_some_and(|(for_filter, for_catalog)| {
            *for_filter == filter.0 && std::ptr::eq(for_catalog.as_ptr(), Arc::as_ptr(&catalog.0))
        });
    if fresh {
        return;
    }
    let as_of = chrono::Utc::now().date_naive();
    let (for_filter, objects) = (filter.0.clone(), Arc::clone(&catalog.0));
    analysis.task = Some(AsyncComputeTaskPool::get().spawn(async move {
        let mask = for_filter.mask(&objects.objects);
        Charts::with_register(&objects, Some(&mask), as_of)
    }));
    analysis.as_of = Some(as_of);
    analysis.computed_for = Some((filter.0.clone(), Arc::downgrade(&catalog.0)));
}
