"""Printed workshop materials: what a module's workshop holds (`materials`) and the PDFs
printed from it (`handouts`, `templates/`)."""
