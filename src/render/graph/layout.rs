//! Where the graph's nodes go: a force-directed layout, deterministic.

use super::{HEIGHT, MARGIN, WIDTH};
use crate::links::Relation;

/// Steps of the layout. 300 drew the same picture as 100 on the knowledge base and on
/// the 10,000-page generated site (screenshots compared) at three times the cost, paid
/// once per language; networkx's spring layout takes 50.
const ITERATIONS: usize = 100;

/// Fruchterman–Reingold: related nodes attract, all nodes repel, the step cools.
/// Deterministic: nodes start on a circle in page order.
pub(super) fn layout(n: usize, pairs: &[(usize, usize, &Relation)]) -> Vec<(f64, f64)> {
    let (w, h) = (WIDTH - 2.0 * MARGIN, HEIGHT - 2.0 * MARGIN);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let angle = i as f64 / n.max(1) as f64 * std::f64::consts::TAU;
            (
                w / 2.0 + w / 2.5 * angle.cos(),
                h / 2.0 + h / 2.5 * angle.sin(),
            )
        })
        .collect();
    if n < 2 {
        return pos
            .into_iter()
            .map(|(x, y)| (x + MARGIN, y + MARGIN))
            .collect();
    }
    let k = (w * h / n as f64).sqrt() * 0.8;
    let mut temperature = w / 8.0;
    let cooling = temperature / ITERATIONS as f64;
    let mut shift = vec![(0.0, 0.0); n];
    for _ in 0..ITERATIONS {
        shift.iter_mut().for_each(|s| *s = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(0.01);
                let f = k * k / d2;
                shift[i].0 += dx * f;
                shift[i].1 += dy * f;
                shift[j].0 -= dx * f;
                shift[j].1 -= dy * f;
            }
        }
        for (a, b, _) in pairs {
            let (dx, dy) = (pos[*a].0 - pos[*b].0, pos[*a].1 - pos[*b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.1);
            let f = d / k;
            shift[*a].0 -= dx * f;
            shift[*a].1 -= dy * f;
            shift[*b].0 += dx * f;
            shift[*b].1 += dy * f;
        }
        for i in 0..n {
            let (sx, sy) = shift[i];
            let len = (sx * sx + sy * sy).sqrt().max(0.01);
            let step = len.min(temperature);
            pos[i].0 = (pos[i].0 + sx / len * step).clamp(0.0, w);
            pos[i].1 = (pos[i].1 + sy / len * step).clamp(0.0, h);
        }
        temperature = (temperature - cooling).max(1.0);
    }
    // Repulsion leaves the drawing in the middle of the box: stretch it to fill the box.
    let span = |pick: fn(&(f64, f64)) -> f64| {
        let (lo, hi) = pos
            .iter()
            .map(pick)
            .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        (lo, (hi - lo).max(1.0))
    };
    let ((x0, xs), (y0, ys)) = (span(|p| p.0), span(|p| p.1));
    pos.into_iter()
        .map(|(x, y)| ((x - x0) / xs * w + MARGIN, (y - y0) / ys * h + MARGIN))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_keeps_nodes_inside_and_apart() {
        let rel = Relation::Ref { field: "x".into() };
        let pairs: Vec<(usize, usize, &Relation)> = (0..9).map(|i| (i, i + 1, &rel)).collect();
        let pos = layout(10, &pairs);
        for &(x, y) in &pos {
            assert!((MARGIN..=WIDTH - MARGIN).contains(&x), "{x}");
            assert!((MARGIN..=HEIGHT - MARGIN).contains(&y), "{y}");
        }
        for i in 0..pos.len() {
            for j in (i + 1)..pos.len() {
                let d = ((pos[i].0 - pos[j].0).powi(2) + (pos[i].1 - pos[j].1).powi(2)).sqrt();
                assert!(d > 5.0, "nodes {i} and {j} overlap");
            }
        }
        assert_eq!(layout(10, &pairs), pos, "deterministic");
    }
}
