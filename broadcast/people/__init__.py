"""Accounts, roles and the four-eyes rule (issue 10): who acts, and what they may do.

One module per job: ``accounts`` (people and their roles), ``passwords`` (argon2 hashes for
the web workspace), ``acting`` (which person a command acts as), ``permissions`` (role
checks with Vietnamese refusals), ``foureyes`` (nobody approves their own text).
"""
