//! Lens definitions: the model, loading from YAML, and per-lens validation.

pub mod diff;
mod load;
mod model;
pub mod risk;

pub use load::{LensFile, is_valid_id, lens_paths, load_lenses, nesting_error, parse_lens};
pub use model::*;
