//! Probability distributions of uncertain inputs: validated families with
//! their mean (the nominal value), sampling within the value's natural bounds,
//! and quantiles.

use rand::Rng;
use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal, Triangular, Uniform};

/// The natural range of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A rate or probability: [0, 1].
    Rate,
    /// Money or a count: [0, ∞).
    NonNegative,
}

impl Bound {
    fn contains(self, x: f64) -> bool {
        match self {
            Bound::Rate => (0.0..=1.0).contains(&x),
            Bound::NonNegative => x >= 0.0,
        }
    }

    fn clamp(self, x: f64) -> f64 {
        match self {
            Bound::Rate => x.clamp(0.0, 1.0),
            Bound::NonNegative => x.max(0.0),
        }
    }
}

/// Largest share of a normal or lognormal that may fall outside the value's
/// bounds: beyond it, redrawing would move the mean away from the nominal value.
pub const MAX_OUTSIDE: f64 = 0.01;

/// The family names accepted in scenario files.
pub const FAMILIES: &[&str] = &[
    "normal",
    "lognormal",
    "beta",
    "uniform",
    "triangular",
    "pert",
];

/// A distribution family with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Family {
    /// Normal, truncated to the value's bounds.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Log-normal with the given mean and sd of the value itself.
    LogNormal {
        /// Mean of the value.
        mean: f64,
        /// Standard deviation of the value.
        sd: f64,
    },
    /// Beta on [0, 1] with the given mean and sd.
    Beta {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        sd: f64,
    },
    /// Uniform on [min, max].
    Uniform {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// Triangular on [min, max] peaking at mode.
    Triangular {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// PERT (a scaled beta) on [min, max] with the given mode.
    Pert {
        /// Lower end.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        max: f64,
    },
}

impl Family {
    /// The family's name in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Family::Normal { .. } => "normal",
            Family::LogNormal { .. } => "lognormal",
            Family::Beta { .. } => "beta",
            Family::Uniform { .. } => "uniform",
            Family::Triangular { .. } => "triangular",
            Family::Pert { .. } => "pert",
        }
    }
}

/// Marsaglia and Tsang's gamma(shape, 1) sampler with its constants worked
/// out once. It takes the same steps and the same draws as statrs's gamma
/// sampler, which recomputes a square root and two divisions on every call,
/// so its samples are the same numbers, bit for bit.
#[derive(Debug, Clone, Copy, PartialEq)]
struct GammaDraw {
    /// Below shape 1 the draw is boosted from shape + 1 by u^(1/shape):
    /// this is 1/shape then, and 0 (no boost) otherwise.
    boost: f64,
    d: f64,
    c: f64,
}

impl GammaDraw {
    fn new(shape: f64) -> GammaDraw {
        let (a, boost) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = a - 1.0 / 3.0;
        GammaDraw {
            boost,
            d,
            c: 1.0 / (9.0 * d).sqrt(),
        }
    }

    #[inline(always)]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        use rand::RngExt;
        use rand::distr::Distribution;
        let afix = if self.boost > 0.0 {
            rng.random::<f64>().powf(self.boost)
        } else {
            1.0
        };
        let standard = Normal::standard();
        loop {
            let (mut x, mut v);
            loop {
                x = standard.sample(rng);
                v = 1.0 + self.c * x;
                if v > 0.0 {
                    break;
                }
            }
            v = v * v * v;
            x *= x;
            let u: f64 = rng.random();
            if u < 1.0 - 0.0331 * x * x || exact_test(u, x, v, self.d) {
                return afix * self.d * v;
            }
        }
    }
}

/// Marsaglia and Tsang's exact acceptance test, for the one draw in ten
/// that the squeeze does not settle: kept out of line so that the common
/// path stays short.
#[cold]
#[inline(never)]
fn exact_test(u: f64, x: f64, v: f64, d: f64) -> bool {
    u.ln() < 0.5 * x + d * (1.0 - v + v.ln())
}

/// A beta(a, b) draw as X / (X + Y) of two gamma draws, as statrs samples it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BetaDraw(GammaDraw, GammaDraw);

