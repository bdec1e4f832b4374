//! `pmlint stats`: a folder of postmortems as the numbers a reliability review asks for.
//! `model` holds the figures; `collect` computes them from the same pipeline as `check`;
//! `html` draws the one-page report (inline SVG, no script).

mod collect;
pub mod html;
pub mod model;
pub mod output;

pub use collect::{NONE_KEY, UNDATED_KEY, collect, spread};

pub use model::{By, Group, Incident, Overdue, Spread, Stats, Unusable};
