//! Files checked on worker threads while the caller writes what is done: outcomes are handed
//! on in input order, and workers run at most a window of inputs ahead of the writer, so
//! memory is bounded by the window whatever the number of inputs.

use super::{check_one, Input};
use crate::input::LoadOptions;
use crate::ir::Program;
use crate::run::InputOutcome;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// Inputs a worker may run ahead of the writer, per worker: enough to keep every worker busy
/// while the writer catches up, few enough that outcomes do not pile up.
const WINDOW_PER_THREAD: usize = 4;

/// Stack of each worker: deep (but bounded) documents and rules recurse.
const WORKER_STACK: usize = 64 << 20;

/// How many outcomes the writer has handed on, for workers waiting to run ahead.
struct Written {
    count: Mutex<usize>,
    moved: Condvar,
}

impl Written {
    /// Wait until input `i` is within `window` of what has been written.
    fn wait_for_room(&self, i: usize, window: usize) {
        let mut count = self.count.lock().unwrap_or_else(|e| e.into_inner());
        while i >= *count + window {
            count = self.moved.wait(count).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn set(&self, n: usize) {
        *self.count.lock().unwrap_or_else(|e| e.into_inner()) = n;
        self.moved.notify_all();
    }
}

/// Check `files` on `threads` workers and hand each outcome to `sink` on this thread, in
/// input order, as soon as it and every input before it are done. The sink's work (writing
/// reports) runs beside the workers', not between windows of them. One thread means one:
/// a single worker checks and writes, one input after another.
pub fn check_files(
    prog: &Program,
    files: &[Input],
    opts: &LoadOptions,
    threads: usize,
    sink: &mut (dyn FnMut(InputOutcome) + Send),
) {
    // While inputs are waiting, the workers keep every core busy: each document is evaluated
    // whole by its worker. Only the last inputs in flight may spread a large document over
    // the threads that have nothing left to start.
    let whole = LoadOptions {
        whole_documents: true,
        ..opts.clone()
    };
    if threads <= 1 {
        let opts = &whole;
        let spawned = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("buttress-check".to_string())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, || check_in_turn(prog, files, opts, sink))
                .is_ok()
        });
        if !spawned {
            check_in_turn(prog, files, opts, sink);
        }
        return;
    }
    let window = threads * WINDOW_PER_THREAD;
    let next = AtomicUsize::new(0);
    let written = Written {
        count: Mutex::new(0),
        moved: Condvar::new(),
    };
    let (tx, rx) = mpsc::channel::<(usize, InputOutcome)>();
    std::thread::scope(|scope| {
        let mut workers = 0;
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, written, whole) = (&next, &written, &whole);
            let worker = move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = files.get(i) else { break };
                written.wait_for_room(i, window);
                let last = i + threads >= files.len();
                let opts = if last { opts } else { whole };
                if tx.send((i, check_one(prog, input, opts))).is_err() {
                    break;
                }
            };
            let spawned = std::thread::Builder::new()
                .name("buttress-check".to_string())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, worker);
            workers += usize::from(spawned.is_ok());
        }
        drop(tx);
        if workers == 0 {
            // No thread could be started: check here.
            check_in_turn(prog, files, &whole, sink);
            return;
        }
        let mut pending = BTreeMap::new();
        let mut handed = 0;
        for (i, outcome) in rx {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&handed) {
                sink(outcome);
                handed += 1;
                written.set(handed);
            }
        }
    });
}

/// Check `files` one after another on this thread, handing each outcome on.
fn check_in_turn(
    prog: &Program,
    files: &[Input],
    opts: &LoadOptions,
    sink: &mut dyn FnMut(InputOutcome),
) {
    files.iter().for_each(|i| sink(check_one(prog, i, opts)));
}
