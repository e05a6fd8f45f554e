"""The command line and the parameter layer load without the simulation's heavy libraries.

``ruralsim --help``, ``ruralsim check`` and ``ruralsim scenarios`` read parameters and scenario
files only; Mesa, numba, pandas and matplotlib (seconds of start-up) are imported on first use.
"""

import subprocess
import sys

HEAVY = ("mesa", "numba", "pandas", "matplotlib")


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_cli_and_scenarios_import_no_heavy_library():
    assert _loaded_after("import experiments.cli.main, scenarios, model.params") == set()


def test_model_names_load_on_first_use():
    assert _loaded_after("import model; model.Params()") == set()
    assert {"mesa", "numba"} <= _loaded_after("from model import RuralModel")


def test_unknown_model_attribute_is_an_attribute_error():
    code = "import model\ntry:\n    model.no_such_name\nexcept AttributeError as e:\n    print(e)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "no_such_name" in out.stdout


def test_a_run_builds_no_ufunc_wrapper():
    """Rules are called as ufuncs from Python only where needed: each new argument type makes
    numba build the ufunc's array wrapper at run time (it is not cached on disk)."""
    code = """
import numba.np.ufunc.dufunc as dufunc
built = []
original = dufunc.DUFunc._compile_for_args
def spy(self, *args, **kwargs):
    built.append(self.__name__)
    return original(self, *args, **kwargs)
dufunc.DUFunc._compile_for_args = spy
import model
model.run(model.Params().with_overrides({"population.n_households": 5000, "population.n_counties": 3,
                                          "sim.n_years": 1}), seed=2, parallel=False)
print(" ".join(built))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
