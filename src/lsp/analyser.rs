//! The thread a session's analyses run on.

use std::sync::mpsc::{self, Sender};

/// One thread that runs every analysis of a session, one after another, off the loop that
/// answers the editor. Each analysis allocates a hundred megabytes or more; the memory is
/// given back before the next starts, so that what one freed is not held while the next
/// allocates (docs/PERFORMANCE.md, "`muster lsp`"). The models the session lets go of are
/// freed beside it, on threads of their own (`server/background.rs`).
pub(super) struct Analyser {
    jobs: Sender<Box<dyn FnOnce() + Send>>,
}

impl Analyser {
    /// Starts the thread; it ends when the `Analyser` is dropped.
    pub(super) fn start() -> Analyser {
        let (jobs, received) = mpsc::channel::<Box<dyn FnOnce() + Send>>();
        std::thread::spawn(move || {
            for job in received {
                job();
            }
        });
        Analyser { jobs }
    }

    /// Runs `job` after those before it.
    pub(super) fn run(&self, job: impl FnOnce() + Send + 'static) {
        // The thread lives as long as `jobs`; a job that panicked took it down, and the
        // next analysis then runs on a thread of its own.
        if let Err(mpsc::SendError(job)) = self.jobs.send(Box::new(job)) {
            std::thread::spawn(job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs run one after another on one thread, in the order given: an analysis never
    /// starts before the memory of the one let go of is given back.
    #[test]
    fn the_analyser_runs_jobs_in_order_on_one_thread() {
        let analyser = Analyser::start();
        let (sender, received) = mpsc::channel();
        for n in 0..20 {
            let sender = sender.clone();
            analyser.run(move || {
                let _ = sender.send((n, std::thread::current().id()));
            });
        }
        drop(sender);
        let done: Vec<_> = received.iter().collect();
        assert_eq!(
            done.iter().map(|d| d.0).collect::<Vec<_>>(),
            (0..20).collect::<Vec<_>>()
        );
        assert!(done.iter().all(|d| d.1 == done[0].1));
        assert_ne!(done[0].1, std::thread::current().id());
    }
}
