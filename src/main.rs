// Building a large site allocates and frees millions of small strings from every core; glibc's
// allocator spent a fifth of a 10,000-page build in malloc and free, mimalloc much less.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(wa_docs::cli::run());
}
