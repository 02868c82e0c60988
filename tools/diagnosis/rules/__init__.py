"""Diagnosis rules, one module per area; each rule is a pure function of a Snapshot."""
