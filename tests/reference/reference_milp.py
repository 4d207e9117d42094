#!/usr/bin/env python3
"""Independent reference implementation of the creatormix core model (MODEL.md).

Loads a scenario file as INTERFACE.md describes it, resolves every default (market
tier defaults, fees, posts, delivery, ...), builds the MILP of MODEL.md with PuLP and
solves it with CBC. The result is printed as one JSON line:

    {"status": "optimal"|"infeasible", "objective": ..., "spend": ..., "reach": ...,
     "engagements": ..., "conversions": ..., "creators": ..., "posts": ...}

`reach` is the awareness A (unique reach after audience caps).

Exit status: 0 optimal, 1 infeasible, 2 invalid scenario, 3 solver failure.

This file is deliberately written from the model description alone, so that it can act
as an oracle for `creatormix solve`: both must reach the same optimal objective.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Any

import pulp
import yaml

# Goal names as written in the scenario, in a fixed order.
GOALS = ("awareness", "engagement", "conversions")
# Keys of `goal.values`, and the goal each one prices.
VALUE_KEYS = {
    "per_thousand_reach": "awareness",
    "per_engagement": "engagement",
    "per_conversion": "conversions",
}
DEFAULT_MARKET = "instagram-2024"
# Bundled market models live in <repo>/models, two levels above this file.
MODELS_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models")
)
# Relative optimality gap for every CBC solve (tighter than the binary's 1e-6 default).
GAP_REL = 1e-9
# A best value G* at or below this counts as zero (the goal then drops out).
ZERO_BEST = 1e-9

SCENARIO_FIELDS = {
    "name", "currency", "market", "markets", "budget", "repeat_decay", "goal", "limits",
    "audiences", "creators", "creators_csv", "pools",
}
CREATOR_FIELDS = {
    "handle", "followers", "engagement_rate", "reach_rate", "conversion_rate",
    "price_per_post", "max_posts", "fee", "tier", "platform", "niches", "audience",
    "require", "exclude", "delivery", "credibility", "audience_fit", "avg_views",
}
POOL_FIELDS = (CREATOR_FIELDS - {"handle", "max_posts", "require", "exclude"}) | {
    "name", "available", "posts",
}
GOAL_FIELDS = {"weights", "values", "minimize", "maximize", "targets"}
LIMIT_FIELDS = {"max_creators", "min_creators", "fee_per_creator", "tier_share", "niches",
                "min_credibility", "platform_share", "platforms"}
# The bundled market model of each platform that has one.
PLATFORM_MODELS = {"instagram": "instagram-2024", "tiktok": "tiktok-2024",
                   "youtube": "youtube-2024"}
RATE_FIELDS = ("engagement_rate", "reach_rate", "conversion_rate")
TIER_DEFAULT_FIELDS = ("followers",) + RATE_FIELDS + ("price_per_post",)
# Field types, for CSV cells (which arrive as strings) and for checks.
NUMBER_FIELDS = {"followers", "engagement_rate", "reach_rate", "conversion_rate",
                 "price_per_post", "fee", "delivery", "credibility", "audience_fit",
                 "avg_views"}
INTEGER_FIELDS = {"max_posts", "available", "posts"}
BOOL_FIELDS = {"require", "exclude"}


class ScenarioError(Exception):
    """The scenario (or its roster or market file) is invalid."""


# --------------------------------------------------------------------------------------
# Resolved model: every default applied, only plain numbers left.
# --------------------------------------------------------------------------------------

@dataclass
class Supplier:
    """A named creator (available = None) or a pool of interchangeable creators."""

    label: str
    tier: str
    followers: float
    engagement_rate: float
    reach_rate: float
    conversion_rate: float
    price_per_post: float
    fee: float
    delivery: float
    niches: list[str]
    # Share of followers that are real, and share in the brand's audience.
    credibility: float
    audience_fit: float
    audience: str | None
    # Platform (lower case) and whether its engagement rate is per view.
    platform: str = "instagram"
    per_view: bool = False
    # Creators only.
    max_posts: int = 1
    require: bool = False
    exclude: bool = False
    # Pools only.
    available: int | None = None
    posts: int = 1

    @property
    def is_pool(self) -> bool:
        return self.available is not None

    def first_post(self) -> tuple[float, float, float]:
        """Expected (reach, engagements, conversions) of one first post."""
        base = self.delivery * self.followers * self.credibility * self.audience_fit
        views = base * self.reach_rate
        engaged = (views if self.per_view else base) * self.engagement_rate
        return (views, engaged, engaged * self.conversion_rate)


@dataclass
class Model:
    """A scenario with every default resolved."""

    budget: float
    repeat_decay: float
    creators: list[Supplier]
    pools: list[Supplier]
    audiences: dict[str, float]
    max_creators: int | None = None
    min_creators: int | None = None
    tier_share: dict[str, dict[str, float]] = field(default_factory=dict)
    niche_min: dict[str, int] = field(default_factory=dict)
    platform_share: dict[str, dict[str, float]] = field(default_factory=dict)
    platform_count: dict[str, dict[str, int]] = field(default_factory=dict)
    weights: dict[str, float] | None = None
    values: dict[str, float] | None = None
    targets: dict[str, float] = field(default_factory=dict)
    minimize_spend: bool = False
    # `maximize: profit` with values: value less spend.
    profit: bool = False


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------

def _nominal(value: Any, where: str) -> float:
    """A plain number, or the mean of an uncertain value written as a distribution."""
    if isinstance(value, bool):
        raise ScenarioError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dict) and "dist" in value:
        kind = value["dist"]
        try:
            if kind in ("normal", "lognormal", "beta"):
                return float(value["mean"])
            if kind == "uniform":
                return (float(value["min"]) + float(value["max"])) / 2
            if kind == "triangular":
                return (float(value["min"]) + float(value["mode"]) + float(value["max"])) / 3
            if kind == "pert":
                return (float(value["min"]) + 4 * float(value["mode"]) + float(value["max"])) / 6
        except KeyError as err:
            raise ScenarioError(f"{where}: distribution {kind} lacks {err}") from None
        raise ScenarioError(f"{where}: unknown distribution {kind!r}")
    raise ScenarioError(f"{where}: expected a number, got {value!r}")


def _count(value: Any, where: str) -> int:
    """A non-negative integer."""
    number = _nominal(value, where)
    if number < 0 or number != int(number):
        raise ScenarioError(f"{where}: expected a non-negative integer, got {value!r}")
    return int(number)


def _check_fields(record: dict, allowed: set[str], where: str) -> None:
    if not isinstance(record, dict):
        raise ScenarioError(f"{where}: expected a mapping")
    unknown = sorted(set(record) - allowed)
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {', '.join(unknown)}")


def _csv_cell(column: str, text: str, where: str) -> Any:
    """Convert one non-empty CSV cell to the type its column holds."""
    if column in NUMBER_FIELDS:
        try:
            return float(text)
        except ValueError:
            raise ScenarioError(f"{where}: {column} is not a number: {text!r}") from None
    if column in INTEGER_FIELDS:
        try:
            return int(text)
        except ValueError:
            raise ScenarioError(f"{where}: {column} is not an integer: {text!r}") from None
    if column in BOOL_FIELDS:
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ScenarioError(f"{where}: {column} is not a boolean: {text!r}")
    if column == "niches":
        return [part.strip() for part in text.split(";") if part.strip()]
    return text


def _read_roster(path: str) -> list[dict]:
    """Creators from a CSV roster: one row each, empty cells absent, niches split on ';'."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in (reader.fieldnames or [])]
            unknown = sorted(set(columns) - CREATOR_FIELDS)
            if unknown:
                raise ScenarioError(f"{path}: unknown column(s) {', '.join(unknown)}")
            rows = []
            for line_no, row in enumerate(reader, start=2):
                record = {}
                for column, text in row.items():
                    if column is None:
                        raise ScenarioError(f"{path}:{line_no}: more cells than columns")
                    text = (text or "").strip()
                    if text:
                        record[column.strip()] = _csv_cell(
                            column.strip(), text, f"{path}:{line_no}")
                rows.append(record)
            return rows
    except OSError as err:
        raise ScenarioError(f"cannot read roster {path}: {err}") from None


