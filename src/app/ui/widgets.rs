//! Small widgets the panels share.

use bevy_egui::egui;

use crate::palette::Rgba;

/// The egui colour (sRGB) of a linear RGBA palette colour.
pub fn color32(color: Rgba) -> egui::Color32 {
    let encode = |c: f32| {
        let srgb = if c <= 0.003_130_8 {
            c * 12.92
        } else {
            1.055 * c.powf(1.0 / 2.4) - 0.055
        };
        (srgb.clamp(0.0, 1.0) * 255.0).round() as u8
    };
    egui::Color32::from_rgb(encode(color[0]), encode(color[1]), encode(color[2]))
}

/// A filled circle in a marker's colour, the size of a line of text.
pub fn swatch(ui: &mut egui::Ui, color: Rgba) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    ui.painter()
        .circle_filled(rect.center(), 5.0, color32(color));
}

/// A label that never wraps (names like `STARLINK-3913` must not break).
pub fn one_line(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    ui.add(egui::Label::new(text).wrap_mode(egui::TextWrapMode::Extend))
}

/// A checkbox for one choice of a filter criterion, with its count; returns true when clicked.
pub fn choice(ui: &mut egui::Ui, ticked: bool, label: &str, count: usize) -> bool {
    choice_text(ui, ticked, format!("{label}  {}", self::count(count)))
}

/// [`choice`] with the text composed by the caller.
pub fn choice_text(ui: &mut egui::Ui, ticked: bool, text: String) -> bool {
    let mut value = ticked;
    ui.checkbox(&mut value, text).changed()
}

/// Thousands separated by a thin space: `16 400`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(digit);
    }
    out
}

/// Writes a table's CSV (`bytes`, or why it could not be made) atomically into the current
/// directory as `file_name`; says where it went, with `what` ("12 rows"), or why not.
pub fn save_table_csv(file_name: &str, what: &str, bytes: Result<Vec<u8>, String>) -> String {
    let path = std::path::PathBuf::from(file_name);
    let written = bytes.and_then(|bytes| {
        crate::sources::cache::write_output_atomically(&path, &bytes).map_err(|e| e.to_string())
    });
    let shown = std::env::current_dir().map_or(path.clone(), |dir| dir.join(&path));
    match written {
        Ok(()) => format!("{what} written to {}", shown.display()),
        Err(error) => format!("could not write {}: {error}", shown.display()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::count(7), "7");
        assert_eq!(super::count(16_400), "16\u{2009}400");
        assert_eq!(super::count(1_234_567), "1\u{2009}234\u{2009}567");
    }
}
