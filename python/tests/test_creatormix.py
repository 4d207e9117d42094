"""The Python package against the tool: its results are the `--format json` ones,
scenarios may be dicts, errors are exceptions that carry file, line, field and hint,
samples come back in columns, and long calls release the interpreter and stop on
Ctrl-C. Run from the repository root: `python -m pytest python/tests`."""

import json
import os
import pathlib
import signal
import threading
import time

import pytest

import creatormix

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


def expected(name):
    """The optimum the Rust tests hold each bundled scenario to."""
    return json.loads((ROOT / "tests" / "expected" / f"{name}.json").read_text())


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def test_solve_returns_the_json_of_the_tool():
    plan = creatormix.solve(SCENARIOS / "ten-micro-vs-one-mega.yaml")
    assert plan["status"] == "optimal"
    assert close(plan["objective"], expected("ten-micro-vs-one-mega")["objective"])
    assert plan["creators"][0]["handle"] == "@the.megastar"
    assert {t["tier"] for t in plan["tiers"]} == {"micro", "mega"}
    # The alternatives and the weight margin, as `solve` gives them.
    assert [a["question"] for a in plan["alternatives"]] == ["with micro", "without mega"]
    assert plan["weight_margin"]["mix"] == "10 micro"
    bare = creatormix.solve(str(SCENARIOS / "ten-micro-vs-one-mega.yaml"),
                            no_alternatives=True, no_weight_margin=True)
    assert "alternatives" not in bare and "weight_margin" not in bare


def test_a_node_limit_gives_the_same_plan_twice():
    def run():
        plan = creatormix.solve(SCENARIOS / "agency-roster.yaml", node_limit=5,
                                no_alternatives=True, no_weight_margin=True)
        del plan["solver"]["seconds"], plan["solver"]["build_seconds"]
        return plan
    first = run()
    assert first["status"] == "node_limit"
    assert first["solver"]["node_limit"] == 5
    assert run() == first
    with pytest.raises(ValueError, match="microlp counts no nodes"):
        creatormix.solve(SCENARIOS / "product-launch.yaml", solver="microlp", node_limit=10)


def test_every_bundled_scenario_solves_to_its_optimum():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if path.stem == "agency-roster":
            continue  # a thousand creators: the Rust tests cover it
        plan = creatormix.solve(path, no_alternatives=True, no_weight_margin=True)
        assert close(plan["objective"], expected(path.stem)["objective"]), path.stem


def test_a_scenario_may_be_a_dict():
    scenario = {
        "budget": 1000,
        "goal": {"values": {"per_engagement": 1}, "maximize": "profit"},
        "creators": [
            {"handle": "a", "followers": 10000, "engagement_rate": 0.05,
             "price_per_post": 200, "max_posts": 2},
            {"handle": "b", "followers": 10000, "engagement_rate": 0.01,
             "price_per_post": 200},
        ],
    }
    plan = creatormix.solve(scenario)
    assert plan["objective_mode"] == "profit"
    # `a` earns 500 per post for 200; `b` 100 for 200.
    assert [(c["handle"], c["posts"]) for c in plan["creators"]] == [("a", 2)]
    assert close(plan["objective"], 600.0)


def test_invalid_input_names_file_line_field_and_hint():
    path = ROOT / "tests" / "malformed" / "103-hurried-file.yaml"
    with pytest.raises(creatormix.ScenarioError) as caught:
        creatormix.solve(path)
    error = caught.value
    assert isinstance(error, ValueError) and error.exit_code == 2
    assert len(error.problems) == 8
    assert error.file.endswith("103-hurried-file.yaml")
    assert (error.line, error.field) == (4, "awarenes")
    assert "did you mean `awareness`" in error.hint
    fields = [p["field"] for p in error.problems]
    assert "creators[1].price_per_post" in fields
    # An option of the wrong kind is invalid input too.
    with pytest.raises(creatormix.ScenarioError):
        creatormix.solve(SCENARIOS / "ten-micro-vs-one-mega.yaml", solver="cplex")
    with pytest.raises(TypeError):
        creatormix.solve(42)


def test_an_infeasible_scenario_says_what_conflicts():
    with pytest.raises(creatormix.InfeasibleError) as caught:
        creatormix.solve(ROOT / "tests" / "fixtures" / "infeasible.yaml")
    assert caught.value.exit_code == 1
    assert str(caught.value)


