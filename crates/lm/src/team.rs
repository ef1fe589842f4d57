//! Workers that share each recurrent step by output columns.
//!
//! The trainer gives each worker its own cards (rows). Everything but the
//! recurrent step is independent per worker; the recurrent step is the one
//! product that reads all of `U` (4H x H, 4 MB in f32 at H = 500) for only
//! the few rows of one time step. In a team, worker `k` of `M` computes that
//! product for the rows of *every* worker but only for its share of the
//! hidden units (and so reads only `1/M` of `U` per step), then runs the cell
//! arithmetic for those units, and all meet at a barrier before the next
//! step. Each element is computed by the same kernel with the same
//! accumulation order as by one worker alone, so the results are identical
//! bit for bit (tested).
//!
//! The workers publish raw pointers to their buffers in [`Team::publish`]:
//! two threads write different columns of the same rows, which no `&mut`
//! slice may express.

use crate::packed_batch::Steps;
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// A barrier that spins briefly and then yields: a recurrent step lasts
/// tenths of a millisecond, far less than a sleeping barrier's wake-up.
pub struct SpinBarrier {
    members: usize,
    arrived: AtomicUsize,
    generation: AtomicUsize,
    poisoned: AtomicBool,
}

impl SpinBarrier {
    pub fn new(members: usize) -> Self {
        SpinBarrier {
            members: members.max(1),
            arrived: AtomicUsize::new(0),
            generation: AtomicUsize::new(0),
            poisoned: AtomicBool::new(false),
        }
    }

    /// Waits until all members have called `wait` in this round. Panics if a
    /// member panicked (so the others do not wait for ever).
    pub fn wait(&self) {
        let generation = self.generation.load(Ordering::Acquire);
        if self.arrived.fetch_add(1, Ordering::AcqRel) + 1 == self.members {
            self.arrived.store(0, Ordering::Relaxed);
            self.generation.fetch_add(1, Ordering::Release);
            return;
        }
        let mut spins = 0u32;
        while self.generation.load(Ordering::Acquire) == generation {
            if self.poisoned.load(Ordering::Relaxed) {
                panic!("another worker of the team panicked");
            }
            if spins < 4096 {
                spins += 1;
                std::hint::spin_loop();
            } else {
                // On a machine with more threads than cores the member we
                // wait for may need this core.
                std::thread::yield_now();
            }
        }
    }

    /// Marks the barrier broken; waiting members panic instead of hanging.
    pub fn poison(&self) {
        self.poisoned.store(true, Ordering::Relaxed);
    }
}

/// One worker's buffers of one LSTM layer, as raw pointers (see the module
/// documentation). Forward uses `gates`, `cell`, `cell_tanh`, `h`; backward
/// uses `gates` (then holding `dG`), `cell`, `cell_tanh`, `dh`, `dc`.
pub struct Rows<T> {
    pub steps: *const Steps,
    /// `[N, 4H]`.
    pub gates: *mut T,
    /// `[N, H]` each.
    pub cell: *mut T,
    pub cell_tanh: *mut T,
    pub h: *mut T,
    pub dh: *mut T,
    /// `[B, H]`: the cell gradient carried between steps.
    pub dc: *mut T,
}

// Pointers copy whatever they point to (a derive would ask `T: Copy`).
impl<T> Clone for Rows<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Rows<T> {}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            steps: std::ptr::null(),
            gates: std::ptr::null_mut(),
            cell: std::ptr::null_mut(),
            cell_tanh: std::ptr::null_mut(),
            h: std::ptr::null_mut(),
            dh: std::ptr::null_mut(),
            dc: std::ptr::null_mut(),
        }
    }
}

/// The shared state of `M` workers: a barrier and one slot per worker.
pub struct Team<T> {
    barrier: SpinBarrier,
    slots: Vec<UnsafeCell<Rows<T>>>,
}

// SAFETY: a slot is written only by its own worker, and only between two
// barrier waits in which no other worker reads it (see `publish`); the
// pointers address buffers whose owners keep them alive for the whole team
// phase (`Stepper::gradients` joins all workers before the batch ends).
unsafe impl<T: Send> Sync for Team<T> {}
unsafe impl<T: Send> Send for Team<T> {}

impl<T> Team<T> {
    pub fn new(members: usize) -> Self {
        Team {
            barrier: SpinBarrier::new(members),
            slots: (0..members.max(1))
                .map(|_| UnsafeCell::new(Rows::default()))
                .collect(),
        }
    }

    pub fn members(&self) -> usize {
        self.slots.len()
    }

    pub fn barrier(&self) -> &SpinBarrier {
        &self.barrier
    }
}

/// One worker's place in a team.
pub struct Seat<'a, T> {
    pub team: &'a Team<T>,
    pub index: usize,
}

impl<T> Clone for Seat<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Seat<'_, T> {}

impl<T> Seat<'_, T> {
    pub fn members(&self) -> usize {
        self.team.members()
    }

    /// The hidden units `lo..hi` this worker computes, of `hidden`: equal
    /// shares, the first ones one larger when they do not divide evenly.
    pub fn units(&self, hidden: usize) -> (usize, usize) {
        share(hidden, self.members(), self.index)
    }

    /// Publishes this worker's buffers and waits for everyone's: after it
    /// returns, [`Seat::rows`] gives every worker's.
    pub fn publish(&self, rows: Rows<T>) {
        // Everyone has stopped reading the slots of the previous phase.
        self.wait();
        // SAFETY: between the two waits only this worker touches its slot.
        unsafe { *self.team.slots[self.index].get() = rows };
        self.wait();
    }

    /// Worker `j`'s published buffers.
    pub fn rows(&self, j: usize) -> Rows<T> {
        // SAFETY: slots are only written between the two waits of
        // `publish`, when no worker reads them.
        unsafe { *self.team.slots[j].get() }
    }

    pub fn wait(&self) {
        self.team.barrier.wait();
    }
}

/// Part `index` of `total` split into `parts` nearly equal ranges.
pub fn share(total: usize, parts: usize, index: usize) -> (usize, usize) {
    let (base, extra) = (total / parts, total % parts);
    let lo = index * base + index.min(extra);
    (lo, lo + base + usize::from(index < extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_the_range_once() {
        for total in [0, 1, 7, 500, 501] {
            for parts in 1..5 {
                let mut next = 0;
                for i in 0..parts {
                    let (lo, hi) = share(total, parts, i);
                    assert_eq!(lo, next);
                    assert!(hi - lo <= total.div_ceil(parts));
                    next = hi;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn barrier_orders_rounds() {
        let barrier = SpinBarrier::new(3);
        let counter = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    for round in 0..200 {
                        counter.fetch_add(1, Ordering::SeqCst);
                        barrier.wait();
                        // Everyone incremented before anyone passed.
                        assert!(counter.load(Ordering::SeqCst) >= 3 * (round + 1));
                        barrier.wait();
                    }
                });
            }
        });
        assert_eq!(counter.load(Ordering::SeqCst), 600);
    }
}
