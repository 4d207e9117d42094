#!/usr/bin/env python3
"""Write small random creatormix scenarios for differential testing.

    random_scenarios.py --count N --seed S --out DIR

Each scenario has 3-8 creators and 0-2 pools, so that any MILP solver handles it in a
fraction of a second. Across a set, the scenarios use every feature of the core model:
repeat decay, several posts per creator, audience groups whose size binds, tier-share
minimums and maximums, niche minimums, require / exclude, goal targets, min / max
creators, fees (per creator and scenario-wide), delivery below 1, both goal modes,
explicit and inferred tiers, CSV rosters, bundled as well as custom market models, and
creators on TikTok and YouTube (their own market models, avg_views, platform limits).

Budgets are drawn relative to what the roster could cost (plus whatever required
creators cost), so most scenarios are feasible; a few, by design, are not.

Output depends only on --seed (stdlib `random`); the YAML is formatted by hand.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

NICHES = ("beauty", "fitness", "food", "travel", "tech")
PLATFORMS = ("instagram", "tiktok")

# Tier bands the generator draws followers from: (name, low, high). The bundled
# instagram-2024 model's bounds; macro is kept below 400k so prices stay moderate.
INSTAGRAM_BANDS = (("nano", 800, 10_000), ("micro", 10_000, 100_000),
                   ("macro", 100_000, 400_000))
# Tiers whose default price is small enough to leave a pool's price unset.
INSTAGRAM_CHEAP = ("nano", "micro")

# A custom market model written next to some scenarios (path given by `market:`).
CUSTOM_TIERS = (
    # name, min_followers, followers, engagement, reach, conversion, price
    ("small", 500, 2_000, 0.09, 0.35, 0.03, 40),
    ("mid", 5_000, 20_000, 0.05, 0.22, 0.02, 250),
    ("large", 50_000, 150_000, 0.03, 0.15, 0.01, 1_800),
)
CUSTOM_BANDS = (("small", 300, 5_000), ("mid", 5_000, 50_000), ("large", 50_000, 200_000))
CUSTOM_CHEAP = ("small", "mid")


def num(value: float, digits: int = 4) -> str:
    """A number as YAML/CSV text: integers plainly, others rounded."""
    if float(value).is_integer():
        return str(int(value))
    return repr(round(value, digits))


def quote(text: str) -> str:
    """A double-quoted YAML string (all generated strings are plain ASCII)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def custom_market_yaml(name: str) -> str:
    """A market model file in the bundled format, with the CUSTOM_TIERS figures."""
    lines = [f"name: {name}", "description: Test market for randomised comparisons.",
             "tiers:"]
    for tier, bound, followers, eng, reach, conv, price in CUSTOM_TIERS:
        src = 'source: "assumption: test figure"'
        lines += [
            f"  - name: {tier}",
            f"    min_followers: {{ value: {bound}, {src} }}",
            "    defaults:",
            f"      followers: {{ value: {followers}, {src} }}",
            f"      engagement_rate: {{ value: {eng}, {src} }}",
            f"      reach_rate: {{ value: {reach}, {src} }}",
            f"      conversion_rate: {{ value: {conv}, {src} }}",
            f"      price_per_post: {{ value: {price}, {src} }}",
        ]
    return "\n".join(lines) + "\n"


def draw_rates(rng: random.Random, record: dict, keep: float) -> None:
    """Set each rate with probability `keep`; the rest fall back to tier defaults."""
    # Wide ranges, so that the best plan for one goal is rarely the best for another.
    if rng.random() < keep:
        record["engagement_rate"] = round(rng.uniform(0.005, 0.15), 4)
    if rng.random() < keep:
        record["reach_rate"] = round(rng.uniform(0.05, 0.6), 3)
    if rng.random() < keep:
        record["conversion_rate"] = round(rng.uniform(0.002, 0.08), 4)