def test_validate_summarises_what_was_understood():
    result = creatormix.validate(SCENARIOS / "product-launch.yaml")
    assert result["valid"] and result["name"] == "Vegan skincare launch"
    assert "budget" in result["summary"]


def test_simulate_returns_the_summary_and_samples_in_columns():
    result = creatormix.simulate(SCENARIOS / "product-launch.yaml", samples=300, seed=7)
    assert result["samples"] == result["samples"]  # a dict of columns
    columns = result["samples"]
    assert set(columns) >= {"sample", "budget", "reach", "engagements", "conversions",
                            "spend", "objective"}
    assert all(len(values) == 300 for values in columns.values())
    assert columns["sample"] == list(range(300))
    # The summary is the samples'.
    mean = sum(columns["objective"]) / 300
    assert close(result["metrics"]["objective"]["mean"], mean, 1e-9)
    # The same seed, the same samples, whatever the threads.
    again = creatormix.simulate(SCENARIOS / "product-launch.yaml", samples=300, seed=7,
                                threads=1)
    assert again["samples"]["objective"] == columns["objective"]
    reopt = creatormix.simulate(SCENARIOS / "ten-micro-vs-one-mega.yaml", samples=50,
                                reoptimize=True)
    assert len(reopt["samples"]["regret"]) == 50
    assert reopt["reoptimize"]["feasible"] + reopt["reoptimize"]["infeasible"] == 50


def test_samples_make_a_data_frame():
    pandas = pytest.importorskip("pandas")
    result = creatormix.simulate(SCENARIOS / "ten-micro-vs-one-mega.yaml", samples=100)
    frame = pandas.DataFrame(result["samples"])
    assert frame.shape == (100, 7)
    assert close(frame["objective"].mean(), result["metrics"]["objective"]["mean"], 1e-9)


def test_sweep_frontier_and_regions():
    path = SCENARIOS / "ten-micro-vs-one-mega.yaml"
    swept = creatormix.sweep(path, weight="conversions=0:1:0.5")
    assert len(swept["points"]) == 3
    budgets = creatormix.sweep(path, budget="50000:100000:50000")
    assert [p["budget"] for p in budgets["points"]] == [50000, 100000]
    front = creatormix.frontier(path, goals="awareness,conversions")
    assert len(front["points"]) == 2
    mapped = creatormix.regions(path, goals="awareness,conversions")
    assert len(mapped["regions"]) == 2
    assert mapped["scenario_weights"]["region"] == 1
    with pytest.raises(creatormix.ScenarioError):
        creatormix.sweep(path)
    with pytest.raises(creatormix.ScenarioError):
        creatormix.regions(path, goals="awareness")
    # A goal stated as targets has no weighting of its own on the map.
    targets = creatormix.regions(SCENARIOS / "cheapest-launch.yaml",
                                 goals="awareness,conversions")
    assert "scenario_weights" not in targets and targets["regions"]


def test_long_calls_release_the_interpreter():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    started = time.perf_counter()
    creatormix.simulate(SCENARIOS / "product-launch.yaml", samples=5000, reoptimize=True)
    elapsed = time.perf_counter() - started
    stop.set()
    ticker.join()
    during = [t for t in ticks if started <= t <= started + elapsed]
    # The other thread ran all along, not only before and after.
    assert elapsed > 0.2 and len(during) >= 0.5 * elapsed / 0.01, (elapsed, len(during))


def test_ctrl_c_stops_a_long_call():
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        creatormix.simulate(SCENARIOS / "product-launch.yaml", samples=10_000_000,
                            reoptimize=True)
    assert time.perf_counter() - started < 30
    # The next call runs normally.
    plan = creatormix.solve(SCENARIOS / "ten-micro-vs-one-mega.yaml", no_alternatives=True)
    assert plan["status"] == "optimal"


def test_target_mode_simulates_with_a_chance_plan():
    result = creatormix.simulate("scenarios/cheapest-launch.yaml", samples=200,
                                 robust="chance", robust_samples=20, level=0.8)
    assert result["objective_mode"] == "minimize_spend"
    robust = result["robust"]
    assert robust["plan"]["level"] == 0.8
    assert robust["plan"]["robust_training_chance"] >= 0.8
    assert robust["plan"]["spend"] > result["nominal"]["spend"]
    with pytest.raises(creatormix.ScenarioError):
        creatormix.simulate("scenarios/cheapest-launch.yaml", samples=10, level=0.8)
