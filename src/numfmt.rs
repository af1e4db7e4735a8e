//! Decimal text without the formatting machinery: `write!` with `{:.N}` cost more than the
//! rest of a row in the CSV of `positions`, and the exports write tens of millions of numbers.
//! The digits are exactly those `format!` prints (a test holds them to it).

use std::fmt::Write as _;

/// Appends `value` with `decimals` digits after the point, exactly as `format!("{:.N}")`
/// does: the value is scaled and rounded as an integer, which gives the same digits whenever
/// the scaled value is not within a hair of a tie (ties and huge values take the standard,
/// slower path). Printing decimals was most of the time `positions` spent writing 100 000 rows.
pub fn push_fixed(out: &mut String, value: f64, decimals: usize) {
    const POWERS: [f64; 10] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
    let Some(&scale) = POWERS.get(decimals) else {
        let _ = write!(out, "{value:.decimals$}");
        return;
    };
    let scaled = (value * scale).abs();
    let fraction = scaled - scaled.trunc();
    if !scaled.is_finite() || scaled >= 4e15 || (fraction - 0.5).abs() < 1e-3 {
        let _ = write!(out, "{value:.decimals$}");
        return;
    }
    let digits = scaled.round() as u64;
    let unit = scale as u64;
    if value.is_sign_negative() {
        out.push('-');
    }
    push_digits(out, digits / unit, 1);
    if decimals > 0 {
        out.push('.');
        push_digits(out, digits % unit, decimals);
    }
}

/// Appends the decimal digits of `value`, zero-padded to at least `width` (≤ 20) digits:
/// `write!` through the formatting machinery cost more than the rest of a row.
pub fn push_digits(out: &mut String, mut value: u64, width: usize) {
    let mut buffer = [b'0'; 20];
    let mut start = buffer.len();
    while value > 0 || buffer.len() - start < width.clamp(1, buffer.len()) {
        start -= 1;
        buffer[start] = b'0' + (value % 10) as u8;
        value /= 10;
    }
    out.push_str(std::str::from_utf8(&buffer[start..]).unwrap_or_default());
}

/// Appends `value` with at most `decimals` digits after the point and no trailing zeros (nor
/// a trailing point): `12.5`, `60`, `-0.25`. Exact like [`push_fixed`]; "-0" never appears.
pub fn push_trimmed(out: &mut String, value: f64, decimals: usize) {
    let start = out.len();
    push_fixed(out, value, decimals);
    if decimals > 0 && out[start..].contains('.') {
        let trimmed = out.trim_end_matches('0').len();
        out.truncate(trimmed);
        if out.ends_with('.') {
            out.pop();
        }
    }
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

/// Appends `value` rounded to `decimals` (at most 9) places, halves away from zero, with
/// `trim` dropping trailing zeros of the fraction (and a bare point): the exports' hot path.
/// Unlike [`push_fixed`] it does not reproduce `format!`'s choice on exact ties (either is a
/// correct rounding), and it calls neither libm nor the formatting machinery: integer digits
/// come from `itoa`. Zero is never written with a sign; values whose scaled form does not fit
/// an `i64` (and not-a-number) take the standard path.
pub fn push_rounded(out: &mut String, value: f64, decimals: usize, trim: bool) {
    const UNITS: [u64; 10] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
    ];
    let Some(&unit) = UNITS.get(decimals) else {
        push_standard(out, value, decimals, trim);
        return;
    };
    let scaled = value * unit as f64;
    if scaled.is_nan() || scaled.abs() >= 9.0e18 {
        push_standard(out, value, decimals, trim);
        return;
    }
    // Truncation and a comparison instead of `round`, a libm call on baseline x86-64.
    let truncated = scaled as i64;
    let rest = scaled - truncated as f64;
    let rounded = if rest >= 0.5 {
        truncated + 1
    } else if rest <= -0.5 {
        truncated - 1
    } else {
        truncated
    };
    let magnitude = rounded.unsigned_abs();
    if rounded < 0 {
        out.push('-');
    }
    let mut buffer = itoa::Buffer::new();
    out.push_str(buffer.format(magnitude / unit));
    let fraction = magnitude % unit;
    if decimals > 0 && !(trim && fraction == 0) {
        // `unit + fraction` is a 1 and then exactly `decimals` digits.
        let digits = &buffer.format(unit + fraction)[1..];
        out.push('.');
        out.push_str(if trim {
            digits.trim_end_matches('0')
        } else {
            digits
        });
    }
}

