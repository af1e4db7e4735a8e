//! Per-object parameters in the two shapes the kernel needs: a struct for one object (built at
//! initialisation) and a block of [`BLOCK`] objects in structure-of-arrays form (read by the
//! tick, one vector load per parameter).

/// Lanes per block: the widest vector the kernel uses (8 × f64 = one AVX-512 register).
pub const BLOCK: usize = 8;

/// Declares a parameter set once, as `$parameters` (one object) and `$block` ([`BLOCK`]
/// objects, one array per parameter).
macro_rules! lane_parameters {
    (
        $(#[$parameters_doc:meta])* $parameters:ident,
        $(#[$block_doc:meta])* $block:ident;
        $($(#[$doc:meta])* $name:ident),* $(,)?
    ) => {
        $(#[$parameters_doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq)]
        pub struct $parameters {
            $($(#[$doc])* pub $name: f64,)*
        }

        $(#[$block_doc])*
        ///
        /// Aligned to a cache line, so that a whole-register load never straddles two.
        #[derive(Debug, Clone)]
        #[repr(C, align(64))]
        pub struct $block {
            $(pub $name: [f64; $crate::orbit::simd::blocks::BLOCK],)*
            /// Which object (index within its chunk) each lane holds.
            objects: [u16; $crate::orbit::simd::blocks::BLOCK],
            /// Lanes holding an object; the lanes after them repeat the first lane, so that
            /// they converge like it and never keep the Kepler loop going.
            len: u8,
        }

        impl $block {
            /// A block of 1 to [`BLOCK`] objects: `(index within the chunk, parameters)`.
            pub fn new(members: &[(u16, $parameters)]) -> Self {
                const LANES: usize = $crate::orbit::simd::blocks::BLOCK;
                assert!(
                    (1..=LANES).contains(&members.len()),
                    "a block holds 1 to {LANES} objects"
                );
                let mut block = Self {
                    objects: [members[0].0; LANES],
                    len: members.len() as u8,
                    $($name: [members[0].1.$name; LANES],)*
                };
                for (lane, (object, parameters)) in members.iter().enumerate() {
                    block.objects[lane] = *object;
                    $(block.$name[lane] = parameters.$name;)*
                }
                block
            }

            /// One lane's parameters back (for single-object propagation and tests).
            pub fn get(&self, lane: usize) -> $parameters {
                $parameters { $($name: self.$name[lane],)* }
            }
        }

        impl $crate::orbit::simd::blocks::Lanes for $block {
            fn object(&self, lane: usize) -> u16 {
                self.objects[lane]
            }

            fn len(&self) -> usize {
                usize::from(self.len)
            }
        }
    };
}

pub(super) use lane_parameters;

/// Which objects a block's lanes hold.
pub trait Lanes {
    /// The object a lane holds (index within its chunk).
    fn object(&self, lane: usize) -> u16;

    /// Lanes holding an object.
    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The lane holding `object`, if this block holds it.
    fn lane_of(&self, object: u16) -> Option<usize> {
        (0..self.len()).find(|&lane| self.object(lane) == object)
    }
}