impl BetaDraw {
    fn new(d: &Beta) -> BetaDraw {
        BetaDraw(GammaDraw::new(d.shape_a()), GammaDraw::new(d.shape_b()))
    }

    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = self.0.sample(rng);
        let y = self.1.sample(rng);
        x / (x + y)
    }
}

/// A family with its parameters: what its quantiles and its draws need.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sampler {
    Constant(f64),
    Normal(Normal),
    LogNormal(LogNormal),
    /// A beta on [0, 1] (with its gamma samplers), scaled to
    /// [offset, offset + scale].
    Beta(Beta, BetaDraw, f64, f64),
    Uniform(Uniform),
    Triangular(Triangular),
}

/// How one uncertain input is drawn: the family's sampler and the range
/// draws are kept in. What [`Dist::sample`] runs, in a copy the Monte Carlo
/// loops keep beside each hired creator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Draw {
    sampler: Sampler,
    bound: Bound,
}

impl Draw {
    #[inline]
    fn once<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        use rand::distr::Distribution;
        match &self.sampler {
            Sampler::Constant(x) => *x,
            Sampler::Normal(d) => d.sample(rng),
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Beta(_, d, offset, scale) => offset + scale * d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
        }
    }

    /// One draw, kept within the value's bounds (normal and lognormal draws
    /// outside them are redrawn, up to 16 draws in all, then clamped).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let x = self.once(rng);
        if self.bound.contains(x) {
            x
        } else {
            self.redraw(rng)
        }
    }

    #[cold]
    #[inline(never)]
    fn redraw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        for _ in 1..16 {
            let x = self.once(rng);
            if self.bound.contains(x) {
                return x;
            }
        }
        self.bound.clamp(self.once(rng))
    }
}

/// A validated distribution of one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    /// Family and parameters as given.
    pub family: Family,
    /// Range the samples are kept in.
    pub bound: Bound,
    draw: Draw,
}

