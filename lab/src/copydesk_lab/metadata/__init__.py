"""Trainers of the metadata readers (the date chooser)."""
