//! Refining many objects' passes in lockstep, so that their exact SGP4 evaluations go through
//! the vectorised kernel together.
//!
//! Each (object, site) refinement is written as ordinary sequential code (Newton, regula
//! falsi, golden section: see `finder/refine.rs`) that awaits the state it needs from a
//! [`Channel`]. [`drive`] polls every refinement until each is waiting on its channel (or
//! done), hands all the instants asked for to [`BatchPropagator::propagate_many`] in one call,
//! and answers each channel: one round per evaluation, hundreds of objects per kernel run,
//! where one object at a time went through the scalar path (four registers computing the
//! same lane) at ~10× the cost per evaluation. Nothing here waits on anything but the next
//! round: the futures are polled with a no-op waker, on the calling thread.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use crate::orbit::{BatchPropagator, Instant, ManyScratch, StateResult};

/// Where one refinement asks for a state and gets it.
#[derive(Debug, Default)]
pub struct Channel {
    request: Cell<Option<Instant>>,
    answer: Cell<Option<StateResult>>,
}

impl Channel {
    /// The object's exact state at `at`, once the next round has run.
    pub fn state(&self, at: Instant) -> StateFuture<'_> {
        StateFuture {
            channel: self,
            at,
            asked: false,
        }
    }
}

/// A state asked for on a [`Channel`].
pub struct StateFuture<'a> {
    channel: &'a Channel,
    at: Instant,
    asked: bool,
}

impl Future for StateFuture<'_> {
    type Output = StateResult;

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<StateResult> {
        if !self.asked {
            self.channel.request.set(Some(self.at));
            self.asked = true;
            return Poll::Pending;
        }
        match self.channel.answer.take() {
            Some(answer) => Poll::Ready(answer),
            None => Poll::Pending,
        }
    }
}

/// A refinement in progress.
pub type Task<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// Runs `tasks[i]` (which asks `channels[i]` for states of object `objects[i]` of
/// `propagator`) to completion, all together; their outputs in the same order.
pub fn drive<T>(
    propagator: &BatchPropagator,
    objects: &[usize],
    channels: &[Channel],
    mut tasks: Vec<Task<'_, T>>,
) -> Vec<T> {
    assert!(objects.len() == tasks.len() && channels.len() == tasks.len());
    let mut context = Context::from_waker(Waker::noop());
    let mut outputs: Vec<Option<T>> = tasks.iter().map(|_| None).collect();
    let mut waiting: Vec<usize> = (0..tasks.len()).collect();
    let (mut requests, mut answers) = (Vec::new(), Vec::new());
    let mut scratch = ManyScratch::default();
    while !waiting.is_empty() {
        waiting.retain(|&i| match tasks[i].as_mut().poll(&mut context) {
            Poll::Ready(output) => {
                outputs[i] = Some(output);
                false
            }
            Poll::Pending => true,
        });
        requests.clear();
        for &i in &waiting {
            let at = channels[i]
                .request
                .take()
                .expect("a refinement only waits on its channel");
            requests.push((objects[i], at));
        }
        propagator.propagate_many(&requests, &mut answers, &mut scratch);
        for (&i, &answer) in waiting.iter().zip(&answers) {
            channels[i].answer.set(Some(answer));
        }
    }
    outputs
        .into_iter()
        .map(|output| output.expect("every task ran to completion"))
        .collect()
}
