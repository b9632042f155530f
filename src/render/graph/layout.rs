//! Where the graph's nodes go: a force-directed layout, deterministic.

use wide::f32x4;

use super::{HEIGHT, MARGIN, WIDTH};
use crate::links::Relation;

/// Steps of the layout. 300 drew the same picture as 100 on the knowledge base and on
/// the 10,000-page generated site (screenshots compared) at three times the cost, paid
/// once per language; networkx's spring layout takes 50.
const ITERATIONS: usize = 100;

/// Every pair of nodes pushes apart with force `kk / d`: into `(sx, sy)`, overwritten.
/// Positions and shifts are kept as separate arrays, in `f32`, so that the pairs of one
/// node are taken four at a time in vector registers: 2.5 times fewer instructions than
/// one pair at a time in `f64`, for a drawing whose coordinates are written to 0.1 px.
fn repel(xs: &[f32], ys: &[f32], kk: f32, sx: &mut [f32], sy: &mut [f32]) {
    const LANES: usize = 4;
    sx.fill(0.0);
    sy.fill(0.0);
    let (kk4, least4) = (f32x4::splat(kk), f32x4::splat(LEAST_SQUARED));
    for i in 0..xs.len() {
        let (xi, yi) = (f32x4::splat(xs[i]), f32x4::splat(ys[i]));
        let (mut ax, mut ay) = (f32x4::ZERO, f32x4::ZERO);
        let (rest_x, rest_y) = (&xs[i + 1..], &ys[i + 1..]);
        let (rest_sx, rest_sy) = (&mut sx[i + 1..], &mut sy[i + 1..]);
        let whole = rest_x.len() / LANES * LANES;
        let chunks = (rest_x[..whole].chunks_exact(LANES))
            .zip(rest_y[..whole].chunks_exact(LANES))
            .zip(rest_sx[..whole].chunks_exact_mut(LANES))
            .zip(rest_sy[..whole].chunks_exact_mut(LANES));
        for (((cx, cy), csx), csy) in chunks {
            let dx = xi - lanes(cx);
            let dy = yi - lanes(cy);
            let f = kk4 / (dx * dx + dy * dy).max(least4);
            let (fx, fy) = (dx * f, dy * f);
            ax += fx;
            ay += fy;
            csx.copy_from_slice(&(lanes(csx) - fx).to_array());
            csy.copy_from_slice(&(lanes(csy) - fy).to_array());
        }
        let (mut tx, mut ty) = (ax.reduce_add(), ay.reduce_add());
        for j in whole..rest_x.len() {
            let (dx, dy) = (xs[i] - rest_x[j], ys[i] - rest_y[j]);
            let f = kk / (dx * dx + dy * dy).max(LEAST_SQUARED);
            tx += dx * f;
            ty += dy * f;
            rest_sx[j] -= dx * f;
            rest_sy[j] -= dy * f;
        }
        sx[i] += tx;
        sy[i] += ty;
    }
}

/// The least squared distance repulsion divides by: nodes on top of each other part.
const LEAST_SQUARED: f32 = 0.01;

/// Four numbers of a chunk of exactly four, as one vector.
fn lanes(chunk: &[f32]) -> f32x4 {
    let mut four = [0.0; 4];
    four.copy_from_slice(chunk);
    f32x4::from(four)
}

/// Fruchterman–Reingold: related nodes attract, all nodes repel, the step cools.
/// Deterministic: nodes start on a circle in page order.
pub(super) fn layout(n: usize, pairs: &[(usize, usize, &Relation)]) -> Vec<(f64, f64)> {
    let (w, h) = (
        (WIDTH - 2.0 * MARGIN) as f32,
        (HEIGHT - 2.0 * MARGIN) as f32,
    );
    let angle = |i: usize| i as f32 / n.max(1) as f32 * std::f32::consts::TAU;
    let mut xs: Vec<f32> = (0..n).map(|i| w / 2.0 + w / 2.5 * angle(i).cos()).collect();
    let mut ys: Vec<f32> = (0..n).map(|i| h / 2.0 + h / 2.5 * angle(i).sin()).collect();
    if n < 2 {
        let place = |v: f32| f64::from(v) + MARGIN;
        return xs
            .into_iter()
            .zip(ys)
            .map(|(x, y)| (place(x), place(y)))
            .collect();
    }
    let k = (w * h / n as f32).sqrt() * 0.8;
    let mut temperature = w / 8.0;
    let cooling = temperature / ITERATIONS as f32;
    let (mut sx, mut sy) = (vec![0.0; n], vec![0.0; n]);
    for _ in 0..ITERATIONS {
        repel(&xs, &ys, k * k, &mut sx, &mut sy);
        for &(a, b, _) in pairs {
            let (dx, dy) = (xs[a] - xs[b], ys[a] - ys[b]);
            let f = (dx * dx + dy * dy).sqrt().max(0.1) / k;
            sx[a] -= dx * f;
            sy[a] -= dy * f;
            sx[b] += dx * f;
            sy[b] += dy * f;
        }
        for i in 0..n {
            let len = (sx[i] * sx[i] + sy[i] * sy[i]).sqrt().max(0.01);
            let step = len.min(temperature);
            xs[i] = (xs[i] + sx[i] / len * step).clamp(0.0, w);
            ys[i] = (ys[i] + sy[i] / len * step).clamp(0.0, h);
        }
        temperature = (temperature - cooling).max(1.0);
    }
    // Repulsion leaves the drawing in the middle of the box: stretch it to fill the box.
    let span = |values: &[f32]| {
        let (lo, hi) = values
            .iter()
            .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        (lo, (hi - lo).max(1.0))
    };
    let ((x0, xw), (y0, yh)) = (span(&xs), span(&ys));
    let stretch = |v: f32, lo: f32, width: f32, to: f32| f64::from((v - lo) / width * to) + MARGIN;
    xs.into_iter()
        .zip(ys)
        .map(|(x, y)| (stretch(x, x0, xw, w), stretch(y, y0, yh, h)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four pairs at a time and the rest one by one give the forces of every pair.
    #[test]
    fn repulsion_takes_every_pair_once() {
        for n in 0..14 {
            let xs: Vec<f32> = (0..n).map(|i| (i * 37 % 101) as f32 * 7.0).collect();
            let ys: Vec<f32> = (0..n).map(|i| (i * 53 % 97) as f32 * 5.0).collect();
            let (mut sx, mut sy) = (vec![1.0; n], vec![1.0; n]);
            repel(&xs, &ys, 900.0, &mut sx, &mut sy);
            for i in 0..n {
                let (mut ex, mut ey) = (0.0f64, 0.0f64);
                for j in (0..n).filter(|&j| j != i) {
                    let (dx, dy) = (f64::from(xs[i] - xs[j]), f64::from(ys[i] - ys[j]));
                    let f = 900.0 / (dx * dx + dy * dy).max(0.01);
                    (ex, ey) = (ex + dx * f, ey + dy * f);
                }
                let close = |a: f32, b: f64| (f64::from(a) - b).abs() <= 1e-3 * b.abs().max(1.0);
                assert!(close(sx[i], ex) && close(sy[i], ey), "node {i} of {n}");
            }
        }
    }

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
