//! wa-docs compiles lens definitions (`lenses/*.yaml`) and markdown pages (`content/`) into a
//! cross-linked static site. The pipeline reads top to bottom, and a module imports only modules
//! above it in this list (`tests/layers.rs` holds the order; ARCHITECTURE.md explains it):
//! `diag`, `timing`, `desktop` -> `source` | `slug` | `safe_url` | `yaml_depth` -> `config` -> `lens` -> `content` -> `graph` -> `history` -> `project` ->
//! `render` -> `aws` -> `site` | `search` | `checklist` -> `build` -> `init` | `serve` -> `cli`.

pub mod aws;
pub mod build;
pub mod checklist;
pub mod cli;
pub mod config;
pub mod content;
pub mod desktop;
pub mod diag;
pub mod graph;
pub mod history;
pub mod init;
pub mod lens;
pub mod project;
pub mod render;
pub mod safe_url;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod source;
pub mod timing;
pub mod yaml_depth;
