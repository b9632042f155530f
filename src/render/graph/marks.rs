//! How a kind is drawn: a shape and a colour, so that kinds differ for readers who do
//! not tell colours apart.

use std::fmt::Write;

/// The Okabe–Ito colours (without yellow and black, which vanish on a light or dark
/// background): told apart with the common forms of colour blindness.
const PALETTE: [&str; 6] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9",
];

/// The shapes kinds take in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
}

const SHAPES: [Shape; 4] = [
    Shape::Circle,
    Shape::Square,
    Shape::Triangle,
    Shape::Diamond,
];

/// A kind's mark: its shape and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    /// The shape.
    pub shape: Shape,
    /// The fill, `#rrggbb`.
    pub colour: &'static str,
}

impl Mark {
    /// The mark of the `n`th kind: shapes and colours cycle at different lengths (4
    /// and 6), so the first 12 kinds all differ.
    pub(crate) fn nth(n: usize) -> Mark {
        Mark {
            shape: SHAPES[n % SHAPES.len()],
            colour: PALETTE[n % PALETTE.len()],
        }
    }

    /// The mark of pages of `kind` (`None`: of no kind): by the kind's place in
    /// site.yaml, so that a kind looks the same on every graph.
    pub(crate) fn of_kind(config: &crate::config::SiteConfig, kind: Option<&str>) -> Mark {
        let n = kind
            .and_then(|k| config.kinds.get_index_of(k))
            .unwrap_or(config.kinds.len());
        Mark::nth(n)
    }

    /// The mark as an SVG element centred on `(x, y)`, of radius about `r`; whole pixels,
    /// which are plenty at this size and quick to write.
    pub(crate) fn svg(self, x: f64, y: f64, r: f64) -> String {
        let fill = self.colour;
        let px = |v: f64| v.round() as i64;
        let (cx, cy) = (px(x), px(y));
        let mut out = String::with_capacity(96);
        let _ = match self.shape {
            Shape::Circle => write!(
                out,
                "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{}\" fill=\"{fill}\"/>",
                px(r)
            ),
            Shape::Square => {
                let s = px(r * 0.9);
                write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"/>",
                    cx - s,
                    cy - s,
                    2 * s,
                    2 * s
                )
            }
            Shape::Triangle => {
                let (up, down, side) = (px(1.2 * r), px(0.8 * r), px(1.1 * r));
                write!(
                    out,
                    "<polygon points=\"{cx},{} {},{} {},{}\" fill=\"{fill}\"/>",
                    cy - up,
                    cx + side,
                    cy + down,
                    cx - side,
                    cy + down
                )
            }
            Shape::Diamond => {
                let d = px(1.2 * r);
                write!(
                    out,
                    "<polygon points=\"{cx},{} {},{cy} {cx},{} {},{cy}\" fill=\"{fill}\"/>",
                    cy - d,
                    cx + d,
                    cy + d,
                    cx - d
                )
            }
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_twelve_kinds_have_different_marks() {
        let marks: Vec<Mark> = (0..12).map(Mark::nth).collect();
        for i in 0..marks.len() {
            for j in (i + 1)..marks.len() {
                assert_ne!(marks[i], marks[j], "kinds {i} and {j}");
            }
        }
    }

    #[test]
    fn each_shape_is_drawn_around_its_centre() {
        for n in 0..4 {
            let svg = Mark::nth(n).svg(100.0, 50.0, 10.0);
            assert!(svg.starts_with('<') && svg.ends_with("/>"), "{svg}");
            assert!(svg.contains(Mark::nth(n).colour), "{svg}");
        }
        assert!(Mark::nth(0).svg(100.0, 50.0, 10.0).contains("cx=\"100\""));
    }
}
