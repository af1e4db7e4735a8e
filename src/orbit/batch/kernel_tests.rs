//! The vectorised kernel against the `sgp4` crate, object by object: typed-in element sets of
//! every kind, and random ones near the edges (proptest), at every kernel width.

mod kernel_agreement {
    use super::super::*;
    use crate::orbit::ReferencePropagator;

    fn elements(line1: &str, line2: &str) -> Elements {
        Elements::from_tle(None, line1.as_bytes(), line2.as_bytes()).unwrap()
    }

    /// Real element sets of every near-Earth kind (low and high perigee, near-circular and
    /// eccentric, retrograde), plus one deep-space and one sub-orbital object.
    pub(crate) fn sample() -> Vec<Elements> {
        vec![
            // ISS (ZARYA)
            elements(
                "1 25544U 98067A   20194.88612269 -.00002218  00000-0 -31515-4 0  9992",
                "2 25544  51.6461 221.2784 0001413  89.1723 280.4612 15.49507896236008",
            ),
            // Vallado's 06251 (low perigee, drag)
            elements(
                "1 06251U 62025E   06176.82412014  .00008885  00000-0  12808-3 0  3985",
                "2 06251  58.0579  54.0425 0030035 139.1568 221.1854 15.56387291  6774",
            ),
            // Vallado's 28057, near-circular (e < 1e-4 in later sets: the non-elliptic branch)
            elements(
                "1 28057U 03049A   06177.78615833  .00000060  00000-0  35940-4 0  1836",
                "2 28057  98.4283 247.6961 0000884  88.1964 271.9322 14.35478080140550",
            ),
            // Vallado's 29141 (perigee below 220 km: the low-altitude branch)
            elements(
                "1 29141U 85108AA  06170.26783845  .99999999  00000-0  13519-0 0   718",
                "2 29141  82.4288 273.4882 0015848 277.2124  83.9133 15.93343074  6828",
            ),
            // MOLNIYA 1-36 (deep space, half-day resonance)
            elements(
                "1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813",
                "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656",
            ),
            // Vallado's MINOTAUR R/B: decays within the hour
            elements(
                "1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
                "2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708",
            ),
            // Vallado's 04632: retrograde, eccentric
            elements(
                "1 04632U 70093B   04031.91070959 -.00000084  00000-0  10000-3 0  9955",
                "2 04632  11.4628 273.1101 1450506 207.6000 143.9350  1.20231981 44145",
            ),
        ]
    }

    #[test]
    fn every_width_agrees_with_the_crate_object_by_object() {
        let sample = sample();
        for mode in [PropagationMode::Improved, PropagationMode::Afspc] {
            let references: Vec<_> = sample
                .iter()
                .map(|elements| ReferencePropagator::new(elements, mode))
                .collect();
            for width in
                KernelWidth::under_test("every_width_agrees_with_the_crate_object_by_object")
            {
                let mut batch = BatchPropagator::with_width(&sample, mode, width);
                let mut out = StateBuffers::default();
                for minutes in [0.0, 1.0, 45.0, 90.0, 1440.0, -4320.0, 43_200.0] {
                    let epoch = Instant::from_naive_utc(&sample[0].datetime);
                    let at = epoch.plus_minutes(minutes);
                    batch.propagate_into(at, &mut out);
                    for (index, reference) in references.iter().enumerate() {
                        let expected = reference.propagate(at);
                        let got = match out.failures[index] {
                            None => Ok((out.positions_km[index], out.velocities_km_s[index])),
                            Some(failure) => Err(failure),
                        };
                        assert_agrees(
                            &got,
                            &expected,
                            &format!("{width} {mode:?} #{index} +{minutes}"),
                        );
                        assert_agrees(&batch.propagate_one(index, at), &expected, "propagate_one");
                    }
                }
            }
        }
    }

    pub(crate) fn assert_agrees(
        got: &Result<([f64; 3], [f64; 3]), Failure>,
        expected: &Result<([f64; 3], [f64; 3]), Failure>,
        what: &str,
    ) {
        match (got, expected) {
            (Ok((p, v)), Ok((ep, ev))) => {
                for axis in 0..3 {
                    let (dp, dv) = ((p[axis] - ep[axis]).abs(), (v[axis] - ev[axis]).abs());
                    assert!(dp < 1e-6, "{what}: position {p:?} vs {ep:?}");
                    assert!(dv < 1e-9, "{what}: velocity {v:?} vs {ev:?}");
                }
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.vallado_code(), b.vallado_code(), "{what}: {a} vs {b}");
            }
            _ => panic!("{what}: {got:?} vs {expected:?}"),
        }
    }
}

mod kernel_properties {
    use proptest::prelude::*;

    use super::super::*;
    use super::kernel_agreement::{assert_agrees, sample};
    use crate::orbit::ReferencePropagator;

