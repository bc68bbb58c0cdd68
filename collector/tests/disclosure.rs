//! Small numbers never show: for random tables, no count below the threshold is visible
//! and no hidden count can be solved from the counts and totals shown, checked by an
//! independent exact solver; and the same for the views a page shows together, and for a
//! breakdown of a breakdown.

// The tables are built by row, column and layer index, as they are written on paper.
#![allow(clippy::needless_range_loop)]

mod common;

use common::exact::solvable_exactly;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use voices_collector::disclosure::{Counts, CrossTable, MIN_THRESHOLD, one_way};

/// The sums of a table, as the test sees them (rebuilt from its shape, not read back).
fn cross_sums(rows: usize, columns: usize) -> Vec<(usize, Vec<usize>)> {
    let t = CrossTable::new(&vec![vec![0; columns]; rows]);
    let mut sums = Vec::new();
    for r in 0..rows {
        sums.push((t.row_total(r), (0..columns).map(|c| t.cell(r, c)).collect()));
    }
    for c in 0..columns {
        sums.push((t.column_total(c), (0..rows).map(|r| t.cell(r, c)).collect()));
    }
    sums.push((t.grand_total(), (0..rows).map(|r| t.row_total(r)).collect()));
    sums.push((
        t.grand_total(),
        (0..columns).map(|c| t.column_total(c)).collect(),
    ));
    sums
}

#[track_caller]
fn assert_protected(
    counts: &Counts,
    sums: &[(usize, Vec<usize>)],
    hidden: &[bool],
    threshold: u64,
) {
    for i in 0..counts.len() {
        let v = counts.value(i);
        assert!(
            hidden[i] || v == 0 || v >= threshold,
            "count {i} = {v} shows below {threshold}"
        );
    }
    let solved = solvable_exactly(counts.len(), sums, hidden);
    assert!(
        solved.is_empty(),
        "hidden counts {solved:?} can be solved: {hidden:?}"
    );
}

