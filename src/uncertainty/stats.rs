//! Summary statistics of Monte Carlo samples, computed in sample-index
//! order so that results never depend on how samples were scheduled.

use serde::{Deserialize, Serialize};

/// Share of the worst outcomes CVaR averages over.
pub const CVAR_LEVEL: f64 = 0.05;

/// Distribution summary of one quantity across samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Monte Carlo standard error of the mean: sd / sqrt(n). The mean of a
    /// run with a different seed falls within two of these of this one's
    /// about 95% of the time; four times the samples halve it.
    pub mean_se: f64,
    /// Standard deviation (sample, n - 1).
    pub sd: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Conditional value at risk: the mean of the worst 5% of samples
    /// (lowest for outcomes, highest for costs).
    pub cvar5: f64,
}

/// Whether high or low values are the bad ones for CVaR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Worst {
    /// Outcomes: the lowest values are the worst.
    Low,
    /// Costs: the highest values are the worst.
    High,
}

/// The q-quantile of sorted values (linear interpolation between order statistics).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let position = q * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    sorted[below] + (sorted[above] - sorted[below]) * fraction
}

/// Monte Carlo standard error of a share `p` of `n` samples:
/// sqrt(p (1 - p) / n); NaN without samples.
pub fn share_se(p: f64, n: usize) -> f64 {
    if n == 0 {
        return f64::NAN;
    }
    (p * (1.0 - p) / n as f64).sqrt()
}

/// The share of `of` samples that `count` of them make (0 without samples),
/// and its standard error ([`share_se`]).
pub fn share(count: usize, of: usize) -> (f64, f64) {
    let p = count as f64 / of.max(1) as f64;
    (p, share_se(p, of))
}

/// Summarises values given in sample-index order.
pub fn summarise(values: &[f64], worst: Worst) -> Summary {
    let n = values.len();
    if n == 0 {
        return Summary {
            mean: f64::NAN,
            mean_se: f64::NAN,
            sd: f64::NAN,
            p5: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
            cvar5: f64::NAN,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let tail = ((CVAR_LEVEL * n as f64).ceil() as usize).clamp(1, n);
    let worst_values = match worst {
        Worst::Low => &sorted[..tail],
        Worst::High => &sorted[n - tail..],
    };
    Summary {
        mean,
        mean_se: sd / (n as f64).sqrt(),
        sd,
        p5: quantile(&sorted, 0.05),
        p50: quantile(&sorted, 0.50),
        p95: quantile(&sorted, 0.95),
        cvar5: worst_values.iter().sum::<f64>() / tail as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_one_to_a_hundred() {
        let values: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = summarise(&values, Worst::Low);
        assert_eq!(s.mean, 50.5);
        assert_eq!(s.p50, 50.5);
        assert!((s.p5 - 5.95).abs() < 1e-12);
        assert_eq!(s.cvar5, 3.0); // mean of 1..=5
        // sd of 1..=100 is sqrt(841.66...), over sqrt(100).
        assert!((s.mean_se - (100.0 * 101.0 / 12.0_f64).sqrt() / 10.0).abs() < 1e-12);
        assert_eq!(summarise(&values, Worst::High).cvar5, 98.0); // mean of 96..=100
    }

    #[test]
    fn standard_error_of_a_share() {
        assert_eq!(share_se(0.5, 100), 0.05);
        assert_eq!(share_se(1.0, 100), 0.0);
        assert_eq!(share_se(0.0, 10), 0.0);
        assert!((share_se(0.1, 1000) - 0.009_486_832_980_505_138).abs() < 1e-15);
        assert!(share_se(0.5, 0).is_nan());
    }
}