    /// Element sets at the edges SGP4 handles specially: near-circular (e ≤ 1e-4, the
    /// non-elliptic branch), highly eccentric, low perigee (< 220 km), equatorial and
    /// retrograde-polar inclinations, strong and negative drag, periods on both sides of the
    /// 225-minute deep-space line, and the deep-space resonances (one day; half a day, which
    /// also needs e ≥ 0.5).
    fn edge_elements() -> impl Strategy<Value = Elements> {
        let eccentricity = prop_oneof![Just(0.0), 0.0..2e-4, 0.0..0.1, 0.5..0.95, 0.95..0.999_999,];
        let inclination = prop_oneof![Just(0.0), Just(180.0), 0.0..180.0, 179.9..180.0];
        let mean_motion = prop_oneof![
            6.0..6.5,
            6.3..16.0,
            15.5..16.4,
            0.9..6.4,
            0.95..1.05,
            1.9..2.1
        ];
        let drag = prop_oneof![Just(0.0), -1e-3..1e-3, 1e-3..0.5];
        (
            eccentricity,
            inclination,
            mean_motion,
            drag,
            0.0..360.0,
            0.0..360.0,
            0.0..360.0,
        )
            .prop_map(
                |(e, i, n, drag, raan, argp, mean_anomaly): (f64, f64, f64, f64, f64, f64, f64)| {
                    // A valid element set keeps its perigee above ~90 km: cap e for the semi-major
                    // axis (e near 1 then means a long period, deep space, which shares the API).
                    let semi_major_km = 6378.135
                        * (0.074_366_916_133 / (n * std::f64::consts::PI / 720.0)).powf(2.0 / 3.0);
                    let e = e.min(1.0 - (6378.135 + 90.0) / semi_major_km).max(0.0);
                    let mut elements = sample()[0].clone();
                    elements.eccentricity = e;
                    elements.inclination = i;
                    elements.mean_motion = n;
                    elements.drag_term = drag;
                    elements.right_ascension = raan;
                    elements.argument_of_perigee = argp;
                    elements.mean_anomaly = mean_anomaly;
                    elements
                },
            )
    }

    /// Beyond this radius a near-Earth element set's state has been blown up by SGP4's drag
    /// polynomial (an element set that should long have decayed, e.g. a 16 rev/day orbit with
    /// negative drag a month after epoch): the numbers are meaningless, and few-ulp differences
    /// grow to kilometres there, so only success or failure is compared.
    const BLOWN_UP_KM: f64 = 100_000.0;
    /// The same for speeds: nothing bound to the Earth moves faster than ~11 km/s.
    const BLOWN_UP_KM_S: f64 = 20.0;

    /// SGP4's deep-space equations divide by sin i (Ω = p₂₂ + δh / sin i) and apply Lyddane's
    /// fix only near i = 0: within this many degrees of i = 180° the division amplifies
    /// last-ulp differences without bound (measured: 1.5 × 10⁻⁶ km after 30 days at exactly
    /// 180°, 7 × 10⁻⁸ km at 179.9999°, 5 × 10⁻¹⁰ km at 179.99°), so there only success or
    /// failure is compared, as no two implementations that round differently agree there.
    const RETROGRADE_EQUATORIAL_DEGREES: f64 = 1e-4;

    fn deep_space_and_retrograde_equatorial(elements: &Elements) -> bool {
        // Period ≥ 225 minutes (6.4 rev/day), as `is_near_earth` draws the line.
        elements.mean_motion < 6.4 && 180.0 - elements.inclination < RETROGRADE_EQUATORIAL_DEGREES
    }

    fn norm(vector: [f64; 3]) -> f64 {
        vector.iter().map(|x| x * x).sum::<f64>().sqrt()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Every width gives the crate's position (1e-6 km) and velocity (1e-9 km/s), or the
        /// crate's error, for random element sets near every edge.
        #[test]
        fn every_width_agrees_with_the_crate_near_the_edges(
            elements in prop::collection::vec(edge_elements(), 1..20),
            minutes in prop::collection::vec(-4320.0..43_200.0f64, 1..4),
            afspc in any::<bool>(),
        ) {
            let mode = if afspc { PropagationMode::Afspc } else { PropagationMode::Improved };
            let references: Vec<_> = elements
                .iter()
                .map(|elements| ReferencePropagator::new(elements, mode))
                .collect();
            let epoch = Instant::from_naive_utc(&elements[0].datetime);
            for width in KernelWidth::under_test("every_width_agrees_with_the_crate_near_the_edges") {
                let mut batch = BatchPropagator::with_width(&elements, mode, width);
                let mut out = StateBuffers::default();
                for &minutes in &minutes {
                    let at = epoch.plus_minutes(minutes);
                    batch.propagate_into(at, &mut out);
                    for (index, reference) in references.iter().enumerate() {
                        let got = match out.failures[index] {
                            None => Ok((out.positions_km[index], out.velocities_km_s[index])),
                            Some(failure) => Err(failure),
                        };
                        let expected = reference.propagate(at);
                        let what = format!("{width} {mode:?} #{index} {:?} +{minutes}", elements[index]);
                        if let Ok((position, velocity)) = expected
                            && (norm(position) > BLOWN_UP_KM
                                || norm(velocity) > BLOWN_UP_KM_S
                                || deep_space_and_retrograde_equatorial(&elements[index]))
                        {
                            assert!(got.is_ok(), "{what}: {got:?} vs {expected:?}");
                            continue;
                        }
                        assert_agrees(&got, &expected, &what);
                    }
                }
            }
        }
    }
}
