"""Sub-commands, one module per feature; each module has `register(subparsers)`.

A feature adds its module name to MODULES, and its commands to COMMANDS; cli.py wires them all for `--help`,
and only the named command's module for a command (tests/adapters/test_startup_imports.py holds COMMANDS to MODULES).
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

# The module registering each top-level command, then the modules adding to it: `sltdesk list ...` imports and
# registers those alone. `import` takes its KINDs from the feature modules (import_cmd.HANDLERS).
_IMPORT_KINDS = ("mapping", "data_import", "questionnaires")
COMMANDS: dict[str, tuple[str, ...]] = {
    "new": ("sltdesk.cli.commands.workspace",),
    "demo": ("sltdesk.cli.commands.workspace",),
    "list": ("sltdesk.cli.commands.workspace",),
    "info": ("sltdesk.cli.commands.workspace",),
    "audit": ("sltdesk.cli.commands.workspace",),
    "import": ("sltdesk.cli.commands.import_cmd", *(f"sltdesk.cli.commands.{m}" for m in _IMPORT_KINDS)),
    "template": ("sltdesk.cli.commands.mapping",),
    "export": ("sltdesk.cli.commands.mapping",),
    "coverage": ("sltdesk.cli.commands.mapping",),
    "imports": ("sltdesk.cli.commands.data_import",),
    "presets": ("sltdesk.cli.commands.presets",),
    "attainment": ("sltdesk.cli.commands.attainment",),
    "calibrate": ("sltdesk.cli.commands.attainment",),
    "exceptions": ("sltdesk.cli.commands.attainment",),
    "falsepositives": ("sltdesk.cli.commands.false_positives",),
    "periods": ("sltdesk.cli.commands.periods",),
    "rules": ("sltdesk.cli.commands.measurement_rules",),
    "questionnaire": ("sltdesk.cli.commands.questionnaires",),
    "penalties": ("sltdesk.cli.commands.penalties",),
    "reconcile": ("sltdesk.cli.commands.penalties",),
    "claims": ("sltdesk.cli.commands.penalties",),
    "clauses": ("sltdesk.cli.commands.penalties",),
    "pack": ("sltdesk.cli.commands.reviews",),
    "breaches": ("sltdesk.cli.commands.reviews",),
    "review": ("sltdesk.cli.commands.reviews",),
    "actions": ("sltdesk.cli.commands.reviews",),
    "rootcause": ("sltdesk.cli.commands.reviews",),
    "indicators": ("sltdesk.cli.commands.effects",),
    "team": ("sltdesk.cli.commands.team",),
    "upgrade": ("sltdesk.cli.commands.team",),
    "attention": ("sltdesk.cli.commands.attention",),
    "results": ("sltdesk.cli.commands.results",),
    "negotiate": ("sltdesk.cli.commands.negotiate",),
    "target-reviews": ("sltdesk.cli.commands.target_reviews",),
}
