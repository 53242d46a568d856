"""copydesk inside other tools' pipelines (each adapter an optional extra)."""
