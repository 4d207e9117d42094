#!/usr/bin/env python3
"""Builds the fuzzers' starting corpus from the bundled scenarios and the
catalogue of malformed inputs, in the input format of tests/common/fuzz.rs:
scenario, roster and market model joined by lines `--8<--`, with references
to the roster and market rewritten to the names the harness writes them under.

    python3 fuzz/seed_corpus.py        # fills fuzz/corpus/scenario and fuzz/corpus/solve
"""
import hashlib
import itertools
import pathlib
import random
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEPARATOR = b"\n--8<--\n"


def inputs():
    for folder in ("scenarios", "tests/malformed", "tests/fixtures"):
        for path in sorted((ROOT / folder).glob("*.yaml")):
            if path.name.endswith(".market.yaml"):
                continue
            text = path.read_bytes()
            roster = b""
            market = b""
            m = re.search(rb"creators_csv:\s*([^\s#]+)", text)
            if m and (path.parent / m.group(1).decode(errors="replace")).is_file():
                roster = (path.parent / m.group(1).decode()).read_bytes()
                text = text.replace(m.group(0), b"creators_csv: roster.csv")
            m = re.search(rb"market:\s*([^\s#]+\.yaml)", text)
            if m and (path.parent / m.group(1).decode(errors="replace")).is_file():
                market = (path.parent / m.group(1).decode()).read_bytes()
                text = text.replace(m.group(0), b"market: custom.market.yaml")
            parts = [text]
            if roster or market:
                parts.append(roster)
            if market:
                parts.append(market)
            yield SEPARATOR.join(parts)


def small_scenarios(count=60, seed=5):
    """Small random scenarios using every feature, with at most a few
    thousand plans: seeds from which the solve target reaches the solver
    and the enumeration check at once."""
    rng = random.Random(seed)
    tiers = ["nano", "micro", "macro", "mega"]
    for k in range(count):
        y = [f"name: small {k}", f"budget: {rng.randint(200, 4000)}"]
        if rng.random() < 0.5:
            y.append(f"repeat_decay: {rng.uniform(0.5, 1):.2f}")
        y.append("goal:")
        if rng.random() < 0.6:
            w = [rng.choice([0, 0.2, 0.5, 1]) for _ in range(3)]
            w = w if any(w) else [0, 0, 1]
            y.append(f"  weights: {{ awareness: {w[0]}, engagement: {w[1]}, conversions: {w[2]} }}")
        elif rng.random() < 0.8:
            y.append(f"  values: {{ per_thousand_reach: {rng.randint(0, 20)}, per_engagement: 0.1, per_conversion: {rng.randint(1, 50)} }}")
        else:
            y.append("  minimize: spend")
            y.append(f"  targets: {{ conversions: {rng.randint(1, 20)} }}")
        if rng.random() < 0.3 and "minimize" not in y[-1]:
            y.append(f"  targets: {{ engagement: {rng.randint(10, 500)} }}")
        y.append("limits:")
        y.append(f"  fee_per_creator: {rng.randint(0, 100)}")
        if rng.random() < 0.4:
            y.append(f"  max_creators: {rng.randint(1, 4)}")
        if rng.random() < 0.3:
            y.append(f"  tier_share: {{ {rng.choice(tiers)}: {{ max: {rng.random():.2f} }} }}")
        if rng.random() < 0.3:
            y.append("  niches: { food: { min_creators: 1 } }")
        y.append(f"audiences:\n  fans: {{ size: {rng.randint(100, 5000)} }}")
        if rng.random() < 0.5:
            y.append("uncertainty:\n  engagement_rate: { relative_sd: 0.3 }\n  price_per_post: { relative_sd: 0.1 }")
        y.append("creators:")
        for i in range(rng.randint(1, 4)):
            line = (f"  - {{ handle: c{i}, followers: {rng.randint(500, 60000)}, "
                    f"price_per_post: {rng.randint(20, 1500)}, max_posts: {rng.randint(1, 3)}")
            if rng.random() < 0.5:
                line += f", engagement_rate: {rng.uniform(0.005, 0.1):.3f}"
            if i == 0 or rng.random() < 0.3:
                line += ", niches: [food]"
            if rng.random() < 0.4:
                line += ", audience: fans"
            if rng.random() < 0.2:
                line += f", delivery: {rng.uniform(0, 1):.2f}"
            if rng.random() < 0.1:
                line += ", require: true"
            y.append(line + " }")
        if rng.random() < 0.5:
            y.append("pools:")
            y.append(f"  - {{ name: p, tier: {rng.choice(tiers[:2])}, available: {rng.randint(0, 3)}, posts: {rng.randint(1, 2)}, price_per_post: {rng.randint(10, 400)} }}")
        yield ("\n".join(y) + "\n").encode()


def main():
    for target in ("scenario", "solve"):
        out = ROOT / "fuzz" / "corpus" / target
        out.mkdir(parents=True, exist_ok=True)
        count = 0
        extra = small_scenarios() if target == "solve" else []
        for data in itertools.chain(inputs(), extra):
            (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
            count += 1
        print(f"{out.relative_to(ROOT)}: {count} seeds")


if __name__ == "__main__":
    main()
