//! The site's HTML: one page per lens, pillar, question and content page, the site-wide pages,
//! the navigation, and `print.html`. It turns a rendered [`Project`](crate::project::Project)
//! into output files and knows nothing of search or checklists.

pub mod changes_pages;
mod charts;
mod content_pages;
mod frame;
mod index_pages;
mod lens_pages;
mod nav;
mod pages;
mod print;

pub use frame::Frame;
pub use pages::{PageInputs, PageMemo, render_node_page, render_pages};
pub use print::{PrintMemo, is_from_lenses, print_page, resolve as resolve_print};
