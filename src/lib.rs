//! wa-docs compiles lens definitions (`lenses/*.yaml`) and markdown pages (`content/`) into a
//! cross-linked static site. The pipeline reads top to bottom:
//! `config` -> `lens` + `content` -> `graph` -> `render` -> `site`, with `cli` on top.

pub mod aws;
pub mod checklist;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod graph;
pub mod init;
pub mod lens;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod source;
