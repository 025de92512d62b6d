"""Announcer takes: reading sheets for the announcer and the import of what they recorded."""
