"""torchup: migrate legacy PyTorch code and prove the migration equivalent."""

__version__ = "0.1.0"
