#!/usr/bin/env python3
"""Checks of the reference MILP on scenarios small enough to solve by hand.

Run with plain python (`python test_reference.py`) or with pytest. The last check
compares the MILP with a brute-force enumeration of every plan on random scenarios.
"""

from __future__ import annotations

import itertools
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep the source folder free of __pycache__

import random_scenarios  # noqa: E402
import reference_milp as ref  # noqa: E402

# A two-tier market used by most checks, so that they do not depend on bundled figures.
MARKET = """\
name: test
tiers:
  - name: low
    min_followers: { value: 1000, source: test }
    defaults:
      followers: { value: 5000, source: test }
      engagement_rate: { value: 0.1, source: test }
      reach_rate: { value: 0.4, source: test }
      conversion_rate: { value: 0.05, source: test }
      price_per_post: { value: 50, source: test }
  - name: high
    min_followers: { value: 10000, source: test }
    defaults:
      followers: { value: 20000, source: test }
      engagement_rate: { value: 0.05, source: test }
      reach_rate: { value: 0.2, source: test }
      conversion_rate: { value: 0.02, source: test }
      price_per_post: { value: 400, source: test }
"""


def solve(scenario: str, files: dict[str, str] | None = None) -> dict:
    """Solve a scenario given as YAML text (plus side files such as a roster)."""
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "market.yaml"), "w") as handle:
            handle.write(MARKET)
        for name, text in (files or {}).items():
            with open(os.path.join(tmp, name), "w") as handle:
                handle.write(text)
        path = os.path.join(tmp, "scenario.yaml")
        with open(path, "w") as handle:
            handle.write(scenario)
        return ref.solve_file(path)


def close(a: float, b: float, tol: float = 1e-7) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def test_single_creator_two_posts_with_decay():
    # Budget 250 pays for two posts at 100. Decay 0.5: outcomes 1 + 0.5 = 1.5 first posts.
    creator = """\
market: market.yaml
budget: 250
repeat_decay: 0.5
goal: {goal}
creators:
  - handle: a
    followers: 10000
    reach_rate: 0.3
    engagement_rate: 0.05
    conversion_rate: 0.02
    price_per_post: 100
    max_posts: 3
"""
    out = solve(creator.format(goal="{ weights: { awareness: 1 } }"))
    assert out["status"] == "optimal"
    assert close(out["objective"], 1.0)
    assert out["posts"] == 2 and out["creators"] == 1
    assert close(out["spend"], 200)
    assert close(out["reach"], 10000 * 0.3 * 1.5)
    assert close(out["engagements"], 10000 * 0.05 * 1.5)
    assert close(out["conversions"], 10000 * 0.05 * 0.02 * 1.5)
    out = solve(creator.format(
        goal="{ values: { per_thousand_reach: 2, per_engagement: 0.1, per_conversion: 3 } }"))
    # 4500 reach * 2 / 1000 + 750 * 0.1 + 15 * 3
    assert close(out["objective"], 9 + 75 + 45)


def test_audience_cap_binds():
    # a and b share an audience of 5000: together they reach 5000, not 6000. With room for
    # two creators, one of them plus c (2500, outside the audience) is better.
    scenario = """\
market: market.yaml
budget: {budget}
goal: {{ values: {{ per_thousand_reach: 1000 }} }}
audiences:
  fans: {{ size: 5000 }}
creators:
  - {{ handle: a, followers: 10000, reach_rate: 0.3, price_per_post: 100, audience: fans }}
  - {{ handle: b, followers: 10000, reach_rate: 0.3, price_per_post: 100, audience: fans }}
  - {{ handle: c, followers: 10000, reach_rate: 0.25, price_per_post: 100 }}
"""
    out = solve(scenario.format(budget=200))
    assert close(out["objective"], 5500) and close(out["reach"], 5500)
    out = solve(scenario.format(budget=300))
    assert close(out["objective"], 7500) and out["creators"] == 3