def _market_path(market: str, base_dir: str) -> str:
    """A bundled model name (models/NAME.yaml) or a path relative to the scenario."""
    looks_like_path = "/" in market or market.endswith((".yaml", ".yml"))
    bundled = os.path.join(MODELS_DIR, market + ".yaml")
    relative = os.path.join(base_dir, market)
    candidates = [relative, bundled] if looks_like_path else [bundled, relative]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    raise ScenarioError(f"market model {market!r} not found")


def _figure(entry: Any, where: str) -> float:
    """A market figure: `{value, source}` or a bare number."""
    if isinstance(entry, dict):
        if "value" not in entry:
            raise ScenarioError(f"{where}: missing value")
        entry = entry["value"]
    return _nominal(entry, where)


def load_market(path: str) -> dict:
    """A market model: {tiers: [{name, min_followers, defaults{...}}] ascending,
    platform (or None), per_view (engagement counted per view)}."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as err:
        raise ScenarioError(f"cannot read market model {path}: {err}") from None
    tiers = []
    for index, tier in enumerate((data or {}).get("tiers") or []):
        where = f"{path}: tiers[{index}]"
        defaults = tier.get("defaults") or {}
        tiers.append({
            "name": str(tier["name"]),
            "min_followers": _figure(tier.get("min_followers", 0), where + ".min_followers"),
            "defaults": {
                key: _figure(defaults[key], f"{where}.defaults.{key}")
                for key in TIER_DEFAULT_FIELDS if key in defaults
            },
        })
    if not tiers:
        raise ScenarioError(f"{path}: no tiers")
    platform = (data or {}).get("platform")
    return {
        "tiers": tiers,
        "platform": platform_key(platform) if platform else None,
        "per_view": str((data or {}).get("engagement_per", "follower")).strip().lower() == "view",
    }


def platform_key(name: Any) -> str:
    """A platform name as matched: lower case, without spaces."""
    return "".join(str(name).split()).lower()


def infer_tier(tiers: list[dict], followers: float) -> str:
    """The last tier whose lower bound is at most `followers`; the first tier below all."""
    chosen = tiers[0]["name"]
    for tier in tiers:
        if tier["min_followers"] <= followers:
            chosen = tier["name"]
    return chosen


def _resolve_supplier(raw: dict, where: str, markets: dict, default_fee: float,
                      audiences: dict[str, float], pool: bool) -> Supplier:
    """Apply tier defaults (of the record's platform's market) and scenario defaults to
    one creator or pool record. `markets`: platform -> market, the default under None."""
    platform = platform_key(raw["platform"]) if raw.get("platform") else None
    market = markets.get(platform) if platform else markets[None]
    if market is None:
        raise ScenarioError(f"{where}: unknown platform {raw['platform']!r}")
    tiers = market["tiers"]
    tier_names = {t["name"]: t for t in tiers}
    tier = raw.get("tier")
    if tier is not None:
        tier = str(tier)
        if tier not in tier_names:
            matches = [name for name in tier_names if name.lower() == tier.lower()]
            if not matches:
                raise ScenarioError(f"{where}: unknown tier {tier!r}")
            tier = matches[0]

    if "followers" in raw:
        followers = _nominal(raw["followers"], where + ".followers")
    elif pool and tier is not None:
        followers = None  # taken from the tier's defaults below
    else:
        need = "followers (or tier)" if pool else "followers"
        raise ScenarioError(f"{where}: missing {need}")
    if tier is None:
        tier = infer_tier(tiers, followers)
    defaults = tier_names[tier]["defaults"]

    def figure(key: str) -> float:
        if key in raw:
            return _nominal(raw[key], f"{where}.{key}")
        if key in defaults:
            return defaults[key]
        raise ScenarioError(f"{where}: {key} missing and tier {tier} has no default")

    if followers is None:
        followers = figure("followers")
    if "price_per_post" in raw or pool:
        price = figure("price_per_post")
    else:
        raise ScenarioError(f"{where}: missing price_per_post")

    audience = raw.get("audience")
    if audience is not None:
        audience = str(audience)
        if audience not in audiences:
            raise ScenarioError(f"{where}: unknown audience {audience!r}")
    niches = raw.get("niches") or []
    if not isinstance(niches, list):
        raise ScenarioError(f"{where}.niches: expected a list")

    if "avg_views" in raw:
        # Views per post: followers times views per follower.
        if "reach_rate" in raw:
            raise ScenarioError(f"{where}: both avg_views and reach_rate")
        if followers <= 0:
            raise ScenarioError(f"{where}: avg_views needs followers above 0")
        reach_rate = _nominal(raw["avg_views"], where + ".avg_views") / followers
    else:
        reach_rate = figure("reach_rate")
    supplier = Supplier(
        label=str(raw.get("name") if pool else raw.get("handle")),
        tier=tier,
        platform=platform or markets["default"],
        per_view=market["per_view"],
        followers=followers,
        engagement_rate=figure("engagement_rate"),
        reach_rate=reach_rate,
        conversion_rate=figure("conversion_rate"),
        price_per_post=price,
        fee=_nominal(raw["fee"], where + ".fee") if "fee" in raw else default_fee,
        delivery=_nominal(raw.get("delivery", 1), where + ".delivery"),
        niches=[str(n) for n in niches],
        credibility=_nominal(raw.get("credibility", 1), where + ".credibility"),
        audience_fit=_nominal(raw.get("audience_fit", 1), where + ".audience_fit"),
        audience=audience,
    )
    if pool:
        if "available" not in raw:
            raise ScenarioError(f"{where}: missing available")
        supplier.available = _count(raw["available"], where + ".available")
        supplier.posts = _count(raw.get("posts", 1), where + ".posts")
    else:
        supplier.max_posts = _count(raw.get("max_posts", 1), where + ".max_posts")
        supplier.require = bool(raw.get("require", False))
        supplier.exclude = bool(raw.get("exclude", False))
        if supplier.require and supplier.exclude:
            raise ScenarioError(f"{where}: both require and exclude")
    for key in RATE_FIELDS + ("delivery", "credibility", "audience_fit"):
        value = getattr(supplier, key)
        # Views per follower may exceed 1 where engagement is per view.
        if value < 0 or (value > 1 and not (key == "reach_rate" and supplier.per_view)):
            raise ScenarioError(f"{where}.{key}: must lie in [0, 1]")
    for key in ("followers", "price_per_post", "fee"):
        if getattr(supplier, key) < 0:
            raise ScenarioError(f"{where}.{key}: must be non-negative")
    return supplier


def load_scenario_data(data: dict, base_dir: str) -> Model:
    """Resolve a parsed scenario (as read from YAML) into a Model."""
    _check_fields(data, SCENARIO_FIELDS, "scenario")
    if "budget" not in data:
        raise ScenarioError("scenario: missing budget")
    if "goal" not in data:
        raise ScenarioError("scenario: missing goal")

    default = load_market(_market_path(str(data.get("market") or DEFAULT_MARKET), base_dir))
    default_platform = default["platform"] or "instagram"
    # Platform -> market; None -> the default market, "default" -> its platform.
    markets: dict = {None: default, default_platform: default, "default": default_platform}
    for platform, model in (data.get("markets") or {}).items():
        key = platform_key(platform)
        loaded = load_market(_market_path(str(model), base_dir))
        if key == default_platform:
            if data.get("market"):
                raise ScenarioError(f"markets.{platform}: the platform's model is given twice")
            markets[None] = loaded
        markets[key] = loaded
    for key, model in PLATFORM_MODELS.items():
        if key not in markets:
            markets[key] = load_market(_market_path(model, base_dir))
    tier_names = {t["name"].lower(): t["name"]
                  for k, m in markets.items() if k != "default" for t in m["tiers"]}

    limits = data.get("limits") or {}
    _check_fields(limits, LIMIT_FIELDS, "limits")
    default_fee = _nominal(limits.get("fee_per_creator", 0), "limits.fee_per_creator")

    audiences = {}
    for name, spec in (data.get("audiences") or {}).items():
        _check_fields(spec, {"size"}, f"audiences.{name}")
        audiences[str(name)] = _nominal(spec["size"], f"audiences.{name}.size")

    raw_creators = []
    for index, raw in enumerate(data.get("creators") or []):
        raw_creators.append((raw, f"creators[{index}]"))
    if data.get("creators_csv"):
        roster = os.path.join(base_dir, str(data["creators_csv"]))
        for index, raw in enumerate(_read_roster(roster)):
            raw_creators.append((raw, f"{data['creators_csv']} row {index + 1}"))
    creators, handles = [], set()
    for raw, where in raw_creators:
        _check_fields(raw, CREATOR_FIELDS, where)
        if "handle" not in raw:
            raise ScenarioError(f"{where}: missing handle")
        if raw["handle"] in handles:
            raise ScenarioError(f"{where}: duplicate handle {raw['handle']!r}")
        handles.add(raw["handle"])
        creators.append(_resolve_supplier(raw, where, markets, default_fee, audiences, False))

    pools, names = [], set()
    for index, raw in enumerate(data.get("pools") or []):
        where = f"pools[{index}]"
        _check_fields(raw, POOL_FIELDS, where)
        if "name" not in raw:
            raise ScenarioError(f"{where}: missing name")
        if raw["name"] in names:
            raise ScenarioError(f"{where}: duplicate pool name {raw['name']!r}")
        names.add(raw["name"])
        pools.append(_resolve_supplier(raw, where, markets, default_fee, audiences, True))

    # Offers whose credibility is below the minimum are left out of every plan.
    if "min_credibility" in limits:
        floor = _nominal(limits["min_credibility"], "limits.min_credibility")
        for c in creators:
            if c.credibility < floor:
                if c.require:
                    raise ScenarioError(f"{c.label}: required, but below min_credibility")
                c.exclude = True
        for p in pools:
            if p.credibility < floor:
                p.available = 0

    model = Model(
        budget=_nominal(data["budget"], "budget"),
        repeat_decay=_nominal(data.get("repeat_decay", 1), "repeat_decay"),
        creators=creators,
        pools=pools,
        audiences=audiences,
    )
    if not 0 < model.repeat_decay <= 1:
        raise ScenarioError("repeat_decay: must lie in (0, 1]")
    if "max_creators" in limits:
        model.max_creators = _count(limits["max_creators"], "limits.max_creators")
    if "min_creators" in limits:
        model.min_creators = _count(limits["min_creators"], "limits.min_creators")
    for tier, bounds in (limits.get("tier_share") or {}).items():
        _check_fields(bounds, {"min", "max"}, f"limits.tier_share.{tier}")
        if str(tier).lower() not in tier_names:
            raise ScenarioError(f"limits.tier_share: unknown tier {tier!r}")
        model.tier_share[tier_names[str(tier).lower()]] = {
            key: _nominal(value, f"limits.tier_share.{tier}.{key}")
            for key, value in bounds.items()
        }
    for platform, bounds in (limits.get("platform_share") or {}).items():
        _check_fields(bounds, {"min", "max"}, f"limits.platform_share.{platform}")
        model.platform_share[platform_key(platform)] = {
            key: _nominal(value, f"limits.platform_share.{platform}.{key}")
            for key, value in bounds.items()
        }
    for platform, bounds in (limits.get("platforms") or {}).items():
        _check_fields(bounds, {"min_creators", "max_creators"}, f"limits.platforms.{platform}")
        model.platform_count[platform_key(platform)] = {
            key: _count(value, f"limits.platforms.{platform}.{key}")
            for key, value in bounds.items()
        }
    for niche, spec in (limits.get("niches") or {}).items():
        _check_fields(spec, {"min_creators"}, f"limits.niches.{niche}")
        model.niche_min[str(niche)] = _count(
            spec.get("min_creators", 0), f"limits.niches.{niche}.min_creators")

    goal = data["goal"]
    _check_fields(goal, GOAL_FIELDS, "goal")
    if sum(key in goal for key in ("weights", "values", "minimize")) != 1:
        raise ScenarioError("goal: give exactly one of weights, values and minimize")
    if "minimize" in goal:
        # Target mode (an extension of MODEL.md): the cheapest plan meeting the targets.
        if goal["minimize"] != "spend":
            raise ScenarioError("goal.minimize: only `spend` can be minimised")
        model.minimize_spend = True
    elif "weights" in goal:
        _check_fields(goal["weights"], set(GOALS), "goal.weights")
        model.weights = {g: _nominal(goal["weights"].get(g, 0), f"goal.weights.{g}")
                         for g in GOALS}
        if any(w < 0 for w in model.weights.values()):
            raise ScenarioError("goal.weights: weights must be non-negative")
    else:
        _check_fields(goal["values"], set(VALUE_KEYS), "goal.values")
        model.values = {VALUE_KEYS[k]: _nominal(v, f"goal.values.{k}")
                        for k, v in goal["values"].items()}
        maximize = goal.get("maximize", "value")
        if maximize not in ("value", "profit"):
            raise ScenarioError("goal.maximize: `value` or `profit`")
        model.profit = maximize == "profit"
    if "maximize" in goal and "values" not in goal:
        raise ScenarioError("goal.maximize goes with goal.values")
    targets = goal.get("targets") or {}
    _check_fields(targets, set(GOALS), "goal.targets")
    model.targets = {g: _nominal(t, f"goal.targets.{g}") for g, t in targets.items()}
    return model


def _no_duplicate_keys_loader() -> type:
    """A SafeLoader that rejects duplicate mapping keys (as the binary does)."""

    class Loader(yaml.SafeLoader):
        pass

    def construct_mapping(loader, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise ScenarioError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
            seen.add(key)
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return Loader


def load_scenario(path: str) -> Model:
    """Read and resolve a scenario file."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_no_duplicate_keys_loader())
    except (OSError, yaml.YAMLError) as err:
        raise ScenarioError(f"cannot read {path}: {err}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping at the top level")
    return load_scenario_data(data, os.path.dirname(os.path.abspath(path)))


