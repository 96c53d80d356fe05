"""The exercise bank: what authors write (`model`), how it is read (`loader`), and what is
checked about it before anything is shown (`graph`, `errors`, the course's `competencies`)."""