def test_pool_hires_and_fee_default():
    # Each hire: fee 50 (scenario default) + 2 posts at 100 = 250; budget 1000 -> 4 hires.
    # The pool's other figures come from tier `low` (followers 5000, reach 0.4).
    out = solve("""\
market: market.yaml
budget: 1000
repeat_decay: 0.5
goal: { weights: { awareness: 1 } }
limits: { fee_per_creator: 50 }
pools:
  - { name: p, tier: low, available: 5, posts: 2, price_per_post: 100, delivery: 0.8 }
""")
    assert out["creators"] == 4 and out["posts"] == 8 and close(out["spend"], 1000)
    assert close(out["reach"], 4 * 0.8 * 5000 * 0.4 * 1.5)
    assert close(out["engagements"], 4 * 0.8 * 5000 * 0.1 * 1.5)


def test_pool_tier_inferred_and_price_defaulted():
    # followers 15000 -> tier high: price 400, reach 0.2. Budget 900 -> 2 hires.
    out = solve("""\
market: market.yaml
budget: 900
goal: { values: { per_thousand_reach: 1 } }
pools:
  - { name: p, followers: 15000, available: 3 }
""")
    assert out["creators"] == 2 and close(out["spend"], 800)
    assert close(out["reach"], 2 * 15000 * 0.2)


def test_weights_trade_off_is_normalised():
    # Budget for one creator. a: reach 3000, engagements 100; b: reach 1000, eng 500.
    # A* = 3000, E* = 500. Weights 1:1 -> 0.5 each. a: 0.5 + 0.1 = 0.6; b: 1/6 + 0.5.
    out = solve("""\
market: market.yaml
budget: 100
goal: { weights: { awareness: 1, engagement: 1 } }
creators:
  - { handle: a, followers: 10000, reach_rate: 0.3, engagement_rate: 0.01, price_per_post: 100 }
  - { handle: b, followers: 10000, reach_rate: 0.1, engagement_rate: 0.05, price_per_post: 100 }
""")
    assert close(out["objective"], 0.5 / 3 + 0.5)
    assert close(out["engagements"], 500)


def test_goal_with_zero_best_drops_out():
    # No conversions are possible, so only awareness counts: objective 1.
    out = solve("""\
market: market.yaml
budget: 100
goal: { weights: { awareness: 0.2, conversions: 0.8 } }
creators:
  - { handle: a, followers: 10000, conversion_rate: 0, price_per_post: 100 }
""")
    assert close(out["objective"], 1.0)


def test_infeasible_requirements():
    too_dear = """\
market: market.yaml
budget: 50
goal: { weights: { awareness: 1 } }
creators:
  - { handle: a, followers: 10000, price_per_post: 100, require: true }
"""
    assert solve(too_dear)["status"] == "infeasible"
    no_posts = too_dear.replace("budget: 50", "budget: 500").replace(
        "require: true", "require: true, max_posts: 0")
    assert solve(no_posts)["status"] == "infeasible"
    target = """\
market: market.yaml
budget: 500
goal: { values: { per_engagement: 1 }, targets: { awareness: 3001 } }
creators:
  - { handle: a, followers: 10000, reach_rate: 0.3, price_per_post: 100 }
"""
    assert solve(target)["status"] == "infeasible"
    assert solve(target.replace("3001", "3000"))["status"] == "optimal"


def test_minimize_spend_buys_the_cheapest_way_to_the_target():
    # 600 engagements: `a` alone (1,000 per post, 300) or two posts of `b` (2 x 400 = 800,
    # 2 x 200 = 400 with no fee)? `a` at 300 is cheaper; 1,200 needs `a` + one `b` (500).
    scenario = """\
market: market.yaml
budget: 5000
goal: { minimize: spend, targets: { engagement: 600 } }
creators:
  - { handle: a, followers: 10000, engagement_rate: 0.1, price_per_post: 300 }
  - { handle: b, followers: 4000, engagement_rate: 0.1, price_per_post: 200, max_posts: 2 }
"""
    out = solve(scenario)
    assert out["status"] == "optimal" and abs(out["objective"] - 300) < 1e-6
    out = solve(scenario.replace("engagement: 600", "engagement: 1200"))
    assert abs(out["objective"] - 500) < 1e-6


