//! Where the graph's labels go and at which zoom they appear: each label tries the sides
//! of its mark (the preferred one first); on a dense graph the labels of the most
//! connected pages are shown at once, the others from the zoom at which they no longer
//! overlap a label shown before them (the page's script draws labels and marks smaller
//! as it zooms in), and the rest only when their page is highlighted. Without
//! JavaScript the first level is what a reader sees; no two labels overlap.

/// The zoom levels at which a label can first appear; the label is drawn at
/// 1/level of its size then.
pub(crate) const LEVELS: [u8; 4] = [1, 2, 4, 8];

/// Width of a character and height of a line of a label at level 1, in the drawing's
/// units (13 px text; a generous estimate, so that estimated boxes do not overlap
/// when drawn ones would).
const CHAR_WIDTH: f64 = 7.2;
const LINE_HEIGHT: f64 = 16.0;

/// Which side of its mark a label sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Right,
    Left,
    Above,
    Below,
}

impl Side {
    /// The SVG `text-anchor` of a label on this side.
    pub(crate) fn anchor(self) -> &'static str {
        match self {
            Side::Right => "start",
            Side::Left => "end",
            Side::Above | Side::Below => "middle",
        }
    }

    /// How far the label's anchor lies from its mark's centre at level 1, for a mark
    /// of radius `r`: `(dx, dy)` in the drawing's units.
    pub(crate) fn offset(self, r: f64) -> (f64, f64) {
        let gap = r + 3.0;
        match self {
            Side::Right => (gap, 0.0),
            Side::Left => (-gap, 0.0),
            Side::Above => (0.0, -(gap + LINE_HEIGHT / 2.0)),
            Side::Below => (0.0, gap + LINE_HEIGHT / 2.0),
        }
    }
}

/// A page's label to place.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label {
    /// The centre of the page's mark, in the drawing's units.
    pub x: f64,
    /// The centre of the page's mark.
    pub y: f64,
    /// The mark's radius at level 1; like the text, it shrinks as the graph zooms in
    /// (the mark keeps its size on screen).
    pub r: f64,
    /// The side tried first (away from the nearer edge of the drawing).
    pub preferred: Side,
    /// Characters in the text.
    pub chars: usize,
}

/// Where a label went: its side and the first zoom level at which it is shown (`None`:
/// only when its page is highlighted, on its preferred side).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    /// The side of its mark.
    pub side: Side,
    /// The first zoom level at which it is shown.
    pub level: Option<u8>,
}

impl Label {
    /// The sides to try, the preferred one first.
    fn sides(&self) -> [Side; 4] {
        match self.preferred {
            Side::Left => [Side::Left, Side::Right, Side::Above, Side::Below],
            _ => [Side::Right, Side::Left, Side::Above, Side::Below],
        }
    }