# --------------------------------------------------------------------------------------
# The MILP
# --------------------------------------------------------------------------------------

class Infeasible(Exception):
    """No plan satisfies the constraints."""


class Program:
    """The constraint set of MODEL.md for one model; objectives are set per solve."""

    def __init__(self, model: Model, counts: bool = False):
        """`counts`: with repeat_decay 1, model each creator's posts as one integer
        count n in [y, m*y] with a hire binary y (MODEL.md allows either form)."""
        self.model = model
        d = model.repeat_decay
        counts = counts and d == 1
        # Constraints as (constraint, name); each solve builds a fresh LpProblem from them
        # (PuLP leaves solve-specific state, such as a dummy column, in a problem).
        self.constraints: list[tuple[pulp.LpConstraint, str]] = []

        # x[i][k] = creator i publishes post k+1; a creator with max_posts 0 has none.
        # With `counts`, x[i] is [n_i] and y[i] the hire binary.
        self.x, hires = [], []
        for i, c in enumerate(model.creators):
            if counts and c.max_posts > 1:
                y = pulp.LpVariable(f"y_{i}", cat="Binary")
                n = pulp.LpVariable(f"n_{i}", 0, c.max_posts, cat="Integer")
                self._add(n - c.max_posts * y <= 0, f"posts_max_{i}")
                self._add(n - y >= 0, f"posts_min_{i}")
                posts = [n]
            else:
                posts = [pulp.LpVariable(f"x_{i}_{k}", cat="Binary") for k in range(c.max_posts)]
                for k in range(1, len(posts)):
                    self._add(posts[k] <= posts[k - 1], f"order_{i}_{k}")
                y = posts[0] if posts else 0
            self.x.append(posts)
            hires.append(y)
        # z[t] = hires from pool t.
        self.z = [pulp.LpVariable(f"z_{t}", 0, p.available, cat="Integer")
                  for t, p in enumerate(model.pools)]

        # Per-supplier expressions: hired, posts, spend, reach, engagements, conversions.
        self.hired, self.posts, self.spend_of = [], [], []
        reach_of, engagements_of, conversions_of = [], [], []
        for c, posts, y in zip(model.creators, self.x, hires):
            n = pulp.lpSum(posts)
            decayed = pulp.lpSum(d ** k * v for k, v in enumerate(posts))
            r1, e1, c1 = c.first_post()
            self.hired.append(y)
            self.posts.append(n)
            self.spend_of.append(c.fee * y + c.price_per_post * n)
            reach_of.append(r1 * decayed)
            engagements_of.append(e1 * decayed)
            conversions_of.append(c1 * decayed)
        for p, z in zip(model.pools, self.z):
            per_hire = sum(d ** k for k in range(p.posts))
            r1, e1, c1 = p.first_post()
            self.hired.append(z)
            self.posts.append(p.posts * z)
            self.spend_of.append((p.fee + p.price_per_post * p.posts) * z)
            reach_of.append(r1 * per_hire * z)
            engagements_of.append(e1 * per_hire * z)
            conversions_of.append(c1 * per_hire * z)
        suppliers = model.creators + model.pools

        self.spend = pulp.lpSum(self.spend_of)
        self.creators = pulp.lpSum(self.hired)
        self.engagements = pulp.lpSum(engagements_of)
        self.conversions = pulp.lpSum(conversions_of)
        # Awareness: reach outside any audience, plus a capped unique reach per audience.
        self.reach_of = reach_of
        self.audience_reach = {}
        unique = [r for s, r in zip(suppliers, reach_of) if s.audience is None]
        for j, (name, size) in enumerate(model.audiences.items()):
            members = [r for s, r in zip(suppliers, reach_of) if s.audience == name]
            r_a = pulp.LpVariable(f"R_{j}", 0, size)
            self._add(r_a <= pulp.lpSum(members), f"audience_{j}")
            self.audience_reach[name] = r_a
            unique.append(r_a)
        self.awareness = pulp.lpSum(unique)
        self.goal_expr = {
            "awareness": self.awareness,
            "engagement": self.engagements,
            "conversions": self.conversions,
        }

        # Constraints.
        self._add(self.spend <= model.budget, "budget")
        if model.max_creators is not None:
            self._add(self.creators <= model.max_creators, "max_creators")
        if model.min_creators is not None:
            self._add(self.creators >= model.min_creators, "min_creators")
        for tier, bounds in model.tier_share.items():
            tier_spend = pulp.lpSum(
                s for sup, s in zip(suppliers, self.spend_of) if sup.tier == tier)
            if "min" in bounds:
                self._add(tier_spend - bounds["min"] * self.spend >= 0, f"share_min_{tier}")
            if "max" in bounds:
                self._add(tier_spend - bounds["max"] * self.spend <= 0, f"share_max_{tier}")
        for platform, bounds in model.platform_share.items():
            platform_spend = pulp.lpSum(
                s for sup, s in zip(suppliers, self.spend_of) if sup.platform == platform)
            if "min" in bounds:
                self._add(platform_spend - bounds["min"] * self.spend >= 0,
                          f"platform_share_min_{platform}")
            if "max" in bounds:
                self._add(platform_spend - bounds["max"] * self.spend <= 0,
                          f"platform_share_max_{platform}")
        for platform, bounds in model.platform_count.items():
            on = pulp.lpSum(h for sup, h in zip(suppliers, self.hired) if sup.platform == platform)
            if "min_creators" in bounds:
                self._add(on + pulp.LpAffineExpression() >= bounds["min_creators"],
                          f"platform_min_{platform}")
            if "max_creators" in bounds:
                self._add(on + pulp.LpAffineExpression() <= bounds["max_creators"],
                          f"platform_max_{platform}")
        for j, (niche, minimum) in enumerate(model.niche_min.items()):
            carriers = pulp.lpSum(
                h for sup, h in zip(suppliers, self.hired) if niche in sup.niches)
            self._add(carriers >= minimum, f"niche_{j}")
        for i, (c, y) in enumerate(zip(model.creators, self.hired)):
            if c.require:
                self._add(y + pulp.LpAffineExpression() >= 1, f"require_{i}")
            if c.exclude:
                self._add(y + pulp.LpAffineExpression() <= 0, f"exclude_{i}")
        for g, target in model.targets.items():
            self._add(self.goal_expr[g] >= target, f"target_{g}")

    def _add(self, constraint: pulp.LpConstraint, name: str) -> None:
        """Add a constraint; one without variables is checked here instead."""
        if not constraint.keys():
            if not constraint.valid(eps=1e-9):
                raise Infeasible(name)
            return
        self.constraints.append((constraint, name))

    def maximise(self, objective, sense=pulp.LpMaximize) -> dict:
        """Solve with the given objective; return the plan's totals (or raise Infeasible)."""
        problem = pulp.LpProblem("creatormix", sense)
        problem += pulp.lpSum(objective)
        for constraint, name in self.constraints:
            problem += constraint, name
        # Without CBC's integer preprocessing: with it, CBC called a plan 0.3%
        # short of the optimum optimal (values goal, an audience cap below one
        # creator's reach; random scenarios seed 13, number 113).
        status = problem.solve(
            pulp.PULP_CBC_CMD(msg=0, gapRel=GAP_REL, options=["preprocess off"]))
        if status == pulp.LpStatusInfeasible:
            raise Infeasible("solver")
        if status != pulp.LpStatusOptimal:
            raise RuntimeError(f"CBC status {pulp.LpStatus[status]}")
        return self.evaluate()

    def evaluate(self) -> dict:
        """Totals of the current solution, from rounded decisions."""
        m, d = self.model, self.model.repeat_decay
        totals = {"spend": 0.0, "engagements": 0.0, "conversions": 0.0,
                  "creators": 0, "posts": 0}
        free_reach = 0.0
        group_reach = {name: 0.0 for name in m.audiences}
        for c, posts in zip(m.creators, self.x):
            n = sum(round(v.value() or 0) for v in posts)
            decayed = sum(d ** k for k in range(n))
            self._accumulate(totals, c, 1 if n else 0, n, c.fee if n else 0.0, decayed)
            free_reach, group_reach = self._reach(c, decayed, free_reach, group_reach)
        for p, z in zip(m.pools, self.z):
            hires = round(z.value() or 0)
            decayed = hires * sum(d ** k for k in range(p.posts))
            self._accumulate(totals, p, hires, hires * p.posts, hires * p.fee, decayed)
            free_reach, group_reach = self._reach(p, decayed, free_reach, group_reach)
        totals["reach"] = free_reach + sum(
            min(r, m.audiences[name]) for name, r in group_reach.items())
        return totals

    @staticmethod
    def _accumulate(totals, sup, hires, posts, fees, decayed):
        _, e1, c1 = sup.first_post()
        totals["spend"] += fees + sup.price_per_post * posts
        totals["engagements"] += e1 * decayed
        totals["conversions"] += c1 * decayed
        totals["creators"] += hires
        totals["posts"] += posts

    @staticmethod
    def _reach(sup, decayed, free_reach, group_reach):
        reach = sup.first_post()[0] * decayed
        if sup.audience is None:
            free_reach += reach
        else:
            group_reach[sup.audience] += reach
        return free_reach, group_reach


