//! Random streams: one xoshiro256++ generator per sample and input slot,
//! seeded from (seed, sample, slot) alone, so a creator's draws depend on
//! nothing else (common random numbers across plans, modes, threads and
//! shards).

use crate::model::Scenario;

/// SplitMix64's finaliser: a bijective, well-mixed map of 64-bit words.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One random stream: xoshiro256++ (Blackman and Vigna), the generator
/// of `rand_xoshiro::Xoshiro256PlusPlus`, seeded as its `seed_from_u64`
/// seeds it (the state is SplitMix64's first four outputs), so the streams
/// are the same numbers, bit for bit. Kept here because a sample seeds one
/// stream per hired offer, and `seed_from_u64` passes the state through a
/// byte buffer, which made seeding a stream cost about as much as a beta draw.
#[derive(Debug, Clone)]
pub struct Stream {
    s: [u64; 4],
}

impl Stream {
    /// The stream seeded from `seed`.
    #[inline]
    pub fn seed_from_u64(seed: u64) -> Stream {
        const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
        // `mix` adds the first φ itself: word k is SplitMix64's output k + 1.
        let word = |k: u64| mix(seed.wrapping_add(k.wrapping_mul(GOLDEN)));
        Stream {
            s: [word(0), word(1), word(2), word(3)],
        }
    }
}

impl rand::TryRng for Stream {
    type Error = std::convert::Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        // The upper bits: the lowest have linear dependencies.
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        Ok(result)
    }

    #[inline]
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dest.chunks_mut(8) {
            let word = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// The random streams of one sample: one xoshiro256++ generator per input
/// (slot 0 the budget, then each creator, then each pool), seeded from
/// (seed, sample, slot) alone. A creator's draws therefore depend only on
/// the seed, the sample and the creator: every plan, mode, thread count and
/// shard sees the same realisation of it (common random numbers).
#[derive(Clone, Copy)]
pub struct SampleStreams {
    key: u64,
}

impl SampleStreams {
    /// The streams of sample `index`.
    pub fn new(seed: u64, index: u64) -> Self {
        SampleStreams {
            key: mix(mix(seed) ^ index),
        }
    }

    /// The generator of one slot.
    #[inline]
    pub fn slot(&self, slot: usize) -> Stream {
        self.mixed_slot(mix(slot as u64))
    }

    /// The generator of the slot whose number mixes to `mixed` (`mix(slot)`).
    #[inline]
    pub(crate) fn mixed_slot(&self, mixed: u64) -> Stream {
        Stream::seed_from_u64(mix(self.key ^ mixed))
    }

    pub(crate) fn budget(&self) -> Stream {
        self.slot(0)
    }

    pub(crate) fn creator(&self, j: usize) -> Stream {
        self.slot(1 + j)
    }

    pub(crate) fn pool(&self, s: &Scenario, t: usize) -> Stream {
        self.slot(1 + s.creators.len() + t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_xoshiro256plusplus_bit_for_bit() {
        use rand::{Rng, SeedableRng};
        let golden = 0x9E37_79B9_7F4A_7C15u64;
        for seed in [0, 1, 7, u64::MAX, golden.wrapping_neg(), mix(42)] {
            let mut reference = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            let mut ours = Stream::seed_from_u64(seed);
            for _ in 0..64 {
                assert_eq!(ours.next_u64(), reference.next_u64(), "seed {seed}");
            }
            let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
            ours.fill_bytes(&mut a);
            reference.fill_bytes(&mut b);
            assert_eq!(a, b);
        }
    }
}
