"""Policy stories as data: YAML scenario files and the loader that turns them into ``Params``."""

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
    "SCENARIO_DIR",
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "check_file",
    "list_scenarios",
    "load_scenario",
    "parse_set",
]