    /// The label's box on `side` at zoom `level`: `(left, top, right, bottom)`.
    fn bounds(&self, side: Side, level: u8) -> (f64, f64, f64, f64) {
        let scale = f64::from(level);
        let width = self.chars as f64 * CHAR_WIDTH / scale;
        let half = LINE_HEIGHT / scale / 2.0;
        let (dx, dy) = side.offset(self.r);
        let (ax, ay) = (self.x + dx / scale, self.y + dy / scale);
        let left = match side {
            Side::Right => ax,
            Side::Left => ax - width,
            Side::Above | Side::Below => ax - width / 2.0,
        };
        (left, ay - half, left + width, ay + half)
    }
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Places `labels` in `order` (most important first): each gets the lowest level, and
/// at that level the first side, at which it lies inside `area` (left, top, right,
/// bottom) and, at that zoom and every higher one, overlaps no label placed before it.
pub(crate) fn place(labels: &[Label], order: &[usize], area: (f64, f64, f64, f64)) -> Vec<Placed> {
    let inside =
        |b: (f64, f64, f64, f64)| b.0 >= area.0 && b.1 >= area.1 && b.2 <= area.2 && b.3 <= area.3;
    let mut placed: Vec<Placed> = labels
        .iter()
        .map(|l| Placed {
            side: l.preferred,
            level: None,
        })
        .collect();
    let mut shown: Vec<usize> = Vec::with_capacity(labels.len());
    for &i in order {
        let fits = |side: Side, from: u8| {
            inside(labels[i].bounds(side, from))
                && LEVELS.iter().filter(|z| **z >= from).all(|&z| {
                    let mine = labels[i].bounds(side, z);
                    shown.iter().all(|&j| {
                        placed[j].level.is_none_or(|lj| lj > z)
                            || !overlap(mine, labels[j].bounds(placed[j].side, z))
                    })
                })
        };
        let found = LEVELS.iter().find_map(|&level| {
            let side = labels[i].sides().into_iter().find(|s| fits(*s, level))?;
            Some(Placed {
                side,
                level: Some(level),
            })
        });
        if let Some(found) = found {
            placed[i] = found;
            shown.push(i);
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: (f64, f64, f64, f64) = (-1000.0, -1000.0, 1000.0, 1000.0);

    fn label(x: f64, y: f64) -> Label {
        Label {
            x,
            y,
            r: 0.0,
            preferred: Side::Right,
            chars: 10,
        }
    }

    fn levels(placed: &[Placed]) -> Vec<Option<u8>> {
        placed.iter().map(|p| p.level).collect()
    }

    #[test]
    fn labels_far_apart_are_all_shown_at_once_on_their_preferred_side() {
        let labels = [label(0.0, 0.0), label(0.0, 100.0), label(200.0, 0.0)];
        let placed = place(&labels, &[0, 1, 2], AREA);
        assert_eq!(levels(&placed), vec![Some(1); 3]);
        assert!(placed.iter().all(|p| p.side == Side::Right));
    }

    #[test]
    fn a_label_in_the_way_moves_to_another_side() {
        // The second label would cover the first on the right, and fits on the left.
        let labels = [label(0.0, 0.0), label(-20.0, 0.0)];
        let placed = place(&labels, &[0, 1], AREA);
        assert_eq!(levels(&placed), vec![Some(1), Some(1)]);
        assert_eq!(placed[1].side, Side::Left);
    }

    #[test]
    fn a_label_with_no_room_waits_for_the_zoom_at_which_it_fits() {
        // A row of labels 40 units apart: 10 characters are 72 units wide at level 1.
        let labels: Vec<Label> = (0..3).map(|i| label(40.0 * f64::from(i), 0.0)).collect();
        let placed = place(&labels, &[1, 0, 2], AREA);
        assert_eq!(placed[1].level, Some(1));
        assert!(placed[0].level.is_some_and(|l| l <= 2), "{placed:?}");
        assert!(placed.iter().all(|p| p.level.is_some()), "{placed:?}");
    }

    #[test]
    fn a_label_with_no_room_at_any_zoom_is_left_for_highlighting() {
        // At the same point, scaled alike at every zoom: the second takes the left
        // side; a third overlaps one of them wherever it goes.
        let labels = [label(0.0, 0.0), label(0.0, 0.0), label(0.0, 0.0)];
        let placed = place(&labels, &[0, 1, 2], AREA);
        assert_eq!(levels(&placed), vec![Some(1), Some(1), None]);
        assert_eq!(placed[1].side, Side::Left);
    }

    #[test]
    fn a_label_that_would_run_out_of_the_drawing_goes_where_it_fits() {
        let labels = [label(990.0, 0.0), label(-990.0, 0.0)];
        let placed = place(&labels, &[0, 1], AREA);
        assert_eq!(placed[0].side, Side::Left);
        assert_eq!(placed[1].side, Side::Right);
    }

    #[test]
    fn no_two_labels_shown_at_a_zoom_overlap_there() {
        // A dense scatter of labels, as on a graph of hundreds of pages.
        let labels: Vec<Label> = (0..300)
            .map(|i| Label {
                x: f64::from((i * 37) % 900),
                y: f64::from((i * 53) % 640),
                r: 8.0,
                preferred: if i % 2 == 0 { Side::Left } else { Side::Right },
                chars: 8 + (i % 20) as usize,
            })
            .collect();
        let order: Vec<usize> = (0..labels.len()).collect();
        let placed = place(&labels, &order, AREA);
        for z in LEVELS {
            let shown: Vec<usize> = (0..labels.len())
                .filter(|i| placed[*i].level.is_some_and(|l| l <= z))
                .collect();
            for (n, &i) in shown.iter().enumerate() {
                for &j in &shown[n + 1..] {
                    let (a, b) = (
                        labels[i].bounds(placed[i].side, z),
                        labels[j].bounds(placed[j].side, z),
                    );
                    assert!(!overlap(a, b), "{i} and {j} at {z}");
                }
            }
        }
        let first = placed.iter().filter(|p| p.level == Some(1)).count();
        assert!((1..300).contains(&first), "{first} shown at once");
    }
}