impl Dist {
    /// Checks a family's parameters against the value's bounds and builds it.
    pub fn new(family: Family, bound: Bound) -> Result<Dist, String> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        let in_bound = |what: &str, x: f64| {
            if bound.contains(x) {
                Ok(())
            } else {
                Err(match bound {
                    Bound::Rate => format!("{what} must be between 0 and 1 for a rate, got {x}"),
                    Bound::NonNegative => format!("{what} must not be negative, got {x}"),
                })
            }
        };
        let sampler = match family {
            Family::Normal { mean, sd }
            | Family::LogNormal { mean, sd }
            | Family::Beta { mean, sd } => {
                if !finite(&[mean, sd]) {
                    return Err("mean and sd must be finite numbers".into());
                }
                if sd < 0.0 {
                    return Err(format!("sd must not be negative, got {sd}"));
                }
                in_bound("the mean", mean)?;
                if sd == 0.0 {
                    Sampler::Constant(mean)
                } else {
                    match family {
                        Family::Normal { .. } => {
                            Sampler::Normal(Normal::new(mean, sd).map_err(|e| e.to_string())?)
                        }
                        Family::LogNormal { .. } => {
                            if mean <= 0.0 {
                                return Err("a lognormal needs a positive mean".into());
                            }
                            let s2 = (1.0 + (sd / mean).powi(2)).ln();
                            let mu = mean.ln() - s2 / 2.0;
                            Sampler::LogNormal(
                                LogNormal::new(mu, s2.sqrt()).map_err(|e| e.to_string())?,
                            )
                        }
                        _ => {
                            if bound != Bound::Rate {
                                return Err(
                                    "beta is for rates and probabilities (values in [0, 1])".into(),
                                );
                            }
                            let var = sd * sd;
                            if mean <= 0.0 || mean >= 1.0 || var >= mean * (1.0 - mean) {
                                return Err(format!(
                                    "no beta distribution has mean {mean} and sd {sd}: the sd must be below {:.4}",
                                    (mean * (1.0 - mean)).sqrt()
                                ));
                            }
                            let k = mean * (1.0 - mean) / var - 1.0;
                            beta(mean * k, (1.0 - mean) * k, 0.0, 1.0)?
                        }
                    }
                }
            }
            Family::Uniform { min, max } => {
                check_range(min, None, max, bound, &in_bound)?;
                if min == max {
                    Sampler::Constant(min)
                } else {
                    Sampler::Uniform(Uniform::new(min, max).map_err(|e| e.to_string())?)
                }
            }
            Family::Triangular { min, mode, max } => {
                check_range(min, Some(mode), max, bound, &in_bound)?;
                if min == max {
                    Sampler::Constant(min)
                } else {
                    Sampler::Triangular(Triangular::new(min, max, mode).map_err(|e| e.to_string())?)
                }
            }
            Family::Pert { min, mode, max } => {
                check_range(min, Some(mode), max, bound, &in_bound)?;
                if min == max {
                    Sampler::Constant(min)
                } else {
                    let width = max - min;
                    let a = 1.0 + 4.0 * (mode - min) / width;
                    let b = 1.0 + 4.0 * (max - mode) / width;
                    beta(a, b, min, width)?
                }
            }
        };
        let outside = match &sampler {
            Sampler::Normal(d) => {
                d.cdf(0.0)
                    + if bound == Bound::Rate {
                        1.0 - d.cdf(1.0)
                    } else {
                        0.0
                    }
            }
            Sampler::LogNormal(d) if bound == Bound::Rate => 1.0 - d.cdf(1.0),
            _ => 0.0,
        };
        if outside > MAX_OUTSIDE {
            let (range, alternative) = match bound {
                Bound::Rate => ("outside [0, 1]", "beta, which stays within [0, 1]"),
                Bound::NonNegative => ("below 0", "lognormal, which stays positive"),
            };
            return Err(format!(
                "{:.1}% of this distribution lies {range}, so its samples would not average \
                 to its mean; use a smaller sd, or {alternative}",
                100.0 * outside
            ));
        }
        Ok(Dist {
            family,
            bound,
            draw: Draw { sampler, bound },
        })
    }

    /// The mean: the nominal value `solve` uses.
    pub fn mean(&self) -> f64 {
        match self.family {
            Family::Normal { mean, .. }
            | Family::LogNormal { mean, .. }
            | Family::Beta { mean, .. } => mean,
            Family::Uniform { min, max } => (min + max) / 2.0,
            Family::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Family::Pert { min, mode, max } => (min + 4.0 * mode + max) / 6.0,
        }
    }

    /// One draw, kept within the value's bounds (normal and lognormal draws
    /// outside them are redrawn, up to 16 draws in all, then clamped).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.draw.sample(rng)
    }

    /// How this distribution is drawn, as a compact copy.
    pub fn draw(&self) -> Draw {
        self.draw
    }

    /// The p-quantile (0 < p < 1), clamped to the value's bounds.
    pub fn quantile(&self, p: f64) -> f64 {
        let q = match &self.draw.sampler {
            Sampler::Constant(x) => *x,
            Sampler::Normal(d) => d.inverse_cdf(p),
            Sampler::LogNormal(d) => d.inverse_cdf(p),
            Sampler::Beta(d, _, offset, scale) => offset + scale * d.inverse_cdf(p),
            Sampler::Uniform(d) => d.inverse_cdf(p),
            Sampler::Triangular(d) => d.inverse_cdf(p),
        };
        self.bound.clamp(q)
    }
}

/// A beta(a, b) scaled to [offset, offset + scale].
fn beta(a: f64, b: f64, offset: f64, scale: f64) -> Result<Sampler, String> {
    let d = Beta::new(a, b).map_err(|e| e.to_string())?;
    Ok(Sampler::Beta(d, BetaDraw::new(&d), offset, scale))
}

