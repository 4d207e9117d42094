"""creatormix from Python: the provably best influencer mix for a budget and a goal.

Each function takes a scenario, either the path of a YAML file or a dict of the same
fields, and returns what the command-line tool's ``--format json`` prints, as Python
objects (dicts, lists, numbers, strings)::

    import creatormix
    plan = creatormix.solve("scenarios/ten-micro-vs-one-mega.yaml")
    plan["objective"], plan["tiers"]

``simulate`` returns its samples in columns, so ``pandas.DataFrame(result["samples"])``
is a data frame of them. Invalid input raises ``ScenarioError`` (a ``ValueError``)
carrying every problem with its file, line, field and hint; a scenario no plan satisfies
raises ``InfeasibleError``. Long calls release the interpreter, and Ctrl-C stops them
(``KeyboardInterrupt``) as it stops the tool.
"""

import json
import os

from . import _creatormix as _native

__version__ = _native.__version__

__all__ = [
    "solve",
    "validate",
    "simulate",
    "sweep",
    "frontier",
    "regions",
    "CreatormixError",
    "ScenarioError",
    "InfeasibleError",
    "NoPlanError",
    "SolverError",
]


class CreatormixError(Exception):
    """A creatormix command failed. ``kind`` is the status the tool reports
    (``invalid_input``, ``infeasible``, ``no_plan``, ``error``...) and ``exit_code``
    the code the tool would exit with."""

    def __init__(self, message, kind, exit_code):
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.exit_code = exit_code


class ScenarioError(CreatormixError, ValueError):
    """The scenario (or an option) is invalid. ``problems`` lists every problem found,
    each a dict with ``file``, ``line``, ``column``, ``field``, ``message`` and ``hint``;
    the first one's are also attributes of the exception."""

    def __init__(self, message, kind, exit_code, problems):
        super().__init__(message, kind, exit_code)
        self.problems = problems
        first = problems[0] if problems else {}
        self.file = first.get("file")
        self.line = first.get("line")
        self.column = first.get("column")
        self.field = first.get("field")
        self.hint = first.get("hint")


class InfeasibleError(CreatormixError):
    """No plan satisfies the scenario's constraints; the message names those that
    conflict."""


class NoPlanError(CreatormixError):
    """The time limit passed before any plan was found."""


class SolverError(CreatormixError):
    """The solver failed."""


def _scenario(scenario):
    """The (path, text) of a scenario given as a path or as a dict."""
    if isinstance(scenario, dict):
        return None, json.dumps(scenario)
    if isinstance(scenario, (str, os.PathLike)):
        return os.fspath(scenario), None
    raise TypeError(
        f"a scenario is the path of a YAML file or a dict, not {type(scenario).__name__}"
    )


def _call(function, scenario, options):
    path, text = _scenario(scenario)
    options = {k: v for k, v in options.items() if v is not None}
    answer = json.loads(function(path, text, json.dumps(options)))
    if "ok" in answer:
        return answer["ok"]
    error = answer["error"]
    message, kind, code = error["message"], error["kind"], error["exit_code"]
    if code == 2:
        raise ScenarioError(message, kind, code, error["problems"])
    if kind == "infeasible":
        raise InfeasibleError(message, kind, code)
    if kind == "no_plan":
        raise NoPlanError(message, kind, code)
    raise SolverError(message, kind, code)


def solve(scenario, *, solver=None, time_limit=None, node_limit=None, mip_gap=None, threads=None,
          no_alternatives=False, no_weight_margin=False):
    """The optimal plan: ``creatormix solve SCENARIO --format json``.

    ``solver`` is ``"auto"`` (default), ``"bnb"``, ``"microlp"`` or ``"highs"``;
    ``time_limit`` in seconds; ``node_limit`` a limit in branch-and-bound nodes per
    solve instead (status ``"node_limit"``; two runs give the same plan); ``mip_gap``
    the relative gap that counts as optimal (default 1e-6). ``no_alternatives`` and ``no_weight_margin`` skip the extra solves
    of the alternatives and of the weight margin."""
    return _call(_native.solve, scenario, dict(
        solver=solver, time_limit=time_limit, node_limit=node_limit, mip_gap=mip_gap, threads=threads,
        no_alternatives=no_alternatives, no_weight_margin=no_weight_margin))


def validate(scenario):
    """Checks a scenario: ``{"valid": True, "name", "creators", "pools", "summary"}``
    (the summary is what ``creatormix validate`` prints), or ``ScenarioError``."""
    return _call(_native.validate, scenario, {})


def simulate(scenario, *, samples=1000, seed=1, threads=None, reoptimize=False,
             sample_solver=None, robust=None, robust_samples=None, level=None,
             tornado=False, solver=None, time_limit=None, node_limit=None, mip_gap=None):
    """Monte Carlo: ``creatormix simulate SCENARIO --format json``, plus every sample in
    columns under ``"samples"`` (``sample``, ``budget``, ``reach``, ``engagements``,
    ``conversions``, ``spend``, ``objective``; with ``reoptimize`` also ``feasible``,
    ``nominal_objective`` and ``regret``; with ``robust`` the robust plan's
    ``robust_objective`` and ``robust_spend``).

    ``robust`` is ``"mean"``, ``"cvar"`` or ``"chance"`` (every target met in at least
    ``level`` of the training samples, default 0.9); results do not depend on
    ``threads``."""
    return _call(_native.simulate, scenario, dict(
        samples=samples, seed=seed, threads=threads, reoptimize=reoptimize,
        sample_solver=sample_solver, robust=robust, robust_samples=robust_samples,
        level=level, tornado=tornado, solver=solver, time_limit=time_limit, node_limit=node_limit, mip_gap=mip_gap))


def sweep(scenario, *, budget=None, weight=None, threads=None, solver=None,
          time_limit=None, node_limit=None, mip_gap=None):
    """The optimal plan across budgets (``budget="40000:160000:20000"``) or goal
    weightings (``weight="awareness=0:1:0.1"``, or a list of such axes for a grid):
    ``creatormix sweep --format json``."""
    return _call(_native.sweep, scenario, dict(
        budget=budget, weight=weight, threads=threads, solver=solver,
        time_limit=time_limit, node_limit=node_limit, mip_gap=mip_gap))


def frontier(scenario, *, goals, points=21, threads=None, solver=None, time_limit=None,
             node_limit=None, mip_gap=None):
    """The exact Pareto frontier between two or three goals
    (``goals="awareness,conversions"``): ``creatormix frontier --format json``."""
    return _call(_native.frontier, scenario, dict(
        goals=goals, points=points, threads=threads, solver=solver,
        time_limit=time_limit, node_limit=node_limit, mip_gap=mip_gap))


def regions(scenario, *, goals, threads=None, solver=None, time_limit=None,
            node_limit=None, mip_gap=None):
    """The exact map of goal weightings for two or three goals
    (``goals="awareness,engagement,conversions"``): ``creatormix regions --format
    json``."""
    return _call(_native.regions, scenario, dict(
        goals=goals, threads=threads, solver=solver, time_limit=time_limit,
        node_limit=node_limit, mip_gap=mip_gap))