def draw_creator(rng, index, bands, audiences, side) -> dict:
    """One creator record (only fields that are set). `side` draws the
    platform features, so that every other draw stays as it was."""
    # The largest band is drawn less often: its prices dwarf the others'.
    tier, low, high = rng.choices(bands, weights=(3, 3, 1))[0]
    followers = rng.randint(low, high - 1)
    creator = {
        "handle": f"@creator{index}",
        "followers": followers,
        # Roughly 0.3-3 cents per follower per post.
        "price_per_post": max(10, round(followers * rng.uniform(0.003, 0.03))),
    }
    draw_rates(rng, creator, keep=0.7)
    creator["max_posts"] = rng.choices((0, 1, 2, 3), weights=(1, 6, 6, 6))[0]
    if rng.random() < 0.3:
        creator["fee"] = rng.randint(0, 200)
    if rng.random() < 0.25:
        # An explicit tier: usually the band's, sometimes another one.
        creator["tier"] = tier if rng.random() < 0.6 else rng.choice(bands)[0]
    if rng.random() < 0.2:
        creator["platform"] = rng.choice(PLATFORMS)
    if bands is CUSTOM_BANDS:
        # A custom market is the default platform's; other platforms have
        # other tiers, which an explicit custom tier would not name.
        creator.pop("platform", None)
    elif side.random() < 0.3:
        creator["platform"] = side.choice(("TikTok", "youtube", "YouTube", "tiktok"))
    if creator.get("platform", "").lower() in ("tiktok", "youtube") and side.random() < 0.5:
        creator.pop("reach_rate", None)
        creator["avg_views"] = round(followers * side.uniform(0.05, 2.5))
    niches = rng.sample(NICHES, rng.choice((0, 1, 1, 2)))
    if niches:
        creator["niches"] = niches
    if audiences and rng.random() < 0.55:
        creator["audience"] = rng.choice(audiences)
    if rng.random() < 0.3:
        creator["delivery"] = round(rng.uniform(0.6, 1.0), 2)
    if rng.random() < 0.3:
        creator["credibility"] = round(rng.uniform(0.5, 1.0), 2)
    if rng.random() < 0.25:
        creator["audience_fit"] = round(rng.uniform(0.3, 1.0), 2)
    roll = rng.random()
    if roll < 0.1 and creator["max_posts"] > 0:
        creator["require"] = True
    elif roll > 0.92:
        creator["exclude"] = True
    return creator


def draw_pool(rng, index, bands, cheap, audiences, side) -> dict:
    """One pool record (only fields that are set)."""
    tier, low, high = rng.choice(bands)
    pool = {"name": f"pool-{index}", "available": rng.randint(1, 6),
            "posts": rng.randint(1, 3)}
    how = rng.random()
    if how < 0.35:
        pool["tier"] = tier  # followers from the tier's defaults
    elif how < 0.7:
        pool["followers"] = rng.randint(low, high - 1)  # tier inferred
    else:
        pool["tier"] = tier
        pool["followers"] = rng.randint(low, high - 1)
    if tier not in cheap or rng.random() < 0.5:
        base = pool.get("followers", (low + high) // 2)
        pool["price_per_post"] = max(10, round(base * rng.uniform(0.005, 0.02)))
    draw_rates(rng, pool, keep=0.4)
    if rng.random() < 0.3:
        pool["fee"] = rng.randint(0, 150)
    niches = rng.sample(NICHES, rng.choice((0, 1, 1, 2)))
    if niches:
        pool["niches"] = niches
    if audiences and rng.random() < 0.4:
        pool["audience"] = rng.choice(audiences)
    if rng.random() < 0.3:
        pool["delivery"] = round(rng.uniform(0.6, 1.0), 2)
    if rng.random() < 0.3:
        pool["credibility"] = round(rng.uniform(0.5, 1.0), 2)
    if rng.random() < 0.25:
        pool["audience_fit"] = round(rng.uniform(0.3, 1.0), 2)
    if bands is not CUSTOM_BANDS and side.random() < 0.3:
        pool["platform"] = side.choice(("tiktok", "YouTube"))
    return pool


GOALS = ("awareness", "engagement", "conversions")


def rough_outcome(record: dict, goal: str) -> float:
    """A rough one-post outcome (typical rates where unset), to size audiences and targets."""
    base = record.get("followers", 20_000) * record.get("delivery", 1.0)
    if goal == "awareness":
        return base * record.get("reach_rate", 0.2)
    engagements = base * record.get("engagement_rate", 0.05)
    if goal == "engagement":
        return engagements
    return engagements * record.get("conversion_rate", 0.02)


def rough_reach(record: dict) -> float:
    """A rough one-post reach."""
    return rough_outcome(record, "awareness")


def band_of(bands, record: dict) -> str:
    """The band (tier) a record's followers fall in, as the generator drew it."""
    followers = record.get("followers", bands[0][1])
    chosen = bands[0][0]
    for name, low, _ in bands:
        if low <= followers:
            chosen = name
    return chosen


def one_hire_cost(record: dict, default_fee: float) -> float:
    """Roughly what hiring one creator (one post) or one pool creator costs."""
    posts = record.get("posts", 1) if "available" in record else 1
    return record.get("fee", default_fee) + record.get("price_per_post", 100) * posts


def rough_cost(record: dict, default_fee: float) -> float:
    """What hiring a creator for every post (or a whole pool) would roughly cost."""
    fee = record.get("fee", default_fee)
    price = record.get("price_per_post", 100)
    if "available" in record:
        return record["available"] * (fee + price * record["posts"])
    return fee + price * record["max_posts"] if record["max_posts"] else 0.0


def yaml_record(record: dict, fields: list[str]) -> list[str]:
    """A creator or pool as a YAML list item."""
    lines = []
    for key in fields:
        if key not in record:
            continue
        value = record[key]
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float)):
            text = num(value)
        elif isinstance(value, list):
            text = "[" + ", ".join(value) + "]"
        else:
            text = quote(value)
        lines.append(("  - " if not lines else "    ") + f"{key}: {text}")
    return lines


