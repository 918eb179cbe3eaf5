"""SLT Desk: holds suppliers to their service level targets."""

import logging

__version__ = "0.1.0"

# Log lines go only where the GUI or the CLI sends them (sltdesk/logs.py), never to stderr by default.
logging.getLogger(__name__).addHandler(logging.NullHandler())
