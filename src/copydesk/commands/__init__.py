"""Subcommands of the `copydesk` CLI, one module each."""
