//! `orbitscope fetch`: refresh the cache within CelesTrak's usage policy.

use anyhow::{Result, bail};

use super::{FetchArgs, SourceArgs, download_progress};
use crate::sources::{DataSource, FetchOptions};

pub fn run(args: &FetchArgs) -> Result<()> {
    let selection = SourceArgs {
        groups: args.groups.clone(),
        cache_dir: args.cache_dir.clone(),
        ..SourceArgs::default()
    }
    .selection();
    let fetcher = selection.fetcher()?;
    let mut wanted = selection.group_sources()?;
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
    super::write_stdout(&format!("cache: {}\n", fetcher.cache().dir().display()))?;
    if failures > 0 {
        bail!(
            "{failures} of {} sources could not be updated",
            wanted.len()
        );
    }
    Ok(())
}
