//! How `serve` keeps its site's files: compressed, each on its own (a page is asked for alone),
//! with a zstd dictionary trained on the first files the build makes. Every page repeats the
//! theme's header, sidebar and footer, which compressing one file at a time cannot see; with
//! the dictionary the 10,000-page benchmark site takes 33 MiB where LZ4 took 76 MiB, and at
//! 100,000 pages that difference decides whether `serve` stays within twice the build's memory.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::project::{Emit, OutFile};

/// Files kept raw until the dictionary is trained on them.
const SAMPLES: usize = 256;
/// Dictionary size: about the boilerplate of a few pages.
const DICT_BYTES: usize = 112 * 1024;
/// zstd's level 3 (its default): with the dictionary, about as fast as level 1 and smaller.
const LEVEL: i32 = 3;

/// The dictionary, ready to compress and decompress with.
pub(super) struct Codec {
    enc: zstd::dict::EncoderDictionary<'static>,
    dec: zstd::dict::DecoderDictionary<'static>,
}

impl Codec {
    /// Trained on `samples`; when training cannot work (too few or too alike samples), their
    /// start serves as a raw-content dictionary, which zstd also takes.
    fn train(samples: &[&[u8]]) -> Codec {
        let dict = zstd::dict::from_samples(samples, DICT_BYTES).unwrap_or_else(|_| {
            let raw = samples.iter().flat_map(|s| s.iter().copied());
            raw.take(DICT_BYTES).collect()
        });
        Codec {
            enc: zstd::dict::EncoderDictionary::copy(&dict, LEVEL),
            dec: zstd::dict::DecoderDictionary::copy(&dict),
        }
    }

    fn compress(&self, bytes: &[u8]) -> Box<[u8]> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        // Writing into a Vec cannot fail; an encoder that did would leave the file empty,
        // which `Stored::bytes` then gives back as empty.
        if let Ok(mut enc) = zstd::stream::Encoder::with_prepared_dictionary(&mut out, &self.enc) {
            let _ = std::io::Write::write_all(&mut enc, bytes);
            let _ = enc.finish();
        }
        out.into_boxed_slice()
    }

    fn decompress(&self, packed: &[u8], len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len);
        if let Ok(mut dec) = zstd::stream::Decoder::with_prepared_dictionary(packed, &self.dec) {
            let _ = std::io::Read::read_to_end(&mut dec, &mut out);
        }
        out
    }
}

/// A file kept compressed, with the generation of the site it was made in.
#[derive(Clone)]
pub(super) struct Stored {
    packed: Box<[u8]>,
    len: usize,
    pub generation: u64,
}

impl Stored {
    pub fn new(bytes: &[u8], generation: u64, codec: &Codec) -> Stored {
        Stored {
            packed: codec.compress(bytes),
            len: bytes.len(),
            generation,
        }
    }

    pub fn bytes(&self, codec: &Codec) -> bytes::Bytes {
        codec.decompress(&self.packed, self.len).into()
    }

    /// One codec compresses one text to the same bytes.
    pub fn same(&self, other: &Stored) -> bool {
        self.len == other.len && self.packed == other.packed
    }
}

/// Takes each file as the output stages make it and keeps it compressed, so that the site is
/// never held whole as it is made. Without a codec yet, the first [`SAMPLES`] files wait raw
/// and train one. With the previous build's files at hand, it keeps those a stage says did not
/// change ([`Emit::keep`]) instead of being handed them again.
pub(super) struct Packer<'a> {
    generation: u64,
    previous: Option<&'a HashMap<String, Stored>>,
    codec: OnceLock<Arc<Codec>>,
    waiting: Mutex<Vec<OutFile>>,
    files: Mutex<HashMap<String, Stored>>,
}

impl Emit for Packer<'_> {
    fn keep(&self, path: &str) -> bool {
        let Some(old) = self.previous.and_then(|p| p.get(path)) else {
            return false;
        };
        let mut kept = old.clone();
        kept.generation = self.generation;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), kept);
        true
    }

    fn emit(&self, file: &OutFile) {
        if let Some(codec) = self.codec.get() {
            self.store(file, codec);
            return;
        }
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(codec) = self.codec.get() {
            // Trained while this thread waited for the lock.
            drop(waiting);
            self.store(file, codec);
            return;
        }
        waiting.push(file.clone());
        if waiting.len() >= SAMPLES {
            self.train(&mut waiting);
        }
    }
}

