"""The version of evidence_annotate (one place; the package and manifests read it)."""

__version__ = "0.2.0"
