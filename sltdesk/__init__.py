"""SLT Desk: holds suppliers to their service level targets."""

__version__ = "0.1.0"
