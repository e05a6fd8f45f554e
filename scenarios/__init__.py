"""Policy stories as data: YAML scenario files and the loader that turns them into ``Params``."""

from .history import BASELINE, POLICY_START_YEAR, apply_overrides
from .inputs import ProblemsError
from .loader import (
    SCENARIO_DIR,
    Scenario,
    ScenarioError,
    ScenarioInfo,
    check_file,
    list_scenarios,
    load_scenario,
    parse_set,
)

__all__ = [
    "BASELINE",
    "POLICY_START_YEAR",
    "ProblemsError",
    "SCENARIO_DIR",
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "apply_overrides",
    "check_file",
    "list_scenarios",
    "load_scenario",
    "parse_set",
]