impl<'a> Packer<'a> {
    /// A packer that trains its codec on the files it is given first.
    pub fn new(generation: u64) -> Packer<'a> {
        Packer {
            generation,
            previous: None,
            codec: OnceLock::new(),
            waiting: Mutex::default(),
            files: Mutex::default(),
        }
    }

    /// A packer using the codec of an earlier build of the same site, and its files.
    pub fn with_codec(
        generation: u64,
        codec: Arc<Codec>,
        previous: &'a HashMap<String, Stored>,
    ) -> Packer<'a> {
        let mut p = Packer::new(generation);
        p.previous = Some(previous);
        let _ = p.codec.set(codec);
        p
    }

    fn store(&self, file: &OutFile, codec: &Codec) {
        let stored = Stored::new(&file.bytes, self.generation, codec);
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(file.path.clone(), stored);
    }

    /// Trains the codec on the waiting files (unless one is set) and stores them with it.
    fn train(&self, waiting: &mut Vec<OutFile>) -> Arc<Codec> {
        let samples: Vec<&[u8]> = waiting.iter().map(|f| &f.bytes[..]).collect();
        let codec = self.codec.get_or_init(|| Arc::new(Codec::train(&samples)));
        for f in waiting.drain(..) {
            self.store(&f, codec);
        }
        codec.clone()
    }

    /// The files, and the codec they are compressed with (a site of fewer than [`SAMPLES`]
    /// files trains it on all of them here).
    pub fn into_files(self) -> (HashMap<String, Stored>, Arc<Codec>) {
        let mut waiting =
            std::mem::take(&mut *self.waiting.lock().unwrap_or_else(|e| e.into_inner()));
        let codec = self.train(&mut waiting);
        (
            self.files.into_inner().unwrap_or_else(|e| e.into_inner()),
            codec,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(i: usize) -> OutFile {
        let body = format!(
            "<html><head><title>Page {i}</title></head><body><nav>{}</nav><main>text {i} {}</main></body></html>",
            "<a href=\"x.html\">a link in the sidebar</a>".repeat(40),
            "word ".repeat(i % 50)
        );
        OutFile {
            path: format!("p{i}.html"),
            bytes: body.into_bytes().into(),
            article: None,
        }
    }

    #[test]
    fn every_file_comes_back_as_it_went_in_before_and_after_training() {
        for n in [0, 1, 3, SAMPLES - 1, SAMPLES, SAMPLES + 40] {
            let packer = Packer::new(7);
            for i in 0..n {
                packer.emit(&page(i));
            }
            let (files, codec) = packer.into_files();
            assert_eq!(files.len(), n);
            for i in 0..n {
                let f = &files[&format!("p{i}.html")];
                assert_eq!(f.bytes(&codec), page(i).bytes, "{n} files, file {i}");
                assert_eq!(f.generation, 7);
            }
        }
    }

    #[test]
    fn the_dictionary_makes_repeated_boilerplate_small_and_a_later_packer_reuses_it() {
        let packer = Packer::new(0);
        for i in 0..SAMPLES {
            packer.emit(&page(i));
        }
        let (files, codec) = packer.into_files();
        let raw: usize = files.values().map(|f| f.len).sum();
        let packed: usize = files.values().map(|f| f.packed.len()).sum();
        assert!(packed * 10 < raw, "{packed} of {raw}");
        let again = Packer::with_codec(1, codec.clone(), &files);
        again.emit(&page(3));
        let (later, _) = again.into_files();
        assert!(later["p3.html"].same(&files["p3.html"]));
        assert_eq!(later["p3.html"].bytes(&codec), page(3).bytes);
        // A file a stage says is unchanged is kept from the earlier build, at the new generation.
        let third = Packer::with_codec(2, codec.clone(), &files);
        assert!(third.keep("p5.html"));
        assert!(!third.keep("missing.html"));
        let (kept, _) = third.into_files();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept["p5.html"].generation, 2);
        assert_eq!(kept["p5.html"].bytes(&codec), page(5).bytes);
    }
}
