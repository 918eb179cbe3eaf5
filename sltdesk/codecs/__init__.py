"""Storage formats of imported data: how blocks of tickets and samples are written down as bytes.

Not part of the core: the models adapter reads and writes these formats, and the importer packs samples
into theirs in its reader process (beside the validation, for speed). The core (sltdesk.domain, .rules,
.services) never imports them or their compression library: an import-linter contract says so, and the
services reach blocks only through the storage port (sltdesk/services/raw_ports.py).
"""
