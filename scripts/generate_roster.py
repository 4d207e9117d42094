#!/usr/bin/env python3
"""Generate a synthetic, realistic creator roster as a creatormix CSV.

Purpose
-------
Benchmarks and examples need a large roster (an agency's book of a thousand
creators) that looks like the real Instagram market without naming real people.
This script draws one from the market figures the project is built on, so the
roster is reproducible from a seed and every distribution can be traced to a
source. The bundled `scenarios/agency-roster.csv` was made with

    python3 scripts/generate_roster.py --count 1000 --seed 2024 \
        --output scenarios/agency-roster.csv

Usage
-----
    python3 scripts/generate_roster.py --count N --seed S --output FILE.csv

Python 3.11+, standard library only. The same count and seed always give the
same file, byte for byte (all randomness comes from one `random.Random(seed)`).

Output
------
One header line and N rows with the columns of a creator in INTERFACE.md:

    handle,followers,price_per_post,engagement_rate,conversion_rate,reach_rate,
    max_posts,fee,tier,platform,niches,audience,require,exclude,delivery

An empty cell means the field is absent (the scenario or the market model then
supplies it). Handles are `@creator0001`, `@creator0002`, ...; niches are
joined with ';'.

Sources ("seed NNN" is the market article shared/seeds/NNN_*.txt)
----------------------------------------------------------------
    seed 000  Why 10 Micro-Creators Can Be More Powerful Than One Mega-Influencer
    seed 001  Are Micro Influencers More Powerful Than Mega Influencers?
    seed 002  Understanding the Difference Between Micro vs. Mega Influencers
    seed 003  Are Micro-Influencers Worth It? A Deep Dive into the Power of
              Smaller Voices
    seed 004  Why Micro Influencers Are Dominating Digital Campaigns Over Big Names

Distributions and why
---------------------
tier        Drawn per row with weights nano 35%, micro 45%, macro 15%, mega 5%
            (assumption). Rosters are dominated by small creators: seed 003
            says a brand can work with "dozens of micro-influencers" for the
            price of one celebrity post, and seed 003's Daniel Wellington case
            worked with "thousands of micro-influencers".
followers   Log-uniform within the tier's bounds, seed 003's table: nano
            1K-10K, micro 10K-100K, macro 100K-1M, mega 1M+ (capped at 10M here,
            assumption). Log-uniform because follower counts spread over orders
            of magnitude: within a band, as many accounts sit between 10k and 20k
            as between 50k and 100k. Integers, kept below the next tier's bound.
engagement  Engagements per follower per post. The tier's benchmark times
_rate       lognormal noise (sd 0.25 of the log), clipped to a plausible band:
            nano ~8% (assumption: accounts under 10k have the highest engagement
            per post, seed 000's Markerly 2023 study), micro ~6% (seed 003,
            section 2), macro ~2.25% (seed 003: 1.5-3%), mega ~1.93% (seed 002;
            seed 003 adds that mega "often drop below 1%", hence the wide lower
            clip). Micro's 6% over mega's 1.93% is 3.1x, inside seed 004's
            "three to five times".
price       Whole dollars, rising with followers: the tier's price band is
_per_post   mapped log-linearly onto its follower band (bottom of the band pays
            the low price, top the high one), times lognormal noise (sd 0.15),
            clipped to the band. Bands: micro $100-500 and macro $5,000-25,000
            (seed 003, Influencer Marketing Hub 2024), mega $100,000-250,000
            (seed 003: "$100,000+"; seed 002: "six figures"; the $250k top is an
            assumption), nano $20-100 (assumption: below micro's $100 floor,
            nano creators "sometimes taking product swaps or small amounts",
            seed 004). The bands jump at tier edges because the seeds' do.
conversion  Conversions per engagement, falling with tier: nano 2.5%, micro
_rate       2%, macro 1.2%, mega 0.67% (the instagram-2024 model's defaults:
            micro three times mega because micro-influencers are "perceived as
            3x more authentic", seed 003 section 4), lognormal noise (sd 0.25),
            clipped to 0.5%-3% (assumption).
reach_rate  Share of followers who see a post, falling with tier: nano 0.30,
            micro 0.25, macro 0.18, mega 0.12 (the model's assumptions), normal
            noise (sd 0.03), clipped to 0.10-0.35.
max_posts   Uniform 1-4 for nano and micro, 1-3 for macro, 1-2 for mega
            (assumption following seed 002: micro influencers "are typically
            open to long-term work", mega take shorter partnerships).
fee         Absent for 90% of rows (the scenario's limits.fee_per_creator
            applies); the other 10% carry a negotiated one-off fee (assumption:
            contract, product and management time, seed 001's administrative
            load): $50-300 nano/micro, $500-2,000 macro, $2,000-10,000 mega.
tier        Absent for 97% of rows (inferred from followers); 3% state it, and
            always the tier their followers imply.
platform    Always `instagram` (the market model is Instagram's).
niches      One (60%) or two (40%) distinct labels from: beauty, fitness, food,
            travel, tech, fashion, parenting, gaming, skincare, vegan.
audience    Absent for 85% of rows; 15% of nano and micro creators belong to
            `<niche>-community` for their first niche, the overlapping follower
            base seed 001 describes ("Micro Influencers share followers with one
            another"). A scenario using the roster must define those groups.
require     `true` for 0.5% of nano and micro rows (a client's must-have, cheap
            enough never to make a scenario infeasible), else absent.
exclude     `true` for 2% of the rows that are not required, else absent.
delivery    Absent for 70% of rows (delivery 1); else uniform 0.85-1.00, two
            decimals (assumption: a small chance a post does not go out).

Rates are rounded to 4 decimals, followers and prices to whole numbers.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from pathlib import Path

COLUMNS = [
    "handle", "followers", "price_per_post", "engagement_rate", "conversion_rate",
    "reach_rate", "max_posts", "fee", "tier", "platform", "niches", "audience",
    "require", "exclude", "delivery",
]

NICHES = [
    "beauty", "fitness", "food", "travel", "tech",
    "fashion", "parenting", "gaming", "skincare", "vegan",
]

# Per tier: share of the roster, follower band [lo, hi), price band, engagement
# benchmark and clip, conversion and reach centres, max_posts upper bound, and
# the band of an explicit fee. Sources in the module docstring.
TIERS = {
    "nano": {
        "share": 0.35, "followers": (1_000, 10_000), "price": (20, 100),
        "engagement": 0.08, "engagement_clip": (0.03, 0.15),
        "conversion": 0.025, "reach": 0.30, "max_posts": 4, "fee": (50, 300),
    },
    "micro": {
        "share": 0.45, "followers": (10_000, 100_000), "price": (100, 500),
        "engagement": 0.06, "engagement_clip": (0.025, 0.12),
        "conversion": 0.02, "reach": 0.25, "max_posts": 4, "fee": (50, 300),
    },
    "macro": {
        "share": 0.15, "followers": (100_000, 1_000_000), "price": (5_000, 25_000),
        "engagement": 0.0225, "engagement_clip": (0.01, 0.04),
        "conversion": 0.012, "reach": 0.18, "max_posts": 3, "fee": (500, 2_000),
    },
    "mega": {
        "share": 0.05, "followers": (1_000_000, 10_000_000), "price": (100_000, 250_000),
        "engagement": 0.0193, "engagement_clip": (0.005, 0.035),
        "conversion": 0.0067, "reach": 0.12, "max_posts": 2, "fee": (2_000, 10_000),
    },
}

CONVERSION_CLIP = (0.005, 0.03)
REACH_CLIP = (0.10, 0.35)
SMALL_TIERS = ("nano", "micro")

P_FEE = 0.10
P_TIER = 0.03
P_AUDIENCE = 0.15
P_REQUIRE = 0.005
P_EXCLUDE = 0.02
P_DELIVERY = 0.30
P_TWO_NICHES = 0.40


def clip(value: float, bounds: tuple[float, float]) -> float:
    """`value` limited to the closed interval `bounds`."""
    low, high = bounds
    return min(max(value, low), high)


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    """A draw whose logarithm is uniform on [log low, log high)."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def noisy(rng: random.Random, centre: float, sigma: float) -> float:
    """`centre` times lognormal noise with median 1 and log-sd `sigma`."""
    return centre * math.exp(rng.normalvariate(0.0, sigma))