CREATOR_ORDER = ["handle", "followers", "price_per_post", "engagement_rate", "reach_rate",
                 "conversion_rate", "max_posts", "fee", "tier", "platform", "avg_views", "niches",
                 "audience", "delivery", "credibility", "audience_fit", "require", "exclude"]
POOL_ORDER = ["name", "tier", "available", "posts", "followers", "price_per_post",
              "engagement_rate", "reach_rate", "conversion_rate", "fee", "platform", "niches",
              "audience", "delivery", "credibility", "audience_fit"]


def csv_roster(creators: list[dict]) -> str:
    """Creators as a CSV roster: every column present, absent fields as empty cells."""
    rows = [",".join(CREATOR_ORDER)]
    for creator in creators:
        cells = []
        for key in CREATOR_ORDER:
            value = creator.get(key)
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, (int, float)):
                cells.append(num(value))
            elif isinstance(value, list):
                cells.append(";".join(value))
            else:
                cells.append(value)
        rows.append(",".join(cells))
    return "\n".join(rows) + "\n"


def make_scenario(rng: random.Random, index: int, out_dir: str) -> str:
    """Write scenario number `index` (and its roster / market files); return its path."""
    stem = f"scenario_{index:03d}"
    lines = [f"name: Random scenario {index}"]

    # Market: the default, the bundled one named explicitly, or a custom file.
    market_roll = rng.random()
    if market_roll < 0.3:
        bands, cheap, tiers = CUSTOM_BANDS, CUSTOM_CHEAP, [t[0] for t in CUSTOM_TIERS]
        os.makedirs(os.path.join(out_dir, "markets"), exist_ok=True)
        with open(os.path.join(out_dir, "markets", f"{stem}.yaml"), "w") as handle:
            handle.write(custom_market_yaml(f"custom-{index}"))
        lines.append(f"market: markets/{stem}.yaml")
    else:
        bands, cheap, tiers = INSTAGRAM_BANDS, INSTAGRAM_CHEAP, [b[0] for b in INSTAGRAM_BANDS]
        if market_roll < 0.6:
            lines.append("market: instagram-2024")

    audiences = [f"aud-{j}" for j in range(rng.choice((0, 0, 1, 1, 2)))]
    side = random.Random(index * 104_729 + 7)
    creators = [draw_creator(rng, i, bands, audiences, side) for i in range(rng.randint(3, 8))]
    pools = [draw_pool(rng, j, bands, cheap, audiences, side)
             for j in range(rng.choice((0, 0, 1, 2)))]
    suppliers = creators + pools
    default_fee = rng.choice((0, 0, 50, 120)) if rng.random() < 0.5 else None
    fee = default_fee or 0
    # Suppliers that can be hired at all, and what one hire (one post) costs.
    hireable = [s for s in suppliers
                if s.get("available", 0) > 0 or (s.get("max_posts", 0) > 0 and not s.get("exclude"))]
    n_required = sum(1 for c in creators if c.get("require"))

    # Limits, chosen before the budget so that the budget can pay for them.
    limits, extra_cost = [], 0.0
    max_creators = None
    if rng.random() < 0.3:
        max_creators = rng.randint(max(2, n_required), max(2, n_required, len(creators)))
        limits.append(f"  max_creators: {max_creators}")
    if rng.random() < 0.25 and hireable:
        low = min(rng.randint(1, 3), len(hireable))
        if max_creators is not None:
            low = min(low, max_creators)
        limits.append(f"  min_creators: {low}")
        extra_cost += sum(sorted(one_hire_cost(s, fee) for s in hireable)[:low])
    if default_fee is not None:
        limits.append(f"  fee_per_creator: {default_fee}")
    if rng.random() < 0.2:
        floor = round(rng.uniform(0.55, 0.9), 2)
        if all(c.get("credibility", 1.0) >= floor for c in creators if c.get("require")):
            limits.append(f"  min_credibility: {floor}")
    if rng.random() < 0.35:
        # Mostly tiers that some hireable supplier is in (an absent tier with a minimum
        # share forces an empty plan, which is legitimate but less interesting).
        present = sorted({s.get("tier") or band_of(bands, s) for s in hireable}) or tiers
        pool_of_tiers = present if rng.random() < 0.85 else tiers
        shares = []
        picked = rng.sample(pool_of_tiers, min(len(pool_of_tiers), rng.choice((1, 1, 2))))
        for k, tier in enumerate(picked):
            kind = rng.choice(("min", "max", "both")) if k == 0 else "max"
            if kind == "min":
                shares.append(f"{tier}: {{ min: {num(round(rng.uniform(0.1, 0.4), 2))} }}")
            elif kind == "max":
                shares.append(f"{tier}: {{ max: {num(round(rng.uniform(0.3, 0.9), 2))} }}")
            else:
                low = round(rng.uniform(0.05, 0.3), 2)
                high = round(rng.uniform(0.5, 0.95), 2)
                shares.append(f"{tier}: {{ min: {num(low)}, max: {num(high)} }}")
        limits.append("  tier_share: { " + ", ".join(shares) + " }")
    carried = sorted({n for s in hireable for n in s.get("niches", [])})
    if carried and rng.random() < 0.35:
        niche = rng.choice(carried)
        carriers = [s for s in hireable if niche in s.get("niches", [])]
        count = sum(s.get("available", 1) for s in carriers)
        minimum = min(rng.randint(1, 2), count)
        limits.append(f"  niches: {{ {niche}: {{ min_creators: {minimum} }} }}")
        extra_cost += sum(sorted(one_hire_cost(s, fee) for s in carriers)[:minimum])

    on = sorted({(s.get("platform") or "instagram").lower() for s in hireable})
    if len(on) > 1 and side.random() < 0.4:
        platform = side.choice(on)
        if side.random() < 0.5:
            limits.append(f"  platform_share: {{ {platform}: {{ max: "
                          f"{num(round(side.uniform(0.2, 0.8), 2))} }} }}")
        else:
            limits.append(f"  platform_share: {{ {platform}: {{ min: "
                          f"{num(round(side.uniform(0.05, 0.4), 2))} }} }}")
    if len(on) > 1 and side.random() < 0.4:
        platform = side.choice(on)
        if side.random() < 0.5:
            limits.append(f"  platforms: {{ {platform}: {{ min_creators: 1 }} }}")
        else:
            limits.append(f"  platforms: {{ {platform}: {{ max_creators: "
                          f"{side.randint(1, 2)} }} }}")

    # Budget: a share of what everything would cost (one very expensive supplier counted
    # as three typical ones, so that it does not leave room for all the others), plus
    # what the requirements cost.
    costs = sorted(rough_cost(s, fee) for s in hireable) or [0.0]
    typical = costs[len(costs) // 2]
    full_cost = sum(min(c, 3 * typical) for c in costs)
    required = sum(rough_cost(c, fee) for c in creators if c.get("require"))
    budget = round(full_cost * rng.uniform(0.2, 0.7) + required + extra_cost + 1)
    lines.append(f"budget: {budget}")
    if rng.random() < 0.5:
        decay = 1 if rng.random() < 0.2 else round(rng.uniform(0.4, 0.95), 2)
        lines.append(f"repeat_decay: {num(decay)}")

    # Goal: weights or values, sometimes with a target.
    lines.append("goal:")
    if rng.random() < 0.55:
        # Usually two or three positive weights (so goals trade off), sometimes one,
        # sometimes an explicit zero.
        positive = rng.sample(GOALS, rng.choices((1, 2, 3), weights=(2, 4, 4))[0])
        weights = {}
        for g in GOALS:
            if g in positive:
                weights[g] = 1 if rng.random() < 0.1 else round(rng.uniform(0.1, 1.0), 2)
            elif rng.random() < 0.3:
                weights[g] = 0
        body = ", ".join(f"{k}: {num(v)}" for k, v in weights.items())
        lines.append(f"  weights: {{ {body} }}")
    else:
        values = {}
        if rng.random() < 0.7:
            values["per_thousand_reach"] = round(rng.uniform(1, 20), 2)
        if rng.random() < 0.7:
            values["per_engagement"] = round(rng.uniform(0.01, 0.5), 3)
        if rng.random() < 0.7 or not values:
            values["per_conversion"] = round(rng.uniform(5, 50), 2)
        body = ", ".join(f"{k}: {num(v)}" for k, v in values.items())
        lines.append(f"  values: {{ {body} }}")
        # Profit on two in five of these, from a separate stream so every
        # other draw stays as it was.
        if random.Random(index * 7919 + 29).random() < 0.4:
            lines.append("  maximize: profit")
    affordable = [s for s in hireable if one_hire_cost(s, fee) <= budget]
    if affordable and rng.random() < 0.3:
        # A share of the best affordable single post: usually reachable, not always.
        goal = rng.choice(GOALS)
        best = max(rough_outcome(s, goal) for s in affordable)
        target = round(best * rng.uniform(0.2, 1.0), 2)
        if target > 0:
            lines.append(f"  targets: {{ {goal}: {num(target)} }}")
            # Target mode on a third of these, drawn from a separate stream so
            # every other draw stays as it was.
            if random.Random(index * 7919 + 13).random() < 0.35:
                goal_line = next(i for i, line in enumerate(lines)
                                 if line.startswith(("  weights:", "  values:")))
                lines[goal_line] = "  minimize: spend"
                if "  maximize: profit" in lines:
                    lines.remove("  maximize: profit")

    if limits:
        lines.append("limits:")
        lines += limits

    # Audiences: a size between 30% and 90% of the members' rough one-post reach, so
    # the cap usually binds once members post.
    if audiences:
        lines.append("audiences:")
        for name in audiences:
            reach = sum(rough_reach(s) for s in suppliers if s.get("audience") == name)
            size = max(100, round(reach * rng.uniform(0.3, 0.9)))
            lines.append(f"  {name}: {{ size: {size} }}")

    # Creators: inline, or partly / wholly in a CSV roster.
    in_csv = 0
    if rng.random() < 0.35:
        in_csv = rng.randint(1, len(creators))
    inline = creators[: len(creators) - in_csv]
    if inline:
        lines.append("creators:")
        for creator in inline:
            lines += yaml_record(creator, CREATOR_ORDER)
    if in_csv:
        roster = f"{stem}_roster.csv"
        with open(os.path.join(out_dir, roster), "w") as handle:
            handle.write(csv_roster(creators[len(creators) - in_csv:]))
        lines.append(f"creators_csv: {roster}")
    if pools:
        lines.append("pools:")
        for pool in pools:
            lines += yaml_record(pool, POOL_ORDER)

    path = os.path.join(out_dir, f"{stem}.yaml")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def generate(count: int, seed: int, out_dir: str) -> list[str]:
    """Write `count` scenarios into `out_dir`; return their paths."""
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(seed)
    return [make_scenario(rng, index, out_dir) for index in range(count)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of scenarios")
    parser.add_argument("--seed", type=int, required=True, help="random seed")
    parser.add_argument("--out", required=True, help="directory to write into")
    args = parser.parse_args(argv)
    for path in generate(args.count, args.seed, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
