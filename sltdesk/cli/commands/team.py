"""`sltdesk team init|grant|revoke|members|sql` and `sltdesk upgrade`: a shared portfolio on PostgreSQL."""

from __future__ import annotations

import argparse

from sltdesk.cli.commands.common import UsageError, add_json_option, add_workspace_option, print_json

ROLE_CHOICES = ("viewer", "editor", "approver", "sltdesk_viewer", "sltdesk_editor", "sltdesk_approver")


def register(sub: argparse._SubParsersAction) -> None:
    top = sub.add_parser("team", help="team mode on PostgreSQL: roles, grants, an append-only audit trail",
                         description="Set up a PostgreSQL database a team shares: the schema is owned by "
                                     "sltdesk_owner, people connect as members of sltdesk_viewer, sltdesk_editor or "
                                     "sltdesk_approver, and the database itself keeps the audit trail append-only. "
                                     "Run these as the database administrator.")
    actions = top.add_subparsers(dest="team_command", metavar="ACTION", parser_class=type(top), required=True)
    p = actions.add_parser("init", help="create a team workspace in an empty PostgreSQL database",
                           description="Create the roles, the schema (owned by sltdesk_owner), the grants and the "
                                       "triggers, in one transaction. Refuses a database that already holds a "
                                       "workspace unless given --upgrade-existing.")
    p.add_argument("url", help="postgresql+psycopg://ADMIN@HOST/DATABASE")
    p.add_argument("--upgrade-existing", action="store_true",
                   help="turn the workspace the database holds into a team database (or apply the grants again)")
    add_json_option(p)
    p.set_defaults(func=_cmd_init)
    for verb, helptext in (("grant", "make a database user a member of a role (creates the login if missing)"),
                           ("revoke", "take a role from a database user")):
        p = actions.add_parser(verb, help=helptext)
        p.add_argument("user", help="the database user (login)")
        p.add_argument("role", choices=ROLE_CHOICES, metavar="ROLE", help="viewer, editor or approver")
        add_workspace_option(p)
        p.set_defaults(func=_cmd_grant if verb == "grant" else _cmd_revoke)
    p = actions.add_parser("members", help="who holds which role")
    add_workspace_option(p)
    add_json_option(p)
    p.set_defaults(func=_cmd_members)
    p = actions.add_parser("sql", help="print the SQL team init runs (for the administrator to read first)")
    p.add_argument("--database", default="sltdesk", help="the database's name (default sltdesk)")
    p.add_argument("--schema", default="public", help="the schema (default public)")
    p.set_defaults(func=_cmd_sql)

    p = sub.add_parser("upgrade", help="bring a workspace to this version's schema (the administrator, on a team "
                                       "database)",
                       description="Run the schema migrations. A workspace file is copied first (FILE.bak-TIME). A "
                                   "team database is upgraded as sltdesk_owner and its grants and triggers are "
                                   "applied again; only its administrator may do it.")
    p.add_argument("workspace", help="a workspace file or a database URL")
    add_json_option(p)
    p.set_defaults(func=_cmd_upgrade)


def _audit(location: str, action: str, entity_id: str, after: dict) -> None:
    from models.workspace import open_workspace
    from sltdesk.services.team import record_team_change

    ws = open_workspace(location)
    try:
        record_team_change(ws, action, entity_id, after)
    finally:
        ws.close()


def _cmd_init(args: argparse.Namespace) -> int:
    from models.team_admin import init_team

    done = init_team(args.url, upgrade_existing=args.upgrade_existing)
    _audit(args.url, "team-init", done.database, {"schema": done.schema, "revision": done.revision,
                                                  "converted": done.converted, "reapplied": done.reapplied})
    if args.json:
        print_json({"location": done.location, "database": done.database, "schema": done.schema,
                    "revision": done.revision, "converted": done.converted, "reapplied": done.reapplied})
        return 0
    what = ("Grants and triggers applied again to" if done.reapplied else
            "Converted the workspace in" if done.converted else "Team workspace created in")
    print(f"{what} {done.location} (schema {done.revision}). Next: `sltdesk team grant USER editor -w "
          f"{done.location}` for each person (viewer, editor or approver).")
    return 0


def _workspace(args: argparse.Namespace) -> str:
    if not args.workspace:
        raise UsageError("Name the team database with -w URL (or set SLTDESK_WORKSPACE).")
    return args.workspace


def _cmd_grant(args: argparse.Namespace) -> int:
    from models.team_admin import grant

    role, created = grant(_workspace(args), args.user, args.role)
    _audit(args.workspace, "team-grant", args.user, {"role": role, "login_created": created})
    print(f"{args.user} is now a member of {role}."
          + (f" The login {args.user} was created without a password: set one with "
             f"ALTER ROLE \"{args.user}\" PASSWORD '…' (or use the server's own authentication)." if created else ""))
    return 0


def _cmd_revoke(args: argparse.Namespace) -> int:
    from models.team_admin import revoke

    role = revoke(_workspace(args), args.user, args.role)
    _audit(args.workspace, "team-revoke", args.user, {"role": role})
    print(f"{args.user} is no longer a member of {role}.")
    return 0


def _cmd_members(args: argparse.Namespace) -> int:
    from models.team_admin import members
    from sltdesk.cli.textable import render_table

    rows = members(_workspace(args))
    if args.json:
        print_json({"members": [{"user": u, "role": r} for u, r in rows]})
    else:
        print(render_table(["user", "role"], [list(r) for r in rows]) if rows else "Nobody holds a team role yet.")
    return 0


def _cmd_sql(args: argparse.Namespace) -> int:
    from models.team import team_sql, workspace_tables

    print(team_sql(args.database, args.schema, workspace_tables()), end="")
    return 0


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from models.team_admin import upgrade

    done = upgrade(args.workspace)
    if done.before != done.after:
        _audit(args.workspace, "upgrade", done.location, {"from": done.before, "to": done.after, "team": done.team})
    if args.json:
        print_json({"location": done.location, "from": done.before, "to": done.after, "team": done.team,
                    "backup": str(done.backup_path) if done.backup_path else None})
    elif done.before == done.after:
        print(f"{done.location} is at this version's schema already ({done.after}); nothing to do.")
    else:
        print(f"Upgraded {done.location} from schema {done.before} to {done.after}"
              + (f"; the old version was kept as {done.backup_path}." if done.backup_path else
                 " (grants and triggers applied again)." if done.team else "."))
    return 0
