"""Sub-commands, one module per feature; each module has `register(subparsers)`.

A feature adds its module name to MODULES; cli.py wires them all.
"""

MODULES = (
    "sltdesk.cli.commands.workspace",
    "sltdesk.cli.commands.import_cmd",
    "sltdesk.cli.commands.mapping",
    "sltdesk.cli.commands.data_import",
    "sltdesk.cli.commands.presets",
    "sltdesk.cli.commands.attainment",
    "sltdesk.cli.commands.false_positives",
    "sltdesk.cli.commands.periods",
    "sltdesk.cli.commands.measurement_rules",
    "sltdesk.cli.commands.questionnaires",
    "sltdesk.cli.commands.penalties",
    "sltdesk.cli.commands.reviews",
    "sltdesk.cli.commands.effects",
    "sltdesk.cli.commands.team",
    "sltdesk.cli.commands.attention",
    "sltdesk.cli.commands.results",
    "sltdesk.cli.commands.negotiate",
    "sltdesk.cli.commands.target_reviews",
)
