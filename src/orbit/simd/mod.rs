//! The vectorised SGP4 kernel: structure-of-arrays blocks of 8 objects, propagated 8, 4 or 1
//! at a time depending on the CPU, for near-Earth and deep-space orbits.
//!
//! Why this design: the per-object crate path spends ~65 % of its time in scalar libm
//! (sine, cosine, arctangent). Here those are polynomial approximations evaluated on whole
//! vectors (`math.rs`), the tick-invariant initialisation is done once into flat arrays
//! (`near_earth.rs`, `deep_space.rs`), and the tick is branch-free across lanes (`kernel.rs`,
//! `deep_space_kernel.rs`, sharing `finish.rs`). The deep-space resonance integrator steps
//! object by object, exactly as the crate does (`resonance.rs`), only every 720 minutes.
//!
//! SIMD and dispatch come from `pulp` (the crate behind `faer`): its instruction-set tokens
//! (`V4` = AVX-512, `V3` = AVX2 + FMA, `Scalar`) are detected at run time on stable Rust, its
//! `vectorize` compiles our generic kernel once per token with the target features on, and its
//! safe wrappers mean no `unsafe` here. Tried first and measured: `multiversion` over
//! fixed-size array loops — LLVM's SLP vectoriser split the kernel into 2-lane and scalar
//! pieces (2.4× the crate instead of the >5× needed). `wide` picks its width at compile
//! time only, so it cannot dispatch at run time.

mod blocks;
mod deep_space;
mod deep_space_kernel;
mod finish;
mod kernel;
mod lanes;
mod math;
mod near_earth;
mod resonance;
mod run;

use std::fmt;
use std::str::FromStr;

use pulp::{Scalar, Simd};

pub use blocks::{BLOCK, Lanes};
pub use deep_space::{
    DeepSpaceBlock, DeepSpaceObject, DeepSpaceParameters, EpochTerms, deep_space_object,
};
pub use near_earth::{Block, NearEarthParameters, is_near_earth, near_earth_parameters};
pub use resonance::Resonance;
pub use run::{KernelBlock, KernelTime, LANES_PER_CALL, LaneOutcome, LaneSink, propagate_one};

/// How many objects the kernel propagates per instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KernelWidth {
    /// 8 lanes in AVX-512 registers (F, CD, BW, DQ, VL: x86-64-v4).
    Avx512,
    /// 4 lanes in AVX2 registers, with FMA.
    Avx2,
    /// One lane at a time, no FMA: any CPU.
    Portable,
}

/// Environment variable that forces a width (`avx512`, `avx2` or `portable`), e.g. to test
/// or compare paths; a width the CPU lacks runs the portable path.
pub const WIDTH_VARIABLE: &str = "ORBITSCOPE_SGP4_WIDTH";

impl KernelWidth {
    pub const ALL: [Self; 3] = [Self::Avx512, Self::Avx2, Self::Portable];

    /// The widest the CPU runs at full speed.
    pub fn detect() -> Self {
        if avx512_supported() {
            Self::Avx512
        } else if avx2_supported() {
            Self::Avx2
        } else {
            Self::Portable
        }
    }

    /// [`WIDTH_VARIABLE`] if set (an error names the accepted values), else [`Self::detect`].
    pub fn from_environment() -> Result<Self, String> {
        match std::env::var(WIDTH_VARIABLE) {
            Ok(text) if !text.trim().is_empty() => text
                .parse()
                .map_err(|error| format!("{WIDTH_VARIABLE}: {error}")),
            _ => Ok(Self::detect()),
        }
    }

    /// Whether this CPU has the instructions the width is compiled for.
    pub fn is_native(self) -> bool {
        match self {
            Self::Avx512 => avx512_supported(),
            Self::Avx2 => avx2_supported(),
            Self::Portable => true,
        }
    }

    /// The widths a test of "every width" can run on this CPU, in [`Self::ALL`]'s order. A width
    /// the CPU lacks would silently run the portable path, so it is left out, and the line
    /// written to the terminal says which ran natively and which were skipped. It is written
    /// to stderr directly, past the test harness's capture, so that it shows in every run.
    pub fn under_test(test: &str) -> Vec<Self> {
        let (native, skipped): (Vec<Self>, Vec<Self>) =
            Self::ALL.iter().partition(|width| width.is_native());
        let names = |widths: &[Self]| {
            widths
                .iter()
                .map(|width| width.name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let skipped_text = if skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped, the CPU lacks them: {}", names(&skipped))
        };
        // Once per test and process: property tests call this for every case.
        static REPORTED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
        let first = REPORTED.lock().is_ok_and(|mut reported| {
            let first = !reported.iter().any(|name| name == test);
            if first {
                reported.push(test.to_owned());
            }
            first
        });
        if first {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "{test}: kernel widths run natively: {}{skipped_text}",
                names(&native)
            );
        }
        native
    }

    pub fn lanes(self) -> usize {
        match self {
            Self::Avx512 => 8,
            Self::Avx2 => 4,
            Self::Portable => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Avx512 => "avx512",
            Self::Avx2 => "avx2",
            Self::Portable => "portable",
        }
    }

    /// Propagates every active lane of `blocks` to `time`, handing each outcome to `sink`.
    /// A width the CPU lacks runs the portable path (same results).
    pub fn run<B: KernelBlock>(self, blocks: &[B], time: KernelTime, sink: &mut impl LaneSink) {
        let operation = run::RunBlocks { blocks, time, sink };
        #[cfg(target_arch = "x86_64")]
        match self {
            Self::Avx512 => {
                if let Some(simd) = pulp::x86::V4::try_new() {
                    return Simd::vectorize(simd, operation);
                }
            }
            Self::Avx2 => {
                if let Some(simd) = pulp::x86::V3::try_new() {
                    return Simd::vectorize(simd, operation);
                }
            }
            Self::Portable => {}
        }
        Simd::vectorize(Scalar::new(), operation);
    }
}

impl fmt::Display for KernelWidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} lanes)", self.name(), self.lanes())
    }
}

impl FromStr for KernelWidth {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|width| width.name() == text)
            .ok_or_else(|| format!("{text:?} is not a kernel width: use avx512, avx2 or portable"))
    }
}

#[cfg(target_arch = "x86_64")]
fn avx512_supported() -> bool {
    pulp::x86::V4::try_new().is_some()
}

#[cfg(target_arch = "x86_64")]
fn avx2_supported() -> bool {
    pulp::x86::V3::try_new().is_some()
}

#[cfg(not(target_arch = "x86_64"))]
fn avx512_supported() -> bool {
    false
}

#[cfg(not(target_arch = "x86_64"))]
fn avx2_supported() -> bool {
    false
}
