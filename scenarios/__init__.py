"""Policy stories as data: YAML scenario files and the loader that turns them into ``Params``."""

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
    "ProblemsError",
    "SCENARIO_DIR",
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "check_file",
    "list_scenarios",
    "load_scenario",
    "parse_set",
]
