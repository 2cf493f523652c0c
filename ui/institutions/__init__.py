"""Institutions' capability records: staff and certificates, instruments, blind samples."""
