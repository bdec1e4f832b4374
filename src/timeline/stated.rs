//! What the document states outside its timeline entries (fields, summary prose), and what
//! all its expressions settle together: the date order, the zone and the year.

use crate::document::{Document, FieldName};
use crate::time::{self, Found};

use super::entries::Candidates;
use super::milestones::milestone_of_field;
use super::resolve::{Context, DateOrder, Unresolved, hint_order, resolve};
use super::{Source, Stated, Timeline, scan_at_most, zone_word};

/// The expressions of the fields and the summary, scanned before anything is resolved.
pub(super) struct Scanned {
    pub fields: Vec<(FieldName, Found)>,
    /// Summary prose: its first range is the window when no field states one.
    pub summary: Vec<Found>,
    /// The title's date, the day of last resort for times of day.
    pub title: Option<Found>,
}

/// What the whole document settles for reading any one expression.
pub(super) struct Settled {
    /// `None` when nothing settles it (`Timeline::order`).
    pub stated_order: Option<DateOrder>,
    pub order: DateOrder,
    pub zone_stated: bool,
    /// The document's year and zone; no date.
    pub base: Context,
}

pub(super) fn scan(doc: &Document) -> Scanned {
    let mut fields: Vec<(FieldName, Found)> = Vec::new();
    for f in &doc.fields {
        if matches!(
            f.name,
            FieldName::Start
                | FieldName::End
                | FieldName::Duration
                | FieldName::Detected
                | FieldName::Mitigated
                | FieldName::Resolved
                | FieldName::Date
                | FieldName::Timezone
        ) {
            for found in scan_at_most(doc, &f.value_span, 2) {
                fields.push((f.name, found));
            }
        }
    }
    let mut summary: Vec<Found> = Vec::new();
    for span in doc.summary_spans() {
        summary.extend(scan_at_most(doc, &span, 8));
    }
    let title = doc.title.as_ref().and_then(|t| {
        time::scan(&t.text)
            .into_iter()
            .find(|f| f.start.month.is_some() && f.start.day.is_some())
    });
    Scanned {
        fields,
        summary,
        title,
    }
}

/// The document's date order, zone and year, from every expression it states.
pub(super) fn settle(
    doc: &Document,
    config: &crate::Config,
    scanned: &Scanned,
    candidates: &Candidates,
) -> Settled {
    let (stated_order, any_zone) = date_order(config, scanned, candidates);
    let fm_zone = doc
        .fields
        .iter()
        .filter(|f| f.name == FieldName::Timezone)
        .find_map(|f| {
            zone_word(&f.value.to_ascii_uppercase()).or_else(|| time::zone::iana(f.value.trim()))
        });
    let field_zone = scanned
        .fields
        .iter()
        .find_map(|(_, f)| f.start.zone.or(f.end.as_ref().and_then(|e| e.zone)));
    let summary_zone = scanned.summary.iter().find_map(|f| f.start.zone);
    let doc_zone = field_zone.or(fm_zone).or(summary_zone).or(config.timezone);
    let raw = &candidates.raw;
    let zone_stated = any_zone || doc_zone.is_some() || raw.iter().any(|e| e.zone.is_some());
    let doc_year = scanned
        .fields
        .iter()
        .map(|(_, f)| f)
        .chain(raw.iter().filter_map(|e| e.found.as_ref()))
        .chain(scanned.summary.iter())
        .find_map(|f| f.start.year);
    Settled {
        stated_order,
        order: stated_order.unwrap_or(DateOrder::Unsettled),
        zone_stated,
        base: Context {
            date: None,
            year: doc_year,
            zone: doc_zone,
        },
    }
}

/// The document's numeric date order: configured, else a settling date, else the zones'
/// regions. Also whether any expression states a zone.
fn date_order(
    config: &crate::Config,
    scanned: &Scanned,
    candidates: &Candidates,
) -> (Option<DateOrder>, bool) {
    let all_found = scanned
        .fields
        .iter()
        .map(|(_, f)| f)
        .chain(scanned.summary.iter())
        .chain(candidates.raw.iter().filter_map(|e| e.found.as_ref()))
        .chain(candidates.day_headings.iter());
    let mut settled = None;
    let mut hinted = None;
    let mut any_zone = false;
    for f in all_found {
        for s in std::iter::once(&f.start).chain(f.end.as_deref()) {
            settled = settled.or(s.settles);
            hinted = hinted.or(s.zone_hint);
            any_zone |= s.zone.is_some();
        }
    }
    let order = config
        .date_order
        .or(settled.map(hint_order))
        .or(hinted.map(hint_order));
    (order, any_zone)
}

/// Resolves the expressions outside entries (fields, summary, day headings) in the window's
/// context; a field that names a milestone (`Detected: ...`) records it.
pub(super) fn push_outside(
    tl: &mut Timeline,
    scanned: Scanned,
    day_headings: Vec<Found>,
    order: DateOrder,
    window_ctx: &Context,
) {
    for (name, f) in scanned.fields {
        push_stated(tl, f, Source::Field(name), order, window_ctx);
        if let Some(m) = milestone_of_field(name)
            && let Some(r) = tl.stated.last().and_then(|s| s.resolved)
        {
            let span = tl
                .stated
                .last()
                .map(|s| s.found.span.clone())
                .unwrap_or_default();
            tl.field_milestones.push((m, r.at, span));
        }
    }
    for f in scanned.summary.into_iter().chain(day_headings) {
        push_stated(tl, f, Source::Prose, order, window_ctx);
    }
}

/// Resolves an expression (and its range end, on the start's day) and records it.
pub(super) fn push_stated(
    tl: &mut Timeline,
    found: Found,
    source: Source,
    order: DateOrder,
    ctx: &Context,
) {
    let (resolved, invalid) = match resolve(&found.start, order, ctx) {
        Ok(r) => (Some(r), None),
        Err(Unresolved::Invalid(why)) => (None, Some(why)),
        Err(Unresolved::Nothing) => (None, None),
    };
    let end_resolved = found.end.as_ref().and_then(|e| {
        let ctx = Context {
            date: resolved
                .filter(|r| r.dated)
                .map(|r| r.at.date_naive())
                .or(ctx.date),
            zone: found.start.zone.or(ctx.zone),
            ..*ctx
        };
        resolve(e, order, &ctx).ok()
    });
    tl.stated.push(Stated {
        found,
        source,
        resolved,
        end_resolved,
        invalid,
    });
}
