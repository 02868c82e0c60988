"""The deterministic diagnosis engine: downstream faults plus store state -> cause and fix."""

from tools.diagnosis.engine import RULES, diagnose
from tools.diagnosis.findings import Diagnosis, Finding, Fix
from tools.diagnosis.snapshot import Snapshot, load_snapshot

__all__ = ["RULES", "Diagnosis", "Finding", "Fix", "Snapshot", "diagnose", "load_snapshot"]
