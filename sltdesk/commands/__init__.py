"""Sub-commands, one module per feature; each module has `register(subparsers)`.

A feature adds its module name to MODULES; cli.py wires them all.
"""

MODULES = (
    "sltdesk.commands.workspace",
    "sltdesk.commands.import_cmd",
    "sltdesk.commands.mapping",
    "sltdesk.commands.data_import",
    "sltdesk.commands.presets",
    "sltdesk.commands.attainment",
    "sltdesk.commands.periods",
    "sltdesk.commands.measurement_rules",
    "sltdesk.commands.questionnaires",
    "sltdesk.commands.penalties",
    "sltdesk.commands.reviews",
    "sltdesk.commands.team",
    "sltdesk.commands.attention",
)
