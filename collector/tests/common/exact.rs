//! An exact solver for the tests of small-number suppression: which hidden counts a set of
//! sums fixes, found with fractions (not modulo a prime, as the collector does), so that a
//! mistake in one method is not in both.

// Elimination reads and writes rows by index, as it is written on paper.
#![allow(clippy::needless_range_loop)]

/// A fraction in lowest terms.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Q(i128, i128);

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs().max(1)
    } else {
        gcd(b, a % b)
    }
}

impl Q {
    fn new(n: i128, d: i128) -> Q {
        let g = gcd(n, d) * d.signum();
        Q(n / g, d / g)
    }
    fn zero(self) -> bool {
        self.0 == 0
    }
    fn sub(self, o: Q) -> Q {
        Q::new(self.0 * o.1 - o.0 * self.1, self.1 * o.1)
    }
    fn mul(self, o: Q) -> Q {
        Q::new(self.0 * o.0, self.1 * o.1)
    }
    fn div(self, o: Q) -> Q {
        Q::new(self.0 * o.1, self.1 * o.0)
    }
}

/// The hidden counts the sums fix, found with exact fractions: a different method from
/// the collector's (which works modulo a prime), so a mistake in one is not in both.
/// `sums` are (total, parts) over `n` counts.
pub fn solvable_exactly(n: usize, sums: &[(usize, Vec<usize>)], hidden: &[bool]) -> Vec<usize> {
    let unknowns: Vec<usize> = (0..n).filter(|&i| hidden[i]).collect();
    let mut rows: Vec<Vec<Q>> = sums
        .iter()
        .map(|(total, parts)| {
            unknowns
                .iter()
                .map(|&u| {
                    let mut c = parts.iter().filter(|&&p| p == u).count() as i128;
                    if *total == u {
                        c -= 1;
                    }
                    Q::new(c, 1)
                })
                .collect()
        })
        .collect();
    let mut pivots = Vec::new();
    let mut next = 0;
    for col in 0..unknowns.len() {
        let Some(found) = (next..rows.len()).find(|&r| !rows[r][col].zero()) else {
            continue;
        };
        rows.swap(next, found);
        let p = rows[next][col];
        rows[next] = rows[next].iter().map(|x| x.div(p)).collect();
        let pivot = rows[next].clone();
        for r in 0..rows.len() {
            if r != next && !rows[r][col].zero() {
                let f = rows[r][col];
                rows[r] = rows[r]
                    .iter()
                    .zip(&pivot)
                    .map(|(x, p)| x.sub(f.mul(*p)))
                    .collect();
            }
        }
        pivots.push((next, col));
        next += 1;
    }
    pivots
        .into_iter()
        .filter(|&(r, col)| {
            rows[r]
                .iter()
                .enumerate()
                .all(|(c, x)| c == col || x.zero())
        })
        .map(|(_, col)| unknowns[col])
        .collect()
}