fn table() -> impl Strategy<Value = (Vec<Vec<u64>>, u64)> {
    (1usize..6, 1usize..6, MIN_THRESHOLD..9).prop_flat_map(|(rows, columns, threshold)| {
        // Small counts, many below the threshold, some zero.
        let cell = prop_oneof![3 => 0u64..4, 2 => 0u64..12, 1 => 0u64..60];
        (
            proptest::collection::vec(proptest::collection::vec(cell, columns), rows),
            Just(threshold),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_cross_table_shows_no_small_count_and_hides_nothing_solvable((cells, threshold) in table()) {
        let table = CrossTable::new(&cells);
        let hidden = table.counts.protect(threshold, &[], &[]);
        assert_protected(&table.counts, &cross_sums(table.rows, table.columns), &hidden, threshold);
    }

    #[test]
    fn a_one_way_table_shows_no_small_count_and_hides_nothing_solvable((cells, threshold) in table()) {
        let (counts, total) = one_way(&cells[0]);
        let hidden = counts.protect(threshold, &[], &[]);
        let sums = vec![(total, (0..cells[0].len()).collect())];
        assert_protected(&counts, &sums, &hidden, threshold);
    }

    /// A page shows a question's answers, who answered by a characteristic, and the one by
    /// the other: the two one-way tables are the cross table's totals, and hide the same.
    #[test]
    fn views_shown_together_agree_and_reveal_nothing_together((cells, threshold) in table()) {
        let columns: Vec<u64> = (0..cells[0].len()).map(|c| cells.iter().map(|r| r[c]).sum()).collect();
        let rows: Vec<u64> = cells.iter().map(|r| r.iter().sum()).collect();
        let (by_column, _) = one_way(&columns);
        let (by_row, _) = one_way(&rows);
        let column_hidden = by_column.protect(threshold, &[], &[]);
        let row_hidden = by_row.protect(threshold, &[], &[]);

        let table = CrossTable::new(&cells);
        let mut shown = Vec::new();
        let mut hidden = Vec::new();
        for (c, &h) in column_hidden.iter().take(columns.len()).enumerate() {
            if h { hidden.push(table.column_total(c)) } else { shown.push(table.column_total(c)) }
        }
        for (r, &h) in row_hidden.iter().take(rows.len()).enumerate() {
            if h { hidden.push(table.row_total(r)) } else { shown.push(table.row_total(r)) }
        }
        let grand_hidden = column_hidden[columns.len()] || row_hidden[rows.len()];
        if grand_hidden { hidden.push(table.grand_total()) } else { shown.push(table.grand_total()) }

        let cross_hidden = table.counts.protect(threshold, &shown, &hidden);
        // Each total is hidden in the cross table exactly when its own view hides it.
        for c in 0..columns.len() {
            prop_assert_eq!(cross_hidden[table.column_total(c)], column_hidden[c]);
        }
        for r in 0..rows.len() {
            prop_assert_eq!(cross_hidden[table.row_total(r)], row_hidden[r]);
        }
        // And all three views together reveal nothing: the cross table's sums hold every
        // equation the one-way views add.
        assert_protected(&table.counts, &cross_sums(table.rows, table.columns), &cross_hidden, threshold);
    }
}

/// A new count, the total of `parts`.
fn total_of(counts: &mut Counts, sums: &mut Vec<(usize, Vec<usize>)>, parts: Vec<usize>) -> usize {
    let total = counts.count(parts.iter().map(|&p| counts.value(p)).sum());
    also_sum(counts, sums, total, parts);
    total
}

/// Another sum that `total` is.
fn also_sum(
    counts: &mut Counts,
    sums: &mut Vec<(usize, Vec<usize>)>,
    total: usize,
    parts: Vec<usize>,
) {
    counts.sum(total, &parts);
    sums.push((total, parts));
}

/// A breakdown of a breakdown (answers by disability, within each age band): a three-way
/// table with every two-way and one-way total, protected as one, reveals nothing.
#[test]
fn a_breakdown_of_a_breakdown_reveals_nothing() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..150 {
        let (dims, values, threshold) = (
            (2usize..4, 2usize..4, 2usize..4),
            proptest::collection::vec(prop_oneof![2 => 0u64..4, 1 => 0u64..15], 27),
            MIN_THRESHOLD..7,
        )
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let (a, b, c) = dims;
        let mut counts = Counts::new();
        let mut sums: Vec<(usize, Vec<usize>)> = Vec::new();
        let cell: Vec<usize> = (0..a * b * c).map(|i| counts.count(values[i])).collect();
        let at = |i: usize, j: usize, k: usize| cell[(i * b + j) * c + k];
        // Every line of the cube, then every line of its faces, then the grand total.
        let mut ab = vec![vec![0; b]; a];
        let mut ac = vec![vec![0; c]; a];
        let mut bc = vec![vec![0; c]; b];
        for i in 0..a {
            for j in 0..b {
                ab[i][j] = total_of(
                    &mut counts,
                    &mut sums,
                    (0..c).map(|k| at(i, j, k)).collect(),
                );
            }
        }
        for i in 0..a {
            for k in 0..c {
                ac[i][k] = total_of(
                    &mut counts,
                    &mut sums,
                    (0..b).map(|j| at(i, j, k)).collect(),
                );
            }
        }
        for j in 0..b {
            for k in 0..c {
                bc[j][k] = total_of(
                    &mut counts,
                    &mut sums,
                    (0..a).map(|i| at(i, j, k)).collect(),
                );
            }
        }
        let a_totals: Vec<usize> = (0..a)
            .map(|i| total_of(&mut counts, &mut sums, ab[i].clone()))
            .collect();
        let b_totals: Vec<usize> = (0..b)
            .map(|j| total_of(&mut counts, &mut sums, bc[j].clone()))
            .collect();
        let c_totals: Vec<usize> = (0..c)
            .map(|k| total_of(&mut counts, &mut sums, (0..a).map(|i| ac[i][k]).collect()))
            .collect();
        for i in 0..a {
            also_sum(&mut counts, &mut sums, a_totals[i], ac[i].clone());
        }
        for j in 0..b {
            also_sum(
                &mut counts,
                &mut sums,
                b_totals[j],
                (0..a).map(|i| ab[i][j]).collect(),
            );
        }
        for k in 0..c {
            also_sum(
                &mut counts,
                &mut sums,
                c_totals[k],
                (0..b).map(|j| bc[j][k]).collect(),
            );
        }
        let grand = total_of(&mut counts, &mut sums, a_totals.clone());
        also_sum(&mut counts, &mut sums, grand, b_totals.clone());
        also_sum(&mut counts, &mut sums, grand, c_totals.clone());

        let hidden = counts.protect(threshold, &[], &[]);
        assert_protected(&counts, &sums, &hidden, threshold);
    }
}

#[test]
fn a_small_count_and_the_next_smallest_beside_it_are_hidden() {
    let (counts, total) = one_way(&[12, 3, 20, 0]);
    let hidden = counts.protect(5, &[], &[]);
    // 3 is below 5; 12 goes too, or 3 would be 35 − 12 − 20 − 0. The zero and the total show.
    assert_eq!(hidden, [true, true, false, false, false]);
    assert!(!hidden[total]);
    // Nothing below the threshold: nothing hidden.
    assert_eq!(one_way(&[0, 12, 20]).0.protect(5, &[], &[]), [false; 4]);
    // A threshold below 3 is taken as 3.
    assert_eq!(
        one_way(&[2, 12, 20]).0.protect(1, &[], &[]),
        [true, true, false, false]
    );
}
