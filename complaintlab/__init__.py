"""complaintlab: how organisations handle customer complaints, in six languages."""

__version__ = "0.1.0"
