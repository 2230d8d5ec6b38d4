"""``python -m generator`` runs the ``ust-weekly`` command."""

from generator.cli import main

main()
