"""The equivalence verifier: runs the OLD and NEW version of a model in separate subprocesses and
compares what they compute. ``command.py`` is the only module the CLI imports; it stays free of
torch so that ``torchup fix`` works where torch is not installed."""
