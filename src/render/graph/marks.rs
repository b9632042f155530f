//! How a kind is drawn: a shape and a colour, so that kinds differ for readers who do
//! not tell colours apart.

use super::svg::Piece::{Int, Text};
use super::svg::push;

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

    /// The mark as an SVG element centred on `(x, y)`, of radius about `r`.
    pub(crate) fn svg(self, x: f64, y: f64, r: f64) -> String {
        let mut out = String::with_capacity(96);
        self.write_svg(&mut out, x, y, r);
        out
    }

    /// Appends the mark as an SVG element centred on `(x, y)`, of radius about `r`, to
    /// `out`; whole pixels, which are plenty at this size and quick to write.
    pub(crate) fn write_svg(self, out: &mut String, x: f64, y: f64, r: f64) {
        let fill = self.colour;
        let px = |v: f64| v.round() as i64;
        let (cx, cy) = (px(x), px(y));
        match self.shape {
            Shape::Circle => push(
                out,
                &[
                    Text("<circle cx=\""),
                    Int(cx),
                    Text("\" cy=\""),
                    Int(cy),
                    Text("\" r=\""),
                    Int(px(r)),
                ],
            ),
            Shape::Square => {
                let s = px(r * 0.9);
                push(
                    out,
                    &[
                        Text("<rect x=\""),
                        Int(cx - s),
                        Text("\" y=\""),
                        Int(cy - s),
                        Text("\" width=\""),
                        Int(2 * s),
                        Text("\" height=\""),
                        Int(2 * s),
                    ],
                );
            }
            Shape::Triangle => {
                let (up, down, side) = (px(1.2 * r), px(0.8 * r), px(1.1 * r));
                push(
                    out,
                    &[
                        Text("<polygon points=\""),
                        Int(cx),
                        Text(","),
                        Int(cy - up),
                        Text(" "),
                        Int(cx + side),
                        Text(","),
                        Int(cy + down),
                        Text(" "),
                        Int(cx - side),
                        Text(","),
                        Int(cy + down),
                    ],
                );
            }
            Shape::Diamond => {
                let d = px(1.2 * r);
                push(
                    out,
                    &[
                        Text("<polygon points=\""),
                        Int(cx),
                        Text(","),
                        Int(cy - d),
                        Text(" "),
                        Int(cx + d),
                        Text(","),
                        Int(cy),
                        Text(" "),
                        Int(cx),
                        Text(","),
                        Int(cy + d),
                        Text(" "),
                        Int(cx - d),
                        Text(","),
                        Int(cy),
                    ],
                );
            }
        }
        push(out, &[Text("\" fill=\""), Text(fill), Text("\"/>")]);
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
        let svgs: Vec<String> = (0..4)
            .map(|n| Mark::nth(n).svg(100.0, 50.0, 10.0))
            .collect();
        assert_eq!(
            svgs,
            [
                "<circle cx=\"100\" cy=\"50\" r=\"10\" fill=\"#0072b2\"/>",
                "<rect x=\"91\" y=\"41\" width=\"18\" height=\"18\" fill=\"#e69f00\"/>",
                "<polygon points=\"100,38 111,58 89,58\" fill=\"#009e73\"/>",
                "<polygon points=\"100,38 112,50 100,62 88,50\" fill=\"#cc79a7\"/>",
            ]
        );
    }
}
