"""The documentation site builds without a warning (``mkdocs build --strict``): every page in the
navigation exists, every link between pages resolves, and every docstring the API reference shows
matches its function's signature."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_docs_site_builds_strictly(tmp_path: Path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ("index.html", "getting-started/index.html", "walkthroughs/planners/index.html",
                 "walkthroughs/researchers/index.html", "walkthroughs/educators/index.html",
                 "formats/scenarios/index.html", "ODD/index.html", "glossary/index.html",
                 "reference/experiments/index.html", "schemas/scenario.schema.json"):
        assert (tmp_path / page).is_file(), page
    reference = (tmp_path / "reference" / "experiments" / "index.html").read_text(encoding="utf-8")
    assert "outcome_interval" in reference and "Wilson" in reference


def test_readme_links_to_the_docs_and_installs_from_a_clone():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "mkdocs" in readme and "docs/" in readme
    assert "uv build" in readme
    assert "pip install 'ruralsim[" not in readme, "no index has ruralsim: install from a clone or a built wheel"
