//! Entries out of order, and each entry's nearest in-order neighbours.

use chrono::{DateTime, Datelike, FixedOffset};

use super::{Precision, Timeline};

/// Marks the outliers ([`out_of_order`]) and, per entry, the nearest timed, in-order entries
/// before and after it.
pub(super) fn mark(tl: &mut Timeline) {
    let mut outlier = vec![false; tl.entries.len()];
    for i in out_of_order(tl) {
        outlier[i] = true;
    }
    prefer_outside_window(tl, &mut outlier);
    let kept = |i: usize| !outlier[i] && tl.entries[i].at.is_some();
    let mut neighbours = vec![(None, None); tl.entries.len()];
    let mut last = None;
    for (i, n) in neighbours.iter_mut().enumerate() {
        n.0 = last;
        if kept(i) {
            last = Some(i);
        }
    }
    last = None;
    for (i, n) in neighbours.iter_mut().enumerate().rev() {
        n.1 = last;
        if kept(i) {
            last = Some(i);
        }
    }
    tl.outlier = outlier;
    tl.neighbours = neighbours;
}

/// Of two entries that break the order only with each other, blame the one outside the
/// stated window: a typo'd 11:50 (after an 11:48 end) before a correct 11:47.
fn prefer_outside_window(tl: &Timeline, outlier: &mut [bool]) {
    let (Some(start), Some(end)) = (&tl.window.start, &tl.window.end) else {
        return;
    };
    if start.precision != Precision::Minute || end.precision != Precision::Minute {
        return;
    }
    let inside = |a: DateTime<FixedOffset>| a >= start.at && a <= end.at;
    let at = |i: usize| tl.entries[i].at;
    for i in 0..tl.entries.len() {
        let Some(ai) = at(i).filter(|a| outlier[i] && inside(*a)) else {
            continue;
        };
        // The kept entry just before it, which it goes back from.
        let Some(p) = (0..i).rev().find(|&k| !outlier[k] && at(k).is_some()) else {
            continue;
        };
        if at(p).is_none_or(|a| a <= ai || inside(a)) {
            continue;
        }
        let before_ok = (0..p)
            .rev()
            .find(|&k| !outlier[k] && at(k).is_some())
            .is_none_or(|k| at(k) <= Some(ai));
        let after_ok = (i + 1..tl.entries.len())
            .find(|&k| !outlier[k] && at(k).is_some())
            .is_none_or(|k| at(k) >= Some(ai));
        if before_ok && after_ok {
            outlier[p] = true;
            outlier[i] = false;
        }
    }
}

/// Entries that break the order: those outside the longest non-decreasing run of the timed
/// entries, so the outlier is blamed and not its innocent neighbour. O(n log n).
pub fn out_of_order(tl: &Timeline) -> Vec<usize> {
    // Sort keys: an entry known only to the day (or month) sorts with the timed entries of
    // that day, never before them.
    let mut keys: Vec<(usize, DateTime<FixedOffset>)> = Vec::with_capacity(tl.entries.len());
    let mut last: Option<DateTime<FixedOffset>> = None;
    for (i, e) in tl.entries.iter().enumerate() {
        let Some(at) = e.at else { continue };
        let key = match (e.precision, last) {
            (Precision::Day, Some(l)) if l.date_naive() == at.date_naive() => l,
            (Precision::Month, Some(l)) if (l.year(), l.month()) == (at.year(), at.month()) => l,
            _ => at,
        };
        keys.push((i, key));
        last = Some(key);
    }
    // Patience sorting, run from the last entry backwards for the longest non-increasing run:
    // among runs of equal length this keeps the earlier entries, so the entry that goes back
    // in time is blamed, not the one before it. tails[k] ends the best run of length k+1.
    let mut tails: Vec<usize> = Vec::with_capacity(keys.len());
    let mut parent: Vec<Option<usize>> = vec![None; keys.len()];
    for k in (0..keys.len()).rev() {
        let key = keys[k].1;
        let pos = tails.partition_point(|&t| keys[t].1 >= key);
        if pos > 0 {
            parent[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![false; keys.len()];
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        keep[k] = true;
        cur = parent[k];
    }
    keys.iter()
        .zip(keep)
        .filter(|(_, kept)| !kept)
        .map(|((i, _), _)| *i)
        .collect()
}
