fn main() {
    std::process::exit(wa_docs::cli::run());
}