def test_maximize_profit_buys_only_what_pays_back():
    # 1 per engagement, posts halve: `a` earns 500, 250, 125 for 200 a post and a fee of
    # 100 (2 posts, profit 250); `d` earns 250 on its first post, not enough for the fee.
    scenario = """\
market: market.yaml
budget: 100000
repeat_decay: 0.5
goal: { values: { per_engagement: 1 }, maximize: profit }
limits: { fee_per_creator: 100 }
creators:
  - { handle: a, followers: 10000, engagement_rate: 0.05, price_per_post: 200, max_posts: 3 }
  - { handle: d, followers: 10000, engagement_rate: 0.025, price_per_post: 200, max_posts: 3 }
"""
    out = solve(scenario)
    assert out["status"] == "optimal" and close(out["objective"], 250) and close(out["spend"], 500)
    out = solve(scenario.replace(", maximize: profit", ""))
    assert close(out["objective"], 875 + 437.5) and close(out["spend"], 1400)


def test_tier_share_max_binds():
    # Hiring both puts 50% of spend on `high` (max 40%); `high` alone is 100%. Best: `low`.
    out = solve("""\
market: market.yaml
budget: 200
goal: { values: { per_thousand_reach: 1000 } }
limits: { tier_share: { high: { max: 0.4 } } }
creators:
  - { handle: small, followers: 5000, reach_rate: 0.2, price_per_post: 100 }
  - { handle: big, followers: 30000, reach_rate: 0.1, price_per_post: 100 }
""")
    assert close(out["objective"], 1000) and out["creators"] == 1


def test_tier_share_min_counts_fees():
    # `high` must take at least 60% of spend, fees included. big: fee 100 + 100 = 200;
    # small: 100 per post. big + one small post: 200/300 = 67% (two: 50%, too little).
    out = solve("""\
market: market.yaml
budget: 1000
goal: { values: { per_thousand_reach: 1000 } }
limits: { tier_share: { high: { min: 0.6 } } }
creators:
  - { handle: small, followers: 5000, reach_rate: 0.2, price_per_post: 100, max_posts: 3 }
  - { handle: big, followers: 30000, reach_rate: 0.1, price_per_post: 100, fee: 100 }
""")
    assert close(out["objective"], 3000 + 1000) and close(out["spend"], 300)


def test_defaults_from_tiers_explicit_and_inferred():
    # a: 20000 followers -> tier high defaults; b: tier given as low -> low defaults.
    out = solve("""\
market: market.yaml
budget: 1000
goal: { values: { per_engagement: 1 } }
creators:
  - { handle: a, followers: 20000, price_per_post: 100 }
  - { handle: b, followers: 20000, price_per_post: 100, tier: low }
""")
    assert close(out["engagements"], 20000 * 0.05 + 20000 * 0.1)
    assert close(out["conversions"], 20000 * 0.05 * 0.02 + 20000 * 0.1 * 0.05)


def test_bundled_market_is_the_default():
    tiers = ref.load_market(os.path.join(ref.MODELS_DIR, ref.DEFAULT_MARKET + ".yaml"))["tiers"]
    micro = next(t for t in tiers if t["name"] == "micro")["defaults"]
    out = ref.solve_model(ref.load_scenario_data({
        "budget": 10_000,
        "goal": {"values": {"per_thousand_reach": 1000}},
        "creators": [{"handle": "a", "followers": 20000, "price_per_post": 100}],
    }, HERE))
    assert close(out["reach"], 20000 * micro["reach_rate"])


def test_csv_roster_niches_and_flags():
    # Niche `food` needs two hires; max_creators 2; c is excluded, so a and b are hired
    # even though d alone reaches more.
    roster = """\
handle,followers,price_per_post,reach_rate,niches,require,exclude,max_posts
a,5000,10,0.1,food;travel,,,
b,5000,10,0.1,food,false,,
c,5000,10,0.9,food,,true,
d,50000,10,0.5,,,,2
"""
    out = solve("""\
market: market.yaml
budget: 100
goal: { values: { per_thousand_reach: 1000 } }
limits: { max_creators: 2, niches: { food: { min_creators: 2 } } }
creators_csv: roster.csv
""", {"roster.csv": roster})
    assert close(out["objective"], 1000) and out["creators"] == 2
    # Without the niche minimum, d posts twice alongside the best other.
    out = solve("""\
market: market.yaml
budget: 100
goal: { values: { per_thousand_reach: 1000 } }
limits: { max_creators: 2 }
creators_csv: roster.csv
""", {"roster.csv": roster})
    assert close(out["objective"], 2 * 25000 + 500) and out["posts"] == 3