fn push_standard(out: &mut String, value: f64, decimals: usize, trim: bool) {
    if trim {
        push_trimmed(out, value, decimals);
    } else {
        let _ = write!(out, "{value:.decimals$}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_decimals_print_exactly_what_format_prints() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1e-7,
            -1e-7,
            2.5e-7,
            179.9999995,
            1e15,
            -3e16,
        ];
        for _ in 0..200_000 {
            // xorshift: reproducible values of every magnitude and sign.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (state % 16) as i32 - 8;
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            values.push(sign * mantissa * 10f64.powi(exponent));
        }
        for value in values {
            for decimals in [0, 6, 8, 9] {
                let mut fast = String::new();
                push_fixed(&mut fast, value, decimals);
                assert_eq!(
                    fast,
                    format!("{value:.decimals$}"),
                    "{value:e} to {decimals}"
                );
            }
        }
    }

    #[test]
    fn trimmed_decimals_drop_trailing_zeros_only() {
        for (value, decimals, expected) in [
            (60.0, 3, "60"),
            (12.5, 3, "12.5"),
            (-0.25, 1, "-0.2"),
            (-0.0001, 1, "0"),
            (100.0, 0, "100"),
            (1_234_567.849, 1, "1234567.8"),
            (0.1, 3, "0.1"),
            (-6_378_137.0, 1, "-6378137"),
        ] {
            let mut out = String::from("x");
            push_trimmed(&mut out, value, decimals);
            assert_eq!(out, format!("x{expected}"), "{value} to {decimals}");
        }
    }

    #[test]
    fn rounded_decimals_match_format_away_from_ties() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut checked = 0;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = (state % 14) as i32 - 6;
            let sign = if state & 1 == 0 { 1.0 } else { -1.0 };
            let value = sign * mantissa * 10f64.powi(exponent);
            for decimals in [0, 1, 5, 6] {
                let scaled = (value * 10f64.powi(decimals as i32)).abs();
                if (scaled.fract() - 0.5).abs() < 1e-6 {
                    continue; // a tie: both roundings are right
                }
                let mut ours = String::new();
                push_rounded(&mut ours, value, decimals, false);
                let mut expected = format!("{value:.decimals$}");
                if expected
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b == b'0' || b == b'.')
                {
                    expected = expected.trim_start_matches('-').to_owned();
                }
                assert_eq!(ours, expected, "{value:e} to {decimals}");
                let mut trimmed = String::new();
                push_rounded(&mut trimmed, value, decimals, true);
                let mut reference = String::new();
                push_trimmed(&mut reference, value, decimals);
                assert_eq!(trimmed, reference, "{value:e} to {decimals}, trimmed");
                checked += 1;
            }
        }
        assert!(checked > 700_000, "{checked}");
        for (value, decimals, trim, expected) in [
            (-0.04, 1, true, "0"),
            (-0.05, 1, true, "-0.1"),
            (0.25, 1, false, "0.3"),
            (1_234_567.86, 1, true, "1234567.9"),
            (-6_378_137.0, 1, true, "-6378137"),
            (179.999_996, 5, true, "180"),
            (-179.5, 5, false, "-179.50000"),
            (f64::NAN, 1, true, "NaN"),
        ] {
            let mut out = String::new();
            push_rounded(&mut out, value, decimals, trim);
            assert_eq!(out, expected, "{value} to {decimals}");
        }
        let mut huge = String::new();
        push_rounded(&mut huge, 1e300, 1, true);
        assert_eq!(huge, format!("{:.1}", 1e300).trim_end_matches(".0"));
    }
}