def price_for(rng: random.Random, followers: int, spec: dict) -> int:
    """A per-post price: the follower band mapped log-linearly onto the price band, with noise."""
    f_low, f_high = spec["followers"]
    p_low, p_high = spec["price"]
    position = (math.log(followers) - math.log(f_low)) / (math.log(f_high) - math.log(f_low))
    centre = math.exp(math.log(p_low) + position * (math.log(p_high) - math.log(p_low)))
    return round(clip(noisy(rng, centre, 0.15), (p_low, p_high)))


def fee_for(rng: random.Random, spec: dict) -> int:
    """A negotiated one-off fee, rounded to a sensible step for its size."""
    low, high = spec["fee"]
    step = 10 if high <= 300 else 50 if high <= 2_000 else 500
    return int(round(rng.uniform(low, high) / step) * step)


def creator_row(rng: random.Random, handle: str) -> dict[str, str]:
    """One roster row. Every draw is made whatever its outcome, so each row uses the same
    number of draws per tier and a change to one probability does not reshuffle the rest."""
    tier = rng.choices(list(TIERS), weights=[t["share"] for t in TIERS.values()])[0]
    spec = TIERS[tier]
    f_low, f_high = spec["followers"]
    followers = min(round(log_uniform(rng, f_low, f_high)), f_high - 1)

    engagement = clip(noisy(rng, spec["engagement"], 0.25), spec["engagement_clip"])
    conversion = clip(noisy(rng, spec["conversion"], 0.25), CONVERSION_CLIP)
    reach = clip(rng.normalvariate(spec["reach"], 0.03), REACH_CLIP)
    price = price_for(rng, followers, spec)
    max_posts = rng.randint(1, spec["max_posts"])

    count = 2 if rng.random() < P_TWO_NICHES else 1
    niches = rng.sample(NICHES, count)

    fee = fee_for(rng, spec)
    has_fee = rng.random() < P_FEE
    states_tier = rng.random() < P_TIER
    small = tier in SMALL_TIERS
    in_audience = rng.random() < P_AUDIENCE and small
    required = rng.random() < P_REQUIRE and small
    excluded = rng.random() < P_EXCLUDE and not required
    delivery = rng.uniform(0.85, 1.0)
    has_delivery = rng.random() < P_DELIVERY

    return {
        "handle": handle,
        "followers": str(followers),
        "price_per_post": str(price),
        "engagement_rate": f"{engagement:.4f}",
        "conversion_rate": f"{conversion:.4f}",
        "reach_rate": f"{reach:.4f}",
        "max_posts": str(max_posts),
        "fee": str(fee) if has_fee else "",
        "tier": tier if states_tier else "",
        "platform": "instagram",
        "niches": ";".join(niches),
        "audience": f"{niches[0]}-community" if in_audience else "",
        "require": "true" if required else "",
        "exclude": "true" if excluded else "",
        "delivery": f"{delivery:.2f}" if has_delivery else "",
    }


def generate(count: int, seed: int) -> list[dict[str, str]]:
    """`count` roster rows drawn from `random.Random(seed)`."""
    rng = random.Random(seed)
    width = max(4, len(str(count)))
    return [creator_row(rng, f"@creator{n:0{width}d}") for n in range(1, count + 1)]


def write_csv(rows: list[dict[str, str]], output: Path) -> None:
    """Write the rows under the header, with '\\n' line endings."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a synthetic Instagram creator roster (CSV) for creatormix.",
    )
    parser.add_argument("--count", type=positive_int, required=True, help="number of creators")
    parser.add_argument("--seed", type=int, required=True, help="random seed (same seed, same file)")
    parser.add_argument("--output", type=Path, required=True, help="CSV file to write")
    args = parser.parse_args(argv)

    rows = generate(args.count, args.seed)
    write_csv(rows, args.output)
    print(f"wrote {len(rows)} creators to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