def test_min_creators_and_delivery():
    # Delivery scales outcomes, not spend. min_creators 2 forces a second hire.
    out = solve("""\
market: market.yaml
budget: 300
goal: { values: { per_thousand_reach: 1000 } }
limits: { min_creators: 2 }
creators:
  - { handle: a, followers: 10000, reach_rate: 0.5, price_per_post: 200, delivery: 0.5 }
  - { handle: b, followers: 1000, reach_rate: 0.5, price_per_post: 100 }
""")
    assert close(out["spend"], 300) and close(out["reach"], 2500 + 500)


def test_distributions_use_their_mean():
    # Budget: uniform 100..300 -> 200, two posts. Reach rate: triangular -> 0.3.
    out = solve("""\
market: market.yaml
budget: { dist: uniform, min: 100, max: 300 }
goal: { values: { per_thousand_reach: 1000 } }
creators:
  - handle: a
    followers: 10000
    reach_rate: { dist: triangular, min: 0.1, mode: 0.3, max: 0.5 }
    price_per_post: { dist: normal, mean: 100, sd: 20 }
    max_posts: 3
""")
    assert out["posts"] == 2 and close(out["reach"], 2 * 3000)


# ---------------------------------------------------------------------------------------
# Brute force: every plan of a small random scenario, against the MILP.
# ---------------------------------------------------------------------------------------

def brute_force(model: ref.Model) -> dict:
    """The optimum of MODEL.md by enumerating every plan (small models only)."""
    d = model.repeat_decay
    options = [range(c.max_posts + 1) for c in model.creators]
    options += [range(p.available + 1) for p in model.pools]
    suppliers = model.creators + model.pools
    feasible = []
    for plan in itertools.product(*options):
        spend = hires = 0.0
        totals = {"engagement": 0.0, "conversions": 0.0}
        free, groups = 0.0, {a: 0.0 for a in model.audiences}
        tier_spend = {t: 0.0 for t in model.tier_share}
        platform_spend = {p: 0.0 for p in model.platform_share}
        platform_hires = {p: 0 for p in model.platform_count}
        niche_hires = {n: 0 for n in model.niche_min}
        ok = True
        for sup, k in zip(suppliers, plan):
            if sup.is_pool:
                cost = k * (sup.fee + sup.price_per_post * sup.posts)
                factor = k * sum(d ** j for j in range(sup.posts))
                hired = k
            else:
                hired = 1 if k else 0
                cost = sup.fee * hired + sup.price_per_post * k
                factor = sum(d ** j for j in range(k))
                ok &= not (sup.require and not hired) and not (sup.exclude and hired)
            base = sup.delivery * sup.followers * sup.credibility * sup.audience_fit * factor
            reach = base * sup.reach_rate
            engaged = (reach if sup.per_view else base) * sup.engagement_rate
            totals["engagement"] += engaged
            totals["conversions"] += engaged * sup.conversion_rate
            if sup.audience is None:
                free += reach
            else:
                groups[sup.audience] += reach
            spend += cost
            hires += hired
            if sup.tier in tier_spend:
                tier_spend[sup.tier] += cost
            if sup.platform in platform_spend:
                platform_spend[sup.platform] += cost
            if sup.platform in platform_hires:
                platform_hires[sup.platform] += hired
            for niche in sup.niches:
                if niche in niche_hires:
                    niche_hires[niche] += hired
        totals["awareness"] = free + sum(min(r, model.audiences[a]) for a, r in groups.items())
        eps = 1e-9 * max(1.0, spend)
        ok &= spend <= model.budget + eps
        ok &= model.max_creators is None or hires <= model.max_creators
        ok &= model.min_creators is None or hires >= model.min_creators
        for tier, bounds in model.tier_share.items():
            ok &= tier_spend[tier] >= bounds.get("min", 0) * spend - eps
            ok &= tier_spend[tier] <= bounds.get("max", 1) * spend + eps
        for platform, bounds in model.platform_share.items():
            ok &= platform_spend[platform] >= bounds.get("min", 0) * spend - eps
            ok &= platform_spend[platform] <= bounds.get("max", 1) * spend + eps
        for platform, bounds in model.platform_count.items():
            ok &= platform_hires[platform] >= bounds.get("min_creators", 0)
            ok &= platform_hires[platform] <= bounds.get("max_creators", 10 ** 9)
        ok &= all(niche_hires[n] >= m for n, m in model.niche_min.items())
        ok &= all(totals[g] >= t - 1e-9 * max(1.0, t) for g, t in model.targets.items())
        if ok:
            feasible.append({**totals, "spend": spend})
    if not feasible:
        return {"status": "infeasible"}
    if model.minimize_spend:
        return {"status": "optimal", "objective": min(t["spend"] for t in feasible)}
    if model.weights is not None:
        best = {g: max(t[g] for t in feasible) for g in ref.GOALS if model.weights[g] > 0}
        kept = {g: model.weights[g] for g in best if best[g] > ref.ZERO_BEST}
        total = sum(kept.values())
        score = [sum(w / total * t[g] / best[g] for g, w in kept.items()) for t in feasible]
    else:
        price = {g: model.values.get(g, 0.0) for g in ref.GOALS}
        price["awareness"] /= 1000.0
        score = [sum(price[g] * t[g] for g in ref.GOALS) - (t["spend"] if model.profit else 0)
                 for t in feasible]
    return {"status": "optimal", "objective": max(score)}