# Totals reported after the objective, in this order.
REPORTED = ("spend", "reach", "engagements", "conversions", "creators", "posts")
# Totals key for each goal name.
GOAL_TOTAL = {"awareness": "reach", "engagement": "engagements", "conversions": "conversions"}


def solve_model(model: Model, counts: bool = False) -> dict:
    """Optimise a model as MODEL.md states; returns the result dict that is printed.
    `counts` chooses integer post counts where posts do not decay (see Program)."""
    try:
        program = Program(model, counts)
        if model.minimize_spend:
            totals = program.maximise([program.spend], sense=pulp.LpMinimize)
            objective = totals["spend"]
        elif model.weights is not None:
            # Best value of each weighted goal alone, under every constraint.
            best = {}
            for g in GOALS:
                if model.weights[g] > 0:
                    best[g] = program.maximise(program.goal_expr[g])[GOAL_TOTAL[g]]
            kept = {g: model.weights[g] for g in best if best[g] > ZERO_BEST}
            total_weight = sum(kept.values())
            weights = {g: w / total_weight for g, w in kept.items()}
            # The same objective times the largest G*: unscaled, a unit of reach
            # is worth w/A* (1e-7 or less), under CBC's optimality tolerances.
            scale = max(best.values())
            totals = program.maximise(
                [w * scale / best[g] * program.goal_expr[g] for g, w in weights.items()])
            objective = sum(w * totals[GOAL_TOTAL[g]] / best[g] for g, w in weights.items())
        else:
            price = {g: model.values.get(g, 0.0) for g in GOALS}
            price["awareness"] /= 1000.0
            terms = [price[g] * program.goal_expr[g] for g in GOALS]
            if model.profit:
                # Profit (MODEL.md): value less spend.
                terms.append(-1 * program.spend)
            totals = program.maximise(terms)
            objective = sum(price[g] * totals[GOAL_TOTAL[g]] for g in GOALS)
            if model.profit:
                objective -= totals["spend"]
    except Infeasible:
        return {"status": "infeasible", "objective": None, **{key: None for key in REPORTED}}
    result = {"status": "optimal", "objective": float(objective)}
    result.update((key, totals[key]) for key in REPORTED)
    return result


def solve_file(path: str) -> dict:
    """Load, solve and report one scenario file."""
    return solve_model(load_scenario(path))


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print("usage: reference_milp.py SCENARIO.yaml", file=sys.stderr)
        return 2
    try:
        result = solve_file(argv[0])
    except ScenarioError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 3
    print(json.dumps(result))
    return 0 if result["status"] == "optimal" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
