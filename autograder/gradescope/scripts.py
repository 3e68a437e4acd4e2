"""The two scripts Gradescope runs: ``setup.sh`` once when it builds the image, and
``run_autograder`` for every submission (both as root, on Gradescope's Ubuntu image).

``AUTOGRADER_ROOT`` (default ``/autograder``) and ``AUTOGRADER_PYTHON`` (default the virtualenv
``setup.sh`` makes) can be overridden, so a test can lay a folder out as Gradescope does and run
``run_autograder`` against it with another Python.
"""

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04 or newer).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="$ROOT/venv"
export DEBIAN_FRONTEND=noninteractive

apt-get update -qq
apt-get install -y -qq bubblewrap python3 python3-venv
# The pinned numpy and TensorFlow need Python 3.11 or newer; Ubuntu 22.04's python3 is 3.10.
PYTHON=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt-get install -y -qq python3.11 python3.11-venv
  PYTHON=python3.11
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# The grader and its dependencies exactly as pinned in pyproject.toml.
"$VENV/bin/python" -m pip install -q -e "$SOURCE"

# Fashion-MNIST into the Keras cache (~/.keras): Debian's package where the image has it,
# otherwise Keras downloads it now (Gradescope has network access while it builds the image).
apt-get install -y -qq dataset-fashion-mnist 2>/dev/null || true
"$VENV/bin/python" -m autograder.data
"$VENV/bin/python" -c 'import tensorflow as tf; tf.keras.datasets.fashion_mnist.load_data()'
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission, as root, in /autograder: it grades
# $ROOT/submission/ and always writes $ROOT/results/results.json.
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}"
cd "$ROOT" || exit 1
export PYTHONPATH="$ROOT/source${PYTHONPATH:+:$PYTHONPATH}"
export TF_CPP_MIN_LOG_LEVEL=3
"$PYTHON" -m autograder.gradescope.run @ASSIGNMENT@ --root "$ROOT"
if [ ! -s "$ROOT/results/results.json" ]; then
  mkdir -p "$ROOT/results"
  echo '{"score": 0, "output": "The autograder could not start, so this submission was not'\
' graded. Please tell your instructor (the details are in the autograder log)."}' \
    > "$ROOT/results/results.json"
fi
"""


def run_autograder(assignment_id: str) -> str:
    """The ``run_autograder`` script for ``assignment_id``."""
    return RUN_AUTOGRADER.replace("@ASSIGNMENT@", assignment_id)
