"""Team mode: the roles people connect as and what each may do (the database enforces the same split)."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    READ = "read"
    EDIT = "edit"          # the register, imports, reviews, clauses, rules, claims, exception requests
    APPROVE = "approve"    # decide force-majeure requests, mark periods complete, settle claims


class Role(StrEnum):
    VIEWER = "sltdesk_viewer"
    EDITOR = "sltdesk_editor"
    APPROVER = "sltdesk_approver"
    ADMINISTRATOR = "administrator"  # a superuser or a member of sltdesk_owner: not one of the app's roles
    SOLO = "solo"                    # a workspace file or a database without team mode: no roles at all


OWNER_ROLE = "sltdesk_owner"
APP_ROLES = (Role.VIEWER, Role.EDITOR, Role.APPROVER)

_ALLOWED = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.EDITOR: frozenset({Permission.READ, Permission.EDIT}),
    Role.APPROVER: frozenset(Permission),
    Role.ADMINISTRATOR: frozenset(Permission),
    Role.SOLO: frozenset(Permission),
}
_NEEDED = {Permission.READ: Role.VIEWER, Permission.EDIT: Role.EDITOR, Permission.APPROVE: Role.APPROVER}


def allows(role: Role, permission: Permission) -> bool:
    return permission in _ALLOWED[role]


def needed_role(permission: Permission) -> Role:
    """The least role that may do it (roles nest: an approver is an editor, an editor a viewer)."""
    return _NEEDED[permission]


def refusal(permission: Permission, role: Role, user: str) -> str:
    """The sentence a greyed-out control shows: what is needed, and who you are."""
    return (f"Needs the {needed_role(permission).value} role; you ({user}) have {role.value}. Ask the administrator "
            f"to run `sltdesk team grant {user} {needed_role(permission).value}`.")
