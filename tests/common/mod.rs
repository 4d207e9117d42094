//! Shared helpers for the integration tests: a seeded generator of small
//! random scenarios that use every feature of MODEL.md, and a runner of the
//! binary.
#![allow(dead_code)]

pub mod enumerate;
pub mod fuzz;

use std::fmt::Write;

/// Runs the creatormix binary with `args` and extra environment `env`,
/// requires it to succeed (failing with its stderr), and returns its stdout.
pub fn stdout_of(args: &[&str], env: &[(&str, &str)]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_creatormix"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// SplitMix64: a tiny, well-mixed, seedable generator (tests need no `rand`).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [lo, hi].
    pub fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.int(0, items.len() as u64 - 1) as usize]
    }
}

/// Size knobs of a random scenario.
pub struct Size {
    pub creators: u64,
    pub max_posts: u64,
    pub pools: u64,
    pub available: u64,
}

/// A random scenario as YAML text. Small enough to enumerate every plan when
/// `size` is small; every feature of the model appears with some probability.
pub fn random_scenario(seed: u64, size: &Size) -> String {
    let mut r = Rng::new(seed);
    // The audience-quality fields from a stream of their own, so that the
    // rest of each scenario is what it was before they existed.
    let mut q = Rng::new(seed ^ 0x9e37_79b9_7f4a_7c15);
    // Platforms likewise: a third stream.
    let mut v = Rng::new(seed ^ 0x5851_f42d_4c95_7f2d);
    let platforms = ["instagram", "TikTok", "youtube"];
    let multi_platform = v.chance(0.4);
    let tiers = ["nano", "micro", "macro", "mega"];
    let niches = ["food", "beauty", "travel"];
    let mut y = String::new();
    let n = r.int(1, size.creators);
    let budget = r.int(200, 4000);
    writeln!(y, "name: random {seed}").unwrap();
    writeln!(y, "budget: {budget}").unwrap();
    if r.chance(0.5) {
        writeln!(y, "repeat_decay: {:.2}", 0.5 + 0.5 * r.unit()).unwrap();
    }
    writeln!(y, "goal:").unwrap();
    if r.chance(0.7) {
        let w: Vec<f64> = (0..3)
            .map(|_| {
                if r.chance(0.75) {
                    r.int(0, 10) as f64 / 10.0
                } else {
                    0.0
                }
            })
            .collect();
        let w = if w.iter().all(|&x| x == 0.0) {
            vec![0.0, 0.0, 1.0]
        } else {
            w
        };
        writeln!(
            y,
            "  weights: {{ awareness: {}, engagement: {}, conversions: {} }}",
            w[0], w[1], w[2]
        )
        .unwrap();
    } else {
        writeln!(
            y,
            "  values: {{ per_thousand_reach: {}, per_engagement: {}, per_conversion: {} }}",
            r.int(0, 20),
            r.int(0, 3) as f64 / 10.0,
            r.int(1, 50)
        )
        .unwrap();
        // Profit on two in five, from a stream of its own so that the rest
        // of each scenario is what it was before profit existed.
        if Rng::new(seed ^ 0x2545_f491_4f6c_dd1d).chance(0.4) {
            writeln!(y, "  maximize: profit").unwrap();
        }
    }
    if r.chance(0.3) {
        let goal = r.pick(&["awareness", "engagement", "conversions"]);
        let t = match goal {
            "awareness" => r.int(100, 20_000),
            "engagement" => r.int(10, 2_000),
            _ => r.int(1, 30),
        };
        writeln!(y, "  targets: {{ {goal}: {t} }}").unwrap();
    }
    writeln!(y, "limits:").unwrap();
    writeln!(y, "  fee_per_creator: {}", r.int(0, 100)).unwrap();
    let mut max_creators = u64::MAX;
    if r.chance(0.4) {
        max_creators = r.int(1, 4);
        writeln!(y, "  max_creators: {max_creators}").unwrap();
    }
    if r.chance(0.2) {
        writeln!(y, "  min_creators: {}", r.int(0, 2.min(max_creators))).unwrap();
    }
    if r.chance(0.4) {
        let t = r.pick(&tiers);
        if r.chance(0.5) {
            writeln!(y, "  tier_share: {{ {t}: {{ max: {:.2} }} }}", r.unit()).unwrap();
        } else {
            writeln!(
                y,
                "  tier_share: {{ {t}: {{ min: {:.2} }} }}",
                0.6 * r.unit()
            )
            .unwrap();
        }
    }
    let use_niche = r.chance(0.4);
    let niche = r.pick(&niches);
    let use_audience = r.chance(0.5);
    if use_audience {
        writeln!(y, "audiences:\n  fans: {{ size: {} }}", r.int(100, 5_000)).unwrap();
    }
    writeln!(y, "creators:").unwrap();
    let mut someone_has_niche = false;
    // Below this no minimum on credibility may go: a required creator has it.
    let mut lowest_required: f64 = 1.0;
    for i in 0..n {
        let followers = r.int(500, 60_000);
        writeln!(y, "  - handle: \"@c{i}\"").unwrap();
        writeln!(y, "    followers: {followers}").unwrap();
        writeln!(y, "    price_per_post: {}", r.int(20, 1500)).unwrap();
        if r.chance(0.7) {
            writeln!(y, "    engagement_rate: {:.3}", 0.005 + 0.1 * r.unit()).unwrap();
        }
        if r.chance(0.5) {
            writeln!(y, "    conversion_rate: {:.3}", 0.001 + 0.05 * r.unit()).unwrap();
        }
        let has_reach = r.chance(0.5);
        if has_reach {
            writeln!(y, "    reach_rate: {:.2}", 0.05 + 0.4 * r.unit()).unwrap();
        }
        let role = r.unit();
        let (require, exclude) = (role < 0.1, (0.1..0.2).contains(&role));
        let min_posts = u64::from(require);
        writeln!(
            y,
            "    max_posts: {}",
            r.int(min_posts, size.max_posts.max(min_posts))
        )
        .unwrap();
        if r.chance(0.3) {
            writeln!(y, "    fee: {}", r.int(0, 300)).unwrap();
        }
        if r.chance(0.2) {
            writeln!(y, "    tier: {}", r.pick(&tiers)).unwrap();
        }
        if r.chance(0.3) {
            // Now and then a creator whose posts never go out: no outcome at all.
            let delivery = if r.chance(0.15) {
                0.0
            } else {
                0.5 + 0.5 * r.unit()
            };
            writeln!(y, "    delivery: {delivery:.2}").unwrap();
        }
        if q.chance(0.25) {
            let credibility = 0.5 + 0.5 * q.unit();
            writeln!(y, "    credibility: {credibility:.2}").unwrap();
            if require {
                lowest_required = lowest_required.min(credibility - 0.01);
            }
        }
        if q.chance(0.2) {
            writeln!(y, "    audience_fit: {:.2}", 0.3 + 0.7 * q.unit()).unwrap();
        }
        if multi_platform && v.chance(0.7) {
            writeln!(y, "    platform: {}", v.pick(&platforms)).unwrap();
            if v.chance(0.4) && !has_reach {
                writeln!(y, "    avg_views: {}", v.int(0, 2 * followers)).unwrap();
            }
        }
        if use_niche && r.chance(0.5) {
            writeln!(y, "    niches: [{niche}]").unwrap();
            someone_has_niche = true;
        }
        if use_audience && r.chance(0.6) {
            writeln!(y, "    audience: fans").unwrap();
        }
        if exclude {
            writeln!(y, "    exclude: true").unwrap();
        } else if require {
            writeln!(y, "    require: true").unwrap();
        }
    }
    let pools = r.int(0, size.pools);
    if pools > 0 {
        writeln!(y, "pools:").unwrap();
        for j in 0..pools {
            writeln!(y, "  - name: pool{j}").unwrap();
            writeln!(y, "    tier: {}", r.pick(&tiers[..2])).unwrap();
            writeln!(y, "    available: {}", r.int(0, size.available)).unwrap();
            writeln!(y, "    posts: {}", r.int(1, 2)).unwrap();
            writeln!(y, "    price_per_post: {}", r.int(10, 400)).unwrap();
            if use_niche && r.chance(0.5) {
                writeln!(y, "    niches: [{niche}]").unwrap();
                someone_has_niche = true;
            }
            if use_audience && r.chance(0.5) {
                writeln!(y, "    audience: fans").unwrap();
            }
            if q.chance(0.3) {
                writeln!(y, "    credibility: {:.2}", 0.5 + 0.5 * q.unit()).unwrap();
            }
            if multi_platform && v.chance(0.6) {
                writeln!(y, "    platform: {}", v.pick(&platforms)).unwrap();
            }
        }
    }
    if multi_platform && v.chance(0.4) {
        let p = v.pick(&["instagram", "tiktok", "YouTube"]);
        let line = if v.chance(0.5) {
            format!("  platform_share: {{ {p}: {{ max: {:.2} }} }}\n", v.unit())
        } else {
            format!(
                "  platform_share: {{ {p}: {{ min: {:.2} }} }}\n",
                0.4 * v.unit()
            )
        };
        y = y.replacen("limits:\n", &format!("limits:\n{line}"), 1);
    }
    if multi_platform && v.chance(0.4) {
        let p = v.pick(&["instagram", "tiktok", "youtube"]);
        let line = match v.int(0, 2) {
            0 => format!("  platforms: {{ {p}: {{ min_creators: 1 }} }}\n"),
            1 => format!(
                "  platforms: {{ {p}: {{ max_creators: {} }} }}\n",
                v.int(0, 2)
            ),
            _ => format!(
                "  platforms: {{ {p}: {{ min_creators: 1, max_creators: {} }} }}\n",
                v.int(1, 3)
            ),
        };
        y = y.replacen("limits:\n", &format!("limits:\n{line}"), 1);
    }
    if q.chance(0.25) {
        let floor = (0.55 + 0.35 * q.unit()).min(lowest_required);
        y = y.replacen(
            "limits:\n",
            &format!("limits:\n  min_credibility: {floor:.2}\n"),
            1,
        );
    }
    if use_niche && someone_has_niche {
        // Appended limits key: YAML allows the mapping to continue here only at
        // top level, so write it as its own top-level-free block via flow style.
        y = y.replacen(
            "limits:\n",
            &format!(
                "limits:\n  niches: {{ {niche}: {{ min_creators: {} }} }}\n",
                r.int(1, 2)
            ),
            1,
        );
    }
    y
}