fn check_range(
    min: f64,
    mode: Option<f64>,
    max: f64,
    _bound: Bound,
    in_bound: &dyn Fn(&str, f64) -> Result<(), String>,
) -> Result<(), String> {
    let all = [Some(min), mode, Some(max)];
    if all.iter().flatten().any(|x| !x.is_finite()) {
        return Err("min, mode and max must be finite numbers".into());
    }
    in_bound("min", min)?;
    in_bound("max", max)?;
    if min > max {
        return Err(format!("min ({min}) is above max ({max})"));
    }
    if let Some(mode) = mode
        && (mode < min || mode > max)
    {
        return Err(format!(
            "mode ({mode}) must lie between min ({min}) and max ({max})"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn beta_draws_are_statrs_draws_bit_for_bit() {
        use rand::distr::Distribution;
        // Shapes below 1 (boosted), near 1, and large, as rates and PERTs give.
        for (a, b) in [
            (0.4, 2.5),
            (1.0, 1.0),
            (1.3, 0.7),
            (6.1, 300.0),
            (15.7, 768.0),
        ] {
            let reference = Beta::new(a, b).unwrap();
            let fast = BetaDraw::new(&reference);
            let mut r1 = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
            let mut r2 = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
            for _ in 0..20_000 {
                let expected: f64 = reference.sample(&mut r1);
                assert_eq!(
                    fast.sample(&mut r2).to_bits(),
                    expected.to_bits(),
                    "beta({a}, {b})"
                );
            }
        }
    }

    fn mean_of(d: &Dist, n: usize) -> f64 {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_stated_means() {
        let cases = [
            Dist::new(
                Family::Normal {
                    mean: 0.06,
                    sd: 0.01,
                },
                Bound::Rate,
            ),
            Dist::new(
                Family::LogNormal {
                    mean: 400.0,
                    sd: 120.0,
                },
                Bound::NonNegative,
            ),
            Dist::new(
                Family::Beta {
                    mean: 0.02,
                    sd: 0.008,
                },
                Bound::Rate,
            ),
            Dist::new(
                Family::Uniform {
                    min: 100.0,
                    max: 500.0,
                },
                Bound::NonNegative,
            ),
            Dist::new(
                Family::Triangular {
                    min: 300.0,
                    mode: 400.0,
                    max: 650.0,
                },
                Bound::NonNegative,
            ),
            Dist::new(
                Family::Pert {
                    min: 300.0,
                    mode: 400.0,
                    max: 650.0,
                },
                Bound::NonNegative,
            ),
        ];
        for d in cases {
            let d = d.unwrap();
            let m = mean_of(&d, 200_000);
            assert!(
                (m - d.mean()).abs() < 0.01 * d.mean(),
                "{:?}: {m} vs {}",
                d.family,
                d.mean()
            );
        }
    }

    #[test]
    fn rates_stay_in_bounds() {
        let d = Dist::new(
            Family::Normal {
                mean: 0.02,
                sd: 0.0085,
            },
            Bound::Rate,
        )
        .unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        assert!((0..10_000).all(|_| (0.0..=1.0).contains(&d.sample(&mut rng))));
    }

    #[test]
    fn impossible_parameters_are_refused() {
        assert!(Dist::new(Family::Beta { mean: 0.5, sd: 0.6 }, Bound::Rate).is_err());
        assert!(Dist::new(Family::Uniform { min: 5.0, max: 1.0 }, Bound::NonNegative).is_err());
        assert!(
            Dist::new(
                Family::Triangular {
                    min: 0.0,
                    mode: 2.0,
                    max: 1.0
                },
                Bound::Rate
            )
            .is_err()
        );
        assert!(
            Dist::new(
                Family::Normal {
                    mean: -1.0,
                    sd: 1.0
                },
                Bound::NonNegative
            )
            .is_err()
        );
        assert!(
            Dist::new(
                Family::Beta {
                    mean: 300.0,
                    sd: 1.0
                },
                Bound::NonNegative
            )
            .is_err()
        );
        // Mostly outside its bounds: samples could not average to the mean.
        let wide = Dist::new(
            Family::Normal {
                mean: 0.02,
                sd: 0.1,
            },
            Bound::Rate,
        );
        assert!(wide.unwrap_err().contains("outside [0, 1]"));
        assert!(Dist::new(Family::LogNormal { mean: 0.5, sd: 0.5 }, Bound::Rate).is_err());
    }
}
