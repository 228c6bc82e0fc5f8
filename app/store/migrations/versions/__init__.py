"""One module per schema revision, oldest first; each names its `down_revision`."""
