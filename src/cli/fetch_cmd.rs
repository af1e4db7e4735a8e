//! `orbitscope fetch`: refresh the cache within each source's usage policy.

use std::time::Duration;

use anyhow::{Result, bail};
use indicatif::{ProgressBar, ProgressStyle};

use super::{FetchArgs, SourceArgs, download_progress};
use crate::loader::SourceSelection;
use crate::sources::un_register::{PassOptions, PassOutcome, PassStatus};
use crate::sources::{DataSource, FetchOptions};

pub fn run(args: &FetchArgs) -> Result<()> {
    let selection = SourceArgs {
        groups: args.groups.clone(),
        cache_dir: args.cache_dir.clone(),
        source: if args.spacetrack {
            super::SourceArg::Spacetrack
        } else {
            super::SourceArg::Celestrak
        },
        ..SourceArgs::default()
    }
    .selection();
    let fetcher = selection.fetcher()?;
    let only_the_register =
        args.unoosa && args.groups.is_empty() && !args.satcat && !args.gcat && !args.spacetrack;
    let mut wanted = if only_the_register {
        Vec::new()
    } else if args.spacetrack {
        vec![DataSource::SpaceTrackGp, DataSource::SpaceTrackSatcat]
    } else {
        selection.group_sources()?
    };
    if args.satcat {
        wanted.push(DataSource::Satcat);
    }
    if args.gcat {
        wanted.push(DataSource::Gcat);
    }
    let options = FetchOptions {
        retry: args.retry,
        accept_smaller: args.accept_smaller,
    };
    let mut failures = 0;
    let mut progress = download_progress();
    for source in &wanted {
        let outcome = fetcher.fetch(source, options, &mut |done, total| {
            progress(source, done, total);
        });
        failures += usize::from(outcome.is_failure());
        super::write_stdout(&format!("{source}: {}\n", outcome.describe()))?;
    }
    let mut asked = wanted.len();
    if args.unoosa {
        asked += 1;
        let outcome = update_un_register(&selection, args)?;
        failures += usize::from(outcome.is_failure());
        super::write_stdout(&format!(
            "UN register (UNOOSA Online Index): {}\n",
            outcome.describe()
        ))?;
    }
    super::write_stdout(&format!("cache: {}\n", fetcher.cache().dir().display()))?;
    if failures > 0 {
        bail!("{failures} of {asked} sources could not be updated");
    }
    Ok(())
}

/// One pass through the UN index (if one is due), with a progress bar of pages.
fn update_un_register(selection: &SourceSelection, args: &FetchArgs) -> Result<PassOutcome> {
    let fetcher = selection.register_fetcher()?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "UN register {msg} {bar:30} {pos}/{len} pages ({elapsed}, about {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let options = PassOptions {
        retry: args.retry,
        accept_smaller: args.accept_smaller,
        spacing: Duration::from_secs_f64(args.unoosa_interval),
    };
    let outcome = fetcher.update(options, &mut |status: PassStatus| {
        bar.set_message(format!(
            "{}, {} objects",
            status.kind.label(),
            status.entries
        ));
        if let Some(expected) = status.pages_expected {
            bar.set_length(expected as u64);
        }
        bar.set_position(status.pages as u64);
    });
    bar.finish_and_clear();
    Ok(outcome)
}
