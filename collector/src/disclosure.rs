//! Small numbers never shown: which counts of a table to hide so that no count below the
//! threshold shows, and no hidden count can be worked out from the counts and totals shown.
//!
//! A table is a set of counts and the sums that tie them together (each total is the sum
//! of its parts). Counts from 1 to one below the threshold are hidden first (primary
//! suppression). Then, while a hidden count can still be solved from the sums and the
//! counts shown (it is the only unknown left in a sum, or follows from several sums
//! together), another count in one of its sums is hidden too (secondary suppression),
//! the smallest non-zero count first, a total last. Whether a hidden count can be solved
//! is decided exactly, by linear algebra over the sums, not by a rule of thumb.
//!
//! What this does not stop (said where staff read the figures, in docs/reach.md): bounds
//! (a hidden count is at least 1 when zeros are shown), and differences between views
//! of the data that are protected separately.

/// Counts below this are hidden unless a survey sets its own.
pub const DEFAULT_THRESHOLD: u64 = 5;
/// No survey may set a lower threshold: counts of 1 and 2 are always hidden.
pub const MIN_THRESHOLD: u64 = 3;

/// Counts, and the sums that tie them together.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    values: Vec<u64>,
    /// Each sum: its total's index, the total's factor, then its parts' indices.
    sums: Vec<(usize, u64, Vec<usize>)>,
}

impl Counts {
    pub fn new() -> Counts {
        Counts::default()
    }

    /// A count; returns its index.
    pub fn count(&mut self, value: u64) -> usize {
        self.values.push(value);
        self.values.len() - 1
    }

    /// Says that the count at `total` is the sum of the counts at `parts`.
    pub fn sum(&mut self, total: usize, parts: &[usize]) {
        self.sum_times(total, 1, parts);
    }

    /// Says that `factor` times the count at `total` is the sum of the counts at `parts`
    /// (a question where each person chooses exactly `factor` answers).
    pub fn sum_times(&mut self, total: usize, factor: u64, parts: &[usize]) {
        self.sums.push((total, factor, parts.to_vec()));
    }

