use super::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

/// Runs `next_burst` on a thread, so that a call that never returns fails the test
/// instead of hanging it. Events that are 0 do not count.
fn burst_within(
    rx: mpsc::Receiver<u32>,
    (quiet, max_wait): (Duration, Duration),
    limit: Duration,
) -> (bool, mpsc::Receiver<u32>) {
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let got = next_burst(&rx, |e| *e != 0, quiet, max_wait);
        let _ = done_tx.send((got, rx));
    });
    done_rx
        .recv_timeout(limit)
        .expect("next_burst did not return")
}

const LIMIT: Duration = Duration::from_secs(10);

#[test]
fn a_queued_burst_is_taken_whole() {
    let (tx, rx) = mpsc::channel();
    for _ in 0..500 {
        tx.send(1).unwrap();
    }
    let (got, rx) = burst_within(rx, (QUIET, MAX_WAIT), LIMIT);
    assert!(got);
    assert!(rx.try_recv().is_err(), "the burst was split");
}

#[test]
fn a_change_during_a_rebuild_gets_a_rebuild_of_its_own() {
    let (tx, rx) = mpsc::channel();
    tx.send(1).unwrap();
    let (got, rx) = burst_within(rx, (QUIET, MAX_WAIT), LIMIT);
    assert!(got);
    // The rebuild runs; a save lands meanwhile.
    tx.send(1).unwrap();
    drop(tx);
    let (got, rx) = burst_within(rx, (QUIET, MAX_WAIT), LIMIT);
    assert!(got, "the last save was dropped");
    assert!(!burst_within(rx, (QUIET, MAX_WAIT), LIMIT).0);
}

#[test]
fn changes_that_do_not_count_start_no_rebuild() {
    let (tx, rx) = mpsc::channel();
    for e in [0, 0, 0] {
        tx.send(e).unwrap();
    }
    drop(tx);
    assert!(!burst_within(rx, (QUIET, MAX_WAIT), LIMIT).0);
}

/// Only `max_wait` can end a burst: the quiet time is an hour.
const STREAM: (Duration, Duration) = (Duration::from_secs(3600), Duration::from_millis(100));

#[test]
fn a_stream_that_never_goes_quiet_still_rebuilds() {
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    let stream = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let _ = tx.send(1);
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    let (got, _rx) = burst_within(rx, STREAM, LIMIT);
    stop.store(true, Ordering::Relaxed);
    let _ = stream.join();
    assert!(got);
}

#[test]
fn a_long_stream_costs_one_rebuild_per_max_wait_not_one_per_change() {
    let (tx, mut rx) = mpsc::channel();
    let started = Instant::now();
    let stream = std::thread::spawn(move || {
        for _ in 0..300 {
            let _ = tx.send(1);
            std::thread::sleep(Duration::from_millis(1));
        }
    });
    let mut bursts = 0u128;
    loop {
        let (got, back) = burst_within(rx, STREAM, LIMIT);
        rx = back;
        if !got {
            break;
        }
        bursts += 1;
    }
    let _ = stream.join();
    // Every burst but the last lasts `max_wait`, however slowly the machine sends.
    let bound = started.elapsed().as_millis() / STREAM.1.as_millis() + 1;
    assert!(bursts <= bound, "{bursts} rebuilds for 300 changes");
    assert!(bursts >= 1);
}
