#!/usr/bin/env python3
"""Generate a synthetic multi-platform influencer-platform export (CSV).

Purpose
-------
Rosters reach a strategist as exports from influencer platforms: display
headers, percentages, currency signs, thousands separators, `12.5k` counts,
niches in one cell, columns the scenario does not use. This script writes such
an export for Instagram, TikTok and YouTube creators, without naming real
people, so that `creators_csv` mappings can be shown and tested on a file that
looks like the real thing. The bundled `scenarios/platform-export/export.csv`
was made with

    python3 scripts/generate_export.py --count 320 --seed 7 \
        --output scenarios/platform-export/export.csv

Python 3.11+, standard library only; the same count and seed give the same
file, byte for byte.

Columns
-------
    Username,Platform,Followers,Engagement Rate,Avg Views,Price (USD),
    Audience Credibility,Country,Category

Engagement Rate is per follower on Instagram and per view on TikTok and
YouTube, as the platforms' analytics count it (and as the bundled market
models do). Avg Views is empty for a fifth of the Instagram rows, as exports
leave it where a platform does not report it.

Figures (all assumptions chosen to resemble the bundled market models,
models/*.yaml, which cite their sources): followers log-uniform within each
tier band; engagement and views per follower around the tier's default with a
spread of about a third; prices around the tier's default price, 0.5x-1.8x.
"""

from __future__ import annotations

import argparse
import random
import sys

PLATFORMS = (
    # name, share of rows, engagement per tier (nano..mega), views per follower per
    # tier, price per tier (USD)
    ("Instagram", 0.45, (0.08, 0.06, 0.0225, 0.0193), (0.30, 0.25, 0.18, 0.12),
     (75, 300, 15_000, 100_000)),
    ("TikTok", 0.35, (0.08, 0.06, 0.04, 0.025), (1.0, 0.6, 0.35, 0.2),
     (40, 150, 7_500, 50_000)),
    ("YouTube", 0.20, (0.04, 0.035, 0.03, 0.025), (0.5, 0.3, 0.2, 0.12),
     (150, 600, 30_000, 200_000)),
)
# Follower bands per tier, and how often each tier is drawn (megas are rare).
BANDS = ((1_000, 10_000), (10_000, 100_000), (100_000, 1_000_000), (1_000_000, 5_000_000))
TIER_WEIGHTS = (40, 45, 13, 2)
CATEGORIES = ("running", "fitness", "outdoor", "nutrition", "yoga", "cycling", "lifestyle")
COUNTRIES = ("US", "UK", "DE", "NL", "FR", "ES", "CA", "AU")
NAMES = ("run", "stride", "pace", "trail", "fit", "move", "sweat", "lift", "flow", "miles",
         "tempo", "sprint", "peak", "core", "zen", "ride", "climb", "hike", "fuel", "daily")


def count_cell(rng: random.Random, n: int) -> str:
    """A count as exports write it: `12,400`, `12.4k`, `1.2M` or plain."""
    style = rng.random()
    if n >= 1_000_000 and style < 0.6:
        return f"{n / 1e6:.1f}M"
    if n >= 10_000 and style < 0.35:
        return f"{n / 1e3:.1f}k"
    if style < 0.8:
        return f"{n:,}"
    return str(n)


def money_cell(rng: random.Random, amount: int) -> str:
    """Money as exports write it: `$4,600`, `USD 4600`, `4,600.00`."""
    style = rng.random()
    if style < 0.5:
        return f"${amount:,}"
    if style < 0.75:
        return f"USD {amount}"
    return f"{amount:,}.00"


def quoted(cell: str) -> str:
    """A CSV cell, quoted when it holds a comma."""
    return f'"{cell}"' if "," in cell else cell


def rows(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = ["Username,Platform,Followers,Engagement Rate,Avg Views,Price (USD),"
           "Audience Credibility,Country,Category"]
    used = set()
    for i in range(count):
        name, _, engagement, views, prices = rng.choices(
            PLATFORMS, weights=[p[1] for p in PLATFORMS])[0]
        tier = rng.choices(range(4), weights=TIER_WEIGHTS)[0]
        low, high = BANDS[tier]
        followers = int(low * (high / low) ** rng.random())
        followers = round(followers, -2) if followers > 10_000 else followers
        rate = engagement[tier] * rng.uniform(0.65, 1.35)
        per_follower_views = views[tier] * rng.uniform(0.6, 1.6)
        avg_views = round(followers * per_follower_views, -1)
        price = round(prices[tier] * rng.uniform(0.5, 1.8) * (followers / (low * 3)) ** 0.35, -1)
        price = max(20, int(price))
        credibility = rng.uniform(0.6, 0.97)
        handle = f"@{rng.choice(NAMES)}{rng.choice(NAMES)}.{i:03d}"
        while handle in used:
            handle += "x"
        used.add(handle)
        niches = rng.sample(CATEGORIES, rng.choice((1, 1, 2, 2, 3)))
        separator = rng.choice((", ", "|", "; "))
        views_cell = "" if name == "Instagram" and rng.random() < 0.2 else count_cell(
            rng, int(avg_views))
        out.append(",".join([
            handle,
            name,
            quoted(count_cell(rng, followers)),
            f"{100 * rate:.1f}%",
            quoted(views_cell),
            quoted(money_cell(rng, price)),
            f"{100 * credibility:.0f}%",
            rng.choice(COUNTRIES),
            quoted(separator.join(niches)) if "," in separator else separator.join(niches),
        ]))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", required=True)
    args = parser.parse_args(argv)
    with open(args.output, "w", encoding="utf-8", newline="") as handle:
        handle.write("\r\n".join(rows(args.count, args.seed)) + "\r\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
