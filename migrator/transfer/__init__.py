"""Artifact stores: the artifacts a store references, copied to a new place and proven present there.

`repos` (the one place that reads and writes artifact stores, through MLflow's artifact repositories),
`locations` (what a store references, and where the rewrite rules send it), `copy` (copy, resume, verify).
"""

from .copy import ArtifactResult, copy_artifacts, verify_artifacts

__all__ = ["ArtifactResult", "copy_artifacts", "verify_artifacts"]