def test_milp_matches_brute_force():
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in random_scenarios.generate(120, 7, tmp):
            model = ref.load_scenario(path)
            size = 1
            for c in model.creators:
                size *= c.max_posts + 1
            for p in model.pools:
                size *= p.available + 1
            if size > 20_000:
                continue
            expected = brute_force(model)
            got = ref.solve_model(model)
            assert got["status"] == expected["status"], path
            if got["status"] == "optimal":
                assert close(got["objective"], expected["objective"], 1e-6), (
                    path, got["objective"], expected["objective"])
            checked += 1
    assert checked >= 40, checked


def test_count_form_matches_the_chain_form():
    """Integer post counts (the benchmark's PuLP model) give the chain form's optimum
    wherever posts do not decay."""
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in random_scenarios.generate(60, 17, tmp):
            model = ref.load_scenario(path)
            if model.repeat_decay != 1 or all(c.max_posts <= 1 for c in model.creators):
                continue
            chain = ref.solve_model(model)
            counts = ref.solve_model(model, counts=True)
            assert counts["status"] == chain["status"], path
            if chain["status"] == "optimal":
                assert close(counts["objective"], chain["objective"], 1e-6), (
                    path, counts["objective"], chain["objective"])
            checked += 1
    assert checked >= 15, checked


def test_platforms_follow_their_own_markets():
    # A TikTok creator with avg_views: reach is the views, engagement per view.
    out = solve("""
budget: 1000
goal: { values: { per_engagement: 1 } }
creators:
  - { handle: t, platform: TikTok, followers: 10000, avg_views: 30000, price_per_post: 100,
      engagement_rate: 0.05, conversion_rate: 0.01 }
  - { handle: i, followers: 10000, price_per_post: 100, engagement_rate: 0.05,
      reach_rate: 0.2, conversion_rate: 0.01 }
""")
    assert close(out["reach"], 30000 + 10000 * 0.2)
    assert close(out["engagements"], 30000 * 0.05 + 10000 * 0.05)


def test_platform_limits_bind():
    text = """
budget: 10000
goal: { values: { per_thousand_reach: 10 } }
limits:
  platforms: { tiktok: { max_creators: 1 } }
  platform_share: { youtube: { min: 0.5 } }
creators:
  - { handle: t1, platform: tiktok, followers: 10000, avg_views: 50000, price_per_post: 100 }
  - { handle: t2, platform: tiktok, followers: 10000, avg_views: 40000, price_per_post: 100 }
  - { handle: y, platform: youtube, followers: 10000, avg_views: 1000, price_per_post: 200 }
"""
    out = solve(text)
    # One TikTok creator (the better) and enough YouTube spend for half the total.
    assert close(out["reach"], 50000 + 1000), out
    assert out["creators"] == 2, out


def main() -> int:
    tests = [(name, fn) for name, fn in sorted(globals().items())
             if name.startswith("test_") and callable(fn)]
    for name, fn in tests:
        fn()
        print(f"ok  {name}")
    print(f"{len(tests)} passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
