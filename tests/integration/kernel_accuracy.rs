//! The vectorised SGP4 kernel against the `sgp4` crate, object by object, over the whole
//! active catalog of 2026-08-22, from 3 days before to 30 days after, at every kernel width and
//! in both modes: positions within 1e-6 km, velocities within 1e-9 km/s, the same failures.

use orbitscope::catalog::gp::parse_gp;
use orbitscope::orbit::{
    BatchPropagator, Instant, KernelWidth, PropagationMode, ReferencePropagator, StateBuffers,
};

use crate::support::read_shared;

#[test]
#[ignore = "reads ../shared/data"]
fn every_active_object_matches_the_crate_at_every_width_from_minus_3_to_plus_30_days() {
    let relative = "celestrak-gp/active_2026-08-22/active.csv";
    let elements = parse_gp(&read_shared(relative), relative).1.records;
    assert!(elements.len() > 16_000);
    let snapshot = Instant::from_utc("2026-08-22T00:00:00Z".parse().unwrap());
    let instants: Vec<Instant> = [-3.0, 0.0, 0.37, 1.0, 7.0, 30.0]
        .iter()
        .map(|days| snapshot.plus_minutes(days * 1440.0))
        .collect();
    for mode in [PropagationMode::Improved, PropagationMode::Afspc] {
        let references: Vec<ReferencePropagator> = elements
            .iter()
            .map(|elements| ReferencePropagator::new(elements, mode))
            .collect();
        let expected: Vec<Vec<_>> = instants
            .iter()
            .map(|&at| references.iter().map(|r| r.propagate(at)).collect())
            .collect();
        for width in KernelWidth::under_test(
            "every_active_object_matches_the_crate_at_every_width_from_minus_3_to_plus_30_days",
        ) {
            let mut batch = BatchPropagator::with_width(&elements, mode, width);
            let mut states = StateBuffers::default();
            let (mut compared, mut failed) = (0, 0);
            let (mut worst_km, mut worst_km_s) = (0.0_f64, 0.0_f64);
            for (at, expected) in instants.iter().zip(&expected) {
                batch.propagate_into(*at, &mut states);
                for (index, expected) in expected.iter().enumerate() {
                    let what = || {
                        format!(
                            "{width} {mode:?} {} at {:?}",
                            elements[index].norad_id,
                            at.to_utc()
                        )
                    };
                    match (states.failures[index], expected) {
                        (None, Ok((position, velocity))) => {
                            for axis in 0..3 {
                                let dp = (states.positions_km[index][axis] - position[axis]).abs();
                                let dv =
                                    (states.velocities_km_s[index][axis] - velocity[axis]).abs();
                                assert!(dp < 1e-6, "{}: |Δr| = {dp:e} km", what());
                                assert!(dv < 1e-9, "{}: |Δv| = {dv:e} km/s", what());
                                worst_km = worst_km.max(dp);
                                worst_km_s = worst_km_s.max(dv);
                            }
                            compared += 1;
                        }
                        (Some(got), Err(reference)) => {
                            assert_eq!(
                                got.vallado_code(),
                                reference.vallado_code(),
                                "{}: {got} vs {reference}",
                                what()
                            );
                            failed += 1;
                        }
                        (got, reference) => panic!("{}: {got:?} vs {reference:?}", what()),
                    }
                }
            }
            assert!(compared > 6 * 15_000, "{width}: {compared} states compared");
            // The figure the README quotes, printed past the harness's capture.
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "kernel accuracy, {width} {mode:?}: worst of {compared} states {worst_km:.2e} km, \
                 {worst_km_s:.2e} km/s (per axis, against the sgp4 crate)"
            );
            // The README quotes 6.4e-9 km and 7e-12 km/s: hold that order (with room for other CPUs).
            assert!(worst_km < 5e-8, "{width} {mode:?}: worst {worst_km:e} km");
            assert!(
                worst_km_s < 5e-11,
                "{width} {mode:?}: worst {worst_km_s:e} km/s"
            );
            // Decayed and decaying objects (B* up to 3.6) exercise the failure paths.
            assert!(failed > 0, "{width}: some objects must fail within 30 days");
        }
    }
}
