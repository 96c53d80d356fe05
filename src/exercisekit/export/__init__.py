"""Outputs for other systems: Moodle XML (`moodle`), GIFT (`gift`), and what they share
(`common`); `files.write_export` writes one with its report."""