    pub fn value(&self, index: usize) -> u64 {
        self.values[index]
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    fn is_total(&self, index: usize) -> bool {
        self.sums.iter().any(|(total, _, _)| *total == index)
    }

    /// Which counts to hide at `threshold`. `shown` are counts another view of the same
    /// data shows (so hiding them here would protect nothing: others are hidden instead);
    /// `hidden` are counts another view hides (so they are hidden here too).
    pub fn protect(&self, threshold: u64, shown: &[usize], hidden: &[usize]) -> Vec<bool> {
        self.protect_with(threshold, shown, hidden, &[], &[])
    }

    /// Like [`Counts::protect`], with counts that no view shows but a reader may work out
    /// from the others. `unshown` ones (how many in a group answered a question; a filter's
    /// rest, answer by answer) are kept from being worked out when small, like any hidden
    /// count; large or zero, they may be. `margins` (how many a filter leaves out in all,
    /// which is everyone less those it matches) may always be worked out: like the sum of a
    /// table's hidden rows, they say nothing about anyone's answers.
    pub fn protect_with(
        &self,
        threshold: u64,
        shown: &[usize],
        hidden: &[usize],
        unshown: &[usize],
        margins: &[usize],
    ) -> Vec<bool> {
        let threshold = threshold.max(MIN_THRESHOLD);
        let mut may_be_solved = vec![false; self.values.len()];
        for &i in unshown {
            let v = self.values[i];
            may_be_solved[i] = v == 0 || v >= threshold;
        }
        for &i in margins {
            may_be_solved[i] = true;
        }
        let unshown: Vec<usize> = unshown.iter().chain(margins).copied().collect();
        let mut hide: Vec<bool> = self
            .values
            .iter()
            .map(|&v| v > 0 && v < threshold)
            .collect();
        let mut pinned = vec![false; self.values.len()];
        for &i in shown {
            pinned[i] = true;
        }
        for &i in hidden.iter().chain(&unshown) {
            hide[i] = true;
            pinned[i] = false;
        }
        // Which sums each count is in.
        let mut sums_of: Vec<Vec<usize>> = vec![Vec::new(); self.values.len()];
        for (s, (total, _, parts)) in self.sums.iter().enumerate() {
            for &i in parts.iter().chain([total]) {
                sums_of[i].push(s);
            }
        }
        let members = |s: usize| {
            let (total, _, parts) = &self.sums[s];
            parts.iter().copied().chain([*total])
        };
        let solvable_now = |hide: &[bool]| -> Vec<usize> {
            self.solvable(hide)
                .into_iter()
                .filter(|&i| !may_be_solved[i])
                .collect()
        };
        loop {
            let solvable = solvable_now(&hide);
            if solvable.is_empty() {
                return hide;
            }
            let mut added = false;
            // Hiding one count can leave others unsolvable, near it or through a chain of
            // sums: each is looked at again (solving once more only when something was
            // hidden since), so that nothing is hidden that need not be.
            let mut still: Option<Vec<bool>> = None;
            for &cell in &solvable {
                let now = still.get_or_insert_with(|| {
                    let mut now = vec![false; self.values.len()];
                    for i in solvable_now(&hide) {
                        now[i] = true;
                    }
                    now
                });
                if !now[cell] {
                    continue;
                }
                // The best count to hide beside it: in a sum with it, not already hidden
                // or shown elsewhere; a non-zero count before a zero, a part before a
                // total, then the smallest.
                let candidate = sums_of[cell]
                    .iter()
                    .flat_map(|&s| members(s))
                    .filter(|&i| i != cell && !hide[i] && !pinned[i])
                    .min_by_key(|&i| (self.values[i] == 0, self.is_total(i), self.values[i]));
                if let Some(i) = candidate {
                    hide[i] = true;
                    added = true;
                    still = None;
                }
            }
            if !added {
                // Nothing beside it can be hidden: hide every count not shown elsewhere.
                // What can still be solved then follows from counts other views show.
                for (i, hidden) in hide.iter_mut().enumerate() {
                    if !pinned[i] {
                        *hidden = true;
                    }
                }
                return hide;
            }
        }
    }

    /// The hidden counts that can be worked out from the sums and the counts shown.
    ///
    /// The sums are linear equations in the hidden counts (the counts shown are known).
    /// A hidden count is fixed by them exactly when the equations, reduced to row echelon
    /// form, have a row that names it alone. The arithmetic is modulo a large prime, which
    /// gives the rank over the rationals for matrices of small whole numbers like these.
    pub fn solvable(&self, hidden: &[bool]) -> Vec<usize> {
        let unknowns: Vec<usize> = (0..self.values.len()).filter(|&i| hidden[i]).collect();
        if unknowns.is_empty() {
            return Vec::new();
        }
        let mut columns = vec![None; self.values.len()];
        for (c, &u) in unknowns.iter().enumerate() {
            columns[u] = Some(c);
        }
        let column = |i: usize| columns[i];
        let mut rows: Vec<Vec<u64>> = self
            .sums
            .iter()
            .map(|(total, factor, parts)| {
                let mut row = vec![0; unknowns.len()];
                if let Some(c) = column(*total) {
                    row[c] = sub(row[c], *factor % PRIME);
                }
                for &part in parts {
                    if let Some(c) = column(part) {
                        row[c] = add(row[c], 1);
                    }
                }
                row
            })
            .filter(|row| row.iter().any(|&x| x != 0))
            .collect();
        let pivots = reduce(&mut rows, unknowns.len());
        pivots
            .into_iter()
            .zip(&rows)
            .filter(|(pivot, row)| row.iter().enumerate().all(|(c, &x)| c == *pivot || x == 0))
            .map(|(pivot, _)| unknowns[pivot])
            .collect()
    }
}

/// The prime 2⁶¹ − 1.
const PRIME: u64 = (1 << 61) - 1;

fn add(a: u64, b: u64) -> u64 {
    (a + b) % PRIME
}

fn sub(a: u64, b: u64) -> u64 {
    (a + PRIME - b) % PRIME
}

fn mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn inverse(a: u64) -> u64 {
    // Fermat: a^(p-2) is a's inverse modulo a prime.
    let (mut base, mut exponent, mut result) = (a, PRIME - 2, 1);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = mul(result, base);
        }
        base = mul(base, base);
        exponent >>= 1;
    }
    result
}

