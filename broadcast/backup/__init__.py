"""Backup and restore of a station's workspace as one archive (``broadcast backup`` /
``broadcast restore`` and the *Sao lưu* page)."""

from broadcast.backup.archive import (
    BackupResult,
    Restored,
    backup_name,
    backup_workspace,
    restore_workspace,
)

__all__ = ["BackupResult", "Restored", "backup_name", "backup_workspace", "restore_workspace"]
