"""``python -m autograder``: the ``autograder`` command."""

from autograder.cli import main

main()