/// Reduces `rows` to reduced row echelon form in place (keeping only its non-zero rows);
/// returns each remaining row's pivot column.
fn reduce(rows: &mut Vec<Vec<u64>>, columns: usize) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut next = 0;
    for column in 0..columns {
        let Some(found) = (next..rows.len()).find(|&r| rows[r][column] != 0) else {
            continue;
        };
        rows.swap(next, found);
        let scale = inverse(rows[next][column]);
        for x in rows[next].iter_mut() {
            *x = mul(*x, scale);
        }
        let pivot_row = rows[next].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != next && row[column] != 0 {
                let factor = row[column];
                for (x, &p) in row.iter_mut().zip(&pivot_row) {
                    *x = sub(*x, mul(factor, p));
                }
            }
        }
        pivots.push(column);
        next += 1;
        if next == rows.len() {
            break;
        }
    }
    rows.truncate(next);
    pivots
}

/// A table of counts by row and column, with each row's total, each column's total and
/// the grand total: the shape of a question broken down by a characteristic.
#[derive(Debug, Clone)]
pub struct CrossTable {
    pub counts: Counts,
    pub rows: usize,
    pub columns: usize,
}

impl CrossTable {
    /// `cells[row][column]`; every row as long as the first.
    pub fn new(cells: &[Vec<u64>]) -> CrossTable {
        let rows = cells.len();
        let columns = cells.first().map_or(0, Vec::len);
        let mut counts = Counts::new();
        for row in cells {
            for &value in row {
                counts.count(value);
            }
        }
        let row_totals: Vec<usize> = cells
            .iter()
            .map(|row| counts.count(row.iter().sum()))
            .collect();
        let column_totals: Vec<usize> = (0..columns)
            .map(|c| counts.count(cells.iter().map(|row| row[c]).sum()))
            .collect();
        let grand = counts.count(cells.iter().flatten().sum());
        for (r, &total) in row_totals.iter().enumerate() {
            let parts: Vec<usize> = (0..columns).map(|c| r * columns + c).collect();
            counts.sum(total, &parts);
        }
        for (c, &total) in column_totals.iter().enumerate() {
            let parts: Vec<usize> = (0..rows).map(|r| r * columns + c).collect();
            counts.sum(total, &parts);
        }
        counts.sum(grand, &row_totals);
        counts.sum(grand, &column_totals);
        CrossTable {
            counts,
            rows,
            columns,
        }
    }

    pub fn cell(&self, row: usize, column: usize) -> usize {
        row * self.columns + column
    }

    pub fn row_total(&self, row: usize) -> usize {
        self.rows * self.columns + row
    }

    pub fn column_total(&self, column: usize) -> usize {
        self.rows * self.columns + self.rows + column
    }

    pub fn grand_total(&self) -> usize {
        self.rows * self.columns + self.rows + self.columns
    }
}

/// One count per group and their total: the shape of a question's answers, or of who
/// answered by one characteristic.
pub fn one_way(values: &[u64]) -> (Counts, usize) {
    let mut counts = Counts::new();
    let parts: Vec<usize> = values.iter().map(|&v| counts.count(v)).collect();
    let total = counts.count(values.iter().sum());
    counts.sum(total, &parts);
    (counts, total)
}
