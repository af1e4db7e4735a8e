//! Background work: every long computation of the window (screening, pass searches, exports)
//! runs as a task on Bevy's async compute pool and is polled, never awaited, by its owner.

use bevy::tasks::{Task, block_on, futures_lite::future};

/// The task's result once it is done (the slot is emptied then); None while it runs or when
/// there is none. Never blocks.
pub fn poll_done<T>(task: &mut Option<Task<T>>) -> Option<T> {
    let done = block_on(future::poll_once(task.as_mut()?));
    if done.is_some() {
        *task = None;
    }
    done
}
