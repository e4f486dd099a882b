"""briefkit: creator brief packets from campaign YAML."""

__version__ = "0.1.0"
