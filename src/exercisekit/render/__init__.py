"""One exercise, shown: live ipywidgets (`widgets`) and kernel-free HTML (`static`, with the
browser runtime in `assets/`), both wording verdicts with `feedback`, `messages`, `richtext`."""
