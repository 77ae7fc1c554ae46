import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
# packaging/ is a folder of scripts, not a package: import build.py and spec_helpers.py from it.
if str(PACKAGING) not in sys.path:
    sys.path.insert(0, str(PACKAGING))
